package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.dts.DtsWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every board of the kernel corpus: reading its dtc-built blob and printing it gives dtc's
 * decompiled text, and writing it back gives dtc's blob, byte for byte.
 */
class CorpusCodecTest {
    static Stream<String> boards() throws IOException {
        Path dir = Shared.resolve("corpus/linux-arm64/expected");
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".dtb"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    private static Path expected(String name) {
        return Shared.resolve("corpus/linux-arm64/expected").resolve(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void blobPrintsAsDtcDecompiles(String board) throws IOException {
        DeviceTree t = DtbReader.read(expected(board + ".dtb"));
        String want = Files.readString(expected(board + ".dts"), StandardCharsets.ISO_8859_1);
        assertEquals(want, DtsWriter.write(t), board);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void blobRewritesIdentically(String board) throws IOException {
        byte[] blob = Files.readAllBytes(expected(board + ".dtb"));
        assertArrayEquals(blob, DtbWriter.write(DtbReader.read(blob), DtbOptions.defaults()), board);
    }
}
