package io.dtkit.fdt.edit;

import io.dtkit.fdt.FdtError;
import io.dtkit.fdt.FdtException;
import io.dtkit.source.RawText;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Device-tree overlay application with libfdt 1.6.1's {@code fdt_overlay_apply} semantics
 * (Devicetree Specification, overlays; dtc's {@code Documentation/dt-object-internal.txt}):
 * the overlay's phandles are moved above the base's largest one, {@code __local_fixups__}
 * references follow them, {@code __fixups__} are resolved through the base's
 * {@code __symbols__}, every fragment's {@code __overlay__} is merged into its
 * {@code target}/{@code target-path}, and the overlay's {@code __symbols__} are added to the
 * base's, rewritten to their place in the base tree. All walks use explicit stacks.
 */
public final class FdtOverlay {
    private FdtOverlay() {
    }

    /** fdtoverlay's growth step when the base runs out of room. */
    public static final int BUF_INCREMENT = 65536;

    /**
     * Applies {@code overlay} to {@code base} in place (both are modified, as in libfdt). On
     * failure both magics are erased and the FdtException says why; the base must then be
     * discarded.
     */
    public static void apply(FdtBlob base, FdtBlob overlay) throws FdtException {
        apply(base, overlay, new boolean[1]);
    }

    /** {@code overlayFull[0]} is set when NOSPACE came from the overlay itself (no growth of the base helps). */
    private static void apply(FdtBlob base, FdtBlob overlay, boolean[] overlayFull) throws FdtException {
        try {
            probe(base);
            probe(overlay);
            int delta = base.findMaxPhandle();
            adjustLocalPhandles(overlay, delta);
            updateLocalReferences(overlay, delta);
            try {
                fixupPhandles(base, overlay);
            } catch (FdtException e) {
                overlayFull[0] = e.error() == FdtError.NOSPACE;
                throw e;
            }
            merge(base, overlay);
            symbolUpdate(base, overlay);
            overlay.eraseMagic();
        } catch (FdtException e) {
            overlay.eraseMagic();
            base.eraseMagic();
            throw e;
        }
    }

    /**
     * The outcome of {@link #applyAll}: the packed blob, or which overlay failed, whether it
     * was the copy of the base into a work buffer ({@code fdt_open_into}) that failed, and why.
     */
    public record Result(byte[] blob, int failedOverlay, boolean copyFailed, FdtException error) {
    }

    /**
     * fdtoverlay's loop: each overlay is applied to a fresh copy of the current blob opened into
     * a work buffer (its size starts at the base's totalsize and grows by 64 KiB whenever an
     * application runs out of room, keeping its size for the following overlays); the final
     * blob is packed.
     */
    public static Result applyAll(byte[] base, java.util.List<byte[]> overlays) {
        byte[] blob = base;
        int bufLen = FdtBlob.wrap(base).totalSize();
        if (bufLen < 0 || bufLen > base.length) {
            // libfdt would copy past the end of the given bytes
            return new Result(null, 0, true, new FdtException(FdtError.TRUNCATED, 4,
                    "totalsize %d exceeds the %d bytes given", Integer.toUnsignedLong(bufLen), base.length));
        }
        for (int i = 0; i < overlays.size(); i++) {
            byte[] ov = overlays.get(i);
            while (true) {
                FdtBlob tmp;
                try {
                    tmp = FdtBlob.openIntoUnchecked(blob, bufLen);
                } catch (FdtException e) {
                    return new Result(null, i, true, e);
                }
                int ovTotal = FdtBlob.wrap(ov).totalSize();
                FdtBlob tmpo = FdtBlob.wrap(Arrays.copyOf(ov, Math.max(0, Math.min(ovTotal, ov.length))));
                boolean[] overlayFull = new boolean[1];
                try {
                    apply(tmp, tmpo, overlayFull);
                    blob = tmp.buffer();
                    break;
                } catch (FdtException e) {
                    if (e.error() != FdtError.NOSPACE) {
                        return new Result(null, i, false, e);
                    }
                    if (overlayFull[0] || bufLen > Integer.MAX_VALUE - BUF_INCREMENT) {
                        // A fixup that does not fit its property fails whatever the buffer size:
                        // fdtoverlay keeps growing the buffer until its int size overflows and the
                        // copy fails with NOSPACE; report that outcome without the 2 GiB of retries.
                        return new Result(null, i, true, e);
                    }
                    bufLen += BUF_INCREMENT;
                }
            }
        }
        FdtBlob out = FdtBlob.wrap(blob);
        try {
            out.pack();
        } catch (FdtException e) {
            // fdtoverlay ignores fdt_pack's result
        }
        return new Result(out.toByteArray(), -1, false, null);
    }

    private static void probe(FdtBlob b) throws FdtException {
        b.roProbeOrThrow();
    }

    private static int firstProp(FdtBlob b, int node) {
        try {
            return b.firstPropertyOffset(node);
        } catch (FdtException e) {
            return -1;
        }
    }

    private static int nextProp(FdtBlob b, int prop) {
        try {
            return b.nextPropertyOffset(prop);
        } catch (FdtException e) {
            return -1;
        }
    }

    private static int firstChild(FdtBlob b, int node) {
        try {
            return b.firstSubnode(node);
        } catch (FdtException e) {
            return -1;
        }
    }

    private static int nextChild(FdtBlob b, int node) {
        try {
            return b.nextSubnode(node);
        } catch (FdtException e) {
            return -1;
        }
    }

    private static FdtException badOverlay(String fmt, Object... args) {
        return new FdtException(FdtError.BADOVERLAY, -1, fmt, args);
    }

    private static int be32(byte[] v, long at) {
        int i = (int) at;
        return ((v[i] & 0xff) << 24) | ((v[i + 1] & 0xff) << 16) | ((v[i + 2] & 0xff) << 8) | (v[i + 3] & 0xff);
    }

    private static byte[] cell(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** A value read as a C string: up to its first NUL. */
    private static String cString(byte[] v) {
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return RawText.decode(v, 0, n);
    }

    // ---------------------------------------------------------------- phandles of the overlay

    private static void phandleAddOffset(FdtBlob fdto, int node, String name, int delta) throws FdtException {
        byte[] val = fdto.getprop(node, name);
        if (val == null) {
            return;
        }
        if (val.length != 4) {
            throw new FdtException(FdtError.BADPHANDLE, node, "%s of node at %d is not one cell", name, node);
        }
        long adj = Integer.toUnsignedLong(be32(val, 0));
        long sum = adj + Integer.toUnsignedLong(delta);
        if (sum > 0xffffffffL || sum == 0xffffffffL) {
            throw new FdtException(FdtError.NOPHANDLES, node, "phandle 0x%x + 0x%x overflows", adj, delta);
        }
        fdto.setpropInplace(node, name, cell((int) sum));
    }

    /** Every node of the overlay (in blob order, as libfdt's recursion visits them) gets delta added. */
    private static void adjustLocalPhandles(FdtBlob fdto, int delta) throws FdtException {
        Deque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        while (!stack.isEmpty()) {
            int node = stack.pop();
            phandleAddOffset(fdto, node, "phandle", delta);
            phandleAddOffset(fdto, node, "linux,phandle", delta);
            Deque<Integer> children = new ArrayDeque<>();
            for (int c = firstChild(fdto, node); c >= 0; c = nextChild(fdto, c)) {
                children.push(c);
            }
            while (!children.isEmpty()) {
                stack.push(children.pop());
            }
        }
    }

    private static void updateLocalReferences(FdtBlob fdto, int delta) throws FdtException {
        int fixups;
        try {
            fixups = fdto.pathOffset("/__local_fixups__");
        } catch (FdtException e) {
            if (e.error() == FdtError.NOTFOUND) {
                return;
            }
            throw e;
        }
        Deque<int[]> stack = new ArrayDeque<>();
        stack.push(new int[] {0, fixups});
        while (!stack.isEmpty()) {
            int[] pair = stack.pop();
            int treeNode = pair[0];
            int fixupNode = pair[1];
            for (int fp = firstProp(fdto, fixupNode); fp >= 0; fp = nextProp(fdto, fp)) {
                String name = fdto.propertyName(fp);
                byte[] fixupVal = fdto.propertyValue(fp);
                if (fixupVal.length % 4 != 0) {
                    throw badOverlay("__local_fixups__ property %s is not a list of cells", name);
                }
                byte[] treeVal = fdto.getprop(treeNode, name);
                if (treeVal == null) {
                    throw badOverlay("__local_fixups__ names property %s that the node lacks", name);
                }
                for (int i = 0; i < fixupVal.length / 4; i++) {
                    int poffset = be32(fixupVal, 4L * i);
                    long at = Integer.toUnsignedLong(poffset);
                    if (at + 4 > treeVal.length) {
                        throw badOverlay("local fixup at %d runs past property %s", at, name);
                    }
                    int adj = be32(treeVal, at) + delta;
                    try {
                        fdto.setpropInplacePartial(treeNode, name, poffset, cell(adj));
                    } catch (FdtException e) {
                        if (e.error() == FdtError.NOSPACE) {
                            throw badOverlay("local fixup at %d runs past property %s", at, name);
                        }
                        throw e;
                    }
                    // keep our copy in step for a second fixup at the same place
                    System.arraycopy(cell(adj), 0, treeVal, (int) at, 4);
                }
            }
            Deque<int[]> children = new ArrayDeque<>();
            for (int fc = firstChild(fdto, fixupNode); fc >= 0; fc = nextChild(fdto, fc)) {
                String childName = fdto.getName(fc);
                int treeChild;
                try {
                    treeChild = fdto.subnodeOffset(treeNode, childName);
                } catch (FdtException e) {
                    if (e.error() == FdtError.NOTFOUND) {
                        throw badOverlay("__local_fixups__ names node %s that the tree lacks", childName);
                    }
                    throw e;
                }
                children.push(new int[] {treeChild, fc});
            }
            while (!children.isEmpty()) {
                stack.push(children.pop());
            }
        }
    }

    // ---------------------------------------------------------------- external references

    private static void fixupPhandles(FdtBlob fdt, FdtBlob fdto) throws FdtException {
        int fixupsOff;
        try {
            fixupsOff = fdto.pathOffset("/__fixups__");
        } catch (FdtException e) {
            if (e.error() == FdtError.NOTFOUND) {
                return;
            }
            throw e;
        }
        FdtException symbolsError = null;
        int symbolsOff = -1;
        try {
            symbolsOff = fdt.pathOffset("/__symbols__");
        } catch (FdtException e) {
            if (e.error() != FdtError.NOTFOUND) {
                throw e;
            }
            symbolsError = e;
        }
        for (int prop = firstProp(fdto, fixupsOff); prop >= 0; prop = nextProp(fdto, prop)) {
            fixupPhandle(fdt, fdto, symbolsOff, symbolsError, prop);
        }
    }

    /** One {@code __fixups__} property: "path:property:offset" entries, NUL separated. */
    private static void fixupPhandle(FdtBlob fdt, FdtBlob fdto, int symbolsOff, FdtException symbolsError, int property)
            throws FdtException {
        String label = fdto.propertyName(property);
        byte[] value = fdto.propertyValue(property);
        int pos = 0;
        int len = value.length;
        do {
            int end = pos;
            while (end < value.length && value[end] != 0) {
                end++;
            }
            if (end >= value.length) {
                throw badOverlay("fixup %s is not NUL-terminated", label);
            }
            int fixupLen = end - pos;
            len -= fixupLen + 1;
            String fixup = RawText.decode(value, pos, fixupLen);
            pos = end + 1;
            int sep = fixup.indexOf(':');
            if (sep < 0 || sep == fixup.length() - 1) {
                throw badOverlay("fixup %s entry '%s' has no property", label, fixup);
            }
            String path = fixup.substring(0, sep);
            int sep2 = fixup.indexOf(':', sep + 1);
            if (sep2 < 0) {
                throw badOverlay("fixup %s entry '%s' has no offset", label, fixup);
            }
            String name = fixup.substring(sep + 1, sep2);
            if (name.isEmpty()) {
                throw badOverlay("fixup %s entry '%s' has an empty property name", label, fixup);
            }
            Long poffset = strtoul(fixup.substring(sep2 + 1));
            if (poffset == null) {
                throw badOverlay("fixup %s entry '%s' has a bad offset", label, fixup);
            }
            fixupOnePhandle(fdt, fdto, symbolsOff, symbolsError, path, name, poffset, label);
        } while (len > 0);
    }

    /** C's strtoul in base 10 that must consume the whole string; null when it does not. */
    private static Long strtoul(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            long next = v * 10 + (s.charAt(i) - '0');
            if (v > (Long.MAX_VALUE - 9) / 10) {
                overflow = true;
            }
            v = next;
            i++;
        }
        if (i == start || i != n) {
            return null;
        }
        if (overflow) {
            return -1L;
        }
        return neg ? -v : v;
    }

    private static void fixupOnePhandle(FdtBlob fdt, FdtBlob fdto, int symbolsOff, FdtException symbolsError,
            String path, String name, long poffset, String label) throws FdtException {
        if (symbolsError != null) {
            throw new FdtException(FdtError.NOTFOUND, -1, "base has no /__symbols__ to resolve %s", label);
        }
        byte[] symbolPath = fdt.getprop(symbolsOff, label);
        if (symbolPath == null) {
            throw new FdtException(FdtError.NOTFOUND, -1, "base has no symbol %s", label);
        }
        int symbolOff = fdt.pathOffset(cString(symbolPath));
        int phandle = fdt.getPhandle(symbolOff);
        if (phandle == 0) {
            throw new FdtException(FdtError.NOTFOUND, symbolOff, "node of symbol %s has no phandle", label);
        }
        int fixupOff;
        try {
            fixupOff = fdto.pathOffset(path);
        } catch (FdtException e) {
            if (e.error() == FdtError.NOTFOUND) {
                throw badOverlay("fixup path %s not in the overlay", path);
            }
            throw e;
        }
        fdto.setpropInplacePartial(fixupOff, name, (int) poffset, cell(phandle));
    }

    // ---------------------------------------------------------------- merging fragments

    /**
     * Target of a fragment: {target offset, 1 when found through target-path}; the path text
     * (for symbols) comes from {@link #targetPath}.
     */
    private static int target(FdtBlob fdt, FdtBlob fdto, int fragment) throws FdtException {
        byte[] t = fdto.getprop(fragment, "target");
        int phandle = 0;
        if (t != null) {
            if (t.length != 4 || be32(t, 0) == -1) {
                throw new FdtException(FdtError.BADPHANDLE, fragment, "fragment target is not a phandle");
            }
            phandle = be32(t, 0);
        }
        if (phandle != 0) {
            return fdt.nodeOffsetByPhandle(phandle);
        }
        byte[] path = fdto.getprop(fragment, "target-path");
        if (path == null) {
            throw badOverlay("fragment %s has neither target nor target-path", fdto.getName(fragment));
        }
        return fdt.pathOffset(cString(path));
    }

    /** The fragment's target-path text when it is found through one, else null. */
    private static String targetPath(FdtBlob fdto, int fragment) throws FdtException {
        byte[] t = fdto.getprop(fragment, "target");
        if (t != null && t.length == 4 && be32(t, 0) != 0) {
            return null;
        }
        byte[] path = fdto.getprop(fragment, "target-path");
        return path == null ? null : cString(path);
    }

    private static void merge(FdtBlob fdt, FdtBlob fdto) throws FdtException {
        for (int fragment = firstChild(fdto, 0); fragment >= 0; fragment = nextChild(fdto, fragment)) {
            int overlay;
            try {
                overlay = fdto.subnodeOffset(fragment, "__overlay__");
            } catch (FdtException e) {
                if (e.error() == FdtError.NOTFOUND) {
                    continue;
                }
                throw e;
            }
            int target = target(fdt, fdto, fragment);
            applyNode(fdt, target, fdto, overlay);
        }
    }

    /**
     * libfdt's overlay_apply_node without recursion: properties of each overlay node are set on
     * the target, then each child is added (or found) and processed, depth first in blob order.
     * Edits only ever happen after an ancestor's offset, so the saved target offsets stay valid.
     */
    private static void applyNode(FdtBlob fdt, int target, FdtBlob fdto, int node) throws FdtException {
        Deque<int[]> stack = new ArrayDeque<>();
        setProps(fdt, target, fdto, node);
        stack.push(new int[] {target, node, firstChild(fdto, node)});
        while (!stack.isEmpty()) {
            int[] f = stack.peek();
            int sub = f[2];
            if (sub < 0) {
                stack.pop();
                continue;
            }
            f[2] = nextChild(fdto, sub);
            String name = fdto.getName(sub);
            int nnode;
            try {
                nnode = fdt.addSubnode(f[0], name);
            } catch (FdtException e) {
                if (e.error() != FdtError.EXISTS) {
                    throw e;
                }
                try {
                    nnode = fdt.subnodeOffset(f[0], name);
                } catch (FdtException e2) {
                    if (e2.error() == FdtError.NOTFOUND) {
                        throw new FdtException(FdtError.INTERNAL, f[0], "node %s exists but cannot be found", name);
                    }
                    throw e2;
                }
            }
            setProps(fdt, nnode, fdto, sub);
            stack.push(new int[] {nnode, sub, firstChild(fdto, sub)});
        }
    }

    private static void setProps(FdtBlob fdt, int target, FdtBlob fdto, int node) throws FdtException {
        for (int p = firstProp(fdto, node); p >= 0; p = nextProp(fdto, p)) {
            fdt.setprop(target, fdto.propertyName(p), fdto.propertyValue(p));
        }
    }

    // ---------------------------------------------------------------- symbols

    private static final String OVERLAY_SLASH = "/__overlay__/";

    private static void symbolUpdate(FdtBlob fdt, FdtBlob fdto) throws FdtException {
        int ovSym;
        try {
            ovSym = fdto.subnodeOffset(0, "__symbols__");
        } catch (FdtException e) {
            return;
        }
        int rootSym;
        try {
            rootSym = fdt.subnodeOffset(0, "__symbols__");
        } catch (FdtException e) {
            if (e.error() != FdtError.NOTFOUND) {
                throw e;
            }
            rootSym = fdt.addSubnode(0, "__symbols__");
        }
        for (int prop = firstProp(fdto, ovSym); prop >= 0; prop = nextProp(fdto, prop)) {
            String name = fdto.propertyName(prop);
            byte[] v = fdto.propertyValue(prop);
            int firstNul = 0;
            while (firstNul < v.length && v[firstNul] != 0) {
                firstNul++;
            }
            if (v.length < 1 || firstNul != v.length - 1) {
                throw new FdtException(FdtError.BADVALUE, prop, "symbol %s is not one string", name);
            }
            String path = RawText.decode(v, 0, v.length - 1);
            if (path.isEmpty() || path.charAt(0) != '/') {
                throw new FdtException(FdtError.BADVALUE, prop, "symbol %s is not an absolute path", name);
            }
            int s = path.indexOf('/', 1);
            if (s < 0) {
                continue;
            }
            String fragName = path.substring(1, s);
            String tail = path.substring(s);
            String relPath;
            if (tail.length() + 1 > OVERLAY_SLASH.length() && tail.startsWith(OVERLAY_SLASH)) {
                relPath = tail.substring(OVERLAY_SLASH.length());
            } else if (tail.length() + 1 == OVERLAY_SLASH.length() && tail.equals("/__overlay__")) {
                relPath = "";
            } else {
                continue;
            }
            int fragment;
            try {
                fragment = fdto.subnodeOffset(0, fragName);
                fdto.subnodeOffset(fragment, "__overlay__");
            } catch (FdtException e) {
                throw badOverlay("symbol %s points into fragment %s without __overlay__", name, fragName);
            }
            int target = target(fdt, fdto, fragment);
            String targetPath = targetPath(fdto, fragment);
            String prefix = targetPath != null ? targetPath : fdt.getPath(target);
            byte[] prefixBytes = RawText.encode(prefix);
            byte[] rel = RawText.encode(relPath);
            int len = prefixBytes.length;
            byte[] out = new byte[len + (len > 1 ? 1 : 0) + rel.length + 1];
            int at = 0;
            if (len > 1) {
                System.arraycopy(prefixBytes, 0, out, 0, len);
                at = len;
            }
            out[at] = '/';
            System.arraycopy(rel, 0, out, at + 1, rel.length);
            fdt.setprop(rootSym, name, out);
        }
    }
}
