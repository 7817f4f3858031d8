package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dtc's other output formats ({@code -O asm}, {@code -O yaml}, {@code -T} and {@code -T -T}
 * annotated DTS), byte for byte against the installed dtc 1.6.1: on every fixture source that
 * dtc compiles, and on the first boards of the Linux arm64 corpus (their sources and blobs).
 */
class DtcOutputFormatsTest {

    /** The corpus boards used (all 150 with {@code -Ddtkit.outputs.boards=150}). */
    private static final int BOARDS = Integer.getInteger("dtkit.outputs.boards", 25);

    private static final List<List<String>> MODES = List.of(
            List.of("-O", "asm"),
            List.of("-O", "yaml"),
            List.of("-T", "-O", "dts"),
            List.of("-T", "-T", "-O", "dts"),
            List.of("-O", "asm", "-V", "16", "-R", "2", "-p", "64", "-a", "32", "-b", "3"),
            List.of("-O", "asm", "-V", "3", "-S", "4096", "-a", "16"),
            List.of("-@", "-O", "asm", "-V", "1"),
            List.of("-@", "-T", "-T", "-O", "dts"),
            List.of("-@", "-O", "yaml"));

    @TempDir
    Path tmp;

    static Stream<Arguments> fixtures() throws IOException {
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("fixtures/dts"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".dts")).sorted().toList()) {
                all.add(Arguments.of(p.getFileName().toString(), p.toString(), null));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> boards() throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        List<String> rows = Files.readAllLines(corpus.resolve("manifest.tsv"));
        return rows.stream().skip(1).filter(r -> !r.isBlank()).limit(BOARDS).map(r -> r.split("\t"))
                .map(c -> Arguments.of(c[0], corpus.resolve("expected/" + c[0] + ".pp.dts").toString(),
                        corpus.resolve(c[3]).toString()));
    }

    private byte[] dtkit(String name, List<String> args) throws IOException {
        Path out = tmp.resolve("out");
        Files.deleteIfExists(out);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-o", out.toString()));
        cmd.addAll(args);
        CliRun r = CliRun.of(cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), name + " " + args + ": " + r.err());
        return Files.readAllBytes(out);
    }

    private static ReferenceTool.Result dtc(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-o", "-"));
        cmd.addAll(args);
        return ReferenceTool.run(null, null, cmd.toArray(String[]::new));
    }

    private void compareAll(String name, String src, String includeDir, boolean mustCompile) throws IOException {
        int compared = 0;
        for (List<String> mode : MODES) {
            List<String> args = new ArrayList<>(mode);
            if (includeDir != null) {
                args.addAll(List.of("-i", includeDir));
            }
            args.add(src);
            ReferenceTool.Result ref = dtc(args);
            if (ref.exit() != 0) {
                // fixtures that dtc rejects are not compared; where dtc aborts (YAML of
                // non-ASCII strings) dtkit must end with an error instead
                assertTrue(!mustCompile || mode.contains("yaml"), name + " " + mode + ": " + ref.stderr());
                if (ref.exit() > 128) {
                    List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-o", tmp.resolve("x").toString()));
                    cmd.addAll(args);
                    CliRun r = CliRun.of(cmd.toArray(String[]::new));
                    assertEquals(1, r.exit(), name + " " + mode);
                    assertTrue(r.err().startsWith("FATAL ERROR: "), name + " " + mode + ": " + r.err());
                }
                continue;
            }
            assertArrayEquals(ref.stdout(), dtkit(name, args), name + " " + mode);
            compared++;
        }
        if (mustCompile) {
            assertTrue(compared >= 3, name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureOutputsLikeDtc(String name, String src, String includeDir) throws IOException {
        compareAll(name, src, includeDir, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void boardOutputsLikeDtc(String name, String src, String includeDir) throws IOException {
        compareAll(name, src, includeDir, true);
    }

    /** Blob input: the assembler text of dtc's own blob. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void blobToAsmLikeDtc(String name, String src, String includeDir) throws IOException {
        String blob = src.replace(".pp.dts", ".dtb");
        List<String> args = List.of("-I", "dtb", "-O", "asm", blob);
        ReferenceTool.Result ref = dtc(args);
        assertEquals(0, ref.exit(), name + ": " + ref.stderr());
        assertArrayEquals(ref.stdout(), dtkit(name, args), name);
    }

    @Test
    void yamlOfBlobIsRefusedLikeDtc() throws IOException {
        Path blob = Files.list(Shared.resolve("corpus/linux-arm64/expected"))
                .filter(p -> p.toString().endsWith(".dtb")).sorted().findFirst().orElseThrow();
        ReferenceTool.Result ref = dtc(List.of("-I", "dtb", "-O", "yaml", blob.toString()));
        CliRun r = CliRun.of("dtc", "-q", "-I", "dtb", "-O", "yaml", blob.toString());
        assertEquals(ref.exit(), r.exit());
        assertEquals(ref.stderr(), r.err());
    }

    /**
     * The YAML emitter's corners: wrapping of long strings and cell arrays past column 80,
     * quoted and tagged keys, keys longer than 128 characters, empty strings and nodes.
     */
    @Test
    void yamlLayoutCornersLikeDtc() throws IOException {
        String longName = "x".repeat(130);
        Path src = tmp.resolve("w.dts");
        Files.writeString(src, "/dts-v1/;\n/ {\n"
                + "\tmodel = \"A very long model string with many words in it that goes past the eighty column"
                + " limit of the emitter for sure, and   more  spaces here too ok\";\n"
                + "\ts2 = \"short\", \"another string that is rather long and has spaces in it to wrap around"
                + " the width limit\", \"x\\ty\";\n"
                + "\tarr = <1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32"
                + " 33 34 35 36 37 38 39 40>, [00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15"
                + " 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27];\n"
                + "\t" + longName + " = <1>;\n\t#foo = \"b\";\n\ta,b-c = \"'\";\n\t?q = <2>;\n"
                + "\tempty-str = \"\";\n\t#nodename { x; };\n"
                + "\tn" + longName + " { y = /bits/ 64 <0xffffffffffffffff 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15>; };\n"
                + "\t-n { z; };\n\t_n { };\n};\n", StandardCharsets.US_ASCII);
        List<String> args = List.of("-f", "-O", "yaml", src.toString());
        ReferenceTool.Result ref = dtc(args);
        assertEquals(0, ref.exit(), ref.stderr());
        assertEquals(new String(ref.stdout(), StandardCharsets.ISO_8859_1),
                new String(dtkit("w.dts", args), StandardCharsets.ISO_8859_1));
    }

    /** {@code -T} only for DTS in and out, checked before the input is read. */
    @Test
    void annotateRefusedLikeDtc() throws IOException {
        String missing = tmp.resolve("missing.dtb").toString();
        for (List<String> args : List.of(List.of("-T", "-I", "dtb", "-O", "dts", missing),
                List.of("-T", "-O", "dtb", missing), List.of("-T", "-T", "-O", "yaml", missing),
                List.of("-T", "-O", "asm", missing))) {
            ReferenceTool.Result ref = dtc(args);
            List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-o", "-"));
            cmd.addAll(args);
            CliRun r = CliRun.of(cmd.toArray(String[]::new));
            assertEquals(ref.exit(), r.exit(), args.toString());
            assertEquals(ref.stderr(), r.err(), args.toString());
        }
    }

    /** The assembler text assembles to the very blob dtc writes. */
    @Test
    void asmAssemblesToTheBlob() throws IOException {
        ReferenceTool.require("as");
        ReferenceTool.require("objcopy");
        Path src = tmp.resolve("t.dts");
        Files.writeString(src, "/dts-v1/;\n/memreserve/ 0x1000 0x2000;\n/ {\n\t#address-cells = <1>;\n"
                + "\tr = <&l1>;\n"
                + "\tl1: n@1 { reg = <1>; s = \"ab\", \"c\"; b = [01 02 03]; v: w = /bits/ 64 <5>; };\n};\n", StandardCharsets.US_ASCII);
        for (List<String> opts : List.of(List.<String>of(), List.of("-V", "3", "-R", "1", "-S", "600", "-a", "16"))) {
            List<String> asmArgs = new ArrayList<>(List.of("-O", "asm"));
            asmArgs.addAll(opts);
            asmArgs.add(src.toString());
            Path asm = tmp.resolve("t.s");
            Files.write(asm, dtkit("t.dts", asmArgs));
            Path obj = tmp.resolve("t.o");
            Path bin = tmp.resolve("t.bin");
            assertEquals(0, ReferenceTool.run(null, null, "as", "-o", obj.toString(), asm.toString()).exit());
            assertEquals(0, ReferenceTool.run(null, null, "objcopy", "-O", "binary", "-j", ".text",
                    obj.toString(), bin.toString()).exit());
            List<String> dtbArgs = new ArrayList<>(List.of("-O", "dtb"));
            dtbArgs.addAll(opts);
            dtbArgs.add(src.toString());
            ReferenceTool.Result ref = dtc(dtbArgs);
            assertArrayEquals(ref.stdout(), Files.readAllBytes(bin), opts.toString());
        }
    }
}
