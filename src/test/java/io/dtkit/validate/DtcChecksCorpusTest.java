package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.fdt.DtbReader;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 150 kernel board blobs of the shared corpus, checked by us and by dtc 1.6.1
 * ({@code dtc -I dtb -O dtb -o out.dtb BOARD.dtb}): the messages must be identical.
 */
class DtcChecksCorpusTest {
    static Stream<String> boards() throws IOException {
        Path manifest = Shared.resolve("corpus/linux-arm64/manifest.tsv");
        return Files.readAllLines(manifest).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split("\t")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void corpusBlobMatchesDtc(String board, @TempDir Path tmp) throws IOException {
        Path dtb = Shared.resolve("corpus/linux-arm64/expected/" + board + ".dtb");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-I", "dtb", "-O", "dtb",
                "-o", "out.dtb", dtb.toString());
        List<String> expected = ref.stderr().isEmpty() ? List.of()
                : Arrays.asList(ref.stderr().split("\n"));
        DtcChecks.Result ours = DtcChecks.check(DtbReader.read(Files.readAllBytes(dtb)),
                DtcChecks.Config.defaults(), "out.dtb", List.of());
        DtcChecksDifferentialTest.assertSameLines(expected, DtcChecksDifferentialTest.render(ours), board);
        assertEquals(ref.exit() == 2, ours.hasErrors(), board + ": exit status");
    }
}
