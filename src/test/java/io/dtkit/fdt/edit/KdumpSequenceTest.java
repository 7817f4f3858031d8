package io.dtkit.fdt.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.dtkit.testsupport.Shared;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays kexec-tools' libfdt call sequence (as described in shared/kdump/README) with FdtBlob
 * and compares with the golden blobs libfdt produced: a check of open_into, setprop on NOP'd
 * nodes, add_subnode and pack on real inputs. (The kdump feature itself lives elsewhere.)
 */
class KdumpSequenceTest {
    static Stream<String[]> cases() throws Exception {
        List<String[]> l = new ArrayList<>();
        for (String line : Files.readAllLines(Shared.resolve("kdump/cases.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("case") || !f[6].startsWith("expected/")) {
                continue;
            }
            l.add(f);
        }
        return l.stream();
    }

    private static byte[] cells(BigInteger v, int n) {
        byte[] out = new byte[4 * n];
        byte[] b = v.toByteArray();
        for (int i = 0; i < Math.min(b.length, out.length); i++) {
            out[out.length - 1 - i] = b[b.length - 1 - i];
        }
        return out;
    }

    private static int cellsProp(FdtBlob b, String name) throws Exception {
        byte[] v = b.getprop(0, name);
        return v == null ? 1 : new BigInteger(1, v).intValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void libfdtSequenceGivesGoldenBytes(String name, String input, String iomem, String elfcorehdr, String bootargs,
            String seed, String expect) throws Exception {
        Path dir = Shared.resolve("kdump");
        byte[] in = Files.readAllBytes(dir.resolve(input));
        FdtBlob b = FdtBlob.openInto(in, FdtBlob.open(in).totalSize() + 4096);
        if (!bootargs.equals("-")) {
            int chosen;
            try {
                chosen = b.pathOffset("/chosen");
            } catch (io.dtkit.fdt.FdtException e) {
                chosen = b.addSubnode(0, "chosen");
            }
            b.setprop(chosen, "bootargs", (bootargs + "\0").getBytes(StandardCharsets.US_ASCII));
            b.pack();
        }
        int ac = cellsProp(b, "#address-cells");
        int sc = cellsProp(b, "#size-cells");
        b = FdtBlob.openInto(b.toByteArray(), b.totalSize() + 4096);
        int chosen = b.pathOffset("/chosen");
        byte[] k = b.getprop(chosen, "kaslr-seed");
        if (k != null && k.length == 8) {
            b.setprop(chosen, "kaslr-seed", cells(new BigInteger(seed.substring(2), 16), 2));
        }
        String[] eh = elfcorehdr.split(",");
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.writeBytes(cells(new BigInteger(eh[0].substring(2), 16), ac));
        v.writeBytes(cells(new BigInteger(eh[1].substring(2), 16), sc));
        b.setprop(chosen, "linux,elfcorehdr", v.toByteArray());
        List<BigInteger[]> regions = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(iomem))) {
            String t = line.strip();
            int colon = t.indexOf(" : ");
            if (colon < 0 || !t.substring(colon + 3).startsWith("Crash kernel")) {
                continue;
            }
            String[] r = t.substring(0, colon).split("-");
            BigInteger start = new BigInteger(r[0], 16);
            if (regions.stream().anyMatch(x -> x[0].equals(start))) {
                continue;
            }
            regions.add(new BigInteger[] {start, new BigInteger(r[1], 16).subtract(start).add(BigInteger.ONE)});
        }
        ByteArrayOutputStream u = new ByteArrayOutputStream();
        for (int i = regions.size() - 1; i >= 0; i--) {
            u.writeBytes(cells(regions.get(i)[0], ac));
            u.writeBytes(cells(regions.get(i)[1], sc));
        }
        b.setprop(chosen, "linux,usable-memory-range", u.toByteArray());
        b.pack();
        assertArrayEquals(Files.readAllBytes(dir.resolve(expect)), b.toByteArray(), name);
    }
}
