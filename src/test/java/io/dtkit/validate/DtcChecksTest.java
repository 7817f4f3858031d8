package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.Span;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check engine on hand-built trees: configuration, labels, markers, aborts and scale. */
class DtcChecksTest {
    private static Node node(String name, List<Property> props, Node... kids) {
        return Node.of(name, props, List.of(kids));
    }

    private static Node labelled(String name, List<String> labels, List<Property> props,
                                 Node... kids) {
        return new Node(name, props, List.of(kids), labels, null);
    }

    private static Property cells(String name, long... v) {
        return Property.of(name, Value.ofCells(v));
    }

    /** Cells as a blob gives them: without type markers. */
    private static Property rawCells(String name, long... v) {
        return Property.of(name, Value.of(Value.ofCells(v).bytes()));
    }

    private static Property string(String name, String v) {
        return Property.of(name, Value.ofString(v));
    }

    private static List<String> lines(List<Diagnostic> ds) {
        return ds.stream().map(Diagnostic::render).toList();
    }

    @Test
    void tableHasDtcsNamesInOrder() {
        List<String> names = DtcChecks.checkNames();
        assertEquals(88, names.size());
        assertEquals("duplicate_node_names", names.get(0));
        assertEquals("always_fail", names.get(names.size() - 1));
        // dtc lists each provider check before its cell-count check (see flags-error-provider-order.dts)
        assertTrue(names.indexOf("clocks_property") + 1 == names.indexOf("clocks_is_cell"));
        assertFalse(names.contains("interrupt_map"), "dtc 1.6.1 has no interrupt_map check");
        assertFalse(names.contains("interrupt_cells_is_cell"));
    }

    @Test
    void defaultLevels() {
        DtcChecks.Config c = DtcChecks.Config.defaults();
        assertEquals(DtcChecks.Level.ERROR, c.level("duplicate_node_names"));
        assertEquals(DtcChecks.Level.ERROR, c.level("omit_unused_nodes"));
        assertEquals(DtcChecks.Level.ERROR, c.level("name_is_string"));
        assertEquals(DtcChecks.Level.WARNING, c.level("node_name_vs_property_name"));
        assertEquals(DtcChecks.Level.WARNING, c.level("clocks_is_cell"));
        for (String off : List.of("property_name_chars_strict", "node_name_chars_strict",
                "unique_unit_address_if_enabled", "deprecated_gpio_property", "always_fail")) {
            assertEquals(DtcChecks.Level.OFF, c.level(off), off);
        }
    }

    @Test
    void unknownNamesGiveDtcsMessage() {
        DtcChecks.Config c = DtcChecks.Config.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.warning("no-interrupt_map"));
        assertEquals("Unrecognized check name \"interrupt_map\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.error("foo"));
        assertEquals("Unrecognized check name \"foo\"", e.getMessage());
    }

