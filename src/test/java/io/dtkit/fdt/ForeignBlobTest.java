package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.dts.DtsWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blobs not laid out by dtc's default writer: QEMU's (with FDT_NOP tokens where a value was
 * wiped), and version 16 blobs. Printing and rewriting must match dtc reading the same blob.
 */
class ForeignBlobTest {
    private static void compare(Path blob, Path tmp, String what) throws IOException {
        DeviceTree t = DtbReader.read(blob);
        var dts = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dts", blob.toString());
        assertEquals(0, dts.exit(), dts.stderr());
        assertEquals(dts.out(), DtsWriter.write(t), what);
        var dtb = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dtb", blob.toString());
        assertEquals(0, dtb.exit(), dtb.stderr());
        assertArrayEquals(dtb.stdout(), DtbWriter.write(t, DtbOptions.defaults()), what);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"board-32bit-cells.dtb", "qemu-virt-2g.sysfs.dtb",
        "qemu-virt-8g.firmware.dtb", "qemu-virt-8g.sysfs.dtb", "qemu-virt-gicv3-16g.sysfs.dtb"})
    void kdumpInputs(String name, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        compare(Shared.resolve("kdump/inputs").resolve(name), tmp, name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arm64__arm__juno", "arm64__arm__foundation-v8",
        "arm64__rockchip__rk3399-firefly"})
    void version16(String board, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path src = Shared.resolve("corpus/linux-arm64/expected").resolve(board + ".dtb");
        var v16 = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dtb", "-V", "16",
                "-p", "64", src.toString());
        assertEquals(0, v16.exit(), v16.stderr());
        Path blob = tmp.resolve("v16.dtb");
        Files.write(blob, v16.stdout());
        compare(blob, tmp, board + " -V 16");
    }
}
