package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled model keeps what dtc keeps (value markers, label order): printing it gives
 * exactly what {@code dtc -I dts -O dts} prints, for the fixtures that compile and for the
 * 150 corpus boards.
 */
class CompiledSourcePrintTest {

    static Stream<String> fixtures() throws IOException {
        return DtsFixtureTest.fixtures().filter(n -> !n.endsWith("-fail.dts") && !n.startsWith("bad-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixturePrintsLikeDtc(String name) throws IOException {
        Path file = DtsFixtureTest.DIR.resolve(name);
        List<String> args = DtsFixtureTest.dtcArgs(file);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-I", "dts", "-O", "dts", "-o", "-"));
        cmd.addAll(args);
        cmd.add(file.toString());
        ReferenceTool.Result ref = ReferenceTool.run(null, null, cmd.toArray(String[]::new));
        assertEquals(0, ref.exit(), name + ": " + ref.stderr());
        String ours = DtsWriter.write(DtsCompiler.compile(file, DtsFixtureTest.options(args)).tree());
        assertEquals(new String(ref.stdout(), StandardCharsets.ISO_8859_1), ours, name);
    }

    static Stream<String[]> boards() throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        return Files.readAllLines(corpus.resolve("manifest.tsv")).stream().skip(1)
                .filter(r -> !r.isBlank()).map(r -> r.split("\t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void boardPrintsLikeDtc(String name, String source, String cppDirs, String includeDir) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64");
        Path src = corpus.resolve("expected/" + name + ".pp.dts");
        ReferenceTool.Result ref = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dts",
                "-o", "-", "-i", corpus.resolve(includeDir).toString(), src.toString());
        assertEquals(0, ref.exit(), name + ": " + ref.stderr());
        String ours = DtsWriter.write(DtsCompiler.compile(src,
                CompileOptions.defaults().withIncludeDirs(List.of(corpus.resolve(includeDir)))).tree());
        assertEquals(new String(ref.stdout(), StandardCharsets.ISO_8859_1), ours, name);
    }
}
