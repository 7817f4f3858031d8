package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes read from a file (a property of an {@code -I fs} folder, an {@code /incbin/}) carry a
 * marker of no type in dtc, so its checks take a phandle cell among them for no reference,
 * though the phandle exists; from a blob, with no markers at all, they do not.
 */
class UntypedBytesTest {
    @TempDir
    Path tmp;

    @Test
    void aPhandleCellFromAFolderIsNoReference() throws Exception {
        ReferenceTool.require("dtc");
        Path u = tmp.resolve("u");
        Files.createDirectories(u.resolve("a"));
        Files.createDirectories(u.resolve("b"));
        Files.write(u.resolve("a/phandle"), new byte[] {0, 0, 0, 1});
        Files.write(u.resolve("a/#clock-cells"), new byte[] {0, 0, 0, 0});
        Files.write(u.resolve("b/clocks"), new byte[] {0, 0, 0, 1});
        FsInputCorpusTest.sameAsDtc(u, "clocks from a file");
    }

    @Test
    void aPhandleCellFromAnIncbinIsNoReference() throws Exception {
        ReferenceTool.require("dtc");
        Files.write(tmp.resolve("cells.bin"), new byte[] {0, 1, 2, 3});
        Path src = tmp.resolve("in.dts");
        Files.writeString(src, "/dts-v1/;\n/ {\n\tclk: clk {\n\t\t#clock-cells = <0>;\n"
                + "\t\tphandle = <0x00010203>;\n\t};\n\tdev {\n\t\tclocks = /incbin/(\"cells.bin\");\n\t};\n"
                + "\ttyped {\n\t\tclocks = <&clk>;\n\t};\n};\n");
        for (String format : new String[] {"dtb", "dts"}) {
            ReferenceTool.Result ref = ReferenceTool.run(null, null, "dtc", "-O", format, "-o", "-", src.toString());
            CliRun got = CliRun.of("dtc", "-O", format, "-o", "-", src.toString());
            assertEquals(ref.exit(), got.exit(), got.err());
            assertEquals(ref.stderr(), got.err(), format);
            assertArrayEquals(ref.stdout(), got.outBytes(), format);
        }
    }
}
