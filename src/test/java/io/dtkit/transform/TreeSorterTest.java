package io.dtkit.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.dts.DtsWriter;
import io.dtkit.fdt.DtbOptions;
import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sorted tree compared with {@code dtc -s}'s blob and text. */
class TreeSorterTest {
    private static final String UNSORTED = """
            /dts-v1/;
            /memreserve/ 0x9000 0x10;
            /memreserve/ 0xffffffff00000000 0x10;
            /memreserve/ 0x1000 0x20;
            /memreserve/ 0x1000 0x8;
            / {
            \tzeta = <1>;
            \tAlpha = "x";
            \talpha = <2>;
            \t#size-cells = <1>;
            \tb@10 { z; a; };
            \tb@2 { };
            \tB { };
            \tb { c { y; x; }; a { }; };
            \ta-b { };
            };
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unsorted", "arm64__arm__juno", "arm64__hisilicon__hi6220-hikey",
        "arm64__arm__foundation-v8", "arm64__nvidia__tegra210-p2371-2180",
        "arm64__qcom__apq8016-sbc"})
    void matchesDtcSort(String board, @TempDir Path tmp) throws IOException {
        Path in;
        if (board.equals("unsorted")) {
            Path dts = tmp.resolve("u.dts");
            Files.writeString(dts, UNSORTED);
            in = tmp.resolve("u.dtb");
            var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", in.toString(),
                    dts.toString());
            assertEquals(0, r.exit(), r.stderr());
        } else {
            in = Shared.resolve("corpus/linux-arm64/expected").resolve(board + ".dtb");
        }
        DeviceTree sorted = TreeSorter.sort(DtbReader.read(in));
        var dtb = ReferenceTool.run(tmp, null, "dtc", "-q", "-s", "-I", "dtb", "-O", "dtb",
                in.toString());
        assertEquals(0, dtb.exit(), dtb.stderr());
        assertArrayEquals(dtb.stdout(), DtbWriter.write(sorted, DtbOptions.defaults()), board);
        var dts = ReferenceTool.run(tmp, null, "dtc", "-q", "-s", "-I", "dtb", "-O", "dts",
                in.toString());
        assertEquals(dts.out(), DtsWriter.write(sorted), board);
    }

    @Test
    void deepChainSortsWithoutRecursion() {
        Node n = Node.of("leaf", List.of(Property.of("b", Value.EMPTY),
                Property.of("a", Value.EMPTY)), List.of());
        for (int i = 0; i < 100_000; i++) {
            n = Node.of("n", List.of(), List.of(n, Node.of("m", List.of(), List.of())));
        }
        Node s = TreeSorter.sort(DeviceTree.of(n.withName(""))).root();
        List<String> firstNames = new ArrayList<>();
        Node c = s;
        while (!c.children().isEmpty()) {
            firstNames.add(c.children().get(0).name());
            c = c.children().get(0).name().equals("m") ? c.children().get(1) : c.children().get(0);
        }
        assertEquals(100_000, firstNames.size());
        assertEquals("m", firstNames.get(0)); // "m" < "n"
        assertEquals("leaf", firstNames.get(firstNames.size() - 1)); // "leaf" < "m"
        assertEquals("b", c.properties().get(1).name());
        assertEquals("a", c.properties().get(0).name());
    }
}
