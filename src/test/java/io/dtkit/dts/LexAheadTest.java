package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.fdt.DtbWriter;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lexing on a second thread ahead of the parser must not change anything the compiler
 * reports: every source compiles to the same tree, the same messages in the same order and
 * the same list of files read, whether the reader runs ahead or is called by the parser.
 */
class LexAheadTest {
    private static final int ALWAYS = 0;
    private static final int NEVER = Integer.MAX_VALUE;

    /** What a compile gives, in comparable form. */
    private static String outcome(Path src, CompileOptions opts, int lexAheadFrom) {
        StringBuilder sb = new StringBuilder();
        try {
            CompileResult r = DtsCompiler.compile(src, opts, lexAheadFrom);
            sb.append("ok\n");
            for (Diagnostic d : r.diagnostics()) {
                sb.append(d.render()).append('\n');
            }
            sb.append("files ").append(r.filesRead()).append('\n');
            sb.append(DtsWriter.write(r.tree(), 0, null));
            sb.append(new String(DtbWriter.write(r.tree()), StandardCharsets.ISO_8859_1));
        } catch (SourceException e) {
            sb.append("failed\n");
            for (Diagnostic d : e.diagnostics()) {
                sb.append(d.render()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void sameBothWays(Path src, CompileOptions opts) {
        String apart = outcome(src, opts, ALWAYS);
        String inline = outcome(src, opts, NEVER);
        assertEquals(inline, apart, src.toString());
    }

    static Stream<String> fixtures() throws IOException {
        return DtsFixtureTest.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixturesCompileTheSameEitherWay(String name) throws IOException {
        Path src = DtsFixtureTest.DIR.resolve(name);
        sameBothWays(src, DtsFixtureTest.options(DtsFixtureTest.dtcArgs(src)));
    }

    /** All 150 boards, with their include directories, in both modes. */
    @Test
    void corpusBoardsCompileTheSameEitherWay() throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        List<String> rows = Files.readAllLines(corpus.resolve("manifest.tsv"));
        int n = 0;
        for (String row : rows.subList(1, rows.size())) {
            if (row.isBlank()) {
                continue;
            }
            String[] c = row.split("\t");
            Path src = corpus.resolve("expected/" + c[0] + ".pp.dts");
            CompileOptions opts = CompileOptions.defaults()
                    .withIncludeDirs(List.of(corpus.resolve(c[3]))).withBootCpuid(0L);
            sameBothWays(src, opts);
            n++;
        }
        assertEquals(150, n);
    }

    private static final String[] DAMAGE = {
        "\"\\q\"", "0x", "08", "'ab'", "''", "/include/ \"nowhere.dtsi\"", "\n# 7 \"x.dts\"\n",
        "/incbin/(\"nowhere.bin\")", "99999999999999999999999", "}", ";", "<", "&", "\"open",
        "/bits/ 7 <1>;", "(1/0)", "#", "\u0001",
    };

    /**
     * Damaged sources: the error may come from the reader far ahead of where the parser is,
     * or from the parser before the reader's error is reached. Long files (many tokens ahead)
     * with one piece of damage at a random place; each must fail or pass identically.
     */
    @Test
    void damagedSourcesFailTheSameEitherWay(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("part.dtsi"), "included { x = <1>; };\n");
        Files.write(dir.resolve("blob.bin"), new byte[] {1, 2, 3});
        StringBuilder base = new StringBuilder("/dts-v1/;\n/ {\n");
        for (int i = 0; i < 3000; i++) {
            base.append("\tl").append(i).append(": n@").append(i).append(" { reg = <").append(i)
                    .append(">; s = \"v").append(i).append("\"; b = [0").append(i % 10).append("]; c = <&l")
                    .append(i / 2).append(" (").append(i).append(" + 1)>; };\n");
            if (i % 1000 == 500) {
                base.append("\tbin").append(i).append(" { b = /incbin/(\"blob.bin\"); };\n");
            }
            if (i == 500) {
                base.append("/include/ \"part.dtsi\"\n");
            }
        }
        base.append("};\n");
        String text = base.toString();
        Random rnd = new Random(7);
        CompileOptions opts = CompileOptions.defaults();
        List<String> differing = new ArrayList<>();
        int failed = 0;
        for (int k = 0; k < 60; k++) {
            int at = rnd.nextInt(text.length());
            String piece = DAMAGE[k % DAMAGE.length];
            Path src = dir.resolve("damaged" + k + ".dts");
            Files.writeString(src, text.substring(0, at) + piece + text.substring(at), StandardCharsets.ISO_8859_1);
            String apart = outcome(src, opts, ALWAYS);
            String inline = outcome(src, opts, NEVER);
            if (!apart.equals(inline)) {
                differing.add(src.getFileName() + " (" + piece.strip() + " at " + at + ")");
            }
            if (inline.startsWith("failed")) {
                failed++;
            }
        }
        assertEquals(List.of(), differing);
        // the damage must actually break most of them, or the comparison says little
        org.junit.jupiter.api.Assertions.assertTrue(failed >= 30, failed + " of 60 failed");
        Path whole = dir.resolve("whole.dts");
        Files.writeString(whole, text);
        String ok = outcome(whole, opts, ALWAYS);
        assertEquals(outcome(whole, opts, NEVER), ok);
        org.junit.jupiter.api.Assertions.assertTrue(ok.contains("files [" + whole + ", "
                + dir.resolve("blob.bin") + ", " + dir.resolve("part.dtsi")), ok.lines().limit(3)
                .collect(Collectors.joining("\n")));
    }

    /** A parse that stops early must not leave the reader's thread waiting forever. */
    @Test
    void earlyStopLeavesNoLexingThread(@TempDir Path dir) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n/ { x = <1> };\n/ {\n");
        for (int i = 0; i < 200_000; i++) {
            sb.append("\tp").append(i).append(" = <").append(i).append(">;\n");
        }
        sb.append("};\n");
        Path src = dir.resolve("early.dts");
        Files.writeString(src, sb);
        for (int i = 0; i < 5; i++) {
            assertEquals("failed\nError: " + src + ":2.13-14 syntax error\n", outcome(src, CompileOptions.defaults(), ALWAYS));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lexingThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, lexingThreads());
    }

    private static long lexingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("dts-lexer")).count();
    }
}
