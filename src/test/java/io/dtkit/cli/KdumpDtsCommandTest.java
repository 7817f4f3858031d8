package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtkit kdump} on a {@code .dts} input edits the source instead of a blob. */
class KdumpDtsCommandTest {
    static final Path FIX = Path.of("fixtures/dtsedit").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void writesTheEditedSource() throws Exception {
        Path out = tmp.resolve("dump.dts");
        CliRun r = CliRun.dtkit("kdump", "--dtb", FIX.resolve("kdump-board_original.dts").toString(),
                "-i", FIX.toString(), "--range", "0x890000000,0x10000000", "--range", "0xe0000000,0x10000000",
                "--elfcorehdr", "0x89f000000,0x10000", "--bootargs", "console=ttyS0 maxcpus=1",
                "--append", "reset_devices", "--initrd", "0x8a0000000,0x8a1000000", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(FIX.resolve("kdump-board_expected.dts")), Files.readString(out));
    }

    @Test
    void refusesAndWritesNothing() throws Exception {
        Path out = tmp.resolve("dump.dts");
        CliRun r = CliRun.dtkit("kdump", "--dtb", FIX.resolve("kdump-board_original.dts").toString(),
                "-i", FIX.toString(), "--range", "0x1000,0x2000", "--range", "0x2000,0x1000",
                "--elfcorehdr", "0x1000,0x100", "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("overlap"), r.err());
        assertFalse(Files.exists(out));
    }
}
