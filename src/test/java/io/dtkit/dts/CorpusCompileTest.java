package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.fdt.DtbWriter;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles the 150 preprocessed Linux arm64 board sources and compares the blob with the one
 * dtc 1.6.1 produced ({@code dtc -O dtb -b 0 -i <dir>}), byte for byte; then again with
 * {@code -@ -H both} against the installed dtc.
 */
class CorpusCompileTest {

    static Stream<Arguments> boards() throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        List<String> rows = Files.readAllLines(corpus.resolve("manifest.tsv"));
        return rows.stream().skip(1).filter(r -> !r.isBlank()).map(r -> r.split("\t"))
                .map(c -> Arguments.of(c[0], c[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void compilesLikeDtc(String name, String includeDir) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        Path src = corpus.resolve("expected/" + name + ".pp.dts");
        CompileOptions opts = CompileOptions.defaults()
                .withIncludeDirs(List.of(corpus.resolve(includeDir)))
                .withBootCpuid(0L);
        CompileResult r;
        try {
            r = DtsCompiler.compile(src, opts);
        } catch (SourceException e) {
            Assertions.fail(name + ": " + e.diagnostics().stream().map(Diagnostic::render)
                    .collect(Collectors.joining("\n")));
            return;
        }
        byte[] expected = Files.readAllBytes(corpus.resolve("expected/" + name + ".dtb"));
        assertArrayEquals(expected, DtbWriter.write(r.tree()), name);
    }

    /** With {@code -@ -H both}: symbols, and phandles allocated for every labelled node. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void symbolsAndBothPhandlesLikeDtc(String name, String includeDir) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        Path src = corpus.resolve("expected/" + name + ".pp.dts");
        ReferenceTool.Result ref = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dtb",
                "-o", "-", "-b", "0", "-@", "-H", "both", "-i", corpus.resolve(includeDir).toString(),
                src.toString());
        assertEquals(0, ref.exit(), name + ": " + ref.stderr());
        CompileOptions opts = CompileOptions.defaults()
                .withIncludeDirs(List.of(corpus.resolve(includeDir)))
                .withBootCpuid(0L).withSymbols(true).withPhandleFormat(PhandleFormat.BOTH);
        assertArrayEquals(ref.stdout(), DtbWriter.write(DtsCompiler.compile(src, opts).tree()), name);
    }
}
