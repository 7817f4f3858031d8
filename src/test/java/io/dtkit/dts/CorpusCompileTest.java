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
 * {@code -@ -H both} against the installed dtc; and checks that DTS -> DTB -> DTS -> DTB is
 * stable, both through dtc's decompiled text and through the typed text of the compiled tree.
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

    /**
     * DTS -> DTB -> DTS -> DTB. dtc's decompiled text does not always give back the same blob
     * (it prints "\0" before a digit, which reads back as an octal escape), so the first
     * recompilation must equal dtc's recompilation of that text, and from there on the
     * round trip must be a fixed point. The typed text of the compiled tree must give the
     * original blob.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void roundTripsThroughTextAreStable(String name, String includeDir) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        CompileOptions opts = CompileOptions.defaults()
                .withIncludeDirs(List.of(corpus.resolve(includeDir)))
                .withBootCpuid(0L);
        var compiled = DtsCompiler.compile(corpus.resolve("expected/" + name + ".pp.dts"), opts).tree();
        byte[] first = DtbWriter.write(compiled);

        String decompiled = DtsWriter.write(io.dtkit.fdt.DtbReader.read(first));
        byte[] second = DtbWriter.write(DtsCompiler.compile(latin1(decompiled), name + ".dts", opts).tree());
        ReferenceTool.Result ref = ReferenceTool.run(null, decompiled.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "dtc", "-q", "-I", "dts", "-O", "dtb", "-b", "0", "-o", "-", "-");
        assertArrayEquals(ref.stdout(), second, name + ": DTB -> DTS -> DTB as dtc does it");

        String again = DtsWriter.write(io.dtkit.fdt.DtbReader.read(second));
        byte[] third = DtbWriter.write(DtsCompiler.compile(latin1(again), name + ".dts", opts).tree());
        assertArrayEquals(second, third, name + ": the round trip is a fixed point after one pass");

        String typed = DtsWriter.write(compiled);
        byte[] typedBlob = DtbWriter.write(DtsCompiler.compile(latin1(typed), name + ".dts", opts).tree());
        assertArrayEquals(first, typedBlob, name + ": typed DTS -> DTB");
    }

    /** The printer's text holds one char per byte; the compiler's text API takes UTF-8 text. */
    private static String latin1(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
