package io.dtkit.validate;

import io.dtkit.validate.DtcCheckRun.Bus;
import io.dtkit.validate.DtcCheckRun.NodeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of dtc 1.6.1's tree checks: names, default levels, prerequisites and table order
 * (the order in which dtc runs them and in which their messages appear).
 */
final class DtcCheckTable {
    /** What one check does to one node. */
    @FunctionalInterface
    interface Body {
        void visit(DtcCheckRun run, int check, DtcCheckRun.NodeInfo node);
    }

    /**
     * One row of the table; {@code data} is the check's parameter (property name, provider),
     * {@code scope} the nodes on which its body can report or change anything.
     */
    record Def(String name, boolean warn, boolean error, List<String> prereqs, Body body,
               Object data, Scope scope) {
    }

    /** A phandle-plus-arguments property and the cell-count property of its providers. */
    record Provider(String propName, String cellName, boolean optional) {
    }

    /** How a run picks the nodes to hand to a check's body. */
    enum Reach {
        /** Every node. */
        EVERY,
        /** The nodes carrying one of {@code props} or {@code traits}, and the root if {@code root}. */
        SELECTED,
        /** Every node, but only once some bridge check has put a node on {@code bus}. */
        AFTER_BUS,
        /** Every node, but only when some label name occurs twice in the tree. */
        DUPLICATE_LABELS
    }

    /**
     * The nodes a check needs to see. A body visits a node to no effect unless the node has
     * one of these properties or traits (see {@link DtcCheckRun.NodeInfo}), so the run may
     * leave the others out: most checks look for one property that few nodes, or none, carry.
     * A scope may name more nodes than strictly needed, never fewer; nodes are still visited
     * in pre-order, so messages keep dtc's order.
     */
    record Scope(Reach reach, long props, int traits, boolean root, DtcCheckRun.Bus bus) {
        static Scope every() {
            return new Scope(Reach.EVERY, 0, 0, false, null);
        }

        static Scope props(String... names) {
            long m = 0;
            for (String n : names) {
                m |= 1L << propBit(n);
            }
            return new Scope(Reach.SELECTED, m, 0, false, null);
        }

        static Scope traits(int t) {
            return new Scope(Reach.SELECTED, 0, t, false, null);
        }

        static Scope rootOnly() {
            return new Scope(Reach.SELECTED, 0, 0, true, null);
        }

        static Scope afterBus(DtcCheckRun.Bus bus) {
            return new Scope(Reach.AFTER_BUS, 0, 0, false, bus);
        }

        static Scope duplicateLabels() {
            return new Scope(Reach.DUPLICATE_LABELS, 0, 0, false, null);
        }

        Scope plusTraits(int t) {
            return new Scope(reach, props, traits | t, root, bus);
        }

        Scope plusRoot() {
            return new Scope(reach, props, traits, true, bus);
        }
    }

    static final List<Def> CHECKS;
    /**
     * Per check, whether its body changes what other checks or the output read: the cell
     * sizes, the buses, the phandles, the properties. Such a check runs even when its messages
     * are not shown.
     */
    static final boolean[] CHANGES;
    /** Per check, whether it may stop the run on input dtc aborts or loops on. */
    static final boolean[] MAY_ABORT;
    /** Per check, whether it may stop the run, but only on a tree with odd cell counts. */
    static final boolean[] MAY_ABORT_ON_ODD_CELLS;
    static final Map<String, Integer> INDEX;
    /** Per check, the indices of its prerequisites. */
    static final int[][] PREREQS;
    /** Per check, the indices of the checks that have it as a prerequisite. */
    static final int[][] DEPENDENTS;
    /*
     * Bit numbers of the property names some scope selects on (one long per node), as an
     * open-addressed table: every property of every node is looked up here, and a general
     * map's probing and boxing cost more than the rest of that pass.
     */
    private static final int KEY_SLOTS = 256;
    private static final String[] KEY_NAMES = new String[KEY_SLOTS];
    private static final int[] KEY_BITS = new int[KEY_SLOTS];
    /** One bit per key-name hash (low 6 bits): a clear bit means "not a key name". */
    private static final long KEY_HASHES;

    private static final List<Def> defs = new ArrayList<>();
    private static final Map<String, Integer> propBits = new HashMap<>();

