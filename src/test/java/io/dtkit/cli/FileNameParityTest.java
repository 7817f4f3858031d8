package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Unprivileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File names the system refuses though a Java path would take them: the empty name, and names
 * ending in '/' (a path drops the slash, so "f.dtb/" would read or replace f.dtb), plus folders
 * where files are expected and a dependency file that cannot be written (dtc opens it first). Each line runs under the reference tool and under dtkit; the
 * output, messages, exit status and the files left in the folder must agree.
 */
class FileNameParityTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void files() throws IOException {
        ReferenceTool.require("dtc");
        Files.writeString(tmp.resolve("in.dts"), "/dts-v1/;\n/ { model = \"m\"; };\n");
        Files.createDirectory(tmp.resolve("d"));
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", "f.dtb", "in.dts");
        assertEquals(0, r.exit(), r.stderr());
    }

    /** The files below the folder, by relative name (folders map to an empty array). */
    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(tmp.relativize(p).toString(), Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** Puts the folder back as {@code before} had it (only files can have been added or changed). */
    private void restore(Map<String, byte[]> before) throws IOException {
        for (String name : snapshot().keySet()) {
            if (!before.containsKey(name)) {
                Files.delete(tmp.resolve(name));
            }
        }
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            Path p = tmp.resolve(e.getKey());
            if (!Files.isDirectory(p)) {
                Files.write(p, e.getValue());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dtc -O dtb -o T/x.dtb/ T/in.dts",
        "dtc -O dtb -o T/f.dtb/ T/in.dts",
        "dtc -O dtb -o T/d/x/ T/in.dts",
        "dtc -O dtb -o T/nodir/x/ T/in.dts",
        "dtc -O dtb -o T/f.dtb/x T/in.dts",
        "dtc -O dtb -o '' T/in.dts",
        "dtc -O dtb -o T/x.dtb T/in.dts/",
        "dtc -O dtb -o T/x.dtb ''",
        "dtc -I dts -O dtb -o T/x.dtb T/d",
        "dtc -I dts -O dtb -o T/x.dtb T/d/",
        "dtc -I dtb -O dts T/f.dtb/",
        "dtc -I dtb -O dts T/d/",
        "dtc -I dtb -O dts ''",
        "dtc -I fs -O dts T/f.dtb",
        "dtc -I fs -O dts T/f.dtb/",
        "dtc -O dtb -o T/x.dtb -d T/x.d/ T/in.dts",
        "dtc -O dtb -o T/x.dtb -d '' T/in.dts",
        "dtc -O dtb -o T/x.dtb -d T/nodir/x.d T/missing.dts",
        "dtc -O dtb -o T/x.dtb -d T/d T/in.dts",
        "dtc -p 10 -S 10 -O dtb -o T/x.dtb -d T/nodir/x.d T/in.dts",
        "fdtget T/f.dtb/ / model",
        "fdtget '' / model",
        "fdtput -ts T/f.dtb/ / a b",
        "fdtput -ts '' / a b",
        "fdtoverlay -i T/f.dtb -o T/y.dtb/ T/f.dtb",
        "fdtoverlay -i T/f.dtb/ -o T/y.dtb T/f.dtb",
        "fdtoverlay -i T/f.dtb -o '' T/f.dtb",
        "fdtdump T/f.dtb/",
        "fdtdump ''",
    })
    void sameAsTheReferenceTool(String line) throws IOException {
        List<String> words = new ArrayList<>();
        for (String w : line.split(" ")) {
            words.add(w.equals("''") ? "" : w.replace("T/", tmp + "/"));
        }
        String tool = words.get(0);
        ReferenceTool.require(tool);
        Map<String, byte[]> before = snapshot();
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, words.toArray(String[]::new));
        Map<String, byte[]> refFiles = snapshot();
        restore(before);

        words.set(0, tool.startsWith("fdt") ? tool.substring(3) : tool);
        CliRun got = CliRun.dtkit(words.toArray(String[]::new));
        assertEquals(ref.out(), got.out(), line + ": stdout");
        assertEquals(ref.stderr(), got.err(), line + ": stderr");
        assertEquals(ref.exit(), got.exit(), line + ": exit status");
        Map<String, byte[]> ours = snapshot();
        assertEquals(refFiles.keySet(), ours.keySet(), line + ": the files afterwards");
        for (String name : ours.keySet()) {
            assertArrayEquals(refFiles.get(name), ours.get(name), line + ": " + name + " afterwards");
        }
    }

    /** A source the user may not read, named on the command line or included. */
    @ParameterizedTest
    @ValueSource(strings = {"T/secret.dts", "T/includes.dts"})
    void anUnreadableSourceIsReportedAsDtcReportsIt(String name) throws IOException {
        Files.writeString(tmp.resolve("secret.dts"), "/dts-v1/;\n/ { };\n");
        Files.setPosixFilePermissions(tmp.resolve("secret.dts"), PosixFilePermissions.fromString("---------"));
        Files.writeString(tmp.resolve("includes.dts"), "/dts-v1/;\n/include/ \"secret.dts\"\n");
        String file = name.replace("T/", tmp + "/");
        ReferenceTool.Result[] both = bothUnprivileged("-O", "dtb", "-o", "/dev/null", file);
        ReferenceTool.Result ref = both[0];
        ReferenceTool.Result got = both[1];
        assertEquals("FATAL ERROR: Couldn't open \"" + (name.contains("secret") ? file : "secret.dts")
                + "\": Permission denied\n", ref.stderr(), "dtc's message");
        assertEquals(ref.stderr(), got.stderr(), name + ": stderr");
        assertEquals(ref.exit(), got.exit(), name + ": exit status");
    }

    /**
     * Names outside ASCII written in a source (UTF-8 bytes): an include, a blob to embed and a
     * line marker open the files of those names and are printed back as the same bytes, in
     * messages and in the dependency file.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "/include/ \"n\u00e9.dtsi\"\n/ { a = /incbin/(\"n\u00e9.dtsi\"); };",
        "/include/ \"x\u00e9.dtsi\"",
        "/ { a = /incbin/(\"x\u00e9.bin\"); };",
        "# 5 \"z\u00e9.dts\"\n/ { b = <&nope>; };",
        "/include/ \"n\u00e9.dtsi\"\n/ { b = <&nope>; };",
    })
    void namesOutsideAsciiInSources(String body) throws IOException {
        Files.writeString(tmp.resolve("n\u00e9.dtsi"), "/ { inc; c = <&nope>; };\n");
        Path src = tmp.resolve("s\u00e9.dts");
        Files.writeString(src, "/dts-v1/;\n" + body + "\n");
        Path refDeps = tmp.resolve("ref.d");
        Path ourDeps = tmp.resolve("our.d");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-O", "dts", "-d", refDeps.toString(),
                src.toString());
        CliRun got = CliRun.dtkit("dtc", "-O", "dts", "-d", ourDeps.toString(), src.toString());
        assertEquals(ref.out(), got.out(), body + ": stdout");
        assertEquals(ref.stderr(), got.err(), body + ": stderr");
        assertEquals(ref.exit(), got.exit(), body + ": exit status");
        if (ref.exit() == 0) {
            assertArrayEquals(Files.readAllBytes(refDeps), Files.readAllBytes(ourDeps), body + ": dependency file");
        }
    }

    /**
     * The same through the preprocessor: a source named outside ASCII includes a header named
     * so; dtkit alone gives what cpp and then dtc give (positions in the header carry its name).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/ { x = <V>; };", "/ { x = <&nope>; };"})
    void namesOutsideAsciiThroughThePreprocessor(String body) throws IOException {
        ReferenceTool.require("cpp");
        Files.writeString(tmp.resolve("n\u00e9.h"), "#define V 7\n/ { inc = <V>; };\n");
        Path src = tmp.resolve("b\u00e9.dts");
        Files.writeString(src, "/dts-v1/;\n#include \"n\u00e9.h\"\n" + body + "\n");
        ReferenceTool.Result pp = ReferenceTool.run(tmp, null, "cpp", "-nostdinc", "-undef", "-D__DTS__",
                "-x", "assembler-with-cpp", "-o", "pp.dts", src.getFileName().toString());
        assertEquals(0, pp.exit(), pp.stderr());
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-O", "dts", "pp.dts");
        CliRun got = CliRun.dtkit("dtc", "-O", "dts", src.toString());
        assertEquals(ref.out(), got.out(), body + ": stdout");
        // cpp ran in the folder, dtkit names the source by its full path
        assertEquals(ref.stderr(), got.err().replace(tmp + "/", ""), body + ": stderr");
        assertEquals(ref.exit(), got.exit(), body + ": exit status");
    }

    /**
     * A folder read with {@code -I fs}: names outside ASCII (and "name" properties that repeat
     * them or quote a byte that is no UTF-8), links to a file and to a folder, an empty file, a
     * name dtc's checks refuse, and a file the user may not read (dtc warns about it whatever
     * {@code -q} says).
     */
    @ParameterizedTest
    @ValueSource(strings = {"-f", "-qf"})
    void aFolderReadAsDtcReadsIt(String options) throws IOException {
        Path t = tmp.resolve("t");
        Files.createDirectories(t.resolve("cpus/cpu@0"));
        Files.createDirectories(t.resolve("chosen/sub"));
        Files.createDirectories(t.resolve("odd name"));
        Files.write(t.resolve("compatible"), "board\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.write(t.resolve("cpus/cpu@0/reg"), new byte[] {0, 0, 0, 1});
        Files.write(t.resolve("cpus/cpu@0/secret"), new byte[] {1});
        Files.setPosixFilePermissions(t.resolve("cpus/cpu@0/secret"), PosixFilePermissions.fromString("---------"));
        Files.write(t.resolve("chosen/empty"), new byte[0]);
        Files.writeString(t.resolve("chosen/n\u00e9"), "n\u00e9");
        Files.createSymbolicLink(t.resolve("chosen/link"), Path.of("../compatible"));
        Files.createSymbolicLink(t.resolve("chosen/dirlink"), Path.of("../cpus"));
        // "name" properties: one repeating a node name outside ASCII (dtc drops it), one not
        Files.createDirectories(t.resolve("n\u00e9"));
        Files.write(t.resolve("n\u00e9/name"), "n\u00e9\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.createDirectories(t.resolve("m\u00e9"));
        Files.write(t.resolve("m\u00e9/name"), new byte[] {'x', (byte) 0xe9, 0});
        ReferenceTool.Result[] both = bothUnprivileged(options, "-I", "fs", "-O", "dts", "t");
        ReferenceTool.Result ref = both[0];
        ReferenceTool.Result got = both[1];
        assertEquals(0, ref.exit(), ref.stderr());
        assertArrayEquals(ref.stdout(), got.stdout(), options + ": stdout");
        assertEquals(ref.stderr(), got.stderr(), options + ": stderr");
        assertEquals(ref.exit(), got.exit(), options + ": exit status");
    }

    /**
     * /incbin/ reads as dtc reads: up to the length asked or the end, whatever size the file
     * claims (devices and /proc files claim none), after a seek dtc makes with the offset taken
     * as signed; a folder fails at the first read. Two of dtc's messages end no line.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "a = /incbin/(\"/dev/zero\", 0, 16);",
        "a = /incbin/(\"/dev/zero\", 4, 8);",
        "a = /incbin/(\"/proc/version\", 0, 4);",
        "a = /incbin/(\"/dev/null\");",
        "a = /incbin/(\"T/in.dts\", 1000, 5);",
        "a = /incbin/(\"T/in.dts\", 3, 0);",
        "a = /incbin/(\"T/in.dts\", 2, 0xffffffffffffffff);",
        "a = /incbin/(\"T/in.dts\", 0xffffffffffffffff, 5);",
        "a = /incbin/(\"T/in.dts\", 0x8000000000000000, 5);",
        "a = /incbin/(\"T/d\");",
        "a = /incbin/(\"T/d\", 4, 4);",
    })
    void incbinReadsAsDtcReads(String body) throws IOException {
        Path src = tmp.resolve("ib.dts");
        Files.writeString(src, "/dts-v1/;\n/ { " + body.replace("T/", tmp + "/") + " };\n");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-O", "dts", src.toString());
        CliRun got = CliRun.dtkit("dtc", "-O", "dts", src.toString());
        assertEquals(ref.out(), got.out(), body + ": stdout");
        assertEquals(ref.stderr(), got.err(), body + ": stderr");
        assertEquals(ref.exit(), got.exit(), body + ": exit status");
    }

    /** dtc and dtkit's dtc run with {@code args} in the folder, both without root's override. */
    private ReferenceTool.Result[] bothUnprivileged(String... args) throws IOException {
        List<String> theirs = new ArrayList<>(List.of("dtc"));
        theirs.addAll(List.of(args));
        List<String> ours = new ArrayList<>(Unprivileged.dtkit());
        ours.add("dtc");
        ours.addAll(List.of(args));
        return new ReferenceTool.Result[] {
            ReferenceTool.run(tmp, null, Unprivileged.command(theirs.toArray(String[]::new))),
            ReferenceTool.run(tmp, null, Unprivileged.command(ours.toArray(String[]::new)))};
    }
}
