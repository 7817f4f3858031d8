package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture in {@code fixtures/cpp} is preprocessed by the installed cpp (the kernel's
 * command line) and by dtkit; the texts must be identical, both with line markers and with
 * {@code -P}. No normalisation is applied.
 */
class PreprocessorFixtureTest {

    static Stream<String> fixtures() throws Exception {
        return CppFixtures.names(CppFixtures.DIR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sameTextAsCppWithLineMarkers(String name) throws Exception {
        compare(name, true);
    }

    @ParameterizedTest(name = "{0} -P")
    @MethodSource("fixtures")
    void sameTextAsCppWithoutLineMarkers(String name) throws Exception {
        compare(name, false);
    }

    private static void compare(String name, boolean markers) throws Exception {
        List<String> extra = CppFixtures.extraArgs(CppFixtures.DIR.resolve(name));
        ReferenceTool.Result ref = CppFixtures.cpp(CppFixtures.DIR, name, markers, extra);
        assertEquals(0, ref.exit(), name + ": cpp failed: " + ref.stderr());
        PreprocessResult mine = Preprocessor.preprocess(Path.of(name),
                CppFixtures.options(CppFixtures.DIR, markers, extra));
        assertEquals(ref.out(), mine.text(), name);
    }
}
