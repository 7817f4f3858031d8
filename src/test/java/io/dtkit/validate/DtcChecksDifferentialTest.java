package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.CompileResult;
import io.dtkit.dts.DtsCompiler;
import io.dtkit.fdt.DtbReader;
import io.dtkit.model.DeviceTree;
import io.dtkit.source.Diagnostic;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import io.dtkit.source.SourceException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the checks with dtc 1.6.1 on blob input: each fixture under fixtures/checks is
 * compiled to a blob by dtc, then dtc re-reads that blob ({@code -I dtb -O dtb -o out.dtb})
 * and its stderr must equal our rendered diagnostics line for line (positions are the
 * output file name, as dtc has none for blobs).
 */
class DtcChecksDifferentialTest {
    static final Path DIR = Path.of("fixtures/checks");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".dts") || n.endsWith(".dtb")).sorted().toList().stream();
        }
    }

    /** The options a fixture asks for: a "// dtc-flags:" first line, or a .flags file. */
    static List<String> flags(Path fixture) throws IOException {
        String name = fixture.getFileName().toString();
        String line = "";
        if (name.endsWith(".dts")) {
            String first = Files.readAllLines(fixture).get(0);
            if (first.startsWith("// dtc-flags:")) {
                line = first.substring("// dtc-flags:".length());
            }
        } else {
            Path f = fixture.resolveSibling(name.replace(".dtb", ".flags"));
            if (Files.exists(f)) {
                line = Files.readString(f);
            }
        }
        line = line.trim();
        return line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
    }

    static byte[] blobOf(Path fixture, Path tmp) throws IOException {
        if (fixture.toString().endsWith(".dtb")) {
            return Files.readAllBytes(fixture);
        }
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-q", "-f", "-I", "dts",
                "-O", "dtb", "-o", "in.dtb", fixture.toAbsolutePath().toString());
        assertEquals(0, r.exit(), fixture + ": dtc could not compile the fixture: " + r.stderr());
        return Files.readAllBytes(tmp.resolve("in.dtb"));
    }

    /** Equal line lists, or a failure naming the first line that differs. */
    static void assertSameLines(List<String> expected, List<String> actual, String name) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                assertEquals(expected.get(i), actual.get(i), name + ": first difference at line "
                        + (i + 1) + " of " + expected.size());
            }
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual), name);
    }

    static List<String> render(DtcChecks.Result result) {
        List<String> lines = new ArrayList<>();
        for (Diagnostic d : result.diagnostics()) {
            // as `dtkit dtc` shows them: text from the tree as its bytes, which is how the
            // reference tool's messages are read
            lines.addAll(Arrays.asList(d.withTreeTextAsBytes().render().split("\n", -1)));
        }
        if (result.hasErrors()) {
            lines.add(DtcChecks.ABORT_MESSAGE);
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void blobInputMatchesDtc(String name, @TempDir Path tmp) throws IOException {
        Path fixture = DIR.resolve(name);
        byte[] blob = blobOf(fixture, tmp);
        Files.write(tmp.resolve("in.dtb"), blob);
        List<String> fl = flags(fixture);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-I", "dtb", "-O", "dtb", "-o", "out.dtb"));
        cmd.addAll(fl);
        cmd.add("in.dtb");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
        List<String> expected = ref.stderr().isEmpty() ? List.of()
                : Arrays.asList(ref.stderr().split("\n"));

        DeviceTree tree = DtbReader.read(blob);
        DtcChecks.Result ours = DtcChecks.check(tree, DtcChecks.Config.fromOptions(fl), "out.dtb",
                List.of());
        assertSameLines(expected, render(ours), name);
        assertEquals(ref.exit() == 2, ours.hasErrors(), name + ": exit status");
        if (name.startsWith("bad-") && !name.contains("-warning")) {
            assertTrue(!ours.diagnostics().isEmpty(), name + ": a bad- fixture must fail a check");
        }
    }

    static Stream<String> sourceFixtures() throws IOException {
        return fixtures().filter(n -> n.endsWith(".dts"));
    }

    /**
     * Source input: dtc compiles the fixture ({@code -o out.dtb}) and prints positions; we
     * compile it with DtsCompiler and check the tree. Fixtures on which the compiler itself
     * stops (an error-level check it runs) are skipped: their output is the compiler's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sourceFixtures")
    void sourceInputMatchesDtc(String name, @TempDir Path tmp) throws IOException {
        Path fixture = DIR.resolve(name);
        List<String> fl = flags(fixture);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-I", "dts", "-O", "dtb", "-o", "out.dtb"));
        cmd.addAll(fl);
        cmd.add(name);
        Files.copy(fixture, tmp.resolve(name));
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
        List<String> expected = ref.stderr().isEmpty() ? List.of()
                : Arrays.asList(ref.stderr().split("\n"));
        CompileResult compiled;
        try {
            compiled = DtsCompiler.compile(Files.readString(fixture), name,
                    CompileOptions.defaults());
        } catch (SourceException e) {
            compiled = null;
        }
        Assumptions.assumeTrue(compiled != null, name + ": the compiler refuses this source");
        DeviceTree tree = compiled.tree();
        if (tree.plugin()) {
            // dtc checks an overlay before it adds these nodes; the compiler returns them added
            tree = tree.withRoot(tree.root().withoutChild("__fixups__")
                    .withoutChild("__local_fixups__"));
        }
        DtcChecks.Result ours = DtcChecks.check(tree, DtcChecks.Config.fromOptions(fl),
                "out.dtb", List.of());
        assertSameLines(expected, render(ours), name);
        assertEquals(ref.exit() == 2, ours.hasErrors(), name + ": exit status");
    }
}
