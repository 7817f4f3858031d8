package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.dts.cpp.Preprocessor;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.misc.Interval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources are read through {@link ByteSource}, from an array or, for large files, in place from a
 * mapped file: either must read as the runtime's own character stream does, and compile alike.
 */
class ByteSourceTest {
    @TempDir
    Path tmp;

    private static ByteBuffer direct(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(b).flip();
        return d;
    }

    @Test
    void indexOfFindsWhatStringIndexOfFinds() {
        // a mapped source is searched a 64 KiB window at a time: hits on both sides of window
        // ends, searches that start inside a window or just before the end, and misses
        Random rnd = new Random(11);
        byte[] b = new byte[(1 << 18) + 123];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + rnd.nextInt(26));
        }
        for (int at : new int[] {0, 1, 65535, 65536, 65537, 131071, 200000, b.length - 1}) {
            b[at] = '#';
        }
        b[70000] = (byte) 0xe9;
        String ref = new String(b, StandardCharsets.ISO_8859_1);
        for (ByteSource ours : List.of(SourceReader.fromBytes(b, "x.dts"), SourceReader.fromBuffer(direct(b), "x.dts"))) {
            for (char c : new char[] {'#', (char) 0xe9, '!', (char) 0x123}) {
                for (int from : new int[] {-5, 0, 1, 2, 65535, 65536, 65538, 131000, 199999, 200001, b.length - 1,
                        b.length, b.length + 3}) {
                    assertEquals(ref.indexOf(c, from), ours.indexOf(c, from), "'" + c + "' from " + from);
                }
            }
            // a search after reading far away, with the window elsewhere
            ours.at(250000);
            assertEquals(ref.indexOf('#', 2), ours.indexOf('#', 2));
        }
    }

    @Test
    void readsAsTheHeapStreamDoes() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] b = new byte[rnd.nextInt(30)];
            rnd.nextBytes(b);
            // the runtime's own stream over the same characters is the reference
            CharStream ref = CharStreams.fromString(new String(b, StandardCharsets.ISO_8859_1), "x.dts");
            for (CharStream ours : List.of(SourceReader.fromBytes(b, "x.dts"), SourceReader.fromBuffer(direct(b), "x.dts"),
                    SourceReader.fromBuffer(ByteBuffer.wrap(b), "x.dts"))) {
                assertEquals(ref.size(), ours.size());
                assertEquals(ref.getSourceName(), ours.getSourceName());
                for (int pos = 0; pos <= b.length; pos++) {
                    ref.seek(pos);
                    ours.seek(pos);
                    assertEquals(ref.index(), ours.index());
                    for (int i = -3; i <= 3; i++) {
                        assertEquals(ref.LA(i), ours.LA(i), "LA(" + i + ") at " + pos);
                    }
                    for (int end = pos; end < b.length; end++) {
                        assertEquals(ref.getText(Interval.of(pos, end)), ours.getText(Interval.of(pos, end)));
                    }
                    if (pos < b.length) {
                        ref.consume();
                        ours.consume();
                        assertEquals(ref.index(), ours.index());
                    }
                }
                ours.seek(b.length);
                assertThrows(IllegalStateException.class, ours::consume);
            }
        }
    }

    /** A mapped source is read through a window: any order of reads must see the right bytes. */
    @Test
    void readsAnywhereInALargeBuffer() {
        Random rnd = new Random(11);
        byte[] b = new byte[300_000];
        rnd.nextBytes(b);
        ByteSource s = SourceReader.fromBuffer(direct(b), "big.dts");
        for (int k = 0; k < 100_000; k++) {
            // mostly forward steps, as a lexer reads; sometimes a jump anywhere, or past either end
            int i = k % 7 == 0 ? rnd.nextInt(b.length + 20) - 10 : (k * 37) % b.length;
            int expected = i < 0 || i >= b.length ? -1 : b[i] & 0xff;
            assertEquals(expected, s.at(i), "at " + i);
        }
        for (int i = 0; i < b.length; i++) {
            assertEquals(b[i] & 0xff, s.at(i));
        }
        for (int i = b.length - 1; i >= 0; i -= 3) {
            assertEquals(b[i] & 0xff, s.at(i));
        }
    }

    @Test
    void directivesAreFoundInABufferAsInBytes() {
        for (String text : List.of("/ { };\n", "#include \"a.h\"\n/ { };\n", "/ { #address-cells = <1>; };\n",
                "# 1 \"x.dts\"\n/ { };\n", "/ {\n#define X 1\n};\n")) {
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            boolean expected = Preprocessor.hasDirectives(text);
            assertEquals(expected, Preprocessor.hasDirectives(SourceReader.fromBytes(b, "x.dts")), text);
            assertEquals(expected, Preprocessor.hasDirectives(SourceReader.fromBuffer(direct(b), "x.dts")), text);
            // the same text far into a large buffer, past the search window's first fill
            byte[] padded = new byte[200_000 + b.length];
            java.util.Arrays.fill(padded, 0, 200_000, (byte) ' ');
            for (int i = 1000; i < 200_000; i += 1000) {
                // a property-like "#x" on a line of its own: not a directive
                padded[i - 1] = '\n';
                padded[i] = '#';
                padded[i + 1] = 'x';
            }
            padded[200_000 - 1] = '\n';
            System.arraycopy(b, 0, padded, 200_000, b.length);
            assertEquals(expected, Preprocessor.hasDirectives(SourceReader.fromBuffer(direct(padded), "x.dts")), text);
            assertEquals(expected, Preprocessor.hasDirectives(SourceReader.fromBytes(padded, "x.dts")), text);
        }
    }

    /** A source over the mapping threshold, built so that every lexeme kind of the fast path occurs. */
    private static String bigSource() {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n");
        for (int i = 0; sb.length() < (5 << 20); i++) {
            sb.append("\tn").append(i).append(": node@").append(Integer.toHexString(i)).append(" {\n")
                    .append("\t\tcompatible = \"v,n").append(i).append("\", \"generic\";\n")
                    .append("\t\treg = <0x").append(Integer.toHexString(i * 16)).append(" 0x10>;\n")
                    .append("\t\tvals = /bits/ 16 <").append(i % 65536).append(" (1 + 2) 0x7fffU>;\n")
                    .append("\t\tbytes = [0a 0b ").append(String.format("%02x", i % 256)).append("];\n")
                    .append("\t\t/* a comment */ ref = <&n").append(i / 2).append(">;\n")
                    .append("\t};\n");
        }
        return sb.append("};\n").toString();
    }

    @Test
    void aLargeFileCompilesAsItsText() throws Exception {
        String text = bigSource();
        Path f = tmp.resolve("big.dts");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        assertTrue(Files.size(f) > (4 << 20));
        assertFalse(SourceReader.load(f).hasArray(), "a large file is mapped");
        byte[] expected = DtbWriter.write(DtsCompiler.compile(text, f.toString(), CompileOptions.defaults()).tree());
        byte[] viaPath = DtbWriter.write(DtsCompiler.compile(f, CompileOptions.defaults()).tree());
        byte[] viaFiles = DtbWriter.write(SourceFiles.compile(f, CompileOptions.defaults(), Map.of(), List.of()).tree());
        assertArrayEquals(expected, viaPath);
        assertArrayEquals(expected, viaFiles);
    }

    @Test
    void aLargeFileReportsErrorsWhereItsTextDoes() throws Exception {
        String text = bigSource().replace("};\n", "}\n");
        Path f = tmp.resolve("bad.dts");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        SourceException fromText = assertThrows(SourceException.class,
                () -> DtsCompiler.compile(text, f.toString(), CompileOptions.defaults()));
        SourceException fromFile = assertThrows(SourceException.class,
                () -> DtsCompiler.compile(f, CompileOptions.defaults()));
        assertEquals(fromText.diagnostics().stream().map(Diagnostic::render).toList(),
                fromFile.diagnostics().stream().map(Diagnostic::render).toList());
    }

    /**
     * A large source with directives: its compile, which starts beside the directive scan, is
     * dropped for the preprocessed one, as for the same text held in memory.
     */
    @Test
    void aLargeRawFileIsPreprocessedAsItsTextIs() throws Exception {
        Files.writeString(tmp.resolve("cells.h"), "#define CELLS(a) <a 0x10>\n");
        String body = bigSource();
        String text = "#include \"cells.h\"\n#define ANSWER 42\n"
                + body.replaceFirst("\t#size-cells = <1>;\n",
                        "\t#size-cells = <1>;\n\tanswer = <ANSWER>;\n\tmade = CELLS(3);\n");
        Path f = tmp.resolve("raw.dts");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        assertFalse(SourceReader.load(f).hasArray(), "a large file is mapped");
        CompileOptions opts = CompileOptions.defaults().withIncludeDirs(List.of(tmp));
        var fromFile = SourceFiles.compile(f, opts, Map.of(), List.of());
        var fromText = SourceFiles.compile(text, f.toString(), opts, Map.of(), List.of());
        assertArrayEquals(DtbWriter.write(fromText.tree()), DtbWriter.write(fromFile.tree()));
        assertEquals(42, fromFile.tree().root().property("answer").value().cellAt(0));
    }

    /** A large source written to {@code f} and mapped, then cut to 100 bytes under the mapping. */
    private static ByteBuffer mappedThenCut(Path f) throws Exception {
        Files.writeString(f, bigSource(), StandardCharsets.ISO_8859_1);
        ByteBuffer mapped = SourceReader.load(f);
        assertFalse(mapped.hasArray());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        return mapped;
    }

    /** A mapped file cut short while it is read gives an error, not a crash or a stack trace. */
    @Test
    void aFileThatShrinksWhileMappedIsReported() throws Exception {
        Path f = tmp.resolve("shrinks.dts");
        ByteBuffer mapped = mappedThenCut(f);
        SourceException e = assertThrows(SourceException.class,
                () -> DtsCompiler.compile(mapped, f, CompileOptions.defaults()));
        assertEquals(List.of("Couldn't read \"" + f + "\": the file shrank while it was read"),
                e.diagnostics().stream().map(Diagnostic::message).toList());
    }

    /** The same for the directive pre-scan, which reads the whole mapped file before the compile. */
    @Test
    void aFileThatShrinksBeforeThePreScanIsReported() throws Exception {
        Path f = tmp.resolve("shrinks-early.dts");
        ByteBuffer mapped = mappedThenCut(f);
        SourceException e = assertThrows(SourceException.class, () -> new SourceFiles.DirectiveScan(mapped, f).found());
        assertEquals(List.of("Couldn't read \"" + f + "\": the file shrank while it was read"),
                e.diagnostics().stream().map(Diagnostic::message).toList());
    }

    @Test
    void aSmallFileIsReadIntoTheHeap() throws Exception {
        Path f = tmp.resolve("small.dts");
        Files.writeString(f, "/dts-v1/;\n/ { };\n");
        assertTrue(SourceReader.load(f).hasArray());
    }
}
