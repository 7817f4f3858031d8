package io.dtkit.dts.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error codes, dtc's merge rules, scale and the value renderers of the DTS source editor. */
class DtsSourceEditorTest {
    @TempDir
    Path tmp;

    private static DtsSourceEditor ed(String text) throws DtsEditException {
        return DtsSourceEditor.of(Path.of("t.dts"), text.getBytes(StandardCharsets.UTF_8), List.of());
    }

    private static String out(DtsSourceEditor e) {
        return new String(e.content(), StandardCharsets.UTF_8);
    }

    @Test
    void deleteNodeThenRedefineStartsAfresh() throws Exception {
        DtsSourceEditor e = ed("/dts-v1/;\n/ { a { x = <1>; }; };\n/ { /delete-node/ a; };\n/ { a { y = <2>; }; };\n");
        assertTrue(e.findProperty("/a", "x").isEmpty(), "x was deleted with its node");
        assertEquals("<2>", e.getProperty("/a", "y"));
        e.setProperty("/a", "x", "<3>");
        assertEquals("/dts-v1/;\n/ { a { x = <1>; }; };\n/ { /delete-node/ a; };\n/ { a { y = <2>; x = <3>; }; };\n", out(e));
    }

    @Test
    void deletePropertyDirectiveHidesEarlierDefinitions() throws Exception {
        DtsSourceEditor e = ed("/ {\n\tp = <1>;\n\tn {\n\t};\n};\n/ {\n\t/delete-property/ p;\n};\n");
        assertTrue(e.findProperty("/", "p").isEmpty());
        e.setProperty("/", "p", "<2>");
        assertEquals("/ {\n\tp = <1>;\n\tn {\n\t};\n};\n/ {\n\t/delete-property/ p;\n\tp = <2>;\n};\n", out(e));
    }

    @Test
    void referencedNodeIsNotDeleted() throws Exception {
        String src = "/ {\n\tclk: clock {\n\t};\n\tdev {\n\t\tclocks = <&clk 1>;\n\t};\n\taliases {\n\t\tc = &clk;\n\t};\n};\n";
        DtsSourceEditor e = ed(src);
        DtsEditException x = assertThrows(DtsEditException.class, () -> e.deleteNode("/clock"));
        assertEquals(DtsEditError.IN_USE, x.error());
        assertEquals("/clock (&clk) is still referenced at t.dts:5; remove that reference first", x.getMessage());
        assertEquals(src, out(e));
        assertTrue(e.edits().isEmpty());
        e.deleteProperty("/dev", "clocks");
        e.deleteNode("/aliases");
        e.deleteNode("&clk");
        assertEquals("/ {\n\tdev {\n\t};\n};\n", out(e));
    }

    @Test
    void cellAndStringReaders() throws Exception {
        DtsSourceEditor e = ed("/ {\n\t#address-cells = <0x2>;\n\t#size-cells = <1>;\n\tx = <CELLS>;\n"
                + "\tb = \"a\\\"b\\x41\\101\\n\";\n\tm = \"a\", \"b\";\n};\n");
        assertEquals(2, e.findCell("/", "#address-cells").getAsLong());
        assertEquals(1, e.findCell("/", "#size-cells").getAsLong());
        assertTrue(e.findCell("/", "x").isEmpty());
        assertTrue(e.findCell("/", "none").isEmpty());
        assertEquals("a\"bAA\n", e.findString("/", "b").get());
        assertTrue(e.findString("/", "m").isEmpty(), "a string list is not one string");
    }

    @Test
    void errorsCarryCodesAndPositions() throws Exception {
        DtsEditException e = assertThrows(DtsEditException.class, () -> ed("/ {\n\ta { };\n};\n};\n"));
        assertEquals(DtsEditError.PARSE, e.error());
        assertEquals("t.dts:4: unbalanced '}'", e.getMessage());
        e = assertThrows(DtsEditException.class, () -> ed("/ {\n\tp = <1 2;\n};\n"));
        assertEquals(DtsEditError.PARSE, e.error());
        assertTrue(e.getMessage().startsWith("t.dts:2: unterminated value of property p"), e.getMessage());
        e = assertThrows(DtsEditException.class, () -> ed("/ {\n/* open\n};\n"));
        assertEquals(DtsEditError.PARSE, e.error());
        assertEquals("t.dts:2: unterminated comment", e.getMessage());
        e = assertThrows(DtsEditException.class, () -> ed("/ {\n\ta {\n};\n"));
        assertEquals(DtsEditError.PARSE, e.error());

        DtsSourceEditor ok = ed("/ {\n\tl: a { };\n\tl: b { };\n\tc { };\n};\n");
        assertEquals(DtsEditError.AMBIGUOUS, assertThrows(DtsEditException.class, () -> ok.resolve("&l")).error());
        assertEquals(DtsEditError.EXISTS, assertThrows(DtsEditException.class, () -> ok.addNode("/", "c")).error());
        assertEquals(DtsEditError.NOT_FOUND, assertThrows(DtsEditException.class, () -> ok.getProperty("/c", "x")).error());
        assertEquals(DtsEditError.NOT_FOUND, assertThrows(DtsEditException.class, () -> ok.resolve("&nolabel")).error());
        assertEquals(DtsEditError.BAD_ARGUMENT, assertThrows(DtsEditException.class,
                () -> ok.setProperty("/c", "bad name", "<1>")).error());
        assertEquals(DtsEditError.BAD_ARGUMENT, assertThrows(DtsEditException.class, () -> ok.deleteNode("/")).error());
        byte[] before = ok.content();
        for (String bad : new String[] {"<1>; x = <2>", "<1", "\"open", "{ }", "<1> }; / {", "<1> // comment", "<1>\n#if 0"}) {
            assertEquals(DtsEditError.BAD_ARGUMENT, assertThrows(DtsEditException.class,
                    () -> ok.setProperty("/c", "v", bad), bad).error(), bad);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, ok.content());
        ok.setProperty("/c", "v", "<(1 + 2) 0x3>, \"s;{}\", [00 01], <&{/c}>");
        assertEquals("<(1 + 2) 0x3>, \"s;{}\", [00 01], <&{/c}>", ok.getProperty("/c", "v"));
    }

