package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sources from the generators in {@code fixtures/cpp-fuzz} (fixed seeds), preprocessed
 * by cpp and by dtkit: where cpp succeeds the texts must be identical (with markers and with
 * {@code -P}); where cpp reports an error dtkit must too.
 */
class PreprocessorDifferentialTest {
    private static final Path GEN = Path.of("fixtures/cpp-fuzz").toAbsolutePath();

    @Test
    void randomMacroSources(@TempDir Path dir) throws Exception {
        ReferenceTool.Result g = ReferenceTool.run(dir, null, "python3",
                GEN.resolve("gen-macros.py").toString(), "0", "160", dir.toString());
        assertEquals(0, g.exit(), g.stderr());
        compareAll(dir, "f");
    }

    @Test
    void randomIfExpressions(@TempDir Path dir) throws Exception {
        ReferenceTool.Result g = ReferenceTool.run(dir, null, "python3",
                GEN.resolve("gen-if.py").toString(), "7", "25", dir.toString());
        assertEquals(0, g.exit(), g.stderr());
        compareAll(dir, "e");
    }

    @Test
    void randomLineStructure(@TempDir Path dir) throws Exception {
        ReferenceTool.Result g = ReferenceTool.run(dir, null, "python3",
                GEN.resolve("gen-lines.py").toString(), "0", "120", dir.toString());
        assertEquals(0, g.exit(), g.stderr());
        compareAll(dir, "l");
    }

    private static void compareAll(Path dir, String prefix) throws Exception {
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".S"))
                    .sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (String n : names) {
            for (boolean markers : new boolean[] {true, false}) {
                ReferenceTool.Result ref = CppFixtures.cpp(dir, n, markers, List.of());
                PreprocessOptions o = CppFixtures.options(dir, markers, List.of());
                if (ref.exit() != 0) {
                    try {
                        Preprocessor.preprocess(Path.of(n), o);
                        failures.add(n + ": cpp failed but dtkit accepted it");
                    } catch (SourceException expected) {
                        // both reject it
                    }
                    break;
                }
                compared++;
                String mine = Preprocessor.preprocess(Path.of(n), o).text();
                if (!ref.out().equals(mine)) {
                    failures.add(n + (markers ? "" : " -P") + ":\n--- cpp\n" + ref.out() + "--- dtkit\n" + mine);
                }
            }
        }
        assertEquals(List.of(), failures, "compared " + compared + " outputs");
    }
}
