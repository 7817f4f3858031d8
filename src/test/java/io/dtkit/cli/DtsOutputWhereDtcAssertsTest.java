package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values whose markers stop {@code dtc -O dts} on an assertion (bytes of an {@code /incbin/}
 * next to typed data, a string chunk without its terminator, cells cut short): dtkit prints
 * them all the same, so that the printed source compiles back to the very bytes dtc makes of
 * the original.
 */
class DtsOutputWhereDtcAssertsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "\"a\", /incbin/(\"f.bin\", 0, 4)",
        "/incbin/(\"f.bin\"), \"z\"",
        "\"a\", /incbin/(\"f.bin\", 1, 3)",
        "<1 2>, /incbin/(\"f.bin\", 0, 3)",
        "/bits/ 16 <1>, /incbin/(\"f.bin\", 0, 1)",
        "l: \"a\", /incbin/(\"f.bin\", 2, 2), [01]"})
    void printedSourceCompilesToDtcsBytes(String value) throws Exception {
        ReferenceTool.require("dtc");
        Files.write(tmp.resolve("f.bin"), new byte[] {0, 0, 0, 1, 'z', 0});
        Path src = tmp.resolve("in.dts");
        Files.writeString(src, "/dts-v1/;\n/ {\n\tx = " + value + ";\n};\n");
        ReferenceTool.Result asserts = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dts", "-o", "/dev/null",
                src.toString());
        assertEquals(134, asserts.exit(), "dtc no longer stops here: " + asserts.stderr());
        ReferenceTool.Result want = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", "want.dtb",
                src.toString());
        assertEquals(0, want.exit(), want.stderr());

        CliRun printed = CliRun.of("dtc", "-q", "-O", "dts", "-o", tmp.resolve("printed.dts").toString(),
                src.toString());
        assertEquals(0, printed.exit(), printed.err());
        ReferenceTool.Result back = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", "back.dtb",
                "printed.dts");
        assertEquals(0, back.exit(), back.stderr());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("want.dtb")), Files.readAllBytes(tmp.resolve("back.dtb")),
                Files.readString(tmp.resolve("printed.dts")));
    }
}
