package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dtkit.source.IoReasons;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Unprivileged;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Outputs replace regular files by a rename, and write through links and into pipes. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private static final byte[] BYTES = "blob".getBytes(StandardCharsets.US_ASCII);

    @Test
    void replacesARegularFileKeepingItsMode() throws IOException {
        Path f = tmp.resolve("out.dtb");
        Files.writeString(f, "old contents, longer than the new");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(f, BYTES);
        assertArrayEquals(BYTES, Files.readAllBytes(f));
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void writesThroughASymbolicLinkAndKeepsTheLink() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real")).resolve("board.dtb");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.dtb"), Path.of("real/board.dtb"));
        Path linkToLink = Files.createSymbolicLink(tmp.resolve("link2.dtb"), link.getFileName());
        AtomicFiles.write(linkToLink, BYTES);
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.isSymbolicLink(linkToLink));
        assertArrayEquals(BYTES, Files.readAllBytes(real));
    }

    @Test
    void aDanglingLinkGetsItsTargetCreated() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link.dtb"), Path.of("new.dtb"));
        AtomicFiles.write(link, BYTES);
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(BYTES, Files.readAllBytes(tmp.resolve("new.dtb")));
    }

    @Test
    void aLinkLoopIsAnError() throws IOException {
        Files.createSymbolicLink(tmp.resolve("a"), Path.of("b"));
        Path b = Files.createSymbolicLink(tmp.resolve("b"), Path.of("a"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(b, BYTES));
        assertEquals("Too many levels of symbolic links", IoReasons.of(e));
        assertTrue(Files.isSymbolicLink(b));
    }

    @Test
    void aMissingFolderIsReportedAgainstTheTarget() {
        Path out = tmp.resolve("no-such-dir").resolve("out.dtb");
        IOException e = assertThrows(NoSuchFileException.class, () -> AtomicFiles.write(out, BYTES));
        assertEquals(out.toString(), ((NoSuchFileException) e).getFile());
        assertEquals("No such file or directory", IoReasons.of(e));
    }

    @Test
    void aNamedPipeIsWrittenToNotReplaced() throws Exception {
        Path fifo = tmp.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo not available");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicFiles.write(fifo, BYTES);
        assertArrayEquals(BYTES, read.get(20, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the pipe is still a pipe");
    }

    /**
     * A new output gets the mode dtc gives its own: read and write for all less the umask
     * (dtkit run as a process of its own, since a JVM cannot set its umask).
     */
    @ParameterizedTest
    @ValueSource(strings = {"077", "002", "022"})
    void aNewOutputHasTheModeDtcGivesUnderTheUmask(String umask) throws IOException {
        ReferenceTool.require("dtc");
        Path src = tmp.resolve("in.dts");
        Files.writeString(src, "/dts-v1/;\n/ { };\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path ours = tmp.resolve("ours.dtb");
        Path theirs = tmp.resolve("theirs.dtb");
        ReferenceTool.Result a = ReferenceTool.run(tmp, null, "sh", "-c", "umask " + umask
                + " && exec \"$0\" -cp \"$1\" io.dtkit.cli.Main dtc -O dtb -o \"$2\" \"$3\"",
                java, cp, ours.toString(), src.toString());
        ReferenceTool.Result b = ReferenceTool.run(tmp, null, "sh", "-c",
                "umask " + umask + " && exec dtc -O dtb -o \"$0\" \"$1\"", theirs.toString(), src.toString());
        assertEquals(0, a.exit(), a.stderr());
        assertEquals(0, b.exit(), b.stderr());
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(theirs)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(ours)), "umask " + umask);
    }

    /**
     * A read-only output is refused as dtc refuses it (its open fails), though the folder would
     * let a rename replace it.
     */
    @Test
    void aReadOnlyOutputIsRefusedAsDtcRefusesIt() throws IOException {
        ReferenceTool.require("dtc");
        Path src = tmp.resolve("in.dts");
        Files.writeString(src, "/dts-v1/;\n/ { };\n");
        for (String name : List.of("dtkit", "dtc")) {
            Path out = tmp.resolve("out.dtb");
            Files.deleteIfExists(out);
            Files.write(out, BYTES);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r--r--r--"));
            List<String> cmd = new ArrayList<>(name.equals("dtc") ? List.of("dtc") : Unprivileged.dtkit());
            if (name.equals("dtkit")) {
                cmd.add("dtc");
            }
            cmd.addAll(List.of("-O", "dtb", "-o", out.toString(), src.toString()));
            ReferenceTool.Result r = ReferenceTool.run(tmp, null, Unprivileged.command(cmd.toArray(String[]::new)));
            assertEquals(1, r.exit(), name);
            assertEquals("FATAL ERROR: Couldn't open output file " + out + ": Permission denied\n", r.stderr(), name);
            assertArrayEquals(BYTES, Files.readAllBytes(out), name + ": the read-only file is as it was");
        }
    }
}
