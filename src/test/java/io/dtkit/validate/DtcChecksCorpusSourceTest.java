package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.CompileResult;
import io.dtkit.dts.DtsCompiler;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 150 preprocessed kernel board sources of the shared corpus, compiled by DtsCompiler and
 * checked by us, against dtc 1.6.1 compiling the same file: identical messages, positions
 * included (they come from cpp's line markers).
 */
class DtcChecksCorpusSourceTest {
    static Stream<String[]> boards() throws IOException {
        Path manifest = Shared.resolve("corpus/linux-arm64/manifest.tsv");
        return Files.readAllLines(manifest).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split("\t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void corpusSourceMatchesDtc(String board, String source, String cppDirs, String dtcDir,
                                String exit) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        String file = "expected/" + board + ".pp.dts";
        Path out = Files.createTempFile("dtkit-checks", ".dtb");
        try {
            ReferenceTool.Result ref = ReferenceTool.run(corpus, null, "dtc", "-O", "dtb", "-b", "0",
                    "-i", dtcDir, "-o", out.toString(), file);
            List<String> expected = ref.stderr().isEmpty() ? List.of()
                    : Arrays.asList(ref.stderr().split("\n"));
            CompileResult compiled;
            try {
                compiled = DtsCompiler.compile(Files.readString(corpus.resolve(file)), file,
                        CompileOptions.defaults().withIncludeDirs(List.of(corpus.resolve(dtcDir)))
                                .withBootCpuid(0L));
            } catch (SourceException e) {
                // the compiler's own failure is its tests' business; nothing to check here
                Assumptions.assumeTrue(false, board + ": compiler failed: " + e.getMessage());
                return;
            }
            DtcChecks.Result ours = DtcChecks.check(compiled.tree(), DtcChecks.Config.defaults(),
                    out.toString(), List.of());
            // dtc runs inside the corpus folder with a relative -i; the compiler, run from
            // elsewhere, names /include/d files by the absolute directory it was given
            String prefix = corpus.toString() + "/";
            List<String> lines = DtcChecksDifferentialTest.render(ours).stream()
                    .map(l -> l.replace(prefix, "")).toList();
            DtcChecksDifferentialTest.assertSameLines(expected, lines, board);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
