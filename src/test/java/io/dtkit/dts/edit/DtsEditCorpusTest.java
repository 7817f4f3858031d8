package io.dtkit.dts.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edits raw kernel board sources (with their #includes, macros and &label blocks) from the
 * shared corpus: each edit must change only the bytes it reports, and cpp + dtc of the edited
 * copy must give a DTB that differs from the original's exactly by that edit. By default every
 * 10th board runs (15 boards); {@code -Ddtkit.dtsedit.allBoards=true} runs all 150.
 */
class DtsEditCorpusTest {
    private static final String BOOTARGS = "console=ttyS0,115200 crashkernel=256M";
    private static final Pattern CELLS = Pattern.compile("<\\s*(\\d+)\\s*>");
    private static final int[] COUNTS = new int[6];

    @TempDir
    Path tmp;

    record Board(String name, Path source, List<Path> cppDirs, Path dtcDir) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Board> boards() throws IOException {
        Path root = Shared.resolve("corpus/linux-arm64");
        boolean all = Boolean.getBoolean("dtkit.dtsedit.allBoards");
        List<Board> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(root.resolve("manifest.tsv"));
        for (int i = 1; i < lines.size(); i++) {
            if (!all && (i - 1) % 10 != 0) {
                continue;
            }
            String[] f = lines.get(i).split("\t");
            List<Path> dirs = new ArrayList<>();
            for (String d : f[2].split(" ")) {
                dirs.add(root.resolve(d));
            }
            out.add(new Board(f[0], root.resolve(f[1]), dirs, root.resolve(f[3])));
        }
        return out.stream();
    }

    @AfterAll
    static void report() {
        System.out.printf("dtsedit corpus: %d boards, %d edits checked against dtc, %d of them by override block,"
                + " %d deletes refused (defined in an include), %d boards without a 'model' anywhere,"
                + " %d nodes deleted%n", COUNTS[0], COUNTS[1], COUNTS[2], COUNTS[3], COUNTS[4], COUNTS[5]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void editBoard(Board b) throws Exception {
        byte[] original = Files.readAllBytes(b.source());
        byte[] dtb0 = DtbDiff.compile(b.source(), b.cppDirs(), b.dtcDir(), tmp.resolve("orig"));
        List<Path> incl = new ArrayList<>(b.cppDirs());
        incl.add(b.dtcDir());
        synchronized (COUNTS) {
            COUNTS[0]++;
        }

        // 0. the editor's merged view has exactly the nodes and properties dtc produced
        DtsSourceEditor view = editor(b, original, incl);
        java.util.Map<String, java.util.Map<String, byte[]>> tree = DtbDiff.flatten(dtb0);
        java.util.Set<String> indexed = new java.util.TreeSet<>();
        view.index().nodes.forEach((p, n) -> {
            if (!n.blocks.isEmpty()) {
                indexed.add(p);
            }
        });
        java.util.Set<String> missing = new java.util.TreeSet<>(tree.keySet());
        missing.removeAll(indexed);
        // nodes made by function-like macros (e.g. PIN(...) in exynos pinctrl) are not seen
        missing.removeIf(p -> {
            String q = p;
            while (!indexed.contains(q)) {
                q = q.substring(0, Math.max(1, q.lastIndexOf('/')));
            }
            return view.index().node(q).opaque > 0;
        });
        java.util.Set<String> extra = new java.util.TreeSet<>(indexed);
        extra.removeAll(tree.keySet());
        assertEquals("[] []", missing + " " + extra, b + ": node paths only dtc has, and only the editor has");
        for (var e : tree.entrySet()) {
            java.util.Set<String> props = new java.util.TreeSet<>(e.getValue().keySet());
            props.remove("phandle"); // made by dtc for referenced nodes
            if (view.index().node(e.getKey()) == null) {
                continue; // made by a macro, see above
            }
            java.util.Set<String> mine = new java.util.TreeSet<>(view.index().node(e.getKey()).props.keySet());
            mine.remove("phandle");
            java.util.Set<String> m2 = new java.util.TreeSet<>(props);
            m2.removeAll(mine);
            mine.removeAll(props);
            assertEquals("[] []", m2 + " " + mine, b + ": properties of " + e.getKey() + " only dtc has, and only the editor has");
        }

        // 1. /chosen bootargs (the node may be missing, or live only in a .dtsi)
        DtsSourceEditor ed = editor(b, original, incl);
        List<String> expect = new ArrayList<>();
        if (!ed.hasNode("/chosen")) {
            ed.addNode("/", "chosen");
            expect.add("+/chosen");
        } else {
            expect.add((ed.findProperty("/chosen", "bootargs").isPresent() ? "~" : "+") + "/chosen:bootargs");
        }
        String old = ed.findProperty("/chosen", "bootargs").orElse(null);
        ed.setProperty("/chosen", "bootargs", DtsValueText.string(BOOTARGS));
        byte[] dtb1 = check(b, "bootargs", original, ed, dtb0, expect);
        assertArrayEquals((BOOTARGS + "\0").getBytes(StandardCharsets.US_ASCII),
                DtbDiff.property(dtb1, "/chosen", "bootargs"), b + ": bootargs bytes");
        if (old != null && ed.edits().size() == 1 && ed.edits().get(0).inserted().equals(DtsValueText.string(BOOTARGS))) {
            assertEquals(old, ed.edits().get(0).removed(), b + ": only the old value was replaced");
        }

        // 2. linux,usable-memory-range in the root's cells
        ed = editor(b, original, incl);
        int ac = cells(ed, "#address-cells", 2);
        int sc = cells(ed, "#size-cells", 1);
        expect = new ArrayList<>();
        if (!ed.hasNode("/chosen")) {
            ed.addNode("/", "chosen");
            expect.add("+/chosen");
        } else {
            expect.add("+/chosen:linux,usable-memory-range");
        }
        ed.setProperty("/chosen", "linux,usable-memory-range",
                DtsValueText.addressSize(ac, sc, 0x80000000L, 0x10000000L));
        byte[] dtb2 = check(b, "usable-memory-range", original, ed, dtb0, expect);
        byte[] range = DtbDiff.property(dtb2, "/chosen", "linux,usable-memory-range");
        assertEquals(4 * (ac + sc), range.length, b + ": range size");
        assertEquals((byte) 0x80, range[4 * (ac - 1)], b + ": base's high byte in the last address cell");

        // 3. delete /model (refused when it lives only in an include)
        ed = editor(b, original, incl);
        if (ed.findProperty("/", "model").isEmpty()) {
            synchronized (COUNTS) {
                COUNTS[4]++;
            }
        } else {
            try {
                ed.deleteProperty("/", "model");
                check(b, "delete model", original, ed, dtb0, List.of("-/:model"));
            } catch (DtsEditException e) {
                assertEquals(DtsEditError.IN_INCLUDED_FILE, e.error(), b + ": " + e.getMessage());
                assertTrue(e.getMessage().matches(".*is defined in \\S+\\.dtsi?:\\d+.*"), e.getMessage());
                assertArrayEquals(original, ed.content(), b + ": refused edit changed the file");
                synchronized (COUNTS) {
                    COUNTS[3]++;
                }
            }
        }

        // 3b. delete /cpus #address-cells without override blocks: either a plain delete in
        // this file, or a refusal naming a file and line that really holds the property
        ed = DtsSourceEditor.of(b.source(), original, incl);
        boolean inDtb = DtbDiff.property(dtb0, "/cpus", "#address-cells") != null;
        assertEquals(inDtb, ed.hasNode("/cpus") && ed.findProperty("/cpus", "#address-cells").isPresent(),
                b + ": editor and dtc agree whether /cpus has #address-cells");
        if (inDtb) {
            try {
                ed.deleteProperty("/cpus", "#address-cells");
                check(b, "delete cpus cells", original, ed, dtb0, List.of("-/cpus:#address-cells"));
            } catch (DtsEditException e) {
                assertEquals(DtsEditError.IN_INCLUDED_FILE, e.error(), b + ": " + e.getMessage());
                assertArrayEquals(original, ed.content(), b + ": refused edit changed the file");
                Matcher m = Pattern.compile("is defined in (\\S+):(\\d+);").matcher(e.getMessage());
                assertTrue(m.find(), e.getMessage());
                Path named = b.source().getParent().resolve(m.group(1));
                if (!Files.exists(named)) {
                    named = Path.of(m.group(1));
                }
                String line = Files.readAllLines(named, StandardCharsets.ISO_8859_1).get(Integer.parseInt(m.group(2)) - 1);
                assertTrue(line.contains("#address-cells"), b + ": refusal points at " + line);
                synchronized (COUNTS) {
                    COUNTS[3]++;
                }
            }
        }

        // 3c. delete a node that only this file defines and that refers to no other (the last in path order)
        ed = editor(b, original, incl);
        String victim = null;
        for (var e : ed.index().nodes.entrySet()) {
            if ("/".equals(e.getKey()) || e.getValue().blocks.isEmpty()) {
                continue;
            }
            boolean mine = true;
            for (var x : ed.index().nodes.subMap(e.getKey(), true, e.getKey() + "/\uffff", true).values()) {
                for (var blk : x.blocks) {
                    // no references out of it either: dtc would renumber phandles
                    mine &= blk.file == ed.index().main && blk.stmtEnd > 0
                            && blk.file.text.substring(blk.stmtStart, blk.stmtEnd).indexOf('&') < 0;
                }
            }
            if (mine) {
                victim = e.getKey();
            }
        }
        if (victim != null) {
            try {
                ed.deleteNode(victim);
                check(b, "delete node", original, ed, dtb0, List.of("-" + victim));
                synchronized (COUNTS) {
                    COUNTS[5]++;
                }
            } catch (DtsEditException e) {
                assertEquals(DtsEditError.IN_USE, e.error(), b + ": " + e.getMessage());
                assertArrayEquals(original, ed.content(), b + ": refused edit changed the file");
            }
        }

        // 3d. a property set through a label: dtc must put it on the node the editor resolved
        ed = editor(b, original, incl);
        SourceIndex idx = ed.index();
        String label = null;
        for (var e : new java.util.TreeMap<>(idx.labels).entrySet()) {
            SourceIndex.NodeInfo ni = idx.node(e.getValue());
            if (ni != null && !idx.ambiguousLabels.contains(e.getKey())
                    && ni.blocks.stream().anyMatch(x -> x.file == idx.main)) {
                label = e.getKey();
            }
        }
        if (label != null) {
            String path = ed.resolve("&" + label);
            ed.setProperty("&" + label, "dtkit,test", "<1>");
            check(b, "set via label", original, ed, dtb0, List.of("+" + path + ":dtkit,test"));
        }

        // 4. a new node under the root
        ed = editor(b, original, incl);
        ed.addNode("/", "dtkit-test");
        ed.setProperty("/dtkit-test", "compatible", DtsValueText.strings(List.of("dtkit,test", "dtkit")));
        check(b, "add node", original, ed, dtb0, List.of("+/dtkit-test"));
    }

    private static DtsSourceEditor editor(Board b, byte[] original, List<Path> incl) throws DtsEditException {
        return DtsSourceEditor.of(b.source(), original, incl).allowOverrideBlock(true);
    }

    private static int cells(DtsSourceEditor ed, String name, int dflt) throws DtsEditException {
        return ed.findProperty("/", name).map(v -> {
            Matcher m = CELLS.matcher(v);
            return m.matches() ? Integer.parseInt(m.group(1)) : dflt;
        }).orElse(dflt);
    }

    /**
     * (a) the output is the original with the reported edits applied, and the bytes outside
     * the edited spans are identical; (b) cpp + dtc of it differs from the original DTB by
     * exactly {@code expectDiff}.
     */
    private byte[] check(Board b, String what, byte[] original, DtsSourceEditor ed, byte[] dtb0,
                         List<String> expectDiff) throws Exception {
        String before = new String(original, StandardCharsets.ISO_8859_1);
        String after = new String(ed.content(), StandardCharsets.ISO_8859_1);
        String replay = before;
        for (TextEdit e : ed.edits()) {
            assertEquals(e.removed(), replay.substring(e.offset(), e.offset() + e.removed().length()),
                    b + " " + what + ": edit removes what it says");
            replay = replay.substring(0, e.offset()) + e.inserted() + replay.substring(e.offset() + e.removed().length());
        }
        assertEquals(after, replay, b + " " + what + ": output = original + reported edits");
        int pre = 0;
        while (pre < before.length() && pre < after.length() && before.charAt(pre) == after.charAt(pre)) {
            pre++;
        }
        int suf = 0;
        while (suf < before.length() - pre && suf < after.length() - pre
                && before.charAt(before.length() - 1 - suf) == after.charAt(after.length() - 1 - suf)) {
            suf++;
        }
        int changedLen = before.length() - pre - suf;
        int touched = 0;
        for (TextEdit e : ed.edits()) {
            touched += e.removed().length();
        }
        if (ed.edits().size() == 1) {
            assertTrue(pre >= ed.edits().get(0).offset() && changedLen <= touched,
                    b + " " + what + ": bytes changed outside the edit");
        }
        for (TextEdit e : ed.edits()) {
            String r = e.removed().strip();
            if (!r.isEmpty() && !r.startsWith("\"") && !r.startsWith("<") && !what.equals("delete node")) {
                assertTrue((r.startsWith("model") || r.startsWith("#address-cells"))
                        && (r.endsWith(";") || r.endsWith("*/")),
                        b + " " + what + ": removed more than a statement: " + r);
            }
        }
        Path dir = Files.createDirectories(tmp.resolve(what.replace(' ', '-')));
        Path edited = dir.resolve(b.source().getFileName());
        Files.write(edited, ed.content());
        byte[] dtb1 = DtbDiff.compile(edited, b.cppDirs(), b.dtcDir(), dir);
        List<String> diff = DtbDiff.diff(dtb0, dtb1);
        if (!diff.equals(expectDiff.stream().sorted().toList())) {
            fail(b + " " + what + ": DTB changed by " + diff + ", expected " + expectDiff + "\nedits: " + ed.edits());
        }
        synchronized (COUNTS) {
            COUNTS[1]++;
            if (ed.edits().stream().anyMatch(e -> e.offset() == before.length() && e.inserted().contains("{"))) {
                COUNTS[2]++;
            }
        }
        return dtb1;
    }
}
