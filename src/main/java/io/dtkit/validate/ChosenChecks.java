package io.dtkit.validate;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.NodePath;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The checks of {@code /chosen} that a schema cannot express (issue 5 item 4): dtc's three
 * chosen checks with dtc's names and words, and dtkit's checks of the crash-kernel memory
 * ranges (no overlap, low range last and below the DMA limit, inside {@code /memory}) and of
 * {@code stdout-path} (it must name a node or an alias).
 */
public final class ChosenChecks {
    public static final String IS_ROOT = "chosen_node_is_root";
    public static final String BOOTARGS = "chosen_node_bootargs";
    public static final String STDOUT_PATH = "chosen_node_stdout_path";
    public static final String RANGE_OVERLAP = "chosen_usable_memory_overlap";
    public static final String RANGE_ORDER = "chosen_usable_memory_order";
    public static final String RANGE_IN_MEMORY = "chosen_usable_memory_in_memory";
    public static final String STDOUT_RESOLVES = "chosen_stdout_path_resolves";

    /** dtc's checks, warnings by default as in dtc. */
    public static final List<String> DTC_CHECKS = List.of(IS_ROOT, BOOTARGS, STDOUT_PATH);
    /** dtkit's own checks, errors by default. */
    public static final List<String> OWN_CHECKS =
            List.of(RANGE_OVERLAP, RANGE_ORDER, RANGE_IN_MEMORY, STDOUT_RESOLVES);

    /** Linux's default limit for the low crash-kernel region: the first 4 GiB. */
    public static final long DEFAULT_DMA_LIMIT = 1L << 32;

    /** dtc's check table with every check but the three chosen ones switched off. */
    private static final DtcChecks.Config DTC_CHOSEN_ONLY = chosenOnly();

    private ChosenChecks() {
    }

    private static DtcChecks.Config chosenOnly() {
        DtcChecks.Config c = DtcChecks.Config.defaults();
        for (String name : DtcChecks.checkNames()) {
            if (!DTC_CHECKS.contains(name)) {
                c = c.warning("no-" + name).error("no-" + name);
            }
        }
        return c;
    }

    private record Range(long base, long size) {
        /** Exclusive end, saturated at 2^64-1 (unsigned). */
        long end() {
            long e = base + size;
            return Long.compareUnsigned(e, base) < 0 ? -1L : e;
        }

        @Override
        public String toString() {
            return "0x" + Long.toHexString(base) + "..0x" + Long.toHexString(end());
        }
    }

    /** Runs every check; levels are applied by the caller. {@code dmaLimit} is unsigned. */
    public static List<Diagnostic> check(DeviceTree tree, long dmaLimit) {
        List<Diagnostic> out = new ArrayList<>();
        // dtc's own chosen checks come from the dtc check engine, so both commands agree
        for (Diagnostic d : DtcChecks.run(tree, DTC_CHOSEN_ONLY, "")) {
            out.add(d.span() != null && d.span().isFileOnly()
                    ? new Diagnostic(d.severity(), d.check(), null, d.nodePath(), d.property(), d.message())
                    : d);
        }
        Node chosen = tree.root().child("chosen");
        if (chosen != null) {
            checkRanges(tree, chosen, dmaLimit, out);
            checkStdout(tree, chosen, out);
        }
        return out;
    }

    private static Diagnostic diag(String check, String path, Property p, Severity sev, String msg) {
        return new Diagnostic(sev == null ? Severity.WARNING : sev, check, p == null ? null : p.span(),
                path, p == null ? null : p.name(), msg);
    }

