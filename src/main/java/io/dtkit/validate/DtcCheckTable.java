package io.dtkit.validate;

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

    /** One row of the table; {@code data} is the check's parameter (property name, provider). */
    record Def(String name, boolean warn, boolean error, List<String> prereqs, Body body,
               Object data) {
    }

    /** A phandle-plus-arguments property and the cell-count property of its providers. */
    record Provider(String propName, String cellName, boolean optional) {
    }

    static final List<Def> CHECKS;
    static final Map<String, Integer> INDEX;
    /** Per check, the indices of its prerequisites. */
    static final int[][] PREREQS;
    /** Per check, the indices of the checks that have it as a prerequisite. */
    static final int[][] DEPENDENTS;

    private static final List<Def> defs = new ArrayList<>();

    private DtcCheckTable() {
    }

    private static void check(String name, Body body, Object data, String... prereqs) {
        defs.add(new Def(name, false, false, List.of(prereqs), body, data));
    }

    private static void warning(String name, Body body, Object data, String... prereqs) {
        defs.add(new Def(name, true, false, List.of(prereqs), body, data));
    }

    private static void error(String name, Body body, Object data, String... prereqs) {
        defs.add(new Def(name, false, true, List.of(prereqs), body, data));
    }

    static {
        error("duplicate_node_names", DtcCheckRun::duplicateNodeNames, null);
        error("duplicate_property_names", DtcCheckRun::duplicatePropertyNames, null);
        error("node_name_chars", DtcCheckRun::nodeNameChars, null);
        error("node_name_format", DtcCheckRun::nodeNameFormat, null, "node_name_chars");
        error("property_name_chars", DtcCheckRun::propertyNameChars, null);
        error("name_is_string", DtcCheckRun::isString, "name");
        error("name_properties", DtcCheckRun::nameProperties, null, "name_is_string");
        warning("node_name_vs_property_name", DtcCheckRun::nodeNameVsPropertyName, null,
                "node_name_chars");
        error("duplicate_label", DtcCheckRun::duplicateLabel, null);
        error("explicit_phandles", DtcCheckRun::explicitPhandles, null);
        error("phandle_references", DtcCheckRun::phandleReferences, null,
                "duplicate_node_names", "explicit_phandles");
        error("path_references", DtcCheckRun::external, null, "duplicate_node_names");
        error("omit_unused_nodes", DtcCheckRun::external, null,
                "phandle_references", "path_references");
        warning("address_cells_is_cell", DtcCheckRun::isCell, "#address-cells");
        warning("size_cells_is_cell", DtcCheckRun::isCell, "#size-cells");
        warning("device_type_is_string", DtcCheckRun::isString, "device_type");
        warning("model_is_string", DtcCheckRun::isString, "model");
        warning("status_is_string", DtcCheckRun::isString, "status");
        warning("label_is_string", DtcCheckRun::isString, "label");
        warning("compatible_is_string_list", DtcCheckRun::isStringList, "compatible");
        warning("names_is_string_list", DtcCheckRun::namesIsStringList, null);
        check("property_name_chars_strict", DtcCheckRun::propertyNameCharsStrict, null);
        check("node_name_chars_strict", DtcCheckRun::nodeNameCharsStrict, null);
        warning("addr_size_cells", DtcCheckRun::addrSizeCells, null,
                "address_cells_is_cell", "size_cells_is_cell");
        warning("reg_format", DtcCheckRun::regFormat, null, "addr_size_cells");
        warning("ranges_format", DtcCheckRun::rangesFormat, "ranges", "addr_size_cells");
        warning("dma_ranges_format", DtcCheckRun::rangesFormat, "dma-ranges", "addr_size_cells");
        warning("unit_address_vs_reg", DtcCheckRun::unitAddressVsReg, null);
        warning("unit_address_format", DtcCheckRun::unitAddressFormat, null,
                "node_name_format", "pci_bridge", "simple_bus_bridge");
        warning("pci_bridge", DtcCheckRun::pciBridge, null,
                "device_type_is_string", "addr_size_cells");
        warning("pci_device_reg", DtcCheckRun::pciDeviceReg, null, "reg_format", "pci_bridge");
        warning("pci_device_bus_num", DtcCheckRun::pciDeviceBusNum, null,
                "reg_format", "pci_bridge");
        warning("simple_bus_bridge", DtcCheckRun::simpleBusBridge, null,
                "addr_size_cells", "compatible_is_string_list");
        warning("simple_bus_reg", DtcCheckRun::simpleBusReg, null,
                "reg_format", "simple_bus_bridge");
        warning("i2c_bus_bridge", DtcCheckRun::i2cBusBridge, null, "addr_size_cells");
        warning("i2c_bus_reg", DtcCheckRun::i2cBusReg, null, "reg_format", "i2c_bus_bridge");
        warning("spi_bus_bridge", DtcCheckRun::spiBusBridge, null, "addr_size_cells");
        warning("spi_bus_reg", DtcCheckRun::spiBusReg, null, "reg_format", "spi_bus_bridge");
        warning("avoid_default_addr_size", DtcCheckRun::avoidDefaultAddrSize, null,
                "addr_size_cells");
        warning("avoid_unnecessary_addr_size", DtcCheckRun::avoidUnnecessaryAddrSize, null,
                "avoid_default_addr_size");
        warning("unique_unit_address", DtcCheckRun::uniqueUnitAddress, Boolean.FALSE,
                "avoid_default_addr_size");
        check("unique_unit_address_if_enabled", DtcCheckRun::uniqueUnitAddress, Boolean.TRUE,
                "avoid_default_addr_size");
        warning("obsolete_chosen_interrupt_controller",
                DtcCheckRun::obsoleteChosenInterruptController, null);
        warning("chosen_node_is_root", DtcCheckRun::chosenNodeIsRoot, null);
        warning("chosen_node_bootargs", DtcCheckRun::chosenNodeBootargs, null);
        warning("chosen_node_stdout_path", DtcCheckRun::chosenNodeStdoutPath, null);
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
        check("deprecated_gpio_property", DtcCheckRun::deprecatedGpioProperty, null);
        warning("gpios_property", DtcCheckRun::gpiosProperty, null, "phandle_references");
        warning("interrupts_property", DtcCheckRun::interruptsProperty, null,
                "phandle_references");
        warning("interrupt_provider", DtcCheckRun::interruptProvider, null);
        warning("alias_paths", DtcCheckRun::aliasPaths, null);
        warning("graph_nodes", DtcCheckRun::graphNodes, null);
        warning("graph_child_address", DtcCheckRun::graphChildAddress, null, "graph_nodes");
        warning("graph_port", DtcCheckRun::graphPort, null, "graph_nodes");
        warning("graph_endpoint", DtcCheckRun::graphEndpoint, null, "graph_nodes");
        check("always_fail", DtcCheckRun::alwaysFail, null);

        CHECKS = List.copyOf(defs);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < CHECKS.size(); i++) {
            idx.put(CHECKS.get(i).name(), i);
        }
        INDEX = Collections.unmodifiableMap(idx);
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
        DEPENDENTS = new int[CHECKS.size()][];
        for (int i = 0; i < CHECKS.size(); i++) {
            DEPENDENTS[i] = deps.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** A provider check comes with a check that its cell-count property is one cell. */
    private static void provider(String nm, String propName, String cellName, boolean optional) {
        warning(nm + "_is_cell", DtcCheckRun::isCell, cellName);
        warning(nm + "_property", DtcCheckRun::providerCellsProperty,
                new Provider(propName, cellName, optional), nm + "_is_cell", "phandle_references");
    }
}
