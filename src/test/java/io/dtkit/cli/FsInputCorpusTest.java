package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.fdt.DtbReader;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dtkit dtc -I fs} against {@code dtc -I fs} on folders laid out like
 * /proc/device-tree (a folder per node, a file per property, with and without the "name" files
 * the kernel adds), made from corpus boards: the same blob and source text, and the same
 * messages in the same order (dtc reads such a folder in directory order, and its checks treat
 * every value read from a file as one with markers).
 */
class FsInputCorpusTest {
    @TempDir
    Path tmp;

    static Stream<String> boards() throws IOException {
        Path dir = Shared.resolve("corpus/linux-arm64/expected");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> all = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dtb")).sorted().toList();
            return IntStream.range(0, all.size()).filter(i -> i % 10 == 0).mapToObj(all::get).toList().stream();
        }
    }

    /** The node as a folder: its properties as files, its children as folders. */
    private static void writeFolder(Node node, Path dir, boolean names) throws IOException {
        Files.createDirectories(dir);
        if (names) {
            String n = node.name();
            int at = n.indexOf('@');
            Files.write(dir.resolve("name"), ((at < 0 ? n : n.substring(0, at)) + "\0")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        for (Property p : node.properties()) {
            Files.write(dir.resolve(p.name()), p.value().bytes());
        }
        for (Node c : node.children()) {
            writeFolder(c, dir.resolve(c.name()), names);
        }
    }

    static void sameAsDtc(Path folder, String what) throws IOException {
        for (String format : new String[] {"dtb", "dts"}) {
            ReferenceTool.Result ref = ReferenceTool.run(null, null, "dtc", "-I", "fs", "-O", format, "-o", "-",
                    folder.toString());
            CliRun got = CliRun.of("dtc", "-I", "fs", "-O", format, "-o", "-", folder.toString());
            assertEquals(ref.exit(), got.exit(), what + " -O " + format + ": " + got.err());
            assertEquals(ref.stderr(), got.err(), what + " -O " + format + ": messages");
            assertArrayEquals(ref.stdout(), got.outBytes(), what + " -O " + format + ": output");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void aBoardAsAFolderCompilesAsWithDtc(String board) throws Exception {
        ReferenceTool.require("dtc");
        Node root = DtbReader.read(Files.readAllBytes(Shared.resolve("corpus/linux-arm64/expected/" + board))).root();
        for (boolean names : new boolean[] {false, true}) {
            Path folder = tmp.resolve("fs-" + names);
            writeFolder(root, folder, names);
            sameAsDtc(folder, board + (names ? " with name files" : ""));
        }
    }
}
