package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.Shared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public entry points beyond plain preprocessing. */
class PreprocessorApiTest {

    /** Text that searches itself, as a source held in bytes does. */
    private record Searchable(String text) implements Latin1Text {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public int indexOf(char c, int from) {
            return text.indexOf(c, from);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * {@link Preprocessor#hasDirectives} on the text, checking that the other kinds of text it
     * reads (any character sequence, text that searches itself) give the same answer.
     */
    private static boolean has(String text) {
        boolean fromString = Preprocessor.hasDirectives(text);
        assertEquals(fromString, Preprocessor.hasDirectives(new StringBuilder(text)), text);
        assertEquals(fromString, Preprocessor.hasDirectives(new Searchable(text)), text);
        return fromString;
    }

    @Test
    void directivesAreRecognised() {
        assertTrue(has("#include \"a.dtsi\"\n/ { };\n"));
        assertTrue(has("/ {\n\t#  define X 1\n};\n"));
        assertTrue(has("/* c */ #ifdef X\n#endif\n"));
        assertTrue(has("#\\\ndefine X 1\n"));
        // spellings the quick pre-scan must hand on to the lexer
        assertTrue(has("/ { };\n#/* c */define X 1\n"));
        assertTrue(has("/ { };\n#inc\\\nlude \"a.dtsi\"\n"));
        assertTrue(has("/ { };\n#\t \tif 1\n#endif\n"));
        assertTrue(has("/ { #address-cells; };\n#\fpragma x\n"));
    }

    @Test
    void textWithoutDirectivesIsRecognised() {
        assertFalse(has("/ {\n\t#address-cells = <1>;\n\t#size-cells = <0>;\n};\n"));
        assertFalse(has("# 1 \"board.dts\"\n# 1 \"soc.dtsi\" 1\n/ { };\n"));
        assertFalse(has("/* #include \"x\" */\n/ { s = \"#define\"; };\n"));
        assertFalse(has("/include/ \"x.dtsi\"\n/ { a = <1>; }; // #if\n"));
        assertFalse(has("/ { x; }; # define\n"));
    }

    @Test
    void corpusOutputsHaveNoDirectivesAndSourcesHave() throws Exception {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        List<String> rows = Files.readAllLines(corpus.resolve("manifest.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            byte[] pp = Files.readAllBytes(corpus.resolve("expected/" + f[0] + ".pp.dts"));
            assertFalse(has(new String(pp, StandardCharsets.ISO_8859_1)), f[0]);
        }
        assertTrue(has(Files.readString(corpus.resolve(rows.get(1).split("\t")[1]), StandardCharsets.ISO_8859_1)));
    }

    @Test
    void definesAndUndefinesApplyInOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.dts"), "A B C __DTS__\n");
        Map<String, String> defs = new java.util.LinkedHashMap<>();
        defs.put("A", null);
        defs.put("B", "two words");
        defs.put("C", "");
        PreprocessResult r = Preprocessor.preprocess(Path.of("d.dts"),
                new PreprocessOptions(List.of(), defs, List.of("C", "__DTS__")).withWorkingDir(dir).withLineMarkers(false));
        assertEquals("1 two words C __DTS__\n", r.text());
        assertEquals(List.of(Path.of("d.dts")), r.filesRead());
    }

    @Test
    void textWithoutAFileMatchesCppReadingStdin(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("inc"));
        Files.writeString(dir.resolve("inc/v.h"), "#define V 0x10\n");
        String text = "#include <v.h>\n/ {\n\tval = <V>; // \u00e9\n};\n";
        io.dtkit.testsupport.ReferenceTool.Result ref = io.dtkit.testsupport.ReferenceTool.run(dir,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "cpp", "-nostdinc", "-undef", "-D__DTS__",
                "-x", "assembler-with-cpp", "-I", "inc", "-");
        assertEquals(0, ref.exit(), ref.stderr());
        PreprocessResult r = Preprocessor.preprocess("<stdin>", text,
                new PreprocessOptions(List.of(Path.of("inc")), Map.of(), List.of()).withWorkingDir(dir));
        assertEquals(ref.out(), r.text());
    }
}
