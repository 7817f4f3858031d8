package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.fdt.DtbReader;
import io.dtkit.kdump.Iomem;
import io.dtkit.kdump.MemRange;
import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.Shared;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtkit crashkernel plan} on the shared iomem listings of real QEMU boots. */
class CrashkernelCommandTest {
    @TempDir
    Path tmp;

    /**
     * QEMU virt, 8 GiB at 0x40000000, booted with crashkernel=2G: 2G > (3G below 4G)/2, so high
     * at 0x240000000 - 0x80000000 = 0x1c0000000, plus the default 256M low region at
     * 0x100000000 - 0x10000000 = 0xf0000000 - the very lines of the kernel's own /proc/iomem.
     */
    @Test
    void replansTheVirt8gBoot() throws Exception {
        Path iomem = Shared.resolve("kdump/inputs/iomem-qemu-virt-8g-high-low.txt");
        CliRun run = CliRun.dtkit("crashkernel", "plan", "crashkernel=2G", "--iomem", iomem.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("40000000-23fffffff : System RAM\n"
                + "  f0000000-ffffffff : Crash kernel (low)\n"
                + "  1c0000000-23fffffff : Crash kernel\n"), run.out());
        // the text output is itself an iomem listing with the same crash regions as the kernel's
        assertEquals(Iomem.parse(Files.readString(iomem)).crashRegions(), Iomem.parse(run.out()).crashRegions());
    }

    /** QEMU virt, 2 GiB: 512M <= 2G/2 so low, limit = RAM end 0xc0000000, 0xc0000000 - 0x20000000 = 0xa0000000. */
    @Test
    void replansTheVirt2gBootAsJson() throws Exception {
        Path iomem = Shared.resolve("kdump/inputs/iomem-qemu-virt-2g-low-only.txt");
        CliRun run = CliRun.dtkit("crashkernel", "plan", "crashkernel=512M", "--iomem",
                iomem.toString(), "--format", "json", "--svg", tmp.resolve("plan.svg").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("{\"name\": \"Crash kernel\", \"start\": \"0xa0000000\", \"end\": \"0xbfffffff\","
                + " \"size\": \"0x20000000\", \"high\": false}"), run.out());
        assertTrue(run.out().contains("\"lowLimit\": \"0xc0000000\""), run.out());
        assertTrue(Files.readString(tmp.resolve("plan.svg")).contains("class=\"crash-high\""));
        assertEquals(List.of(new MemRange(0xa0000000L, 0x20000000L)),
                Iomem.parse(Files.readString(iomem)).crashRegions());
    }

    @Test
    void refusesWithReason() {
        CliRun run = CliRun.dtkit("crashkernel", "plan", "crashkernel=64M,low", "--iomem",
                Shared.resolve("kdump/inputs/iomem-qemu-virt-2g-low-only.txt").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("refused (no room)"), run.err());
    }

    @Test
    void planFromADtb() {
        // /memory of the 8 GiB QEMU blob: 0x40000000 + 8G; same arithmetic as the iomem case
        CliRun run = CliRun.dtkit("crashkernel", "plan", "crashkernel=2G", "--dtb",
                Shared.resolve("kdump/inputs/qemu-virt-8g.sysfs.dtb").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("40000000-23fffffff : System RAM\n  f0000000-ffffffff : Crash kernel (low)\n"
                + "  1c0000000-23fffffff : Crash kernel\n"), run.out());
    }

    /** The /proc/device-tree fallback: a folder per node, a file per property. */
    @Test
    void folderInput() throws Exception {
        Path root = tmp.resolve("device-tree");
        Files.createDirectories(root.resolve("chosen"));
        Files.createDirectories(root.resolve("memory@40000000"));
        Files.write(root.resolve("#address-cells"), ByteBuffer.allocate(4).putInt(2).array());
        Files.write(root.resolve("#size-cells"), ByteBuffer.allocate(4).putInt(2).array());
        Files.write(root.resolve("memory@40000000/device_type"), "memory\0".getBytes());
        Files.write(root.resolve("memory@40000000/reg"), ByteBuffer.allocate(16).putLong(0x40000000L).putLong(1L << 31).array());
        Files.write(root.resolve("chosen/bootargs"), "console=ttyAMA0\0".getBytes());
        byte[] blob = Trees.readDefault(tmp.resolve("no-such-fdt"), root);
        DeviceTree t = DtbReader.read(blob);
        assertEquals("console=ttyAMA0", t.node("/chosen").property("bootargs").value().asString());
        CliRun run = CliRun.dtkit("crashkernel", "plan", "crashkernel=256M", "--dtb", root.toString());
        // 2G at 0x40000000, limit = RAM end 0xc0000000; 0xc0000000 - 0x10000000 = 0xb0000000
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("  b0000000-bfffffff : Crash kernel\n"), run.out());
    }
}
