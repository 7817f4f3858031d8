package io.dtkit.fdt;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens a tree into a blob (Devicetree Specification chapter 5) with the exact layout dtc
 * 1.6.1 produces: header, 8-aligned reservation block (entries, the {@code -R} extra empty
 * ones, the terminator), structure block, strings block, then padding. Nodes are walked with an
 * explicit stack and streamed into growable buffers, so depth and size are bounded only by the
 * 2 GiB array limit.
 */
public final class DtbWriter {
    private DtbWriter() {
    }

    /** The blob for {@code tree} with dtc's default options. */
    public static byte[] write(DeviceTree tree) {
        return write(tree, DtbOptions.defaults());
    }

    /**
     * The blob for {@code tree}. Throws {@link IllegalArgumentException} when a name contains a
     * NUL character or the blob would not fit in a byte array.
     */
    public static byte[] write(DeviceTree tree, DtbOptions options) {
        BlobLayout layout = BlobLayout.of(options.version());
        StringTable strings = new StringTable();
        ByteSink struct = new ByteSink(4096);
        if (!tree.rootDeleted()) {
            flatten(tree.root(), layout, struct, strings);
        }
        struct.putInt(FdtFormat.FDT_END);

        ByteSink reserve = new ByteSink(64);
        for (Reservation r : tree.reservations()) {
            reserve.putLong(r.address());
            reserve.putLong(r.size());
        }
        reserve.zeroes((long) options.reserveEntries() * FdtFormat.RESERVE_ENTRY_SIZE);

        long reserveSize = reserve.length() + (long) FdtFormat.RESERVE_ENTRY_SIZE;
        long reserveOff = (layout.headerSize() + 7) & ~7L;
        long structOff = reserveOff + reserveSize;
        long stringsOff = structOff + struct.length();
        long total = stringsOff + strings.data().length();

        long padlen = 0;
        if (options.minSize() > 0) {
            // dtc warns when the blob is already larger; the size simply stays
            padlen = Math.max(0, options.minSize() - total);
        }
        if (options.padding() > 0) {
            padlen = options.padding();
        }
        if (options.align() > 0) {
            long a = options.align();
            padlen = ((total + padlen + a - 1) & -a) - total;
        }
        long fullSize = total + padlen;
        if (fullSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("blob of " + fullSize + " bytes exceeds 2 GiB");
        }
        long boot = options.bootCpuid() != null ? options.bootCpuid() : tree.bootCpuidPhys();

        // dtc fills the header with 0xff and sets only the fields this version has
        int[] header = new int[10];
        java.util.Arrays.fill(header, -1);
        header[0] = FdtFormat.FDT_MAGIC;
        header[1] = (int) fullSize;
        header[2] = (int) structOff;
        header[3] = (int) stringsOff;
        header[4] = (int) reserveOff;
        header[5] = options.version();
        header[6] = layout.lastComp();
        if (layout.bootCpuid()) {
            header[7] = (int) boot;
        }
        if (layout.stringsSize()) {
            header[8] = strings.data().length();
        }
        if (layout.structSize()) {
            header[9] = struct.length();
        }
        byte[] blob = new byte[(int) fullSize];
        for (int i = 0; i < layout.headerSize() / 4; i++) {
            putInt(blob, i * 4, header[i]);
        }
        System.arraycopy(reserve.array(), 0, blob, (int) reserveOff, reserve.length());
        System.arraycopy(struct.array(), 0, blob, (int) structOff, struct.length());
        System.arraycopy(strings.data().array(), 0, blob, (int) stringsOff, strings.data().length());
        return blob;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static final class Frame {
        final Node node;
        final String fullPath;
        int nextChild;

        Frame(Node node, String fullPath) {
            this.node = node;
            this.fullPath = fullPath;
        }
    }

    private static void flatten(Node root, BlobLayout layout, ByteSink out, StringTable strings) {
        Map<String, Integer> nameOffsets = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        boolean fullPaths = layout.fullPaths();
        Frame rootFrame = new Frame(root, fullPaths ? joinPath("", root.name()) : null);
        beginNode(rootFrame, layout, out, strings, nameOffsets);
        stack.push(rootFrame);
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            List<Node> kids = f.node.children();
            if (f.nextChild < kids.size()) {
                Node c = kids.get(f.nextChild++);
                Frame cf = new Frame(c, fullPaths ? joinPath(f.fullPath, c.name()) : null);
                beginNode(cf, layout, out, strings, nameOffsets);
                stack.push(cf);
            } else {
                out.putInt(FdtFormat.FDT_END_NODE);
                stack.pop();
            }
        }
    }

    private static String joinPath(String parent, String name) {
        return parent.endsWith("/") ? parent + name : parent + "/" + name;
    }

    private static void beginNode(Frame f, BlobLayout layout, ByteSink out, StringTable strings,
                                  Map<String, Integer> nameOffsets) {
        Node node = f.node;
        out.putInt(FdtFormat.FDT_BEGIN_NODE);
        out.put(FdtNames.encode(layout.fullPaths() ? f.fullPath : node.name(), "node name"));
        out.putByte(0);
        out.align(4);
        boolean seenName = false;
        for (Property p : node.properties()) {
            if (p.name().equals("name")) {
                seenName = true;
            }
            Value v = p.value();
            int nameOff = nameOffsets.computeIfAbsent(p.name(),
                    n -> strings.insert(FdtNames.encode(n, "property name")));
            out.putInt(FdtFormat.FDT_PROP);
            out.putInt(v.length());
            out.putInt(nameOff);
            if (layout.varAlign() && v.length() >= 8) {
                out.align(8);
            }
            out.put(v);
            out.align(4);
        }
        if (layout.nameProps() && !seenName) {
            // old versions carry the base name (before '@') as a "name" property
            byte[] name = FdtNames.encode(node.name(), "node name");
            int baseLen = 0;
            while (baseLen < name.length && name[baseLen] != '@') {
                baseLen++;
            }
            int nameOff = nameOffsets.computeIfAbsent("name",
                    n -> strings.insert(n.getBytes(StandardCharsets.ISO_8859_1)));
            out.putInt(FdtFormat.FDT_PROP);
            out.putInt(baseLen + 1);
            out.putInt(nameOff);
            if (layout.varAlign() && baseLen + 1 >= 8) {
                out.align(8);
            }
            // dtc writes the whole name when the base name is empty (its length 0 means "all")
            out.put(name, 0, baseLen == 0 ? name.length : baseLen);
            out.putByte(0);
            out.align(4);
        }
    }
}
