package io.dtkit.fdt.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.fdt.FdtException;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the edit scripts of {@code fixtures/libfdt/edit-scripts.txt} through pylibfdt (libfdt
 * 1.6.1) and through {@link FdtBlob}: every step must give the same return value or error code
 * and leave the same bytes in the whole buffer.
 */
class FdtBlobGoldenTest {
    static final Path FIXTURES = Path.of("fixtures/libfdt");
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> scriptsMatchLibfdt() throws Exception {
        Path shared = Shared.dir();
        ReferenceTool.require(PYTHON);
        ReferenceTool.require("dtc");
        Path dts = FIXTURES.resolve("small.dts").toAbsolutePath();
        dtc(tmp.resolve("small.dtb"), dts);
        dtc(tmp.resolve("v16.dtb"), dts, "-V", "16");
        dtc(tmp.resolve("pad.dtb"), dts, "-p", "64", "-R", "2", "-b", "3");

        Map<String, List<String>> scripts = parseScripts(FIXTURES.resolve("edit-scripts.txt"));
        assertTrue(scripts.size() >= 30, "at least 30 scripts");
        ReferenceTool.Result r = ReferenceTool.run(null, null, PYTHON,
                FIXTURES.resolve("edit_driver.py").toString(), FIXTURES.resolve("edit-scripts.txt").toString(),
                shared.toString(), tmp.toString());
        assertEquals(0, r.exit(), r.stderr());
        Map<String, List<String>> golden = parseScripts(r.out());
        return scripts.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<String> want = golden.get(e.getKey());
            assertNotNull(want, "no golden output for " + e.getKey());
            List<String> got = run(e.getValue(), shared, tmp);
            for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                String wantLine = want.get(i);
                String gotLine = got.get(i);
                if (wantLine.startsWith("BUFFER") && !wantLine.equals(gotLine)) {
                    assertEquals(wantLine.length(), gotLine.length(), e.getKey() + ": buffer size");
                    int at = 0;
                    while (wantLine.charAt(at) == gotLine.charAt(at)) {
                        at++;
                    }
                    assertEquals(wantLine.substring(at, Math.min(wantLine.length(), at + 64)),
                            gotLine.substring(at, Math.min(gotLine.length(), at + 64)),
                            e.getKey() + ": first different byte at " + (at - 7) / 2);
                }
                assertEquals(wantLine, gotLine, e.getKey() + ": " + e.getValue().get(Math.min(i, e.getValue().size() - 1)));
            }
            assertEquals(want.size(), got.size(), e.getKey() + ": number of output lines");
        }));
    }

    private void dtc(Path out, Path dts, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out.toString()));
        cmd.addAll(List.of(extra));
        cmd.add(dts.toString());
        ReferenceTool.Result r = ReferenceTool.run(null, null, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
    }

    static Map<String, List<String>> parseScripts(Path file) throws IOException {
        return parseScripts(Files.readString(file));
    }

    static Map<String, List<String>> parseScripts(String text) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> cur = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("=== ")) {
                cur = new ArrayList<>();
                m.put(line.substring(4), cur);
            } else {
                cur.add(line);
            }
        }
        return m;
    }

    /** The Java twin of edit_driver.py. */
    static List<String> run(List<String> steps, Path shared, Path tmp) throws Exception {
        List<String> out = new ArrayList<>();
        FdtBlob blob = null;
        for (int n = 0; n < steps.size(); n++) {
            String[] w = steps.get(n).split("\\s+");
            long rc;
            try {
                rc = step(w, blob, shared, tmp);
                if (w[0].equals("load") || w[0].equals("open_into") || w[0].equals("poke")) {
                    blob = pending;
                }
            } catch (FdtException e) {
                rc = -e.error().libfdtCode();
            }
            out.add("STEP " + n + " " + rc + " " + sha256(blob.buffer()));
        }
        out.add("BUFFER " + HexFormat.of().formatHex(blob.buffer()));
        return out;
    }

    private static FdtBlob pending;

    private static long step(String[] w, FdtBlob b, Path shared, Path tmp) throws Exception {
        switch (w[0]) {
            case "load":
                pending = FdtBlob.open(Files.readAllBytes(Path.of(
                        w[1].replace("$SHARED", shared.toString()).replace("$TMP", tmp.toString()))));
                return 0;
            case "open_into": {
                int size = Integer.parseInt(w[1].replace("+", ""));
                if (w[1].startsWith("+") || w[1].startsWith("-")) {
                    size += b.totalSize();
                }
                pending = FdtBlob.openInto(b.buffer(), size);
                return 0;
            }
            case "poke": {
                byte[] buf = b.buffer();
                byte[] v = value(w[2]);
                System.arraycopy(v, 0, buf, Integer.decode(w[1]), v.length);
                pending = FdtBlob.open(buf);
                return 0;
            }
            case "pack":
                b.pack();
                return 0;
            case "add_mem_rsv":
                b.addMemRsv(num(w[1]), num(w[2]));
                return 0;
            case "del_mem_rsv":
                b.delMemRsv(Integer.parseInt(w[1]));
                return 0;
            default:
                break;
        }
        int off = w[1].startsWith("@") ? (int) Long.parseLong(w[1].substring(1)) : b.pathOffset(w[1]);
        switch (w[0]) {
            case "setprop" -> b.setprop(off, w[2], value(w[3]));
            case "appendprop" -> b.appendprop(off, w[2], value(w[3]));
            case "setprop_inplace" -> b.setpropInplace(off, w[2], value(w[3]));
            case "delprop" -> b.delprop(off, w[2]);
            case "nop_property" -> b.nopProperty(off, w[2]);
            case "add_subnode" -> {
                return b.addSubnode(off, w[2]);
            }
            case "del_node" -> b.delNode(off);
            case "nop_node" -> b.nopNode(off);
            case "set_name" -> b.setName(off, w[2]);
            default -> throw new IllegalArgumentException("unknown step " + w[0]);
        }
        return 0;
    }

    static long num(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    static byte[] value(String hex) {
        return hex.equals("-") ? new byte[0] : HexFormat.of().parseHex(hex);
    }

    static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
