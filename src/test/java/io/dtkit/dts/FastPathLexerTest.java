package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.dts.grammar.DtsLexer;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/**
 * The fast path of {@link FastPathLexer} must lex exactly as the generated lexer: the same
 * tokens (type, channel, extent, line, column) and the same mode after each, from every start
 * mode, on every source the project has and on random text built from the lexemes where the
 * rules compete (labels against names and bytes, suffixes, escapes, markers, odd characters).
 */
class FastPathLexerTest {
    private static final int[] MODES = {Lexer.DEFAULT_MODE, DtsLexer.NAMES, DtsLexer.BYTES};

    /** The tokens of {@code text} as lexed from {@code mode}, one line per token. */
    private static List<String> lex(Lexer lx, int mode) {
        lx.removeErrorListeners();
        lx.mode(mode);
        List<String> out = new ArrayList<>();
        for (int guard = 0; guard < 10_000_000; guard++) {
            Token t = lx.nextToken();
            out.add(t.getType() + " ch" + t.getChannel() + " " + t.getStartIndex() + ".." + t.getStopIndex()
                    + " @" + t.getLine() + ":" + t.getCharPositionInLine() + " mode" + lx._mode);
            if (t.getType() == Token.EOF) {
                return out;
            }
        }
        throw new AssertionError("lexer did not reach end of input");
    }

    private static void same(byte[] source, String what) {
        for (int mode : MODES) {
            // the generated lexer reads through the runtime's own stream, the fast one through ours
            CharStream a = CharStreams.fromString(new String(source, StandardCharsets.ISO_8859_1), what);
            ByteSource b = SourceReader.fromBytes(source, what);
            List<String> expected = lex(new DtsLexer(a), mode);
            FastPathLexer every = new FastPathLexer(b);
            every.everyWhiteSpaceToken = true;
            sameLines(expected, lex(every, mode), what + " from mode " + mode, source);
            // as compiles run it: white space before a fast-path lexeme is stepped over, every
            // other token is the same
            List<String> stepped = lex(new FastPathLexer(SourceReader.fromBytes(source, what)), mode);
            String ws = DtsLexer.WS + " ";
            sameLines(expected.stream().filter(l -> !l.startsWith(ws)).toList(),
                    stepped.stream().filter(l -> !l.startsWith(ws)).toList(),
                    what + " from mode " + mode + " (white space stepped over)", source);
        }
    }

    private static void sameLines(List<String> expected, List<String> actual, String what, byte[] source) {
        if (!expected.equals(actual)) {
            int i = 0;
            while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
                i++;
            }
            assertEquals(i < expected.size() ? expected.get(i) : "(end)",
                    i < actual.size() ? actual.get(i) : "(end)",
                    what + ", token " + i + " of: " + new String(source, StandardCharsets.ISO_8859_1));
        }
    }

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".dts") || p.toString().endsWith(".dtsi"))
                    .sorted().toList();
        }
    }

    @Test
    void fixturesLexAlike() throws IOException {
        List<Path> files = sources(Path.of("fixtures"));
        assertTrue(files.size() > 300, "fixtures found: " + files.size());
        for (Path p : files) {
            same(Files.readAllBytes(p), p.toString());
        }
    }

    @Test
    void corpusLexesAlike() throws IOException {
        // the kernel's raw sources and includes, and the boards as cpp and dtc wrote them
        List<Path> files = sources(Shared.resolve("corpus"));
        assertTrue(files.size() >= 600, "corpus sources found: " + files.size());
        for (Path p : files) {
            same(Files.readAllBytes(p), p.toString());
        }
    }

    /** Pieces whose neighbours decide how they lex. */
    private static final String[] PIECES = {
        " ", "\t", "\n", "\r", "\f", "\u000B", "a", "z", "Z", "_", "ab", "cd", "0", "1", "9", "07", "0x", "0X",
        "0x1f", "fF", "U", "L", "UL", "LL", "ULL", "LU", "x", ":", ";", "{", "}", "[", "]", "(", ")", "<", ">",
        "<<", ">>", "<=", ">=", "=", "==", "!", "!=", "&", "&&", "&l", "&{/", "&{/a}", "|", "||", ",", ".", "+",
        "-", "*", "%", "^", "~", "?", "@", "#", "# ", "#line", "#l", "# 1 \"f\"", "\"", "\"s\"", "\\", "\\\"",
        "\\\n", "'", "'a'", "/", "//", "/*", "*/", "/dts-v1/", "/delete-node/", "/bits/", "/include/", "$",
        "\u00e9", "\u00ff", "\u0000", "label:", "node@1", "#address-cells", "dev0:", "compatible",
    };

    @Test
    void randomTextLexesAlike() {
        Random rnd = new Random(20261206L);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(24);
            for (int k = 0; k < n; k++) {
                sb.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            same(sb.toString().getBytes(StandardCharsets.ISO_8859_1), "random " + i);
        }
    }

    @Test
    void randomBytesLexAlike() {
        Random rnd = new Random(6L);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                // mostly printable ASCII, with some control and high bytes
                int r = rnd.nextInt(100);
                b[k] = (byte) (r < 85 ? 0x20 + rnd.nextInt(0x5f) : r < 95 ? rnd.nextInt(0x20) : 0x80 + rnd.nextInt(0x80));
            }
            same(b, "bytes " + i);
        }
    }
}
