package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.fdt.DtbReader;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values whose type must be guessed (read from a blob), on the borderline cases of dtc's guess,
 * compared with {@code dtc -I dtb -O dts}.
 */
class DtsWriterGuessTest {
    private static final String ODD = """
            /dts-v1/;
            /memreserve/ 0x1000 0x2000;
            /memreserve/ 0xfffffffffffff000 0x1000;
            / {
            \ta = "a";
            \tb = "";
            \tc = "", "";
            \td = "ab", "", "c";
            \te = [00];
            \tf = [00 00 00 00];
            \tg = "ab\\x01";
            \th = "tab\\there\\"q\\\\ \\a\\b\\v\\f\\r\\n";
            \ti = [61 62 63];
            \tj = "abc", [01 02];
            \tk = [61 00 62 00];
            \tl = [61 00 00 00];
            \tm = [61 00 62 00 63 00];
            \tn = [00 61 00];
            \to = "x", [00];
            \tp = [ff 61 00];
            \tq = [61 62 63 64 00 00 00 00];
            \tr = [80 00];
            \ts;
            \tt = <1 2 3>;
            \tu = [01 02 03 04 05];
            \tv = [00 61 62 00];
            \tw = "\\x7f";
            \tx = /bits/ 64 <0xffffffffffffffff>;
            \ty = /bits/ 16 <1>;
            \tz = "a\\x1b";
            \tnode@0 { empty { }; deeper { deepest { p = <0>; }; }; };
            };
            """;

    @Test
    void oddValuesGuessLikeDtc(@TempDir Path tmp) throws IOException {
        Path dts = tmp.resolve("odd.dts");
        Files.writeString(dts, ODD);
        Path dtb = tmp.resolve("odd.dtb");
        var c = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", dtb.toString(),
                dts.toString());
        assertEquals(0, c.exit(), c.stderr());
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dts", dtb.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(r.out(), DtsWriter.write(DtbReader.read(dtb)));
    }
}
