package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
