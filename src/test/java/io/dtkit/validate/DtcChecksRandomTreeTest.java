package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random trees built from the names and properties the checks look at (buses,
 * cell sizes, phandles, providers, interrupts, graphs, /chosen, aliases), written as blobs and
 * checked by us and by dtc 1.6.1: identical messages. Where dtc dies on an assertion, its
 * messages up to there must match ours and we must end in an error.
 */
class DtcChecksRandomTreeTest {
    private static final String[] NAMES = {"soc", "bus@1", "i2c@1", "i2c-bus", "spi@2", "spi",
        "pci@0", "pcie@1", "bridge@3", "port@0", "port@1", "port", "ports", "endpoint",
        "endpoint@1", "ep", "chosen", "aliases", "dev@10", "dev@0x10", "dev@010", "dev@1,2",
        "dev", "clk", "intc@0", "gpio@4", "memory@0", "name", "model", "x@1@2", "dev@0",
        "dev@1", "dev@2", "dev@3", "dev@100000000", "A_b", "node.x@1", "ba$d", "mux@1"};
    private static final String[] PROVIDERS = {"clocks", "dmas", "resets", "phys", "pwms",
        "interrupts-extended", "msi-parent", "iommus", "power-domains", "reset-gpios",
        "foo-gpio", "gpios"};
    private static final String[] CELL_NAMES = {"#clock-cells", "#dma-cells", "#reset-cells",
        "#phy-cells", "#pwm-cells", "#interrupt-cells", "#msi-cells", "#iommu-cells",
        "#power-domain-cells", "#gpio-cells"};

    static IntStream seeds() {
        return IntStream.range(0, Integer.getInteger("dtkit.randomTrees", 300));
    }

