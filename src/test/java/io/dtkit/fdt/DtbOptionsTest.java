package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each dtc output option, compared with the bytes of {@code dtc -I dtb -O dtb <options>}. */
class DtbOptionsTest {
    /** A small tree with reservations, long values (for the old versions' 8-byte alignment),
     *  unit addresses (for their "name" properties) and shared name suffixes. */
    static final String SMALL = """
            /dts-v1/;
            /memreserve/ 0x1000 0x2000;
            /memreserve/ 0xffffffff00000000 0x10;
            / {
            \tcompatible = "test,board";
            \tlong-value = <1 2 3 4>;
            \tbyte = [01];
            \tcpus {
            \t\t#address-cells = <1>;
            \t\t#size-cells = <0>;
            \t\tcpu@3 { device_type = "cpu"; reg = <3>; };
            \t\tcpu@1 { device_type = "cpu"; reg = <1>; };
            \t};
            \t@9 { cells = <9>; };
            \tsoc@1000 { interrupt-cells = <1>; cells = <2>; ells = "x"; s = "y"; };
            };
            """;

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        String[] boards = {"small", "arm64__arm__foundation-v8", "arm64__arm__juno"};
        Object[][] opts = {
            {"", DtbOptions.defaults()},
            {"-V 16", DtbOptions.defaults().withVersion(16)},
            {"-V 17", DtbOptions.defaults().withVersion(17)},
            {"-V 1", DtbOptions.defaults().withVersion(1)},
            {"-V 2", DtbOptions.defaults().withVersion(2)},
            {"-V 3", DtbOptions.defaults().withVersion(3)},
            {"-p 100", DtbOptions.defaults().withPadding(100)},
            {"-p 3", DtbOptions.defaults().withPadding(3)},
            {"-S 70000", DtbOptions.defaults().withMinSize(70000)},
            {"-S 16", DtbOptions.defaults().withMinSize(16)},
            {"-a 64", DtbOptions.defaults().withAlign(64)},
            {"-a 4096 -p 5", DtbOptions.defaults().withAlign(4096).withPadding(5)},
            {"-R 3", DtbOptions.defaults().withReserveEntries(3)},
            {"-b 7", DtbOptions.defaults().withBootCpuid(7L)},
            {"-b 0xfffffffe -V 16 -R 1", DtbOptions.defaults().withBootCpuid(0xfffffffeL)
                    .withVersion(16).withReserveEntries(1)},
        };
        for (String b : boards) {
            for (Object[] o : opts) {
                list.add(Arguments.of(b, o[0], o[1]));
            }
        }
        return list.stream();
    }

    private static Path input(String board, Path tmp) throws IOException {
        if (!board.equals("small")) {
            return Shared.resolve("corpus/linux-arm64/expected").resolve(board + ".dtb");
        }
        Path dts = tmp.resolve("small.dts");
        Files.writeString(dts, SMALL);
        Path dtb = tmp.resolve("small.dtb");
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                dtb.toString(), dts.toString());
        assertEquals(0, r.exit(), r.stderr());
        return dtb;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesDtc(String board, String dtcOpts, DtbOptions opts, @TempDir Path tmp)
            throws IOException {
        Path in = input(board, tmp);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-I", "dtb", "-O", "dtb"));
        if (!dtcOpts.isEmpty()) {
            cmd.addAll(List.of(dtcOpts.split(" ")));
        }
        cmd.add(in.toString());
        var r = ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        byte[] got = DtbWriter.write(DtbReader.read(in), opts);
        assertArrayEquals(r.stdout(), got, board + " " + dtcOpts);
    }

    @Test
    void rejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> DtbOptions.defaults().withAlign(48));
        assertThrows(IllegalArgumentException.class, () -> DtbOptions.defaults().withVersion(4));
        assertThrows(IllegalArgumentException.class, () -> DtbOptions.defaults().withPadding(-1));
        // dtc: "Can't set both -p and -S"
        assertThrows(IllegalArgumentException.class,
                () -> DtbOptions.defaults().withMinSize(100).withPadding(8));
    }

    @Test
    void nameWithNulIsRefused() {
        var tree = io.dtkit.model.DeviceTree.of(io.dtkit.model.Node.of("", List.of(
                io.dtkit.model.Property.of("a\0b", io.dtkit.model.Value.EMPTY)), List.of()));
        assertThrows(IllegalArgumentException.class, () -> DtbWriter.write(tree));
    }
}
