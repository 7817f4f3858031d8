package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strings block layout on names chosen to share suffixes in many ways, against the blob
 * dtc builds from the same names.
 */
class StringTableTest {
    @Test
    void suffixSharingMatchesDtc(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(42);
        StringBuilder dts = new StringBuilder("/dts-v1/;\n/ {\n");
        for (int node = 0; node < 20; node++) {
            dts.append("\tn").append(node).append(" {\n");
            Set<String> names = new LinkedHashSet<>();
            while (names.size() < 30) {
                int len = 1 + rnd.nextInt(7);
                StringBuilder n = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    n.append("ab-c".charAt(rnd.nextInt(4)));
                }
                names.add(n.toString());
            }
            for (String n : names) {
                dts.append("\t\t").append(n).append(";\n");
            }
            dts.append("\t};\n");
        }
        dts.append("};\n");
        Path src = tmp.resolve("names.dts");
        Files.writeString(src, dts);
        Path dtb = tmp.resolve("names.dtb");
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", dtb.toString(),
                src.toString());
        assertEquals(0, r.exit(), r.stderr());
        byte[] want = Files.readAllBytes(dtb);
        assertArrayEquals(want, DtbWriter.write(DtbReader.read(want), DtbOptions.defaults()));
    }
}
