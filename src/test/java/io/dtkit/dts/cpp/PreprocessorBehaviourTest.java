package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dependency lists, warnings, and inputs built to provoke hangs or deep recursion. */
class PreprocessorBehaviourTest {
    private static final Pattern WARNING =
            Pattern.compile("(?m)^(.+?):(\\d+):(\\d+): warning: (.*?)(?: \\[-W[^\\]]+\\])?$");

    static Stream<String> fixtures() throws Exception {
        return CppFixtures.names(CppFixtures.DIR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void filesReadAreCppsDependencies(String name) throws Exception {
        List<String> extra = CppFixtures.extraArgs(CppFixtures.DIR.resolve(name));
        List<String> args = new ArrayList<>(List.of("-M", "-MT", "x"));
        args.addAll(extra);
        ReferenceTool.Result ref = CppFixtures.cpp(CppFixtures.DIR, name, true, args);
        assertEquals(0, ref.exit(), ref.stderr());
        String rule = ref.out().replace("\\\n", " ");
        LinkedHashSet<String> expected = new LinkedHashSet<>();
        for (String w : rule.substring(rule.indexOf(':') + 1).trim().split("\\s+")) {
            expected.add(w);
        }
        PreprocessResult r = Preprocessor.preprocess(Path.of(name), CppFixtures.options(CppFixtures.DIR, true, extra));
        List<String> mine = r.filesRead().stream().map(Path::toString).toList();
        assertEquals(new ArrayList<>(expected), mine, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void warningsAreCppsWarnings(String name) throws Exception {
        List<String> extra = CppFixtures.extraArgs(CppFixtures.DIR.resolve(name));
        ReferenceTool.Result ref = CppFixtures.cpp(CppFixtures.DIR, name, true, extra);
        List<String> expected = new ArrayList<>();
        Matcher m = WARNING.matcher(ref.stderr());
        while (m.find()) {
            expected.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3) + ": " + m.group(4));
        }
        PreprocessResult r = Preprocessor.preprocess(Path.of(name), CppFixtures.options(CppFixtures.DIR, true, extra));
        List<String> mine = new ArrayList<>();
        for (Diagnostic d : r.warnings()) {
            mine.add(d.span().file() + ":" + d.span().firstLine() + ":" + d.span().firstColumn() + ": " + d.message());
        }
        assertEquals(expected, mine, name);
    }

    private static PreprocessResult run(Path dir, String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
        return Preprocessor.preprocess(Path.of(name),
                new PreprocessOptions(List.of(), Map.of(), List.of()).withWorkingDir(dir).withLineMarkers(false));
    }

    @Test
    void deeplyNestedParenthesesInIf(@TempDir Path dir) throws Exception {
        int n = 200_000;
        String text = "#if " + "(".repeat(n) + "1" + ")".repeat(n) + "\nyes\n#endif\n";
        assertEquals("yes\n", run(dir, "parens.dts", text).text());
    }

    @Test
    void longChainOfObjectLikeMacros(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("#define M0 end\n");
        int n = 50_000;
        for (int i = 1; i <= n; i++) {
            sb.append("#define M").append(i).append(" M").append(i - 1).append('\n');
        }
        sb.append("M").append(n).append('\n');
        assertEquals("end\n", run(dir, "chain.dts", sb.toString()).text());
    }

    @Test
    void deeplyNestedMacroCallsAreAClearError(@TempDir Path dir) throws Exception {
        int n = 5_000;
        String text = "#define F(x) x\n" + "F(".repeat(n) + "1" + ")".repeat(n) + "\n";
        SourceException e = assertThrows(SourceException.class, () -> run(dir, "nested.dts", text));
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Test
    void moderatelyNestedMacroCallsWork(@TempDir Path dir) throws Exception {
        int n = 150;
        String text = "#define F(x) x\n" + "F(".repeat(n) + "1" + ")".repeat(n) + "\n";
        assertEquals("1\n", run(dir, "nested.dts", text).text());
    }

    @Test
    void includeDepthLimitIsConfigurable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("self.dtsi"), "#include \"self.dtsi\"\n");
        SourceException e = assertThrows(SourceException.class, () -> Preprocessor.preprocess(Path.of("self.dtsi"),
                PreprocessOptions.defaults().withWorkingDir(dir).withMaxIncludeDepth(5)));
        assertEquals(1, e.diagnostics().size());
        assertTrue(e.getMessage().contains("nested depth 5 exceeds maximum of 5"), e.getMessage());
    }

    @Test
    void manyIncludesOfAGuardedHeaderStayFast(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("g.h"), "#ifndef G\n#define G\n#define V 1\n#endif\n");
        String text = "#include \"g.h\"\n".repeat(20_000) + "V\n";
        assertTrue(run(dir, "many.dts", text).text().endsWith("1\n"));
    }

    @Test
    void missingMainFileIsAnError(@TempDir Path dir) {
        SourceException e = assertThrows(SourceException.class, () -> Preprocessor.preprocess(Path.of("none.dts"),
                PreprocessOptions.defaults().withWorkingDir(dir)));
        assertTrue(e.getMessage().contains("none.dts"), e.getMessage());
    }

    @Test
    void utf8TextSurvives(@TempDir Path dir) throws Exception {
        String text = "/* \u00e9 */ model = \"Gr\u00fc\u00dfe \u2713\";\n";
        PreprocessResult r = run(dir, "u.dts", text);
        ReferenceTool.Result ref = CppFixtures.cpp(dir, "u.dts", false, List.of());
        assertEquals(ref.out(), r.text());
        assertTrue(r.text().contains("\"Gr\u00fc\u00dfe \u2713\""), r.text());
    }
}