    private DtcCheckTable() {
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 8) ^ (hash >>> 16)) & (KEY_SLOTS - 1);
    }

    /** The scope bit of a property name, or -1 when no scope selects on it. */
    static int keyBit(String name) {
        int h = name.hashCode();
        if ((KEY_HASHES & (1L << h)) == 0) {
            return -1;
        }
        for (int i = slot(h); ; i = (i + 1) & (KEY_SLOTS - 1)) {
            String k = KEY_NAMES[i];
            if (k == null) {
                return -1;
            }
            if (k == name || (k.hashCode() == h && k.equals(name))) {
                return KEY_BITS[i];
            }
        }
    }

    private static int propBit(String name) {
        Integer b = propBits.get(name);
        if (b == null) {
            b = propBits.size();
            if (b >= Long.SIZE) {
                throw new IllegalStateException("more scope properties than bits: " + name);
            }
            propBits.put(name, b);
        }
        return b;
    }

    private static void check(String name, Body body, Object data, Scope scope, String... prereqs) {
        defs.add(new Def(name, false, false, List.of(prereqs), body, data, scope));
    }

    private static void warning(String name, Body body, Object data, Scope scope,
                                String... prereqs) {
        defs.add(new Def(name, true, false, List.of(prereqs), body, data, scope));
    }

    private static void error(String name, Body body, Object data, Scope scope, String... prereqs) {
        defs.add(new Def(name, false, true, List.of(prereqs), body, data, scope));
    }

    static {
        error("duplicate_node_names", DtcCheckRun::duplicateNodeNames, null,
                Scope.traits(NodeInfo.T_DUP_CHILDREN));
        error("duplicate_property_names", DtcCheckRun::duplicatePropertyNames, null,
                Scope.traits(NodeInfo.T_DUP_PROPS));
        error("node_name_chars", DtcCheckRun::nodeNameChars, null,
                Scope.traits(NodeInfo.T_BAD_NODE_CHARS));
        error("node_name_format", DtcCheckRun::nodeNameFormat, null,
                Scope.traits(NodeInfo.T_MULTI_AT), "node_name_chars");
        error("property_name_chars", DtcCheckRun::propertyNameChars, null,
                Scope.traits(NodeInfo.T_BAD_PROP_CHARS));
        error("name_is_string", DtcCheckRun::isString, "name", Scope.props("name"));
        error("name_properties", DtcCheckRun::nameProperties, null, Scope.props("name"),
                "name_is_string");
        warning("node_name_vs_property_name", DtcCheckRun::nodeNameVsPropertyName, null,
                Scope.traits(NodeInfo.T_NAME_VS_PROP), "node_name_chars");
        error("duplicate_label", DtcCheckRun::duplicateLabel, null, Scope.duplicateLabels());
        error("explicit_phandles", DtcCheckRun::explicitPhandles, null,
                Scope.props("phandle", "linux,phandle"));
        // the root replays the compiler's reference messages
        error("phandle_references", DtcCheckRun::phandleReferences, null,
                Scope.props("phandle", "linux,phandle").plusRoot(),
                "duplicate_node_names", "explicit_phandles");
        error("path_references", DtcCheckRun::external, null, Scope.rootOnly(),
                "duplicate_node_names");
        error("omit_unused_nodes", DtcCheckRun::external, null, Scope.rootOnly(),
                "phandle_references", "path_references");
        warning("address_cells_is_cell", DtcCheckRun::isCell, "#address-cells",
                Scope.props("#address-cells"));
        warning("size_cells_is_cell", DtcCheckRun::isCell, "#size-cells",
                Scope.props("#size-cells"));
        warning("device_type_is_string", DtcCheckRun::isString, "device_type",
                Scope.props("device_type"));
        warning("model_is_string", DtcCheckRun::isString, "model", Scope.props("model"));
        warning("status_is_string", DtcCheckRun::isString, "status", Scope.props("status"));
        warning("label_is_string", DtcCheckRun::isString, "label", Scope.props("label"));
        warning("compatible_is_string_list", DtcCheckRun::isStringList, "compatible",
                Scope.props("compatible"));
        warning("names_is_string_list", DtcCheckRun::namesIsStringList, null,
                Scope.traits(NodeInfo.T_NAMES_PROP));
        check("property_name_chars_strict", DtcCheckRun::propertyNameCharsStrict, null,
                Scope.every());
        check("node_name_chars_strict", DtcCheckRun::nodeNameCharsStrict, null, Scope.every());
        // sets every node's cell sizes, "absent" included
        warning("addr_size_cells", DtcCheckRun::addrSizeCells, null, Scope.every(),
                "address_cells_is_cell", "size_cells_is_cell");
        warning("reg_format", DtcCheckRun::regFormat, null, Scope.props("reg"),
                "addr_size_cells");
        warning("ranges_format", DtcCheckRun::rangesFormat, "ranges", Scope.props("ranges"),
                "addr_size_cells");
        warning("dma_ranges_format", DtcCheckRun::rangesFormat, "dma-ranges",
                Scope.props("dma-ranges"), "addr_size_cells");
        warning("unit_address_vs_reg", DtcCheckRun::unitAddressVsReg, null,
                Scope.props("reg", "ranges").plusTraits(NodeInfo.T_UNIT));
        warning("unit_address_format", DtcCheckRun::unitAddressFormat, null,
                Scope.traits(NodeInfo.T_UNIT),
                "node_name_format", "pci_bridge", "simple_bus_bridge");
        warning("pci_bridge", DtcCheckRun::pciBridge, null, Scope.props("device_type"),
                "device_type_is_string", "addr_size_cells");
        warning("pci_device_reg", DtcCheckRun::pciDeviceReg, null, Scope.afterBus(Bus.PCI),
                "reg_format", "pci_bridge");
        warning("pci_device_bus_num", DtcCheckRun::pciDeviceBusNum, null,
                Scope.afterBus(Bus.PCI), "reg_format", "pci_bridge");
        warning("simple_bus_bridge", DtcCheckRun::simpleBusBridge, null,
                Scope.props("compatible"), "addr_size_cells", "compatible_is_string_list");
        warning("simple_bus_reg", DtcCheckRun::simpleBusReg, null, Scope.afterBus(Bus.SIMPLE),
                "reg_format", "simple_bus_bridge");
        warning("i2c_bus_bridge", DtcCheckRun::i2cBusBridge, null,
                Scope.traits(NodeInfo.T_I2C_NAME), "addr_size_cells");
        warning("i2c_bus_reg", DtcCheckRun::i2cBusReg, null, Scope.afterBus(Bus.I2C),
                "reg_format", "i2c_bus_bridge");
        warning("spi_bus_bridge", DtcCheckRun::spiBusBridge, null,
                Scope.traits(NodeInfo.T_SPI_NAME | NodeInfo.T_CHILD_SPI), "addr_size_cells");
        warning("spi_bus_reg", DtcCheckRun::spiBusReg, null, Scope.afterBus(Bus.SPI),
                "reg_format", "spi_bus_bridge");
        warning("avoid_default_addr_size", DtcCheckRun::avoidDefaultAddrSize, null,
                Scope.props("reg", "ranges"), "addr_size_cells");
        // the next three act only where addr_size_cells found #address-cells
        warning("avoid_unnecessary_addr_size", DtcCheckRun::avoidUnnecessaryAddrSize, null,
                Scope.props("#address-cells"), "avoid_default_addr_size");
        warning("unique_unit_address", DtcCheckRun::uniqueUnitAddress, Boolean.FALSE,
                Scope.props("#address-cells"), "avoid_default_addr_size");
        check("unique_unit_address_if_enabled", DtcCheckRun::uniqueUnitAddress, Boolean.TRUE,
                Scope.props("#address-cells"), "avoid_default_addr_size");
        warning("obsolete_chosen_interrupt_controller",
                DtcCheckRun::obsoleteChosenInterruptController, null, Scope.rootOnly());
        warning("chosen_node_is_root", DtcCheckRun::chosenNodeIsRoot, null,
                Scope.traits(NodeInfo.T_CHOSEN));
        warning("chosen_node_bootargs", DtcCheckRun::chosenNodeBootargs, null,
                Scope.traits(NodeInfo.T_CHOSEN));
        warning("chosen_node_stdout_path", DtcCheckRun::chosenNodeStdoutPath, null,
                Scope.traits(NodeInfo.T_CHOSEN));
        provider("clocks", "clocks", "#clock-cells", false);
        provider("cooling_device", "cooling-device", "#cooling-cells", false);
        provider("dmas", "dmas", "#dma-cells", false);
        provider("hwlocks", "hwlocks", "#hwlock-cells", false);
        provider("interrupts_extended", "interrupts-extended", "#interrupt-cells", false);
        provider("io_channels", "io-channels", "#io-channel-cells", false);
        provider("iommus", "iommus", "#iommu-cells", false);
        provider("mboxes", "mboxes", "#mbox-cells", false);
        provider("msi_parent", "msi-parent", "#msi-cells", true);
        provider("mux_controls", "mux-controls", "#mux-control-cells", false);
        provider("phys", "phys", "#phy-cells", false);
        provider("power_domains", "power-domains", "#power-domain-cells", false);
        provider("pwms", "pwms", "#pwm-cells", false);
        provider("resets", "resets", "#reset-cells", false);
        provider("sound_dai", "sound-dai", "#sound-dai-cells", false);
        provider("thermal_sensors", "thermal-sensors", "#thermal-sensor-cells", false);
        check("deprecated_gpio_property", DtcCheckRun::deprecatedGpioProperty, null,
                Scope.traits(NodeInfo.T_GPIO));
        warning("gpios_property", DtcCheckRun::gpiosProperty, null,
                Scope.traits(NodeInfo.T_GPIO), "phandle_references");
        warning("interrupts_property", DtcCheckRun::interruptsProperty, null,
                Scope.props("interrupts"), "phandle_references");
        warning("interrupt_provider", DtcCheckRun::interruptProvider, null,
                Scope.props("interrupt-controller", "interrupt-map"));
        warning("alias_paths", DtcCheckRun::aliasPaths, null, Scope.traits(NodeInfo.T_ALIASES));
        warning("graph_nodes", DtcCheckRun::graphNodes, null,
                Scope.traits(NodeInfo.T_CHILD_GRAPH));
        // ports and endpoints exist only once graph_nodes has marked a port
        warning("graph_child_address", DtcCheckRun::graphChildAddress, null,
                Scope.afterBus(Bus.GRAPH_PORT), "graph_nodes");
        warning("graph_port", DtcCheckRun::graphPort, null, Scope.afterBus(Bus.GRAPH_PORT),
                "graph_nodes");
        warning("graph_endpoint", DtcCheckRun::graphEndpoint, null,
                Scope.afterBus(Bus.GRAPH_PORT), "graph_nodes");
        check("always_fail", DtcCheckRun::alwaysFail, null, Scope.every());

        CHECKS = List.copyOf(defs);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < CHECKS.size(); i++) {
            idx.put(CHECKS.get(i).name(), i);
        }
        INDEX = Collections.unmodifiableMap(idx);
        long hashes = 0;
        for (Map.Entry<String, Integer> e : propBits.entrySet()) {
            String k = e.getKey();
            hashes |= 1L << k.hashCode();
            int i = slot(k.hashCode());
            while (KEY_NAMES[i] != null) {
                i = (i + 1) & (KEY_SLOTS - 1);
            }
            KEY_NAMES[i] = k;
            KEY_BITS[i] = e.getValue();
        }
        KEY_HASHES = hashes;
        PREREQS = new int[CHECKS.size()][];
        List<List<Integer>> deps = new ArrayList<>();
        for (int i = 0; i < CHECKS.size(); i++) {
            deps.add(new ArrayList<>());
        }
        for (int i = 0; i < CHECKS.size(); i++) {
            List<String> pre = CHECKS.get(i).prereqs();
            PREREQS[i] = new int[pre.size()];
            for (int j = 0; j < pre.size(); j++) {
                Integer p = idx.get(pre.get(j));
                if (p == null) {
                    throw new IllegalStateException("unknown prerequisite " + pre.get(j));
                }
                PREREQS[i][j] = p;
                deps.get(p).add(i);
            }
        }
        CHANGES = flags(idx, "name_properties", "explicit_phandles", "phandle_references", "addr_size_cells",
                "pci_bridge", "simple_bus_bridge", "i2c_bus_bridge", "spi_bus_bridge", "graph_nodes");
        MAY_ABORT = flags(idx, "graph_nodes", "graph_child_address", "graph_port", "graph_endpoint");
        List<String> oddCells = new ArrayList<>(List.of("gpios_property", "interrupts_property"));
        for (Def d : CHECKS) {
            if (d.data() instanceof Provider) {
                oddCells.add(d.name());
            }
        }
        MAY_ABORT_ON_ODD_CELLS = flags(idx, oddCells.toArray(String[]::new));
        DEPENDENTS = new int[CHECKS.size()][];
        for (int i = 0; i < CHECKS.size(); i++) {
            DEPENDENTS[i] = deps.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static boolean[] flags(Map<String, Integer> idx, String... names) {
        boolean[] f = new boolean[idx.size()];
        for (String n : names) {
            Integer i = idx.get(n);
            if (i == null) {
                throw new IllegalStateException("unknown check " + n);
            }
            f[i] = true;
        }
        return f;
    }

    /**
     * A provider check comes with a check that its cell-count property is one cell, which dtc's
     * table lists after it: once a check at error level has failed, dtc runs no further check
     * from the table, so with {@code -E X_is_cell} the provider check still reports its failed
     * prerequisite.
     */
    private static void provider(String nm, String propName, String cellName, boolean optional) {
        warning(nm + "_property", DtcCheckRun::providerCellsProperty,
                new Provider(propName, cellName, optional), Scope.props(propName),
                nm + "_is_cell", "phandle_references");
        warning(nm + "_is_cell", DtcCheckRun::isCell, cellName, Scope.props(cellName));
    }
}
