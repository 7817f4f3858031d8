package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtkit dts-edit}: edits in order, writes in place or elsewhere, writes nothing when refused. */
class DtsEditCommandTest {
    static final Path FIX = Path.of("fixtures/dtsedit").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void editsInPlaceInCommandLineOrder() throws Exception {
        Path f = tmp.resolve("b.dts");
        Files.copy(FIX.resolve("add-node_original.dts"), f);
        CliRun r = CliRun.dtkit("dts-edit", f.toString(),
                "--add-node", "/reserved-memory/crash@9f000000",
                "--set", "/chosen:bootargs=\"panic=1\"");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(FIX.resolve("add-node_expected.dts")), Files.readAllBytes(f));
    }

    /** dtc's first error line for {@code text} compiled as the file {@code f} (which is left holding it). */
    private static String dtcError(Path f, String text) throws Exception {
        Files.writeString(f, text);
        io.dtkit.testsupport.ReferenceTool.Result d = io.dtkit.testsupport.ReferenceTool.run(null, null,
                "dtc", "-q", "-O", "dtb", "-o", "/dev/null", f.toString());
        assertEquals(2 - (d.stderr().startsWith("Error:") ? 1 : 0), d.exit(), d.stderr());
        return d.stderr().split("\n")[0];
    }

    /**
     * An edit that would leave a compiling source failing to compile (a string value without
     * its quotes, a phandle of 0) is refused with dtc's own first error for the edited text, and
     * nothing is written.
     */
    @Test
    void anEditThatBreaksTheSourceIsRefusedWithDtcsError() throws Exception {
        io.dtkit.testsupport.ReferenceTool.require("dtc");
        Path f = tmp.resolve("b.dts");
        String original = "/dts-v1/;\n/ {\n\tchosen {\n\t\tbootargs = \"a\";\n\t};\n};\n";
        String unquoted = dtcError(f, original.replace("\"a\"", "console=ttyS0"));
        Files.writeString(f, original);
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "--set", "/chosen:bootargs=console=ttyS0");
        assertEquals(1, r.exit(), r.err());
        assertEquals("dtkit dts-edit: the edits would leave " + f + " failing to compile, so nothing was written: "
                + unquoted + "\n", r.err());
        assertEquals(original, Files.readString(f));

        String zero = dtcError(f, original.replace("\t\tbootargs = \"a\";\n",
                "\t\tbootargs = \"a\";\n\t\tphandle = <0x0>;\n"));
        Files.writeString(f, original);
        r = CliRun.dtkit("put", "-tx", f.toString(), "/chosen", "phandle", "0");
        assertEquals(1, r.exit(), r.err());
        assertEquals(f + ": the edit would leave the source failing to compile, so nothing was written: "
                + zero + "\n", r.err());
        assertEquals(original, Files.readString(f));
    }

    /** A source that does not compile as it is (here: a header it cannot find) is edited all the same. */
    @Test
    void aSourceThatDoesNotCompileAsItIsIsStillEdited() throws Exception {
        Path f = tmp.resolve("c.dts");
        Files.writeString(f, "/dts-v1/;\n#include <no-such-header.h>\n/ {\n\tchosen { };\n};\n");
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "--set", "/chosen:bootargs=\"x\"");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.readString(f).contains("bootargs = \"x\";"), Files.readString(f));
    }

    @Test
    void anUnwritableOutputIsNamedWithTheReason() throws Exception {
        Path out = tmp.resolve("no-such-dir").resolve("b.dts");
        CliRun r = CliRun.dtkit("dts-edit", FIX.resolve("add-node_original.dts").toString(), "-o", out.toString(),
                "--set", "/chosen:bootargs=\"panic=1\"");
        assertEquals(1, r.exit());
        assertEquals("dtkit dts-edit: cannot write " + out + ": No such file or directory\n", r.err());
    }

    @Test
    void deletesAndWritesToStandardOutput() throws Exception {
        Path f = FIX.resolve("delete-prop-comments_original.dts");
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "-o", "-",
                "--delete", "/chosen:bootargs", "--delete", "/chosen:linux,initrd-start");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals(Files.readString(FIX.resolve("delete-prop-comments_expected.dts")), r.out());
    }

    /** Standard output gets the edited source's bytes as they are, as the file would. */
    @Test
    void standardOutputKeepsBytesThatAreNoUtf8() throws Exception {
        Path f = tmp.resolve("latin.dts");
        Files.write(f, "/dts-v1/;\n/ {\n\tmodel = \"caf\u00e9\";\n\tchosen { };\n};\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "-o", "-", "--set", "/chosen:bootargs=\"x\"");
        assertEquals(0, r.exit(), r.err());
        Path g = tmp.resolve("out.dts");
        CliRun w = CliRun.dtkit("dts-edit", f.toString(), "-o", g.toString(), "--set", "/chosen:bootargs=\"x\"");
        assertEquals(0, w.exit(), w.err());
        assertArrayEquals(Files.readAllBytes(g), r.outBytes());
        assertTrue(indexOf(r.outBytes(), new byte[] {'f', (byte) 0xe9, '"'}) >= 0, "the E9 byte is kept");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void includedDefinitionIsRefusedUnlessOverrideAllowed() throws Exception {
        Path f = tmp.resolve("b.dts");
        Files.copy(FIX.resolve("include-only-refused_original.dts"), f);
        byte[] before = Files.readAllBytes(f);
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "-i", FIX.toString(),
                "--set", "&uart1:status=\"okay\"");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("/soc/serial@2000:status is defined in ") && r.err().contains("board.dtsi:"), r.err());
        assertArrayEquals(before, Files.readAllBytes(f));

        r = CliRun.dtkit("dts-edit", f.toString(), "-i", FIX.toString(), "--allow-override-block",
                "--set", "&uart1:status=\"okay\"", "--delete", "/soc/timer@4000");
        assertEquals(0, r.exit(), r.err());
        assertEquals(new String(before, StandardCharsets.UTF_8)
                + "\n&uart1 {\n\tstatus = \"okay\";\n};\n\n/delete-node/ &{/soc/timer@4000};\n", Files.readString(f));
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Path f = tmp.resolve("b.dts");
        Files.writeString(f, "/ { };\n");
        assertEquals(2, CliRun.dtkit("dts-edit", f.toString(), "--set", "/nothing").exit());
        assertEquals(2, CliRun.dtkit("dts-edit", f.toString()).exit());
        CliRun r = CliRun.dtkit("dts-edit", f.toString(), "--delete", "/x");
        assertEquals(1, r.exit());
        assertEquals("dtkit dts-edit: " + f + ": node /x not found\n", r.err());
    }
}
