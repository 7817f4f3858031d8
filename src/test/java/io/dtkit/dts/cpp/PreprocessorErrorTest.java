package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each source in {@code fixtures/cpp/errors} makes cpp fail. dtkit must fail too, with exactly
 * one error whose file, line and text are the ones of cpp's first error.
 */
class PreprocessorErrorTest {
    private static final Path DIR = CppFixtures.DIR.resolve("errors");
    private static final Pattern FIRST_ERROR =
            Pattern.compile("(?m)^(.+?):(\\d+):(?:(\\d+):)? (?:fatal )?error: (.*)$");

    static Stream<String> fixtures() throws Exception {
        return CppFixtures.names(DIR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void oneErrorAtCppsPosition(String name) throws Exception {
        ReferenceTool.Result ref = CppFixtures.cpp(DIR, name, true, List.of());
        assertNotEquals(0, ref.exit(), name + ": cpp accepted it");
        Matcher m = FIRST_ERROR.matcher(ref.stderr());
        assertTrue(m.find(), name + ": no error line in " + ref.stderr());

        SourceException e = assertThrows(SourceException.class,
                () -> Preprocessor.preprocess(Path.of(name), CppFixtures.options(DIR, true, List.of())), name);
        List<Diagnostic> errs = e.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
        assertEquals(1, errs.size(), name + ": " + errs);
        Diagnostic d = errs.get(0);
        assertEquals(m.group(1), d.span().file(), name + ": file");
        assertEquals(Integer.parseInt(m.group(2)), d.span().firstLine(), name + ": line");
        if (m.group(3) != null) {
            assertEquals(Integer.parseInt(m.group(3)), d.span().firstColumn(), name + ": column");
        }
        assertEquals(m.group(4), d.message(), name + ": message");
    }
}