    @Test
    void preprocessorLinesAndPropertyNamesStartingWithHash() throws Exception {
        String src = "#ifndef GUARD\n#define GUARD\n#include <dt-bindings/x.h>\n#define X(a) \\\n\t(a + 1)\n/ {\n#address-cells = <1>;\n"
                + "#if 0\n\tq = <X(1)>;\n#endif\n};\n#endif\n";
        DtsSourceEditor e = ed(src);
        assertEquals("<1>", e.getProperty("/", "#address-cells"));
        assertEquals("<X(1)>", e.getProperty("/", "q"));
        e.setProperty("/", "#address-cells", "<2>");
        assertEquals(src.replace("<1>", "<2>"), out(e));
        assertEquals(DtsEditError.AMBIGUOUS, assertThrows(DtsEditException.class, () -> e.setProperty("/", "q", "<3>")).error(),
                "q is inside #if 0 (the include guard around everything does not count)");
    }

    @Test
    void hundredThousandLabelledNodesAndDeepNesting() throws Exception {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n/ {\n");
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            sb.append("\tl").append(i).append(": dev@").append(Integer.toHexString(i))
                    .append(" {\n\t\treg = <").append(i).append(">;\n\t};\n");
        }
        sb.append("};\n");
        for (int i = 0; i < n; i += 100) {
            sb.append("&l").append(i).append(" {\n\tstatus = \"okay\";\n};\n");
        }
        String src = sb.toString();
        DtsSourceEditor e = ed(src);
        e.setProperty("&l99900", "status", "\"disabled\"");
        e.setProperty("/dev@1869f", "reg", "<7>");
        String res = out(e);
        assertEquals(src.length() + 4 - 4, res.length()); // okay->disabled, 99999->7
        assertTrue(res.endsWith("&l99900 {\n\tstatus = \"disabled\";\n};\n"));
        assertTrue(res.contains("l99999: dev@1869f {\n\t\treg = <7>;"));

        StringBuilder deep = new StringBuilder("/ {\n");
        int depth = 5_000; // paths are strings: total path text grows with depth squared
        for (int i = 0; i < depth; i++) {
            deep.append("n {\n");
        }
        for (int i = 0; i < depth; i++) {
            deep.append("};\n");
        }
        deep.append("};\n");
        DtsSourceEditor d = ed(deep.toString());
        String path = "/n".repeat(depth);
        d.setProperty(path, "leaf", "<1>");
        assertTrue(out(d).contains("n {\n\tleaf = <1>;\n};\n"));
        d.deleteNode("/n");
        assertEquals("/ {\n};\n", out(d));
    }

    @Test
    void valueRenderersCompileToTheBytesMeant() throws Exception {
        ReferenceTool.require("dtc");
        assertEquals("<0x0 0x80000000 0x1 0x0>", DtsValueText.addressSize(2, 2, 0x80000000L, 0x100000000L));
        assertEquals("<0x80000000 0x1000>", DtsValueText.addressSize(1, 1, 0x80000000L, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> DtsValueText.addressSize(1, 1, 0x100000000L, 1));
        assertThrows(IllegalArgumentException.class, () -> DtsValueText.cells(-1));
        String src = "/dts-v1/;\n/ {\n\ts = " + DtsValueText.string("a\"b\\c\n\t\u0001é") + ";\n"
                + "\tl = " + DtsValueText.strings(List.of("x", "y")) + ";\n"
                + "\tc = " + DtsValueText.cells(0, 0xffffffffL) + ";\n"
                + "\tb = " + DtsValueText.bytes(new byte[] {0, (byte) 0xab, 0x10}) + ";\n"
                + "\tq = " + DtsValueText.bits64(0x0123456789abcdefL, -1L) + ";\n};\n";
        Path f = tmp.resolve("v.dts");
        Files.write(f, src.getBytes(StandardCharsets.UTF_8));
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", "-O", "dtb", "-o", tmp.resolve("v.dtb").toString(), f.toString());
        assertEquals(0, r.exit(), r.stderr());
        byte[] dtb = Files.readAllBytes(tmp.resolve("v.dtb"));
        assertArrayEquals(new byte[] {'a', '"', 'b', '\\', 'c', '\n', '\t', 1, (byte) 0xc3, (byte) 0xa9, 0},
                DtbDiff.property(dtb, "/", "s"));
        assertArrayEquals(new byte[] {'x', 0, 'y', 0}, DtbDiff.property(dtb, "/", "l"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, -1, -1, -1, -1}, DtbDiff.property(dtb, "/", "c"));
        assertArrayEquals(new byte[] {0, (byte) 0xab, 0x10}, DtbDiff.property(dtb, "/", "b"));
        assertArrayEquals(new byte[] {1, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef,
            -1, -1, -1, -1, -1, -1, -1, -1}, DtbDiff.property(dtb, "/", "q"));
        assertFalse(DtsValueText.string("plain").contains("\\"));
    }
}
