package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtkit kdump explain}, {@code --explain}, {@code --svg} and the folder input on shared DTBs. */
class ExplainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void explainsTheVirt8gGolden() {
        CliRun run = CliRun.dtkit("kdump", "explain", Shared.resolve("kdump/expected/virt8g-high-low.dtb").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("old dump kernel (first range only) uses:\n  0x1c0000000-0x23fffffff (2 GiB)\n"), run.out());
        assertTrue(run.out().contains("current dump kernel (up to two ranges) uses:\n  0xf0000000-0xffffffff (256 MiB)\n"
                + "  0x1c0000000-0x23fffffff (2 GiB)\n  total 2.3 GiB\n"), run.out());
        assertTrue(!run.out().contains("warning"), run.out());
    }

    @Test
    void explainOptionOnInputAndDmaLimitWarning() {
        // RAM starts at 1G; a 3G limit stays 3G (a 1G one would become 4G, as RAM starts at or
        // above it), and the low range 0xe0000000.. lies above 0xc0000000
        CliRun run = CliRun.dtkit("kdump", "--explain", "--dma-limit", "3G", "--dtb",
                Shared.resolve("kdump/expected/virt16g-gicv3-high-low.dtb").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("warning: the low range (second entry) 0xe0000000-0xefffffff (256 MiB) reaches above"
                + " the DMA limit 0xc0000000"), run.out());
    }

    @Test
    void explainOnAnInputWithoutKdumpProperties() {
        CliRun run = CliRun.dtkit("kdump", "explain", Shared.resolve("kdump/inputs/qemu-virt-2g.sysfs.dtb").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("warning: no linux,usable-memory-range"), run.out());
    }

    @Test
    void svgOfAGolden() throws Exception {
        Path svg = tmp.resolve("m.svg");
        CliRun run = CliRun.dtkit("kdump", "--svg", svg.toString(), "--dtb",
                Shared.resolve("kdump/expected/virt8g-high-low.dtb").toString());
        assertEquals(0, run.exit(), run.err());
        String text = Files.readString(svg);
        assertTrue(text.contains("class=\"crash-high\"") && text.contains("class=\"crash-low\"")
                && text.contains("class=\"elfcorehdr\"") && text.contains("class=\"ram\""), text);
    }

    @Test
    void writeThenExplainAndDraw() throws Exception {
        // crashkernel=1G,high on 16 GiB from 0x40000000: 0x440000000 - 0x40000000 = 0x400000000;
        // low 256M at 0x100000000 - 0x10000000 = 0xf0000000
        Path out = tmp.resolve("o.dtb");
        Path svg = tmp.resolve("o.svg");
        CliRun run = CliRun.dtkit("kdump", "--dtb", Shared.resolve("kdump/inputs/qemu-virt-gicv3-16g.sysfs.dtb").toString(),
                "--plan", "crashkernel=1G,high", "--elfcorehdr", "0x43fff0000,0x10000", "--append", "reset_devices",
                "-o", out.toString(), "--explain", "--svg", svg.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("  [0] 0x400000000-0x43fffffff (1 GiB)\n  [1] 0xf0000000-0xffffffff (256 MiB)\n"), run.out());
        assertTrue(run.err().contains("plan: low region 0xf0000000-0xffffffff (256 MiB) (default 256 MiB)"), run.err());
        assertTrue(Files.readString(svg).contains(">Crash kernel (low) 256 MiB<"));
    }

    @Test
    void planReadsCrashkernelFromTheDtbBootargs() throws Exception {
        // board-2-2.dts says crashkernel=2G: 8 GiB from 1G, 2G > 3G/2 so high at 0x1c0000000
        ReferenceTool.require("dtc");
        Path dtb = tmp.resolve("b.dtb");
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb.toString(),
                KdumpCommandTest.FIXTURES.resolve("board-2-2.dts").toString());
        assertEquals(0, r.exit(), r.stderr());
        CliRun run = CliRun.dtkit("crashkernel", "plan", "--dtb", dtb.toString());
        assertEquals(0, run.exit(), run.err());
        // the /memreserve/ at 0x48000000 is below both regions and does not move them
        assertTrue(run.out().startsWith("40000000-23fffffff : System RAM\n  f0000000-ffffffff : Crash kernel (low)\n"
                + "  1c0000000-23fffffff : Crash kernel\n"), run.out());
    }

    @Test
    void garbageInputIsRefused() throws Exception {
        Path bad = tmp.resolve("bad.dtb");
        Files.write(bad, new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0x10, 0});
        CliRun run = CliRun.dtkit("kdump", "explain", bad.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("refused (blob)"), run.err());
        Files.writeString(bad, "hello");
        run = CliRun.dtkit("kdump", "--dtb", bad.toString(), "--range", "0x1000000,0x1000000", "--elfcorehdr", "0x1000000,0x1000",
                "-o", tmp.resolve("x.dtb").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("not a flattened device tree"), run.err());
    }
}
