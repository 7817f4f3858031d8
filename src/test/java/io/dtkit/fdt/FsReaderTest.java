package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtkit.dts.DtsWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder tree read by {@link FsReader} compared with {@code dtc -I fs}. */
class FsReaderTest {
    private static void file(Path root, String rel, int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        file(root, rel, b);
    }

    private static void file(Path root, String rel, byte[] bytes) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static byte[] str(String s) {
        byte[] a = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return java.util.Arrays.copyOf(a, a.length + 1);
    }

    /** A folder like /proc/device-tree, minus the "name" files that dtc's checks delete. */
    private static Path sampleTree(Path tmp) throws IOException {
        Path root = tmp.resolve("dt");
        file(root, "compatible", str("test,board\0test,soc"));
        file(root, "model", str("Test board"));
        file(root, "#address-cells", 0, 0, 0, 2);
        file(root, "#size-cells", 0, 0, 0, 2);
        file(root, "cpus/#address-cells", 0, 0, 0, 1);
        file(root, "cpus/#size-cells", 0, 0, 0, 0);
        file(root, "cpus/cpu@0/reg", 0, 0, 0, 3);
        file(root, "cpus/cpu@0/device_type", str("cpu"));
        file(root, "cpus/cpu@1/reg", 0, 0, 0, 5);
        file(root, "chosen/bootargs", str("console=ttyS0 root=/dev/vda"));
        file(root, "chosen/kaslr-seed", 1, 2, 3, 4, 5, 6, 7, 8);
        file(root, "soc/ranges");
        file(root, "soc/bytes", 1, 2, 3);
        file(root, "soc/uart@1000/reg", 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        file(root, "soc/uart@1000/status", str("okay"));
        Files.createDirectories(root.resolve("empty-node"));
        for (int i = 0; i < 40; i++) {
            file(root, "many/prop" + i, 0, 0, 0, i);
            Files.createDirectories(root.resolve("many/child" + i));
        }
        return root;
    }

    @Test
    void matchesDtcText(@TempDir Path tmp) throws IOException {
        Path root = sampleTree(tmp);
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "fs", "-O", "dts", root.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(r.out(), DtsWriter.write(FsReader.read(root)));
    }

    @Test
    void matchesDtcBlobIncludingBootCpuid(@TempDir Path tmp) throws IOException {
        Path root = sampleTree(tmp);
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "fs", "-O", "dtb", root.toString());
        assertEquals(0, r.exit(), r.stderr());
        DeviceTree t = FsReader.read(root);
        assertArrayEquals(r.stdout(), DtbWriter.write(t, DtbOptions.defaults()));
    }

    @Test
    void keepsNameFilesAsProperties(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("dt");
        file(root, "name", str(""));
        file(root, "cpus/name", str("cpus"));
        DeviceTree t = FsReader.read(root);
        assertNotNull(t.node("/cpus").property("name"));
        assertEquals("cpus", t.node("/cpus").property("name").value().asString());
    }

    @Test
    void refusesLinkLoop(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("dt");
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/loop"), root);
        assertThrows(FileSystemLoopException.class, () -> FsReader.read(root));
    }
}
