package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import io.dtkit.testsupport.Sources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * {@code dtkit batch}: line splitting, per-line isolation of exit status and messages in input
 * order, captured standard output, and corpus boards compiled in parallel against dtc's DTBs.
 */
class BatchCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }
    }

    private static Run batch(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(new ByteArrayInputStream(stdin), out);
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        List<String> full = new ArrayList<>(List.of("batch"));
        full.addAll(List.of(args));
        int exit = cl.execute(full.toArray(String[]::new));
        return new Run(exit, out.toByteArray(), err.toString());
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("dtc -q -O dtb in.dts", List.of("dtc", "-q", "-O", "dtb", "in.dts")),
                Arguments.of("  dtc\t-o  'a b.dtb'  x ", List.of("dtc", "-o", "a b.dtb", "x")),
                Arguments.of("a\"b c\"d", List.of("ab cd")),
                Arguments.of("\"x \\\" \\\\ \\n\"", List.of("x \" \\ \\n")),
                Arguments.of("'it''s' ''", List.of("its", "")),
                Arguments.of("a\\ b c", List.of("a b", "c")),
                Arguments.of("dtc in.dts # a comment", List.of("dtc", "in.dts")),
                Arguments.of("dtc a#b", List.of("dtc", "a#b")),
                Arguments.of("# whole line", List.of()),
                Arguments.of("   ", List.of()),
                Arguments.of("dtc x\r", List.of("dtc", "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void splitsLikeAShell(String line, List<String> expected) {
        assertEquals(expected, BatchCommand.split(line), line);
    }

    @Test
    void refusesUnterminatedQuotes() {
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.split("dtc 'a"));
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.split("dtc \"a\\\""));
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.split("dtc a\\"));
    }

    private static final String GOOD = "/dts-v1/;\n/ {\n\tmodel = \"good\";\n\tn: node { x = <1 2>; };\n};\n";
    private static final String WARNS = "/dts-v1/;\n/ {\n\tnode@1 { };\n};\n";
    private static final String BROKEN = "/dts-v1/;\n/ {\n\tx = <1\n};\n";

    @Test
    void keepsEachCommandApartInInputOrder() throws IOException {
        ReferenceTool.require("dtc");
        Files.writeString(tmp.resolve("good.dts"), GOOD);
        Files.writeString(tmp.resolve("warns.dts"), WARNS);
        Files.writeString(tmp.resolve("broken.dts"), BROKEN);
        String t = tmp.toString();
        String script = String.join("\n",
                "# compile three files",
                "dtc -q -O dtb -o " + t + "/good.dtb " + t + "/good.dts",
                "",
                "dtc -O dtb -o " + t + "/warns.dtb " + t + "/warns.dts",
                "dtkit dtc -O dtb -o " + t + "/broken.dtb " + t + "/broken.dts",
                "dtc -I dts -O dts '" + t + "/good.dts'",
                "dtc 'unterminated",
                "nosuchcommand",
                "");
        Path file = tmp.resolve("cmds.txt");
        Files.writeString(file, script);
        Run r = batch(new byte[0], "-j", "2", file.toString());

        assertEquals(1, r.exit(), r.err());
        ReferenceTool.Result good = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", "ref-good.dtb", "good.dts");
        assertEquals(0, good.exit());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("ref-good.dtb")), Files.readAllBytes(tmp.resolve("good.dtb")));
        assertTrue(Files.exists(tmp.resolve("warns.dtb")), "a warning does not stop the output");
        assertTrue(Files.notExists(tmp.resolve("broken.dtb")), "a failed compile writes nothing");

        ReferenceTool.Result dts = ReferenceTool.run(tmp, null, "dtc", "-I", "dts", "-O", "dts", "good.dts");
        assertEquals(dts.out(), r.outText(), "line 6's standard output is passed through unchanged");

        List<String> lines = r.err().lines().toList();
        ReferenceTool.Result warn = ReferenceTool.run(tmp, null, "dtc", "-O", "dtb", "-o", "/dev/null", "warns.dts");
        List<String> expected = new ArrayList<>();
        for (String w : warn.stderr().lines().toList()) {
            expected.add("4: " + w.replace("warns.dts", t + "/warns.dts"));
        }
        assertEquals(expected, lines.stream().filter(l -> l.startsWith("4: ")).toList());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("5: ") && l.contains("syntax error")), r.err());
        assertTrue(lines.contains("5: exit status 1"), r.err());
        assertTrue(lines.contains("7: unterminated ' quote"), r.err());
        assertTrue(lines.contains("7: exit status 2"), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("8: ") && l.contains("nosuchcommand")), r.err());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("2: ") || l.startsWith("6: ")), r.err());
        assertEquals("batch: 3 of 6 commands failed (lines 5, 7, 8)", lines.get(lines.size() - 1));
        // messages come in input order
        List<Integer> order = lines.subList(0, lines.size() - 1).stream()
                .map(l -> Integer.parseInt(l.substring(0, l.indexOf(':')))).toList();
        assertEquals(order.stream().sorted().toList(), order, r.err());
    }

    @Test
    void readsCommandsFromStandardInputAndCapturesBinaryOutput() throws IOException {
        ReferenceTool.require("dtc");
        Files.writeString(tmp.resolve("good.dts"), GOOD);
        String cmds = "dtc -q -O dtb " + tmp.resolve("good.dts") + "\n";
        Run r = batch(cmds.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "good.dts");
        assertArrayEquals(ref.stdout(), r.out(), "the DTB written to standard output is captured byte for byte");
    }

    /** Runs the lines as one batch file on a single worker thread, so every line reuses its command line. */
    private Run oneWorker(String... lines) throws IOException {
        Path file = tmp.resolve("cmds.txt");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return batch(new byte[0], "-j", "1", file.toString());
    }

    /**
     * One worker runs dtc three times: options of an earlier line (-o, -O, -q, -W, -I) must not
     * leak into a later one.
     */
    @Test
    void aKeptCommandLineStartsEachLineFromTheDefaults() throws IOException {
        Files.writeString(tmp.resolve("good.dts"), GOOD);
        Files.writeString(tmp.resolve("warns.dts"), WARNS);
        String t = tmp.toString();
        Run r = oneWorker(
                "dtc -q -W no-unit_address_vs_reg -I dts -O dtb -o " + t + "/first.dtb " + t + "/warns.dts",
                "dtc " + t + "/warns.dts",
                "dtc -I dts -O dts " + t + "/good.dts");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(tmp.resolve("first.dtb")));
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("1: ")), "line 1 is quiet: " + r.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("2: ") && l.contains("Warning")),
                "line 2 is not quiet any more: " + r.err());
        String out = r.outText();
        // dtc's default for a source input is a blob on standard output, not line 1's -O/-o
        byte[] magic = {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed};
        assertArrayEquals(magic, java.util.Arrays.copyOf(r.out(), 4), "line 2 writes a DTB to standard output: " + out);
        assertEquals(1, out.split("/dts-v1/;", -1).length - 1, "line 3 writes DTS after it: " + out);
        assertTrue(out.endsWith("};\n"), out);
    }

    /** get and put lines on one worker: -p/-l/-c/-d/-t of a line must not reach the next. */
    @Test
    void keptGetAndPutForgetTheModeOfTheLineBefore() throws IOException {
        Files.writeString(tmp.resolve("good.dts"), GOOD);
        String t = tmp.toString();
        Run compiled = batch(("dtc -q -O dtb -o " + t + "/a.dtb " + t + "/good.dts\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, compiled.exit(), compiled.err());
        Run r = oneWorker(
                "get -p " + t + "/a.dtb /",
                "get " + t + "/a.dtb / model",
                "put -c " + t + "/a.dtb /made",
                "put -t s " + t + "/a.dtb / model changed",
                "get -t x " + t + "/a.dtb /node x",
                "get " + t + "/a.dtb / model");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("model", "good", "1 2", "changed"), r.outText().lines().toList(), r.err());
    }

    @Test
    void refusesNestedBatchAndReportsAMissingFile() {
        Run nested = batch("batch x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, nested.exit());
        assertTrue(nested.err().contains("1: batch cannot run inside batch"), nested.err());
        Run missing = batch(new byte[0], tmp.resolve("none.txt").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("No such file or directory"), missing.err());
    }

    /**
     * A batch line's compile parses on the worker thread itself, so the worker needs the
     * parser's stack: 50,000 nested nodes (which overflow a 16 MiB stack) compile there as
     * they do alone.
     */
    @Test
    void deepNestingCompilesOnAWorker() throws IOException {
        int depth = 50000;
        Path src = tmp.resolve("deep.dts");
        Files.writeString(src, Sources.nested(depth));
        Path out = tmp.resolve("deep.dtb");
        Run r = batch(("dtc -q -O dtb -o " + out + " " + src + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.exit(), r.err());
        io.dtkit.model.DeviceTree t = io.dtkit.fdt.DtbReader.read(Files.readAllBytes(out));
        int levels = 0;
        for (io.dtkit.model.Node n = t.root(); !n.children().isEmpty(); n = n.children().get(0)) {
            levels++;
        }
        assertEquals(depth, levels);
    }

    /** Twenty corpus boards compiled two at a time give dtc's DTBs byte for byte. */
    @Test
    void compilesCorpusBoardsInParallel() throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        List<String> rows = Files.readAllLines(corpus.resolve("manifest.tsv"));
        StringBuilder cmds = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            if (!f[4].equals("0") || names.size() >= 20) {
                continue;
            }
            names.add(f[0]);
            cmds.append("dtc -q -O dtb -b 0 -i '").append(corpus.resolve(f[3])).append("' -o '")
                    .append(tmp.resolve(f[0] + ".dtb")).append("' '")
                    .append(corpus.resolve("expected/" + f[0] + ".pp.dts")).append("'\n");
        }
        Run r = batch(cmds.toString().getBytes(StandardCharsets.UTF_8), "-j", "2");
        assertEquals(0, r.exit(), r.err());
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(corpus.resolve("expected/" + n + ".dtb")),
                    Files.readAllBytes(tmp.resolve(n + ".dtb")), n);
        }
    }
}