    private static Value cells(Random r, int n, int max) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(max);
        }
        return Value.of(Value.ofCells(v).bytes());
    }

    private static Value str(String s) {
        return Value.of(Value.ofString(s).bytes());
    }

    private static Property prop(Random r) {
        switch (r.nextInt(24)) {
            case 0: return Property.of("reg", cells(r, r.nextInt(6), 0x20));
            case 1: return Property.of("reg", Value.of(Value.ofCells(0x0800L * r.nextInt(4)
                    + 0x10000L * r.nextInt(3), 0, 0, 0, 0).bytes()));
            case 2: return Property.of("ranges", r.nextBoolean() ? Value.EMPTY : cells(r, r.nextInt(7), 0x40));
            case 3: return Property.of("#address-cells", r.nextInt(8) == 0 ? str("x")
                    : r.nextInt(12) == 0 ? Value.of(Value.ofCells(0xffffffffL).bytes()) : cells(r, 1, 4));
            case 4: return Property.of("#size-cells", r.nextInt(8) == 0 ? str("x") : cells(r, 1, 3));
            case 5: return Property.of("compatible", r.nextBoolean() ? str("simple-bus")
                    : r.nextInt(6) == 0 ? Value.of(new byte[] {'a', 0, 'b'}) : str("vendor,dev"));
            case 6: return Property.of("device_type", r.nextInt(4) == 0 ? cells(r, 1, 2)
                    : str(r.nextBoolean() ? "pci" : "memory"));
            case 7: return Property.of("status", r.nextInt(5) == 0 ? cells(r, 1, 2)
                    : str(r.nextBoolean() ? "disabled" : "okay"));
            case 8: return Property.of(r.nextBoolean() ? "phandle" : "linux,phandle",
                    Value.of(Value.ofCells(1 + r.nextInt(8)).bytes()));
            case 9: return Property.of(PROVIDERS[r.nextInt(PROVIDERS.length)], cells(r, 1 + r.nextInt(5), 9));
            case 10: return Property.of(CELL_NAMES[r.nextInt(CELL_NAMES.length)],
                    r.nextInt(10) == 0 ? Value.of(new byte[] {1, 2}) : cells(r, 1, 3));
            case 11: return Property.of("interrupts", r.nextInt(5) == 0 ? Value.of(new byte[3]) : cells(r, 1 + r.nextInt(4), 5));
            case 12: return Property.of("interrupt-parent", cells(r, 1, 9));
            case 13: return Property.of(r.nextBoolean() ? "interrupt-controller" : "interrupt-map", Value.EMPTY);
            case 14: return Property.of("remote-endpoint", cells(r, 1, 9));
            case 15: return Property.of(r.nextBoolean() ? "spi-max-frequency" : "spi-slave", cells(r, 1, 3));
            case 16: return Property.of("name", str(r.nextBoolean() ? "dev" : "other"));
            case 17: return Property.of(r.nextBoolean() ? "bootargs" : "linux,stdout-path",
                    r.nextBoolean() ? cells(r, 1, 3) : str("/soc"));
            case 18: return Property.of(r.nextBoolean() ? "serial0" : "Eth_1",
                    str(r.nextBoolean() ? "/soc" : "/nowhere"));
            case 19: return Property.of(r.nextBoolean() ? "model" : "label", r.nextBoolean() ? cells(r, 1, 2) : str("m"));
            case 20: return Property.of("bus-range", cells(r, 1 + r.nextInt(2), 0x120));
            case 21: return Property.of(r.nextBoolean() ? "clock-names" : "gpio-hog", r.nextBoolean() ? str("a") : cells(r, 1, 2));
            case 22: return Property.of(r.nextBoolean() ? "dma-ranges" : "soc", cells(r, r.nextInt(4), 4));
            default: return Property.of("#interrupt-cells", cells(r, 1, 4));
        }
    }

    static Node node(Random r, String name, int depth) {
        List<Property> props = new ArrayList<>();
        List<String> used = new ArrayList<>();
        int np = r.nextInt(6);
        for (int i = 0; i < np; i++) {
            Property p = prop(r);
            if (!used.contains(p.name()) || r.nextInt(40) == 0) {
                used.add(p.name());
                props.add(p);
            }
        }
        List<Node> kids = new ArrayList<>();
        List<String> kidNames = new ArrayList<>();
        int nk = depth >= 3 ? 0 : r.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < nk; i++) {
            String kn = NAMES[r.nextInt(NAMES.length)];
            if (!kidNames.contains(kn) || r.nextInt(40) == 0) {
                kidNames.add(kn);
                kids.add(node(r, kn, depth + 1));
            }
        }
        return Node.of(name, props, kids);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTreeMatchesDtc(int seed, @TempDir Path tmp) throws IOException {
        matchesDtc(seed, tmp, false);
    }

    /**
     * With -q (or -qq) warnings are not shown, and the run leaves out the warnings that can
     * change nothing else: the exit status, the messages still shown and the written tree must
     * stay dtc's.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quietRandomTreeMatchesDtc(int seed, @TempDir Path tmp) throws IOException {
        matchesDtc(seed, tmp, true);
    }

    /**
     * The tree of {@code seed}, checked by dtc and by us with the same options: a third of the
     * runs (half with {@code quiet}) also change check levels, the way -W and -E do.
     */
    private static void matchesDtc(int seed, Path tmp, boolean quiet) throws IOException {
        Random r = new Random(seed);
        DeviceTree tree = DeviceTree.of(node(r, "", 0));
        byte[] blob = DtbWriter.write(tree);
        Files.write(tmp.resolve("in.dtb"), blob);
        List<String> options = new ArrayList<>();
        if (quiet) {
            options.add(r.nextInt(4) == 0 ? "-qq" : "-q");
        }
        if (quiet ? r.nextBoolean() : r.nextInt(3) == 0) {
            List<String> names = DtcChecks.checkNames();
            for (int i = r.nextInt(3); i >= 0; i--) {
                options.add(r.nextBoolean() ? "-W" : "-E");
                options.add((r.nextInt(3) == 0 ? "no-" : "") + names.get(r.nextInt(names.size())));
            }
        }
        List<String> cmd = new ArrayList<>(List.of("dtc", "-I", "dtb", "-O", "dtb", "-o", "out.dtb"));
        cmd.addAll(options);
        cmd.add("in.dtb");
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
        List<String> expected = new ArrayList<>(ref.stderr().isEmpty() ? List.of()
                : Arrays.asList(ref.stderr().split("\n")));
        DtcChecks.Result ours = DtcChecks.check(DtbReader.read(blob),
                DtcChecks.Config.fromOptions(options), "out.dtb", List.of());
        String name = "seed " + seed + " " + options;
        try {
            compare(ref, expected, ours, DtcChecksDifferentialTest.render(ours), name);
            if (ref.exit() == 0) {
                assertEquals(Arrays.toString(Files.readAllBytes(tmp.resolve("out.dtb"))),
                        Arrays.toString(DtbWriter.write(ours.tree())), name + ": written tree");
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe tree:\n" + dts(tmp), e);
        }
    }

    /**
     * With -q a warning that cannot be seen is left out, but not one that may meet what dtc
     * aborts on: an interrupt provider whose #interrupt-cells is not one cell still stops the
     * run with an error, as dtc stops on its assertion.
     */
    @org.junit.jupiter.api.Test
    void quietRunStillStopsWhereDtcAborts(@TempDir Path tmp) throws IOException {
        DeviceTree tree = DeviceTree.of(Node.of("", List.of(), List.of(
                Node.of("intc", List.of(Property.of("interrupt-controller", Value.EMPTY),
                        Property.of("#interrupt-cells", Value.of(new byte[] {0, 1})),
                        Property.of("phandle", Value.of(Value.ofCells(1).bytes()))), List.of()),
                Node.of("dev", List.of(Property.of("interrupt-parent", Value.of(Value.ofCells(1).bytes())),
                        Property.of("interrupts", Value.of(Value.ofCells(1).bytes()))), List.of()))));
        byte[] blob = DtbWriter.write(tree);
        Files.write(tmp.resolve("in.dtb"), blob);
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dtb", "-o",
                "out.dtb", "in.dtb");
        assertEquals(134, ref.exit(), ref.stderr());
        DtcChecks.Result ours = DtcChecks.check(DtbReader.read(blob), DtcChecks.Config.fromOptions(List.of("-q")),
                "out.dtb", List.of());
        assertTrue(ours.hasErrors());
        Diagnostic last = ours.diagnostics().get(ours.diagnostics().size() - 1);
        assertEquals(Severity.ERROR, last.severity());
        assertEquals("interrupts_property", last.check());
    }

    private static void compare(ReferenceTool.Result ref, List<String> expected,
                                DtcChecks.Result ours, List<String> lines, String name) {
        if (ref.exit() == 134 || ref.exit() == 139) {
            // dtc died (an assertion, or a null pointer): same messages up to there, then our
            // error and refusal
            if (ref.exit() == 134) {
                expected.remove(expected.size() - 1);
            }
            assertTrue(ours.hasErrors(), name);
            Diagnostic last = ours.diagnostics().get(ours.diagnostics().size() - 1);
            assertEquals(Severity.ERROR, last.severity(), name);
            lines = lines.subList(0, lines.size() - 2);
        } else {
            assertEquals(ref.exit() == 2, ours.hasErrors(), name + ": exit status");
        }
        DtcChecksDifferentialTest.assertSameLines(expected, lines, name);
    }

    private static String dts(Path tmp) throws IOException {
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-q", "-f", "-I", "dtb", "-O", "dts",
                "in.dtb");
        return r.out();
    }
}
