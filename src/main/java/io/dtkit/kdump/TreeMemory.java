package io.dtkit.kdump;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a device tree says about physical memory (issue 4, "crashkernel= planning" and
 * "explain"): the root's cells, the {@code /memory} banks, the {@code /memreserve/} entries,
 * the {@code /reserved-memory} children with a fixed {@code reg}, and the kdump properties
 * of {@code /chosen}.
 */
public final class TreeMemory {
    private TreeMemory() {
    }

    /** The root's {@code #address-cells}/{@code #size-cells}, 1/1 when absent. */
    public record Cells(int address, int size) {
        public int bytesPerEntry() {
            return 4 * (address + size);
        }
    }

    /** Reads the root cells; only 1 and 2 can carry a physical address or size here. */
    public static Cells rootCells(DeviceTree tree) throws KdumpException {
        return cells(tree.root(), new Cells(1, 1), "/");
    }

    static Cells cells(Node node, Cells dflt, String path) throws KdumpException {
        int a = cell(node, "#address-cells", dflt.address(), path);
        int s = cell(node, "#size-cells", dflt.size(), path);
        return new Cells(a, s);
    }

    private static int cell(Node node, String name, int dflt, String path) throws KdumpException {
        Property p = node.property(name);
        if (p == null) {
            return dflt;
        }
        if (p.value().length() != 4) {
            throw new KdumpException(Refusal.BAD_CELLS, "%s:%s is %d bytes long, not 4", path, name, p.value().length());
        }
        long v = p.value().cellAt(0);
        if (v != 1 && v != 2) {
            throw new KdumpException(Refusal.BAD_CELLS, "%s:%s = <%d>: only 1 or 2 cells can hold an address or size here",
                    path, name, v);
        }
        return (int) v;
    }

    /** Decodes a {@code reg}-like value into ranges; a trailing partial entry is an error. */
    public static List<MemRange> decode(byte[] value, Cells cells, String what) throws KdumpException {
        int n = cells.bytesPerEntry();
        if (value.length % n != 0) {
            throw new KdumpException(Refusal.BAD_CELLS, "%s is %d bytes long, not a multiple of %d (#address-cells = <%d>, #size-cells = <%d>)",
                    what, value.length, n, cells.address(), cells.size());
        }
        List<MemRange> out = new ArrayList<>();
        for (int off = 0; off < value.length; off += n) {
            long base = read(value, off, cells.address());
            long size = read(value, off + 4 * cells.address(), cells.size());
            out.add(new MemRange(base, size));
        }
        return out;
    }

    private static long read(byte[] b, int off, int cells) {
        long v = 0;
        for (int i = 0; i < 4 * cells; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /**
     * The memory map: RAM from the root's children whose {@code device_type} is "memory",
     * reserved from {@code /memreserve/} and from {@code /reserved-memory} children that have
     * a {@code reg} (dynamic ones with only {@code size} are not placed yet).
     */
    public static MemoryMap memoryMap(DeviceTree tree) throws KdumpException {
        Cells rc = rootCells(tree);
        List<MemRange> ram = new ArrayList<>();
        for (Node n : tree.root().children()) {
            if (!isMemory(n) || disabled(n)) {
                continue;
            }
            Property reg = n.property("reg");
            if (reg != null) {
                ram.addAll(decode(reg.value().bytes(), rc, "/" + n.name() + ":reg"));
            }
        }
        List<MemoryMap.Region> reserved = new ArrayList<>();
        for (Reservation r : tree.reservations()) {
            if (r.size() != 0) {
                reserved.add(new MemoryMap.Region("memreserve", new MemRange(r.address(), r.size())));
            }
        }
        Node rm = tree.root().child("reserved-memory");
        if (rm != null) {
            Cells c = cells(rm, rc, "/reserved-memory");
            for (Node n : rm.children()) {
                Property reg = n.property("reg");
                if (reg == null || disabled(n)) {
                    continue;
                }
                for (MemRange r : decode(reg.value().bytes(), c, "/reserved-memory/" + n.name() + ":reg")) {
                    if (r.size() != 0) {
                        reserved.add(new MemoryMap.Region(n.name(), r));
                    }
                }
            }
        }
        return MemoryMap.of(ram, reserved);
    }

    private static boolean isMemory(Node n) {
        Property dt = n.property("device_type");
        return dt != null && "memory".equals(dt.value().asString());
    }

    private static boolean disabled(Node n) {
        Property st = n.property("status");
        if (st == null) {
            return false;
        }
        String s = st.value().asString();
        return s != null && !s.equals("okay") && !s.equals("ok");
    }
}
