package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.dts.DtsWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names with bytes above 0x7f survive reading, printing and writing as dtc keeps them. */
class NameBytesTest {
    @Test
    void highBytesInNames(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("hi.dts");
        Files.writeString(src, "/dts-v1/;\n/ { nodeX { propY = \"v\"; }; };\n");
        Path dtb = tmp.resolve("hi.dtb");
        var c = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", dtb.toString(),
                src.toString());
        assertEquals(0, c.exit(), c.stderr());
        String blob = new String(Files.readAllBytes(dtb), StandardCharsets.ISO_8859_1)
                .replace("nodeX", "node\u00e9").replace("propY", "prop\u00ff");
        Path hi = tmp.resolve("hi2.dtb");
        Files.write(hi, blob.getBytes(StandardCharsets.ISO_8859_1));

        DeviceTree t = DtbReader.read(hi);
        assertEquals("prop\u00ff", t.node("/node\u00e9").properties().get(0).name());
        // dtc's name checks fail on these names, so it prints and writes only when forced
        var dts = ReferenceTool.run(tmp, null, "dtc", "-q", "-f", "-I", "dtb", "-O", "dts",
                hi.toString());
        assertArrayEquals(dts.stdout(), DtsWriter.write(t).getBytes(StandardCharsets.ISO_8859_1));
        var out = ReferenceTool.run(tmp, null, "dtc", "-q", "-f", "-I", "dtb", "-O", "dtb",
                hi.toString());
        assertArrayEquals(out.stdout(), DtbWriter.write(t, DtbOptions.defaults()));
    }
}
