package io.dtkit.dts.cpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 150 arm64 boards of the shared corpus, preprocessed by dtkit from their raw sources with
 * the manifest's include folders (file names relative to the corpus folder, as cpp got them):
 * the text must equal cpp's {@code expected/NAME.pp.dts} byte for byte, and the installed dtc
 * must compile it to {@code expected/NAME.dtb}.
 */
class PreprocessorCorpusTest {

    record Board(String name, String source, List<Path> includeDirs, String dtcIncludeDir) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path corpus() {
        return Shared.resolve("corpus/linux-arm64");
    }

    static Stream<Board> boards() throws Exception {
        List<String> lines = Files.readAllLines(corpus().resolve("manifest.tsv"));
        List<Board> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            List<Path> inc = new ArrayList<>();
            for (String d : f[2].split(" ")) {
                inc.add(Path.of(d));
            }
            out.add(new Board(f[0], f[1], inc, f[3]));
        }
        return out.stream();
    }

    private static PreprocessResult preprocess(Board b) throws Exception {
        return Preprocessor.preprocess(Path.of(b.source()),
                new PreprocessOptions(b.includeDirs(), Map.of(), List.of()).withWorkingDir(corpus()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void textIdenticalToCpp(Board b) throws Exception {
        String expected = Files.readString(corpus().resolve("expected/" + b.name() + ".pp.dts"));
        assertEquals(expected, preprocess(b).text(), b.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void dtcBuildsTheExpectedBlob(Board b) throws Exception {
        byte[] text = preprocess(b).text().getBytes(StandardCharsets.UTF_8);
        ReferenceTool.Result r = ReferenceTool.run(corpus(), text, "dtc", "-q", "-O", "dtb", "-b", "0",
                "-i", b.dtcIncludeDir(), "-");
        assertEquals(0, r.exit(), b.name() + ": " + r.stderr());
        assertArrayEquals(Files.readAllBytes(corpus().resolve("expected/" + b.name() + ".dtb")), r.stdout(), b.name());
    }
}