    /** dtc's notion of a string property: exactly one NUL, at the end; any other bytes. */
    static boolean isString(Value v) {
        int len = v.length();
        if (len == 0 || v.byteAt(len - 1) != 0) {
            return false;
        }
        for (int i = 0; i < len - 1; i++) {
            if (v.byteAt(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private static int cells(Node n, String name, int dflt) {
        Property p = n.property(name);
        return p == null || p.value().length() < 4 ? dflt : (int) p.value().cellAt(0);
    }

    private static long number(Value v, int offset, int cells) {
        long r = 0;
        for (int i = 0; i < cells; i++) {
            r = (r << 32) | v.cellAt(offset + 4 * i);
        }
        return r;
    }

    /** (address, size) entries of a property in the given cells; null when the size is off. */
    private static List<Range> ranges(Value v, int ac, int sc) {
        int entry = 4 * (ac + sc);
        if (entry == 0 || v.length() == 0 || v.length() % entry != 0 || ac > 2 || sc > 2) {
            return null;
        }
        List<Range> out = new ArrayList<>();
        for (int off = 0; off < v.length(); off += entry) {
            out.add(new Range(number(v, off, ac), number(v, off + 4 * ac, sc)));
        }
        return out;
    }

    private static void checkRanges(DeviceTree tree, Node chosen, long dmaLimit, List<Diagnostic> out) {
        Property p = chosen.property("linux,usable-memory-range");
        if (p == null) {
            return;
        }
        Node root = tree.root();
        int ac = cells(root, "#address-cells", 2);
        int sc = cells(root, "#size-cells", 1);
        List<Range> rs = ranges(p.value(), ac, sc);
        if (rs == null) {
            return; // the size diagnostic comes from type decoding
        }
        for (int i = 0; i < rs.size(); i++) {
            for (int j = i + 1; j < rs.size(); j++) {
                Range a = rs.get(i);
                Range b = rs.get(j);
                if (Long.compareUnsigned(a.base(), b.end()) < 0 && Long.compareUnsigned(b.base(), a.end()) < 0) {
                    out.add(new Diagnostic(Severity.ERROR, RANGE_OVERLAP, p.span(), "/chosen", p.name(),
                            "entries " + i + " (" + a + ") and " + j + " (" + b + ") overlap"));
                }
            }
        }
        if (rs.size() == 2) {
            Range high = rs.get(0);
            Range low = rs.get(1);
            if (Long.compareUnsigned(low.end(), dmaLimit) > 0) {
                out.add(new Diagnostic(Severity.ERROR, RANGE_ORDER, p.span(), "/chosen", p.name(),
                        "the last of two entries must be the low region below the DMA limit 0x"
                                + Long.toHexString(dmaLimit) + ", but entry 1 is " + low));
            } else if (Long.compareUnsigned(low.base(), high.base()) > 0) {
                out.add(new Diagnostic(Severity.ERROR, RANGE_ORDER, p.span(), "/chosen", p.name(),
                        "the low region must come last, but entry 1 (" + low
                                + ") lies above entry 0 (" + high + ")"));
            }
        }
        List<Range> memory = memoryRanges(root, ac, sc);
        if (memory.isEmpty()) {
            return;
        }
        for (int i = 0; i < rs.size(); i++) {
            Range r = rs.get(i);
            boolean inside = false;
            for (Range m : memory) {
                if (Long.compareUnsigned(m.base(), r.base()) <= 0
                        && Long.compareUnsigned(r.end(), m.end()) <= 0) {
                    inside = true;
                    break;
                }
            }
            if (!inside) {
                out.add(new Diagnostic(Severity.ERROR, RANGE_IN_MEMORY, p.span(), "/chosen", p.name(),
                        "entry " + i + " (" + r + ") is not inside the memory described by /memory"));
            }
        }
    }

    /** The reg ranges of the root's memory nodes, sorted, with touching ranges joined. */
    private static List<Range> memoryRanges(Node root, int ac, int sc) {
        List<Range> all = new ArrayList<>();
        for (Node n : root.children()) {
            Property dt = n.property("device_type");
            boolean memory = (dt != null && "memory".equals(dt.value().asString()))
                    || n.baseName().equals("memory");
            Property reg = n.property("reg");
            if (!memory || reg == null) {
                continue;
            }
            List<Range> rs = ranges(reg.value(), ac, sc);
            if (rs != null) {
                for (Range r : rs) {
                    if (r.size() != 0) {
                        all.add(r);
                    }
                }
            }
        }
        all.sort(Comparator.comparing(Range::base, Long::compareUnsigned));
        List<Range> merged = new ArrayList<>();
        for (Range r : all) {
            if (!merged.isEmpty()) {
                Range last = merged.get(merged.size() - 1);
                if (Long.compareUnsigned(r.base(), last.end()) <= 0) {
                    long end = Long.compareUnsigned(r.end(), last.end()) > 0 ? r.end() : last.end();
                    merged.set(merged.size() - 1, new Range(last.base(), end - last.base()));
                    continue;
                }
            }
            merged.add(r);
        }
        return merged;
    }

    /**
     * A node by path where a component without unit address may also match a child's name
     * before its {@code @}, as boot loaders and Linux accept for stdout-path.
     */
    private static Node lookup(Node root, String path) {
        Node n = root;
        for (String part : NodePath.split(path)) {
            Node next = n.child(part);
            if (next == null && part.indexOf('@') < 0) {
                for (Node c : n.children()) {
                    if (c.baseName().equals(part)) {
                        next = c;
                        break;
                    }
                }
            }
            if (next == null) {
                return null;
            }
            n = next;
        }
        return n;
    }

    private static void checkStdout(DeviceTree tree, Node chosen, List<Diagnostic> out) {
        Property p = chosen.property("stdout-path");
        if (p == null || !isString(p.value())) {
            return;
        }
        String full = new String(p.value().bytes(), 0, p.value().length() - 1, StandardCharsets.ISO_8859_1);
        int nul = full.indexOf('\0');
        if (nul >= 0) {
            full = full.substring(0, nul);
        }
        int colon = full.indexOf(':');
        String target = colon < 0 ? full : full.substring(0, colon);
        if (target.isEmpty()) {
            out.add(new Diagnostic(Severity.ERROR, STDOUT_RESOLVES, p.span(), "/chosen", p.name(),
                    "\"" + full + "\" names no node"));
            return;
        }
        String path = target;
        String via = "";
        if (!target.startsWith("/")) {
            int slash = target.indexOf('/');
            String alias = slash < 0 ? target : target.substring(0, slash);
            Node aliases = tree.root().child("aliases");
            Property a = aliases == null ? null : aliases.property(alias);
            String aliasPath = a == null ? null : a.value().asString();
            if (aliasPath == null) {
                out.add(new Diagnostic(Severity.ERROR, STDOUT_RESOLVES, p.span(), "/chosen", p.name(),
                        "\"" + full + "\": no alias \"" + alias + "\" in /aliases"));
                return;
            }
            via = " (alias " + alias + " = \"" + aliasPath + "\")";
            path = aliasPath + (slash < 0 ? "" : target.substring(slash));
        }
        if (lookup(tree.root(), path) == null) {
            out.add(new Diagnostic(Severity.ERROR, STDOUT_RESOLVES, p.span(), "/chosen", p.name(),
                    "\"" + full + "\": no node " + path + via));
        }
    }
}