    @Test
    void unknownNameMessageIsDtcs(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("e.dts"), "/dts-v1/;\n/ { };\n");
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-W", "no-nosuch", "-o",
                "out.dtb", "e.dts");
        assertEquals(1, r.exit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DtcChecks.Config.defaults().warning("no-nosuch"));
        assertEquals(r.stderr().trim(), "FATAL ERROR: " + e.getMessage());
    }

    @Test
    void loweringFollowsDependentsAndRaisingFollowsPrerequisites() {
        DtcChecks.Config c = DtcChecks.Config.defaults().warning("no-address_cells_is_cell");
        assertEquals(DtcChecks.Level.OFF, c.level("addr_size_cells"));
        assertEquals(DtcChecks.Level.OFF, c.level("reg_format"));
        assertEquals(DtcChecks.Level.OFF, c.level("pci_device_reg"));
        assertEquals(DtcChecks.Level.WARNING, c.level("size_cells_is_cell"));

        c = DtcChecks.Config.defaults().error("reg_format");
        assertEquals(DtcChecks.Level.ERROR, c.level("addr_size_cells"));
        assertEquals(DtcChecks.Level.ERROR, c.level("address_cells_is_cell"));
        assertEquals(DtcChecks.Level.WARNING, c.level("ranges_format"));

        // -W no- only lowers the warning flag: an error check stays an error
        c = DtcChecks.Config.defaults().warning("no-duplicate_node_names");
        assertEquals(DtcChecks.Level.ERROR, c.level("duplicate_node_names"));
        c = DtcChecks.Config.defaults().error("no_duplicate_node_names");
        assertEquals(DtcChecks.Level.OFF, c.level("duplicate_node_names"));
        assertEquals(DtcChecks.Level.OFF, c.level("phandle_references"));

        assertEquals(DtcChecks.Config.defaults().warning("always_fail"),
                DtcChecks.Config.fromOptions(List.of("-Walways_fail")));
        assertThrows(IllegalArgumentException.class,
                () -> DtcChecks.Config.fromOptions(List.of("-W")));
    }

    @Test
    void fallbackPositionAndPaths() {
        Node root = node("", List.of(cells("#address-cells", 1), cells("#size-cells", 1)),
                node("a@1", List.of()));
        List<Diagnostic> ds = DtcChecks.run(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "<stdout>");
        assertEquals(List.of("<stdout>: Warning (unit_address_vs_reg): /a@1: node has a unit "
                + "name, but no reg or ranges property"), lines(ds));
        Diagnostic d = ds.get(0);
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("/a@1", d.nodePath());
        assertNull(d.property());
        assertTrue(d.span().isFileOnly());
    }

    @Test
    void propertyPositionWinsOverNodePosition() {
        Span nodeSpan = new Span("x.dts", 3, 2, 5, 3);
        Span propSpan = new Span("x.dts", 4, 3, 4, 17);
        Node a = new Node("a", List.of(new Property("model", Value.ofCells(1), List.of(),
                propSpan)), List.of(), List.of(), nodeSpan);
        List<Diagnostic> ds = DtcChecks.run(DeviceTree.of(node("", List.of(), a)),
                DtcChecks.Config.defaults(), "out.dtb");
        assertEquals(List.of("x.dts:4.3-17: Warning (model_is_string): /a:model: property is not"
                + " a string"), lines(ds));
    }

    /** Labels only exist in source; the expected lines are dtc's for the same tree in DTS. */
    @Test
    void duplicateLabels(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("dl.dts"), "/dts-v1/;\n/ { x: a { }; x: b { }; "
                + "c { y: p = <1 z: 2>; }; y: d { z: q; }; };\n");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-o", "out.dtb", "dl.dts");
        List<String> expected = new ArrayList<>();
        for (String l : ref.stderr().split("\n")) {
            // drop dtc's source position: the hand-built tree has none
            expected.add(l.startsWith("dl.dts:") ? "out.dtb" + l.substring(l.indexOf(": ")) : l);
        }
        Value pv = Value.of(new byte[] {0, 0, 0, 1, 0, 0, 0, 2},
                List.of(Marker.type(0, MarkerType.TYPE_UINT32), new Marker(4, MarkerType.LABEL, "z")));
        Node root = node("",
                List.of(),
                labelled("a", List.of("x"), List.of()),
                labelled("b", List.of("x"), List.of()),
                node("c", List.of(new Property("p", pv, List.of("y"), null))),
                labelled("d", List.of("y"), List.of(new Property("q", Value.EMPTY, List.of("z"), null))));
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        List<String> ours = new ArrayList<>(lines(r.diagnostics()));
        assertTrue(r.hasErrors());
        ours.add(DtcChecks.ABORT_MESSAGE);
        assertEquals(expected, ours);
    }

    /** A phandle property may only refer to its own node; text compared with dtc's. */
    @Test
    void phandlePropertiesReferringElsewhere(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("ep.dts"), "/dts-v1/;\n/ { o: other { }; s: self { phandle"
                + " = <&s>; }; a { phandle = <&o>; }; b { linux,phandle = <&{/other}>; }; };\n");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-o", "out.dtb", "ep.dts");
        List<String> expected = new ArrayList<>();
        for (String l : ref.stderr().split("\n")) {
            expected.add(l.startsWith("ep.dts:") ? "out.dtb" + l.substring(l.indexOf(": ")) : l);
        }
        Node root = node("",
                List.of(),
                labelled("other", List.of("o"), List.of(cells("phandle", 1))),
                labelled("self", List.of("s"), List.of(ref("phandle", "s", 2))),
                node("a", List.of(ref("phandle", "o", 1))),
                node("b", List.of(ref("linux,phandle", "/other", 1))));
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        List<String> ours = new ArrayList<>(lines(r.diagnostics()));
        ours.add(DtcChecks.ABORT_MESSAGE);
        assertEquals(expected, ours);
    }

    /** A one-cell value holding a resolved reference, as the compiler leaves it. */
    private static Property ref(String name, String target, long value) {
        Value v = Value.of(Value.ofCells(value).bytes(), List.of(Marker.type(0, MarkerType.TYPE_UINT32),
                new Marker(0, MarkerType.REF_PHANDLE, target)));
        return Property.of(name, v);
    }

    @Test
    void referenceDiagnosticsArePlacedAndFailDependents() {
        Node root = node("", List.of(), node("f", List.of(cells("clocks", 1))));
        Diagnostic unresolved = new Diagnostic(Severity.ERROR, "phandle_references",
                new Span("x.dts", 3, 1, 3, 20), "/f", null,
                "Reference to non-existent node or label \"c\"\n");
        DtcChecks.Config c = DtcChecks.Config.defaults().error("no-phandle_references")
                .warning("phandle_references").warning("clocks_property");
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), c, "out.dtb",
                List.of(unresolved));
        List<String> l = lines(r.diagnostics());
        assertEquals("x.dts:3.1-20: Warning (phandle_references): /f: Reference to non-existent "
                + "node or label \"c\"\n", l.get(0));
        assertTrue(l.contains("out.dtb: Warning (clocks_property): Failed prerequisite "
                + "'phandle_references'"), l.toString());
        assertFalse(r.hasErrors());

        r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(), "out.dtb",
                List.of(unresolved));
        assertTrue(r.hasErrors());
        assertEquals(1, r.diagnostics().size(), "checking stops after the failed error check");
        assertEquals(Severity.ERROR, r.diagnostics().get(0).severity());

        Diagnostic other = new Diagnostic(Severity.ERROR, "reg_format", null, null, null, "x");
        assertThrows(IllegalArgumentException.class, () -> DtcChecks.check(DeviceTree.of(root),
                DtcChecks.Config.defaults(), "out.dtb", List.of(other)));
    }

    @Test
    void redundantNamePropertiesAreDroppedFromTheResultTree() {
        Node same = node("same", List.of(string("name", "same")), node("name", List.of()));
        Node root = node("", List.of(), same, node("keep", List.of()));
        DeviceTree tree = DeviceTree.of(root);
        DtcChecks.Result r = DtcChecks.check(tree, DtcChecks.Config.defaults(), "out.dtb",
                List.of());
        // with "name" gone, the child called "name" no longer clashes with a property
        assertEquals(List.of(), lines(r.diagnostics()));
        assertNull(r.tree().node("/same").property("name"));
        assertNotNull(r.tree().node("/same/name"));
        assertSame(root.children().get(1), r.tree().root().children().get(1), "untouched nodes shared");
        assertNotNull(tree.node("/same").property("name"), "input tree unchanged");

        DtcChecks.Result clean = DtcChecks.check(DeviceTree.of(node("", List.of())),
                DtcChecks.Config.defaults(), "o", List.of());
        assertFalse(clean.hasErrors());
        assertNull(DtcChecks.verdict(clean, false, 0));
    }

    /** The closing line, compared with dtc's for -f and -qqq. */
    @Test
    void verdictLines(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("v.dts"), "/dts-v1/;\n/ { model = <1>; };\n");
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(node("", List.of(cells("model", 1)))),
                DtcChecks.Config.defaults().error("model_is_string"), "out.dtb", List.of());
        for (List<String> extra : List.of(List.<String>of(), List.of("-f"), List.of("-f", "-qqq"))) {
            List<String> cmd = new ArrayList<>(List.of("dtc", "-E", "model_is_string", "-o", "out.dtb"));
            cmd.addAll(extra);
            cmd.add("v.dts");
            ReferenceTool.Result ref = ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
            String[] l = ref.stderr().split("\n");
            String last = ref.stderr().isEmpty() ? null : l[l.length - 1];
            if (last != null && last.startsWith("v.dts:")) {
                last = null; // only the check message: no closing line
            }
            assertEquals(last, DtcChecks.verdict(r, extra.contains("-f"),
                    extra.contains("-qqq") ? 3 : 0), extra.toString());
            assertEquals(extra.isEmpty() ? DtcChecks.ERROR_EXIT : 0, ref.exit(), extra.toString());
        }
    }

    @Test
    void gpioCellsThatDtcAssertsOnBecomeAnError() {
        Node root = node("", List.of(),
                node("g", List.of(string("#gpio-cells", "x"), cells("phandle", 1))),
                node("a", List.of(cells("foo-gpios", 1, 2))),
                node("b", List.of(cells("model", 1))));
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        assertTrue(r.hasErrors());
        Diagnostic last = r.diagnostics().get(r.diagnostics().size() - 1);
        assertEquals(Severity.ERROR, last.severity());
        assertEquals("gpios_property", last.check());
        assertTrue(last.message().contains("'#gpio-cells' of /g"), last.message());
        assertTrue(r.diagnostics().stream().noneMatch(d -> "interrupt_provider".equals(d.check())));
    }

    @Test
    void cellCountThatNeverAdvancesIsRefusedInsteadOfLooping() {
        Node root = node("", List.of(),
                node("clk", List.of(cells("#clock-cells", 0xffffffffL), cells("phandle", 1))),
                node("a", List.of(cells("clocks", 1, 2))));
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        assertTrue(r.hasErrors());
        Diagnostic last = r.diagnostics().get(r.diagnostics().size() - 1);
        assertEquals("clocks_property", last.check());
        assertEquals("/a", last.nodePath());
    }

    @Test
    void cellCountsThatStepBackwardsAreRefusedInsteadOfLooping() {
        // cell 2 names a provider with #clock-cells = -2, sending the walk back to cell 1,
        // which names one with 0 cells, which leads to cell 2 again
        Node root = node("", List.of(),
                node("back", List.of(cells("#clock-cells", 0xfffffffeL), cells("phandle", 1))),
                node("zero", List.of(cells("#clock-cells", 0), cells("phandle", 2))),
                node("a", List.of(rawCells("clocks", 2, 2, 1))));
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        assertTrue(r.hasErrors());
        Diagnostic last = r.diagnostics().get(r.diagnostics().size() - 1);
        assertEquals(Severity.ERROR, last.severity());
        assertEquals("clocks_property", last.check());
        assertTrue(last.message().contains("loops forever"), last.message());
    }

    @Test
    void tenThousandSiblingsAndAHundredThousandNodes() {
        List<Node> groups = new ArrayList<>();
        for (int g = 0; g < 10; g++) {
            List<Node> kids = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                kids.add(node("dev@" + Integer.toHexString(i),
                        List.of(cells("reg", i, 1), cells("phandle", g * 10_000L + i + 1),
                                rawCells("clocks", g * 10_000L + (i + 1) % 10_000 + 1))));
            }
            groups.add(Node.of("bus" + g, List.of(cells("#address-cells", 1),
                    cells("#size-cells", 1), cells("#clock-cells", 0), Property.of("ranges", Value.EMPTY)),
                    kids));
        }
        // every duplicate unit address is reported once per pair, in dtc's order
        groups.add(node("dups", List.of(cells("#address-cells", 1), cells("#size-cells", 0)),
                node("x@1", List.of(cells("reg", 1))), node("x@1", List.of(cells("reg", 1)))));
        Node root = Node.of("", List.of(cells("#address-cells", 1), cells("#size-cells", 1)), groups);
        DtcChecks.Result r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(),
                "out.dtb", List.of());
        assertTrue(r.hasErrors(), "duplicate node names are an error");
        assertEquals(List.of("out.dtb: ERROR (duplicate_node_names): /dups/x@1: Duplicate node name"),
                lines(r.diagnostics()));

        groups.remove(groups.size() - 1);
        root = Node.of("", List.of(cells("#address-cells", 1), cells("#size-cells", 1)), groups);
        r = DtcChecks.check(DeviceTree.of(root), DtcChecks.Config.defaults(), "out.dtb", List.of());
        // each clocks entry names a device, which has no #clock-cells
        assertEquals(100_000, r.diagnostics().size());
        assertEquals("clocks_property", r.diagnostics().get(0).check());
    }

    @Test
    void deepTreesNeedNoDeepStack() {
        Node n = node("leaf@1", List.of());
        for (int i = 0; i < 100_000; i++) {
            n = node("n", List.of(), n);
        }
        Node root = node("", List.of(), n);
        List<Diagnostic> ds = DtcChecks.run(DeviceTree.of(root), DtcChecks.Config.defaults(), "o");
        assertEquals(1, ds.size());
        assertEquals("unit_address_vs_reg", ds.get(0).check());
        assertTrue(ds.get(0).nodePath().endsWith("/n/n/leaf@1"));
        assertEquals(2 * 100_000 + "/leaf@1".length(), ds.get(0).nodePath().length());
    }
}
