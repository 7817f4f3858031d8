package io.dtkit.fdt.edit;

import io.dtkit.fdt.FdtError;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.FdtFormat;
import io.dtkit.source.RawText;
import java.util.Arrays;

/**
 * A mutable working copy of a flattened device tree (Devicetree Specification chapter 5) that
 * edits the blob in place with libfdt 1.6.1's read-write semantics ({@code fdt_rw.c},
 * {@code fdt_wip.c}), so that the same sequence of calls leaves the same bytes in the buffer.
 *
 * <p>Offsets are structure-block offsets exactly as libfdt hands them out; they become stale
 * after any edit that moves bytes (like libfdt's). Every method that edits the blob first checks
 * the block layout (libfdt's {@code fdt_rw_probe_}): version 17 or newer, memory reservation
 * block, structure block and strings block in that order and inside {@code totalsize}.
 *
 * <p>Where the edits put things:
 * <ul>
 * <li>a new property is inserted as the node's FIRST property, right after the node's
 *     begin tag and name (libfdt 1.6.1 {@code fdt_add_property_});</li>
 * <li>a new node is inserted after the parent's properties and any NOPs that follow them,
 *     i.e. as the parent's first child;</li>
 * <li>a property name reuses any existing occurrence of {@code name\0} in the strings block,
 *     at any byte position, including the tail of a longer string ("name" matches inside
 *     "compatible-name\0"); otherwise it is appended at the end of the strings block;</li>
 * <li>growing or shrinking moves everything after the edit point up to the end of the strings
 *     block; bytes left behind by such a move (inside value padding or past the data) keep their
 *     old contents, as with libfdt's {@code memmove};</li>
 * <li>removing a property never removes its name from the strings block.</li>
 * </ul>
 *
 * <p>All work is linear in the blob size and uses no recursion.
 *
 * <p>Where libfdt 1.6.1 would read or write outside the blob (a negative reservation index,
 * an unterminated reservation block when adding an entry, a buffer shorter than
 * {@code totalsize}, alias chains that loop), this class reports an {@link FdtException}
 * (NOTFOUND, TRUNCATED, BADPATH) instead; everywhere else results and bytes are libfdt's.
 */
public final class FdtBlob {
    private static final int H_MAGIC = 0;
    private static final int H_TOTALSIZE = 4;
    private static final int H_OFF_DT_STRUCT = 8;
    private static final int H_OFF_DT_STRINGS = 12;
    private static final int H_OFF_MEM_RSVMAP = 16;
    private static final int H_VERSION = 20;
    private static final int H_LAST_COMP_VERSION = 24;
    private static final int H_BOOT_CPUID_PHYS = 28;
    private static final int H_SIZE_DT_STRINGS = 32;
    private static final int H_SIZE_DT_STRUCT = 36;

    private static final int HEADER_ALIGNED = 40;
    private static final int PROP_HEADER = 12;
    private static final int FIRST_SUPPORTED_VERSION = 2;
    private static final int LAST_SUPPORTED_VERSION = 17;
    /** Alias chains longer than this are refused (libfdt 1.6.1 would recurse without bound). */
    private static final int MAX_ALIAS_HOPS = 64;

    private static final int END = FdtFormat.FDT_END;
    private static final int BEGIN_NODE = FdtFormat.FDT_BEGIN_NODE;
    private static final int END_NODE = FdtFormat.FDT_END_NODE;
    private static final int PROP = FdtFormat.FDT_PROP;
    private static final int NOP = FdtFormat.FDT_NOP;

    private static final int E_NOTFOUND = -1;
    private static final int E_EXISTS = -2;
    private static final int E_NOSPACE = -3;
    private static final int E_BADOFFSET = -4;
    private static final int E_BADPATH = -5;
    private static final int E_TRUNCATED = -8;
    private static final int E_BADMAGIC = -9;
    private static final int E_BADVERSION = -10;
    private static final int E_BADSTRUCTURE = -11;
    private static final int E_BADLAYOUT = -12;
    private static final int E_INTERNAL = -13;

    private byte[] buf;
    /** Second result of {@link #nextTag} (libfdt's {@code *nextoffset}). */
    private int nextOffset;
    /** Second result of name, string and property look-ups (libfdt's {@code *lenp}). */
    private int lenResult;

    private FdtBlob(byte[] buf) {
        this.buf = buf;
    }

    // ---------------------------------------------------------------- construction

    /**
     * Checks the header like libfdt's {@code fdt_check_header} and wraps a private copy of
     * {@code blob}; the buffer is exactly {@code blob.length} bytes (like pylibfdt's
     * {@code Fdt(data)}).
     */
    public static FdtBlob open(byte[] blob) throws FdtException {
        FdtBlob b = new FdtBlob(blob.clone());
        b.checkHeaderOrThrow();
        return b;
    }

    /**
     * Wraps a private copy of {@code data} without checking the header, like a C tool that reads
     * a file and hands the bytes to libfdt; every call then reports what libfdt would
     * (BADMAGIC, TRUNCATED, ...). Accesses stay inside the buffer whatever the header says.
     */
    public static FdtBlob wrap(byte[] data) {
        return new FdtBlob(data.clone());
    }

    /**
     * Grows or shrinks the buffer to {@code bufferSize} bytes (new bytes are zero) and runs
     * libfdt's {@code fdt_open_into} with the blob as both source and destination, as fdtput
     * does to make room: in order blocks stay where they are; out-of-order blocks are rebuilt
     * only if they fit after the old blob, else NOSPACE (and the blob is left unchanged).
     */
    public void openIntoSelf(int bufferSize) throws FdtException {
        if (bufferSize < 0) {
            throw new FdtException(FdtError.NOSPACE, -1, "buffer size %d is negative", bufferSize);
        }
        int oldTotal = hdr(H_TOTALSIZE);
        buf = Arrays.copyOf(buf, bufferSize);
        int err = roProbe();
        if (err < 0) {
            check(err, "open_into");
        }
        int n = check(numMemRsvRaw(), "open_into");
        int memRsvSize = (n + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        int structSize = check(structSizeForOpen(), "open_into");
        if (!blocksMisordered(memRsvSize, structSize)) {
            setHdr(H_VERSION, 17);
            setHdr(H_SIZE_DT_STRUCT, structSize);
            setHdr(H_TOTALSIZE, bufferSize);
            return;
        }
        long newsize = HEADER_ALIGNED + (long) memRsvSize + u(structSize) + u(hdr(H_SIZE_DT_STRINGS));
        // the rebuilt copy must not overlap the old blob, so it goes after it
        if (bufferSize < newsize || u(oldTotal) + newsize > bufferSize) {
            throw new FdtException(FdtError.NOSPACE, -1, "no room to reorder blocks in %d bytes", bufferSize);
        }
        FdtBlob tmp = new FdtBlob(new byte[(int) newsize]);
        if (!packFits(this, tmp, memRsvSize, structSize)) {
            throw new FdtException(FdtError.TRUNCATED, -1, "blocks run past the buffer");
        }
        int boot = hdr(H_BOOT_CPUID_PHYS);
        packBlocks(this, tmp, memRsvSize, structSize);
        System.arraycopy(tmp.buf, 0, buf, (int) u(oldTotal), (int) newsize);
        System.arraycopy(tmp.buf, 0, buf, 0, (int) newsize);
        setHdr(H_MAGIC, FdtFormat.FDT_MAGIC);
        setHdr(H_TOTALSIZE, bufferSize);
        setHdr(H_VERSION, 17);
        setHdr(H_LAST_COMP_VERSION, 16);
        setHdr(H_BOOT_CPUID_PHYS, boot);
    }

    /**
     * libfdt's {@code fdt_open_into}: copies the (header-checked) blob into a new zero-filled
     * buffer of {@code bufferSize} bytes, converting version 16 to 17 and, when the blocks are
     * not in mem_rsvmap/struct/strings order, rebuilding them packed after a 40-byte header.
     * {@code totalsize} becomes {@code bufferSize}; the free space lies after the strings block.
     */
    public static FdtBlob openInto(byte[] blob, int bufferSize) throws FdtException {
        FdtBlob src = open(blob);
        if (bufferSize < 0) {
            throw new FdtException(FdtError.NOSPACE, -1, "buffer size %d is negative", bufferSize);
        }
        FdtBlob dst = new FdtBlob(new byte[bufferSize]);
        src.check(src.openInto(dst, bufferSize), "open_into");
        return dst;
    }

    private void checkHeaderOrThrow() throws FdtException {
        if (buf.length < 4) {
            throw new FdtException(FdtError.TRUNCATED, 0, "blob has %d bytes, too short for a header", buf.length);
        }
        if (hdr(H_MAGIC) != FdtFormat.FDT_MAGIC) {
            throw new FdtException(FdtError.BADMAGIC, 0, "expected magic 0xd00dfeed, found 0x%08x", hdr(H_MAGIC));
        }
        if (buf.length < HEADER_ALIGNED) {
            throw new FdtException(FdtError.TRUNCATED, 0, "blob has %d bytes, too short for a header", buf.length);
        }
        check(checkHeader(), "header");
        if (u(hdr(H_TOTALSIZE)) > buf.length) {
            throw new FdtException(FdtError.TRUNCATED, H_TOTALSIZE, "totalsize %d exceeds the %d bytes given",
                    u(hdr(H_TOTALSIZE)), buf.length);
        }
    }

    // ---------------------------------------------------------------- header

    /** The header's {@code totalsize}. */
    public int totalSize() {
        return hdr(H_TOTALSIZE);
    }

    /** The size of the working buffer (at least {@link #totalSize()}). */
    public int bufferSize() {
        return buf.length;
    }

    public int version() {
        return hdr(H_VERSION);
    }

    public int lastCompVersion() {
        return hdr(H_LAST_COMP_VERSION);
    }

    public int bootCpuidPhys() {
        return hdr(H_BOOT_CPUID_PHYS);
    }

    public int offDtStruct() {
        return hdr(H_OFF_DT_STRUCT);
    }

    public int offDtStrings() {
        return hdr(H_OFF_DT_STRINGS);
    }

    public int offMemRsvmap() {
        return hdr(H_OFF_MEM_RSVMAP);
    }

    public int sizeDtStrings() {
        return hdr(H_SIZE_DT_STRINGS);
    }

    public int sizeDtStruct() {
        return hdr(H_SIZE_DT_STRUCT);
    }

    /** The first {@link #totalSize()} bytes: what a libfdt user writes out. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, (int) Math.min(u(hdr(H_TOTALSIZE)), buf.length));
    }

    /** A copy of the whole working buffer, including bytes past {@code totalsize}. */
    public byte[] buffer() {
        return buf.clone();
    }

    // ---------------------------------------------------------------- public reads

    /** libfdt's {@code fdt_path_offset}: a path, or an alias name optionally followed by a path. */
    public int pathOffset(String path) throws FdtException {
        return check(pathOffset(bytes(path), 0), "path %s", path);
    }

    /**
     * libfdt's {@code fdt_subnode_offset}: the child called {@code name}; a name without
     * unit address also matches {@code name@anything} (the first such child in blob order).
     */
    public int subnodeOffset(int parentOffset, String name) throws FdtException {
        byte[] n = bytes(name);
        return check(subnodeOffsetNamelen(parentOffset, n, 0, n.length), "subnode %s", name);
    }

    /** libfdt's {@code fdt_getprop}: the value, or {@code null} when the node has no such property. */
    public byte[] getprop(int nodeOffset, String name) throws FdtException {
        byte[] n = bytes(name);
        int poff = getPropertyNamelen(nodeOffset, n, n.length);
        if (poff == E_NOTFOUND) {
            return null;
        }
        check(poff, "property %s", name);
        int len = lenResult;
        if (len < 0) {
            throw new FdtException(FdtError.BADSTRUCTURE, poff, "property %s has negative length %d", name, len);
        }
        long data = structAbs(poff) + PROP_HEADER;
        if (hdr(H_VERSION) < 0x10 && ((u(poff) + PROP_HEADER) % 8) != 0 && len >= 8) {
            data += 4;
        }
        return slice(data, len);
    }

    /**
     * The value length of a property (libfdt's {@code fdt_get_property} length), or -1 when the
     * node has no such property.
     */
    public int getpropLength(int nodeOffset, String name) throws FdtException {
        byte[] n = bytes(name);
        int poff = getPropertyW(nodeOffset, n);
        if (poff == E_NOTFOUND) {
            return -1;
        }
        check(poff, "property %s", name);
        return lenResult;
    }

    /**
     * libfdt's {@code fdt_next_tag}: {tag, offset of the next tag}; a premature end or an
     * unknown tag gives {@code FDT_END} with a negative next offset (the libfdt error number).
     */
    public int[] nextTagAt(int offset) {
        int tag = nextTag(offset);
        return new int[] {tag, nextOffset};
    }

    /** libfdt's {@code fdt_get_name}. */
    public String getName(int nodeOffset) throws FdtException {
        int p = check(nameRaw(nodeOffset), "node name");
        return str(p, lenResult);
    }

    /** The node's name as the bytes in the blob (a name need not be UTF-8). */
    public byte[] getNameBytes(int nodeOffset) throws FdtException {
        int p = check(nameRaw(nodeOffset), "node name");
        return Arrays.copyOfRange(buf, p, p + lenResult);
    }

    /** libfdt's {@code fdt_first_property_offset}; {@code -1} when the node has no property. */
    public int firstPropertyOffset(int nodeOffset) throws FdtException {
        return notFoundIsMinusOne(firstPropertyOffsetRaw(nodeOffset), "first property");
    }

    /** libfdt's {@code fdt_next_property_offset}; {@code -1} after the last property. */
    public int nextPropertyOffset(int propOffset) throws FdtException {
        return notFoundIsMinusOne(nextPropertyOffsetRaw(propOffset), "next property");
    }

    /** The name of the property at {@code propOffset} (libfdt's {@code fdt_getprop_by_offset}). */
    public String propertyName(int propOffset) throws FdtException {
        check(checkPropOffset(propOffset), "property offset %d", propOffset);
        int nameoff = u32(structAbs(propOffset) + 8);
        long s = check(getString(nameoff), "property name");
        return str(s, lenResult);
    }

    /** The name of the property at {@code propOffset} as the bytes in the blob. */
    public byte[] propertyNameBytes(int propOffset) throws FdtException {
        check(checkPropOffset(propOffset), "property offset %d", propOffset);
        int nameoff = u32(structAbs(propOffset) + 8);
        long s = check(getString(nameoff), "property name");
        return Arrays.copyOfRange(buf, (int) s, (int) s + lenResult);
    }

    /** The value of the property at {@code propOffset}. */
    public byte[] propertyValue(int propOffset) throws FdtException {
        check(checkPropOffset(propOffset), "property offset %d", propOffset);
        int len = u32(structAbs(propOffset) + 4);
        if (len < 0) {
            throw new FdtException(FdtError.BADSTRUCTURE, propOffset, "property length %d", len);
        }
        long data = structAbs(propOffset) + PROP_HEADER;
        if (hdr(H_VERSION) < 0x10 && ((u(propOffset) + PROP_HEADER) % 8) != 0 && len >= 8) {
            data += 4;
        }
        return slice(data, len);
    }

    /** libfdt's {@code fdt_first_subnode}; {@code -1} when there is none. */
    public int firstSubnode(int nodeOffset) throws FdtException {
        int[] depth = {0};
        int off = nextNode(nodeOffset, depth);
        // libfdt reports every failure here as NOTFOUND
        if (off < 0 || depth[0] != 1) {
            return -1;
        }
        return off;
    }

    /** libfdt's {@code fdt_next_subnode}; {@code -1} after the last sibling. */
    public int nextSubnode(int nodeOffset) throws FdtException {
        int[] depth = {1};
        int off = nodeOffset;
        do {
            off = nextNode(off, depth);
            if (off < 0 || depth[0] < 1) {
                return -1;
            }
        } while (depth[0] > 1);
        return off;
    }

    /**
     * libfdt's {@code fdt_next_node}: the next node in blob order after {@code offset}
     * ({@code -1} starts at the root), updating {@code depth[0]} when given. Returns {@code -1}
     * at the end of the tree. When {@code depth[0]} falls below zero (the walk left the subtree
     * it started in) it returns, like libfdt, the offset just after that closing tag, so loops
     * must test {@code depth[0] >= 0} as well.
     */
    public int nextNodeOffset(int offset, int[] depth) throws FdtException {
        int r = nextNode(offset, depth);
        if (r == E_NOTFOUND) {
            return -1;
        }
        return check(r, "next node");
    }

    /** libfdt's {@code fdt_node_depth} (the root has depth 0). */
    public int nodeDepth(int nodeOffset) throws FdtException {
        int[] depth = {0};
        int err = supernodeAtdepthOffset(nodeOffset, 0, depth);
        check(err, "node depth");
        return depth[0];
    }

    /** libfdt's {@code fdt_parent_offset} (linear in the offset). */
    public int parentOffset(int nodeOffset) throws FdtException {
        int depth = nodeDepth(nodeOffset);
        return check(supernodeAtdepthOffset(nodeOffset, depth - 1, null), "parent");
    }

    /** The full path of a node, like libfdt's {@code fdt_get_path} (linear in the offset). */
    public String getPath(int nodeOffset) throws FdtException {
        check(checkNodeOffset(nodeOffset), "node offset %d", nodeOffset);
        String[] names = new String[16];
        int[] depth = {0};
        int off = 0;
        while (off >= 0 && off <= nodeOffset && depth[0] >= 0) {
            int d = depth[0];
            {
                if (d >= names.length) {
                    names = Arrays.copyOf(names, names.length * 2);
                }
                names[d] = getName(off);
            }
            if (off == nodeOffset) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= d; i++) {
                    sb.append('/').append(names[i]);
                }
                return sb.length() == 0 ? "/" : sb.toString();
            }
            off = nextNode(off, depth);
        }
        throw new FdtException(FdtError.BADOFFSET, nodeOffset, "offset %d is not a node", nodeOffset);
    }

    /**
     * libfdt's {@code fdt_get_phandle}: the 4-byte {@code phandle} (or {@code linux,phandle})
     * value, 0 when there is none or the node cannot be read.
     */
    public int getPhandle(int nodeOffset) {
        byte[] v = null;
        try {
            v = getprop(nodeOffset, "phandle");
        } catch (FdtException e) {
            // libfdt treats an unreadable property as absent here
        }
        if (v == null || v.length != 4) {
            try {
                v = getprop(nodeOffset, "linux,phandle");
            } catch (FdtException e) {
                v = null;
            }
            if (v == null || v.length != 4) {
                return 0;
            }
        }
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    /** libfdt's {@code fdt_node_offset_by_phandle}: BADPHANDLE for 0 and -1, NOTFOUND when absent. */
    public int nodeOffsetByPhandle(int phandle) throws FdtException {
        if (phandle == 0 || phandle == -1) {
            throw new FdtException(FdtError.BADPHANDLE, -1, "phandle 0x%x", phandle);
        }
        check(roProbe(), "header");
        int offset;
        for (offset = nextNode(-1, null); offset >= 0; offset = nextNode(offset, null)) {
            if (getPhandle(offset) == phandle) {
                return offset;
            }
        }
        return check(offset, "phandle 0x%x", phandle);
    }

    /** libfdt's {@code fdt_find_max_phandle}: the largest phandle in the tree (unsigned), 0 if none. */
    public int findMaxPhandle() throws FdtException {
        int max = 0;
        int offset = -1;
        while (true) {
            offset = nextNode(offset, null);
            if (offset < 0) {
                if (offset == E_NOTFOUND) {
                    break;
                }
                check(offset, "max phandle");
            }
            int value = getPhandle(offset);
            if (Integer.compareUnsigned(value, max) > 0) {
                max = value;
            }
        }
        return max;
    }

    /**
     * libfdt's {@code fdt_setprop_inplace_namelen_partial}: overwrites {@code value.length} bytes
     * of an existing value at byte {@code index} (unsigned); NOSPACE when that runs past the value.
     */
    public void setpropInplacePartial(int nodeOffset, String name, int index, byte[] value) throws FdtException {
        byte[] n = bytes(name);
        int poff = check(getPropertyNamelen(nodeOffset, n, n.length), "setprop_inplace %s", name);
        int proplen = lenResult;
        // libfdt compares in 32 bits and can wrap; a wrapped index would write outside the value
        if (proplen < 0 || u(index) + value.length > u(proplen)) {
            throw new FdtException(FdtError.NOSPACE, poff, "%d bytes at %d run past property %s (%d bytes)",
                    value.length, u(index), name, proplen);
        }
        long data = structAbs(poff) + PROP_HEADER;
        if (hdr(H_VERSION) < 0x10 && ((u(poff) + PROP_HEADER) % 8) != 0 && proplen >= 8) {
            data += 4;
        }
        write(data + u(index), value, 0, value.length);
    }

    /** libfdt's FDT_RO_PROBE: magic, versions and totalsize must be usable. */
    void roProbeOrThrow() throws FdtException {
        check(roProbe(), "header");
    }

    /** Erases the magic, as libfdt does to blobs an overlay application may have damaged. */
    void eraseMagic() {
        if (buf.length >= 4) {
            setHdr(H_MAGIC, ~0);
        }
    }

    /** {@link #openInto} without the header check: libfdt's {@code fdt_open_into} on raw bytes. */
    static FdtBlob openIntoUnchecked(byte[] blob, int bufferSize) throws FdtException {
        FdtBlob src = new FdtBlob(blob.clone());
        if (bufferSize < 0) {
            throw new FdtException(FdtError.NOSPACE, -1, "buffer size %d is negative", bufferSize);
        }
        FdtBlob dst = new FdtBlob(new byte[bufferSize]);
        src.check(src.openInto(dst, bufferSize), "open_into");
        return dst;
    }

    /** libfdt's {@code fdt_num_mem_rsv}. */
    public int numMemRsv() throws FdtException {
        return check(numMemRsvRaw(), "memory reservations");
    }

    /** Entry {@code index} of the reservation block as {address, size}. */
    public long[] getMemRsv(int index) throws FdtException {
        check(roProbe(), "header");
        long re = memRsv(index);
        if (re < 0) {
            throw new FdtException(FdtError.BADOFFSET, -1, "no reservation entry %d", index);
        }
        return new long[] {u64(re), u64(re + 8)};
    }

    /** The string at {@code stroffset} of the strings block (libfdt's {@code fdt_get_string}). */
    public String string(int stroffset) throws FdtException {
        long s = check(getString(stroffset), "string at %d", stroffset);
        return str(s, lenResult);
    }

    // ---------------------------------------------------------------- public edits

    /**
     * libfdt's {@code fdt_setprop}: replaces the value of an existing property in place
     * (resizing its 4-byte-aligned value area), or adds the property as the node's first one.
     */
    public void setprop(int nodeOffset, String name, byte[] value) throws FdtException {
        byte[] n = bytes(name);
        int data = check(setpropPlaceholder(nodeOffset, n, value.length), "setprop %s", name);
        if (value.length > 0) {
            write(data, value, 0, value.length);
        }
    }

    /**
     * libfdt's {@code fdt_setprop_inplace}: overwrites an existing value of exactly the same
     * length; NOSPACE when the length differs, NOTFOUND when absent.
     */
    public void setpropInplace(int nodeOffset, String name, byte[] value) throws FdtException {
        byte[] n = bytes(name);
        int poff = getPropertyNamelen(nodeOffset, n, n.length);
        check(poff, "setprop_inplace %s", name);
        if (lenResult != value.length) {
            throw new FdtException(FdtError.NOSPACE, poff, "property %s has %d bytes, value has %d",
                    name, lenResult, value.length);
        }
        long data = structAbs(poff) + PROP_HEADER;
        if (hdr(H_VERSION) < 0x10 && ((u(poff) + PROP_HEADER) % 8) != 0 && lenResult >= 8) {
            data += 4;
        }
        write(data, value, 0, value.length);
    }

    /**
     * libfdt's {@code fdt_appendprop}: appends bytes to an existing value, or adds the property
     * (as the node's first) when absent.
     */
    public void appendprop(int nodeOffset, String name, byte[] value) throws FdtException {
        check(rwProbe(), "appendprop");
        byte[] n = bytes(name);
        int poff = getPropertyW(nodeOffset, n);
        int oldlen = lenResult;
        if (poff >= 0) {
            int newlen = value.length + oldlen;
            long data = structAbs(poff) + PROP_HEADER;
            check(spliceStruct(data, tagAlign(oldlen), tagAlign(newlen)), "appendprop %s", name);
            putU32(structAbs(poff) + 4, newlen);
            write(data + oldlen, value, 0, value.length);
        } else {
            int p = check(addProperty(nodeOffset, n, value.length), "appendprop %s", name);
            write(structAbs(p) + PROP_HEADER, value, 0, value.length);
        }
    }

    /** libfdt's {@code fdt_delprop}: removes the property; its name stays in the strings block. */
    public void delprop(int nodeOffset, String name) throws FdtException {
        check(rwProbe(), "delprop");
        byte[] n = bytes(name);
        int poff = check(getPropertyW(nodeOffset, n), "delprop %s", name);
        int proplen = PROP_HEADER + tagAlign(lenResult);
        check(spliceStruct(structAbs(poff), proplen, 0), "delprop %s", name);
    }

    /** libfdt's {@code fdt_nop_property}: overwrites the property with NOP tags (no layout check). */
    public void nopProperty(int nodeOffset, String name) throws FdtException {
        byte[] n = bytes(name);
        int poff = check(getPropertyW(nodeOffset, n), "nop_property %s", name);
        nopRegion(structAbs(poff), lenResult + PROP_HEADER);
    }

    /**
     * libfdt's {@code fdt_add_subnode}: adds an empty node after the parent's properties (and any
     * NOPs that follow them), i.e. as first child; EXISTS when a child of that name (or, for a
     * name without unit address, of that base name) exists. Returns the new node's offset.
     */
    public int addSubnode(int parentOffset, String name) throws FdtException {
        byte[] n = bytes(name);
        return check(addSubnodeNamelen(parentOffset, n, n.length), "add_subnode %s", name);
    }

    /** libfdt's {@code fdt_del_node}: removes the node with all its properties and children. */
    public void delNode(int nodeOffset) throws FdtException {
        check(rwProbe(), "del_node");
        int end = check(nodeEndOffset(nodeOffset), "del_node");
        check(spliceStruct(structAbs(nodeOffset), end - nodeOffset, 0), "del_node");
    }

    /** libfdt's {@code fdt_nop_node}: overwrites the node and its subtree with NOP tags (no layout check). */
    public void nopNode(int nodeOffset) throws FdtException {
        int end = check(nodeEndOffset(nodeOffset), "nop_node");
        nopRegion(structAbs(nodeOffset), end - nodeOffset);
    }

    /**
     * libfdt's {@code fdt_set_name}: replaces the node name; the name area is resized to the
     * new aligned length, and only the name and its NUL are written.
     */
    public void setName(int nodeOffset, String name) throws FdtException {
        check(rwProbe(), "set_name");
        byte[] n = bytes(name);
        int namep = check(nameRaw(nodeOffset), "set_name");
        int oldlen = lenResult;
        check(spliceStruct(u(namep), tagAlign(oldlen + 1), tagAlign(n.length + 1)), "set_name %s", name);
        write(u(namep), n, 0, n.length);
        putByte(u(namep) + n.length, 0);
    }

    /** libfdt's {@code fdt_add_mem_rsv}: appends an entry before the terminating one. */
    public void addMemRsv(long address, long size) throws FdtException {
        check(rwProbe(), "add_mem_rsv");
        // libfdt 1.6.1 would splice before the block when it is unterminated; refuse instead
        int n = check(numMemRsvRaw(), "add_mem_rsv");
        long re = u(hdr(H_OFF_MEM_RSVMAP)) + (long) n * FdtFormat.RESERVE_ENTRY_SIZE;
        check(spliceMemRsv(re, 0, 1), "add_mem_rsv");
        putU64(re, address);
        putU64(re + 8, size);
    }

    /**
     * libfdt's {@code fdt_del_mem_rsv}. A negative index is refused with NOTFOUND (libfdt 1.6.1
     * would splice inside the header).
     */
    public void delMemRsv(int index) throws FdtException {
        check(rwProbe(), "del_mem_rsv");
        if (index < 0 || index >= numMemRsvRaw()) {
            throw new FdtException(FdtError.NOTFOUND, -1, "no reservation entry %d", index);
        }
        long re = u(hdr(H_OFF_MEM_RSVMAP)) + (long) index * FdtFormat.RESERVE_ENTRY_SIZE;
        check(spliceMemRsv(re, 1, 0), "del_mem_rsv");
    }

    /**
     * libfdt's {@code fdt_pack}: moves the blocks down to a 40-byte header (reservation block
     * including its terminator, structure, strings) and sets {@code totalsize} to the end of the
     * strings block. The buffer keeps its size; bytes past the new end are left as they were.
     */
    public void pack() throws FdtException {
        check(rwProbe(), "pack");
        int n = numMemRsvRaw();
        int memRsvSize = (n + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        if (memRsvSize < 0) {
            throw new FdtException(FdtError.TRUNCATED, hdr(H_OFF_MEM_RSVMAP), "reservation block is unterminated");
        }
        if (!packFits(this, this, memRsvSize, hdr(H_SIZE_DT_STRUCT))) {
            throw new FdtException(FdtError.BADLAYOUT, -1, "blocks do not fit the buffer");
        }
        packBlocks(this, this, memRsvSize, hdr(H_SIZE_DT_STRUCT));
        setHdr(H_TOTALSIZE, dataSize());
    }

    // ================================================================ libfdt core (fdt.c)

    private int roProbe() {
        int magic = hdr(H_MAGIC);
        if (magic != FdtFormat.FDT_MAGIC) {
            return E_BADMAGIC;
        }
        if (Integer.compareUnsigned(hdr(H_VERSION), FIRST_SUPPORTED_VERSION) < 0) {
            return E_BADVERSION;
        }
        if (Integer.compareUnsigned(hdr(H_LAST_COMP_VERSION), LAST_SUPPORTED_VERSION) > 0) {
            return E_BADVERSION;
        }
        long total = u(hdr(H_TOTALSIZE));
        if (total < Integer.MAX_VALUE && total <= buf.length) {
            return (int) total;
        }
        return E_TRUNCATED;
    }

    private static int headerSize(int version) {
        long v = u(version);
        if (v <= 1) {
            return 28;
        } else if (v <= 2) {
            return 32;
        } else if (v <= 3) {
            return 36;
        } else if (v <= 16) {
            return FdtFormat.HEADER_SIZE_V16;
        }
        return FdtFormat.HEADER_SIZE_V17;
    }

    private static boolean checkOff(long hdrsize, long totalsize, long off) {
        return off >= hdrsize && off <= totalsize;
    }

    private static boolean checkBlock(long hdrsize, long totalsize, long base, long size) {
        return checkOff(hdrsize, totalsize, base) && checkOff(hdrsize, totalsize, base + size);
    }

    private int checkHeader() {
        if (hdr(H_MAGIC) != FdtFormat.FDT_MAGIC) {
            return E_BADMAGIC;
        }
        int version = hdr(H_VERSION);
        int lastComp = hdr(H_LAST_COMP_VERSION);
        if (Integer.compareUnsigned(version, FIRST_SUPPORTED_VERSION) < 0
                || Integer.compareUnsigned(lastComp, LAST_SUPPORTED_VERSION) > 0
                || Integer.compareUnsigned(version, lastComp) < 0) {
            return E_BADVERSION;
        }
        long hdrsize = headerSize(version);
        long total = u(hdr(H_TOTALSIZE));
        if (total < hdrsize || total > Integer.MAX_VALUE) {
            return E_TRUNCATED;
        }
        if (!checkOff(hdrsize, total, u(hdr(H_OFF_MEM_RSVMAP)))) {
            return E_TRUNCATED;
        }
        if (u(version) < 17) {
            if (!checkOff(hdrsize, total, u(hdr(H_OFF_DT_STRUCT)))) {
                return E_TRUNCATED;
            }
        } else if (!checkBlock(hdrsize, total, u(hdr(H_OFF_DT_STRUCT)), u(hdr(H_SIZE_DT_STRUCT)))) {
            return E_TRUNCATED;
        }
        if (!checkBlock(hdrsize, total, u(hdr(H_OFF_DT_STRINGS)), u(hdr(H_SIZE_DT_STRINGS)))) {
            return E_TRUNCATED;
        }
        return 0;
    }

    /**
     * One past the last structure offset libfdt's {@code fdt_offset_ptr} accepts: inside
     * {@code totalsize}, inside {@code size_dt_struct} (version 17 and later) and inside the buffer.
     */
    private long structLimit() {
        long off = u(hdr(H_OFF_DT_STRUCT));
        long limit = Math.min(u(hdr(H_TOTALSIZE)), buf.length) - off;
        if (u(hdr(H_VERSION)) >= 0x11) {
            limit = Math.min(limit, u(hdr(H_SIZE_DT_STRUCT)));
        }
        return limit;
    }

    /** libfdt's {@code fdt_offset_ptr}: absolute position of {@code len} struct bytes, or -1. */
    private long offsetPtr(int offset, long len) {
        if (offset < 0 || offset + len > structLimit()) {
            return -1;
        }
        return offset + u(hdr(H_OFF_DT_STRUCT));
    }

    /** Absolute position of a struct offset already validated by {@link #nextTag}. */
    private long structAbs(int offset) {
        return u(offset) + u(hdr(H_OFF_DT_STRUCT));
    }

    /** libfdt's {@code fdt_next_tag}; the following offset (or an error) goes to {@link #nextOffset}. */
    private int nextTag(int startoffset) {
        nextOffset = E_TRUNCATED;
        long tagp = offsetPtr(startoffset, 4);
        if (tagp < 0) {
            return END;
        }
        int tag = u32(tagp);
        int offset = startoffset + 4;
        nextOffset = E_BADSTRUCTURE;
        switch (tag) {
            case BEGIN_NODE: {
                // the name runs to its NUL, which must lie inside the structure block
                long limit = structLimit();
                long base = u(hdr(H_OFF_DT_STRUCT));
                while (offset < limit && buf[(int) (base + offset)] != 0) {
                    offset++;
                }
                if (offset >= limit) {
                    return END;
                }
                offset++;
                break;
            }
            case PROP: {
                long lenp = offsetPtr(offset, 4);
                if (lenp < 0) {
                    return END;
                }
                int len = u32(lenp);
                offset += 8 + len;
                if (u(hdr(H_VERSION)) < 0x10 && u(len) >= 8 && ((offset - len) & 7) != 0) {
                    offset += 4;
                }
                break;
            }
            case END:
            case END_NODE:
            case NOP:
                break;
            default:
                return END;
        }
        if (offsetPtr(startoffset, u(offset - startoffset)) < 0) {
            return END;
        }
        nextOffset = tagAlign(offset);
        return tag;
    }

    private int checkNodeOffset(int offset) {
        if (offset < 0 || (offset % 4) != 0) {
            return E_BADOFFSET;
        }
        if (nextTag(offset) != BEGIN_NODE) {
            return E_BADOFFSET;
        }
        return nextOffset;
    }

    private int checkPropOffset(int offset) {
        if (offset < 0 || (offset % 4) != 0) {
            return E_BADOFFSET;
        }
        if (nextTag(offset) != PROP) {
            return E_BADOFFSET;
        }
        return nextOffset;
    }

    /** libfdt's {@code fdt_next_node}; {@code depth} may be null. */
    private int nextNode(int offset, int[] depth) {
        int next = 0;
        if (offset >= 0) {
            next = checkNodeOffset(offset);
            if (next < 0) {
                return next;
            }
        }
        int tag;
        do {
            offset = next;
            tag = nextTag(offset);
            next = nextOffset;
            switch (tag) {
                case PROP:
                case NOP:
                    break;
                case BEGIN_NODE:
                    if (depth != null) {
                        depth[0]++;
                    }
                    break;
                case END_NODE:
                    if (depth != null && --depth[0] < 0) {
                        return next;
                    }
                    break;
                case END:
                    if (next >= 0 || (next == E_TRUNCATED && depth == null)) {
                        return E_NOTFOUND;
                    }
                    return next;
                default:
                    break;
            }
        } while (tag != BEGIN_NODE);
        return offset;
    }

    private int numMemRsvRaw() {
        for (int i = 0; ; i++) {
            long re = memRsv(i);
            if (re < 0) {
                return E_TRUNCATED;
            }
            if (u64(re + 8) == 0) {
                return i;
            }
        }
    }

    /** libfdt's {@code fdt_mem_rsv}: absolute position of entry {@code n}, or -1. */
    private long memRsv(int n) {
        long off = u(n * FdtFormat.RESERVE_ENTRY_SIZE);
        long base = u(hdr(H_OFF_MEM_RSVMAP));
        long abs = (base + off) & 0xffffffffL;
        if (abs < base) {
            return -1;
        }
        long total = u(hdr(H_TOTALSIZE));
        if (total < FdtFormat.RESERVE_ENTRY_SIZE || abs > total - FdtFormat.RESERVE_ENTRY_SIZE) {
            return -1;
        }
        if (abs + FdtFormat.RESERVE_ENTRY_SIZE > buf.length) {
            return -1;
        }
        return abs;
    }

    // ================================================================ libfdt reads (fdt_ro.c)

    /** libfdt's {@code fdt_get_string}: absolute position, length in {@link #lenResult}. */
    private long getString(int stroffset) {
        int err = roProbe();
        if (err < 0) {
            lenResult = err;
            return err;
        }
        long totalsize = err;
        long absoffset = (u(stroffset) + u(hdr(H_OFF_DT_STRINGS))) & 0xffffffffL;
        if (absoffset >= totalsize) {
            lenResult = E_BADOFFSET;
            return E_BADOFFSET;
        }
        long len = totalsize - absoffset;
        if (stroffset < 0) {
            lenResult = E_BADOFFSET;
            return E_BADOFFSET;
        }
        if (u(hdr(H_VERSION)) >= 17) {
            long size = u(hdr(H_SIZE_DT_STRINGS));
            if (u(stroffset) >= size) {
                lenResult = E_BADOFFSET;
                return E_BADOFFSET;
            }
            if (size - u(stroffset) < len) {
                len = size - u(stroffset);
            }
        }
        for (long i = 0; i < len; i++) {
            if (buf[(int) (absoffset + i)] == 0) {
                lenResult = (int) i;
                return absoffset;
            }
        }
        lenResult = E_TRUNCATED;
        return E_TRUNCATED;
    }

    private boolean stringEq(int stroffset, byte[] s, int len) {
        long p = getString(stroffset);
        if (p < 0 || lenResult != len) {
            return false;
        }
        return regionEquals(p, s, 0, len);
    }

    /** libfdt's {@code fdt_get_name}: absolute position of the name, length in {@link #lenResult}. */
    private int nameRaw(int nodeoffset) {
        int err = roProbe();
        if (err >= 0) {
            err = checkNodeOffset(nodeoffset);
        }
        if (err < 0) {
            lenResult = err;
            return err;
        }
        long nameptr = structAbs(nodeoffset) + 4;
        int len = strlen(nameptr);
        if (u(hdr(H_VERSION)) < 0x10) {
            long leaf = -1;
            for (int i = 0; i < len; i++) {
                if (buf[(int) (nameptr + i)] == '/') {
                    leaf = nameptr + i;
                }
            }
            if (leaf < 0) {
                lenResult = E_BADSTRUCTURE;
                return E_BADSTRUCTURE;
            }
            len -= (int) (leaf + 1 - nameptr);
            nameptr = leaf + 1;
        }
        lenResult = len;
        return (int) nameptr;
    }

    private int nextprop(int offset) {
        int tag;
        do {
            tag = nextTag(offset);
            int next = nextOffset;
            if (tag == END) {
                return next >= 0 ? E_BADSTRUCTURE : next;
            }
            if (tag == PROP) {
                return offset;
            }
            offset = next;
        } while (tag == NOP);
        return E_NOTFOUND;
    }

    private int firstPropertyOffsetRaw(int nodeoffset) {
        int offset = checkNodeOffset(nodeoffset);
        if (offset < 0) {
            return offset;
        }
        return nextprop(offset);
    }

    private int nextPropertyOffsetRaw(int offset) {
        offset = checkPropOffset(offset);
        if (offset < 0) {
            return offset;
        }
        return nextprop(offset);
    }

    /**
     * libfdt's {@code fdt_get_property_namelen_}: struct offset of the property, its length in
     * {@link #lenResult}; or an error code (also in {@link #lenResult}).
     */
    private int getPropertyNamelen(int nodeoffset, byte[] name, int namelen) {
        int offset;
        for (offset = firstPropertyOffsetRaw(nodeoffset); offset >= 0; offset = nextPropertyOffsetRaw(offset)) {
            if (checkPropOffset(offset) < 0) {
                offset = E_INTERNAL;
                break;
            }
            long abs = structAbs(offset);
            int len = u32(abs + 4);
            if (stringEq(u32(abs + 8), name, namelen)) {
                lenResult = len;
                return offset;
            }
        }
        lenResult = offset;
        return offset;
    }

    /** libfdt's {@code fdt_get_property_w}, refusing versions before 16. */
    private int getPropertyW(int nodeoffset, byte[] name) {
        if (u(hdr(H_VERSION)) < 0x10) {
            lenResult = E_BADVERSION;
            return E_BADVERSION;
        }
        return getPropertyNamelen(nodeoffset, name, name.length);
    }

    private boolean nodenameEq(int offset, byte[] s, int from, int len) {
        int p = nameRaw(offset);
        int olen = lenResult;
        if (p < 0 || olen < len) {
            return false;
        }
        if (!regionEquals(p, s, from, len)) {
            return false;
        }
        byte next = buf[p + len];
        if (next == 0) {
            return true;
        }
        if (next == '@') {
            for (int i = 0; i < len; i++) {
                if (s[from + i] == '@') {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private int subnodeOffsetNamelen(int offset, byte[] name, int from, int namelen) {
        int err = roProbe();
        if (err < 0) {
            return err;
        }
        int[] depth = {0};
        for (; offset >= 0 && depth[0] >= 0; offset = nextNode(offset, depth)) {
            if (depth[0] == 1 && nodenameEq(offset, name, from, namelen)) {
                return offset;
            }
        }
        if (depth[0] < 0) {
            return E_NOTFOUND;
        }
        return offset;
    }

    private int pathOffset(byte[] path, int hops) {
        int err = roProbe();
        if (err < 0) {
            return err;
        }
        int end = path.length;
        int p = 0;
        int offset = 0;
        if (end == 0 || path[0] != '/') {
            int q = indexOf(path, (byte) '/', 0, end);
            if (q < 0) {
                q = end;
            }
            byte[] alias = getAlias(path, 0, q);
            if (alias == null || hops >= MAX_ALIAS_HOPS) {
                return E_BADPATH;
            }
            offset = pathOffset(aliasTarget(alias), hops + 1);
            p = q;
        }
        while (p < end) {
            while (path[p] == '/') {
                p++;
                if (p == end) {
                    return offset;
                }
            }
            int q = indexOf(path, (byte) '/', p, end);
            if (q < 0) {
                q = end;
            }
            offset = subnodeOffsetNamelen(offset, path, p, q - p);
            if (offset < 0) {
                return offset;
            }
            p = q;
        }
        return offset;
    }

    /** The alias value up to its NUL (libfdt reads it as a C string). */
    private static byte[] aliasTarget(byte[] value) {
        int n = indexOf(value, (byte) 0, 0, value.length);
        return n < 0 ? value : Arrays.copyOf(value, n);
    }

    private byte[] getAlias(byte[] name, int from, int to) {
        int aliases = pathOffset(bytes("/aliases"), MAX_ALIAS_HOPS);
        if (aliases < 0) {
            return null;
        }
        byte[] n = Arrays.copyOfRange(name, from, to);
        int poff = getPropertyNamelen(aliases, n, n.length);
        if (poff < 0 || lenResult < 0) {
            return null;
        }
        long p = structAbs(poff) + PROP_HEADER;
        return Arrays.copyOfRange(buf, (int) p, (int) p + lenResult);
    }

    private int supernodeAtdepthOffset(int nodeoffset, int supernodedepth, int[] nodedepth) {
        int err = roProbe();
        if (err < 0) {
            return err;
        }
        if (supernodedepth < 0) {
            return E_NOTFOUND;
        }
        int supernodeoffset = E_INTERNAL;
        int[] depth = {0};
        int offset;
        for (offset = 0; offset >= 0 && offset <= nodeoffset; offset = nextNode(offset, depth)) {
            if (depth[0] == supernodedepth) {
                supernodeoffset = offset;
            }
            if (offset == nodeoffset) {
                if (nodedepth != null) {
                    nodedepth[0] = depth[0];
                }
                if (supernodedepth > depth[0]) {
                    return E_NOTFOUND;
                }
                return supernodeoffset;
            }
        }
        if (offset == E_NOTFOUND || offset >= 0) {
            return E_BADOFFSET;
        }
        if (offset == E_BADSTRUCTURE) {
            return E_BADSTRUCTURE;
        }
        return offset;
    }

    // ================================================================ libfdt edits (fdt_rw.c)

    private boolean blocksMisordered(int memRsvSize, int structSize) {
        return lt(hdr(H_OFF_MEM_RSVMAP), HEADER_ALIGNED)
                || lt(hdr(H_OFF_DT_STRUCT), hdr(H_OFF_MEM_RSVMAP) + memRsvSize)
                || lt(hdr(H_OFF_DT_STRINGS), hdr(H_OFF_DT_STRUCT) + structSize)
                || lt(hdr(H_TOTALSIZE), hdr(H_OFF_DT_STRINGS) + hdr(H_SIZE_DT_STRINGS));
    }

    private int rwProbe() {
        int err = roProbe();
        if (err < 0) {
            return err;
        }
        if (u(hdr(H_VERSION)) < 17) {
            return E_BADVERSION;
        }
        if (blocksMisordered(FdtFormat.RESERVE_ENTRY_SIZE, hdr(H_SIZE_DT_STRUCT))) {
            return E_BADLAYOUT;
        }
        if (u(hdr(H_VERSION)) > 17) {
            setHdr(H_VERSION, 17);
        }
        return 0;
    }

    private int dataSize() {
        return hdr(H_OFF_DT_STRINGS) + hdr(H_SIZE_DT_STRINGS);
    }

    /** libfdt's {@code fdt_splice_}: makes room at absolute {@code soff} (memmove semantics). */
    private int splice(long soff, int oldlen, int newlen) {
        long dsize = u(dataSize());
        if (oldlen < 0 || soff < 0 || soff + oldlen > dsize) {
            return E_BADOFFSET;
        }
        if (lt(dataSize() + newlen, oldlen)) {
            return E_BADOFFSET;
        }
        if (Integer.compareUnsigned(dataSize() - oldlen + newlen, hdr(H_TOTALSIZE)) > 0) {
            return E_NOSPACE;
        }
        long count = dsize - (soff + oldlen);
        if (newlen < 0 || count < 0 || soff + newlen + count > buf.length || soff + oldlen + count > buf.length) {
            return E_INTERNAL;
        }
        System.arraycopy(buf, (int) (soff + oldlen), buf, (int) (soff + newlen), (int) count);
        return 0;
    }

    private int spliceMemRsv(long p, int oldn, int newn) {
        int delta = (newn - oldn) * FdtFormat.RESERVE_ENTRY_SIZE;
        int err = splice(p, oldn * FdtFormat.RESERVE_ENTRY_SIZE, newn * FdtFormat.RESERVE_ENTRY_SIZE);
        if (err != 0) {
            return err;
        }
        setHdr(H_OFF_DT_STRUCT, hdr(H_OFF_DT_STRUCT) + delta);
        setHdr(H_OFF_DT_STRINGS, hdr(H_OFF_DT_STRINGS) + delta);
        return 0;
    }

    private int spliceStruct(long p, int oldlen, int newlen) {
        int delta = newlen - oldlen;
        int err = splice(p, oldlen, newlen);
        if (err != 0) {
            return err;
        }
        setHdr(H_SIZE_DT_STRUCT, hdr(H_SIZE_DT_STRUCT) + delta);
        setHdr(H_OFF_DT_STRINGS, hdr(H_OFF_DT_STRINGS) + delta);
        return 0;
    }

    private int spliceString(int newlen) {
        long p = u(dataSize());
        int err = splice(p, 0, newlen);
        if (err != 0) {
            return err;
        }
        setHdr(H_SIZE_DT_STRINGS, hdr(H_SIZE_DT_STRINGS) + newlen);
        return 0;
    }

    /** libfdt's {@code fdt_find_string_}: first position where {@code s\0} occurs, or -1. */
    private long findString(long strtab, int tabsize, byte[] s) {
        int len = s.length + 1;
        long last = strtab + (long) tabsize - len;
        if (last + len > buf.length) {
            last = buf.length - len;
        }
        // A match ends at a NUL byte; scanning for NULs keeps the common case linear.
        for (long e = strtab + len - 1; e <= last + len - 1; e++) {
            if (buf[(int) e] != 0) {
                continue;
            }
            long p = e - (len - 1);
            if (regionEquals(p, s, 0, s.length)) {
                return p;
            }
        }
        return -1;
    }

    /** Whether the last {@link #findAddString} appended the name (libfdt's {@code *allocated}). */
    private boolean allocated;

    private int findAddString(byte[] s) {
        long strtab = u(hdr(H_OFF_DT_STRINGS));
        allocated = false;
        long p = findString(strtab, hdr(H_SIZE_DT_STRINGS), s);
        if (p >= 0) {
            return (int) (p - strtab);
        }
        long newPos = strtab + u(hdr(H_SIZE_DT_STRINGS));
        int err = spliceString(s.length + 1);
        if (err != 0) {
            return err;
        }
        allocated = true;
        write(newPos, s, 0, s.length);
        putByte(newPos + s.length, 0);
        return (int) (newPos - strtab);
    }

    /** libfdt's {@code fdt_add_property_}: returns the new property's struct offset. */
    private int addProperty(int nodeoffset, byte[] name, int len) {
        int next = checkNodeOffset(nodeoffset);
        if (next < 0) {
            return next;
        }
        int namestroff = findAddString(name);
        if (namestroff < 0) {
            return namestroff;
        }
        int proplen = PROP_HEADER + tagAlign(len);
        long abs = structAbs(next);
        int err = spliceStruct(abs, 0, proplen);
        if (err != 0) {
            if (allocated) {
                setHdr(H_SIZE_DT_STRINGS, hdr(H_SIZE_DT_STRINGS) - (name.length + 1));
            }
            return err;
        }
        putU32(abs, PROP);
        putU32(abs + 8, namestroff);
        putU32(abs + 4, len);
        return next;
    }

    /** libfdt's {@code fdt_setprop_placeholder}: returns the absolute position of the value. */
    private int setpropPlaceholder(int nodeoffset, byte[] name, int len) {
        int err = rwProbe();
        if (err != 0) {
            return err;
        }
        int poff = getPropertyW(nodeoffset, name);
        if (poff >= 0) {
            int oldlen = lenResult;
            long data = structAbs(poff) + PROP_HEADER;
            err = spliceStruct(data, tagAlign(oldlen), tagAlign(len));
            if (err != 0) {
                return err;
            }
            putU32(structAbs(poff) + 4, len);
            return (int) data;
        }
        int oldlen = lenResult;
        if (oldlen != E_NOTFOUND) {
            return oldlen;
        }
        poff = addProperty(nodeoffset, name, len);
        if (poff < 0) {
            return poff;
        }
        return (int) (structAbs(poff) + PROP_HEADER);
    }

    private int addSubnodeNamelen(int parentoffset, byte[] name, int namelen) {
        int err = rwProbe();
        if (err != 0) {
            return err;
        }
        int offset = subnodeOffsetNamelen(parentoffset, name, 0, namelen);
        if (offset >= 0) {
            return E_EXISTS;
        } else if (offset != E_NOTFOUND) {
            return offset;
        }
        int tag = nextTag(parentoffset);
        if (tag != BEGIN_NODE) {
            return E_INTERNAL;
        }
        do {
            offset = nextOffset;
            tag = nextTag(offset);
        } while (tag == PROP || tag == NOP);
        if (offset < 0) {
            return offset;
        }
        int nodelen = 4 + tagAlign(namelen + 1) + 4;
        long nh = structAbs(offset);
        err = spliceStruct(nh, 0, nodelen);
        if (err != 0) {
            return err;
        }
        putU32(nh, BEGIN_NODE);
        Arrays.fill(buf, (int) nh + 4, (int) nh + 4 + tagAlign(namelen + 1), (byte) 0);
        write(nh + 4, name, 0, namelen);
        putU32(nh + nodelen - 4, END_NODE);
        return offset;
    }

    private int nodeEndOffset(int offset) {
        int[] depth = {0};
        while (offset >= 0 && depth[0] >= 0) {
            offset = nextNode(offset, depth);
        }
        return offset;
    }

    private void nopRegion(long start, int len) throws FdtException {
        for (long p = start; p < start + len; p += 4) {
            putU32(p, NOP);
        }
    }

    private int openInto(FdtBlob dst, int bufsize) {
        int err = roProbe();
        if (err < 0) {
            return err;
        }
        int n = numMemRsvRaw();
        if (n < 0) {
            return n;
        }
        int memRsvSize = (n + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        int structSize = structSizeForOpen();
        if (structSize < 0) {
            return structSize;
        }
        if (!blocksMisordered(memRsvSize, structSize)) {
            if (Long.compareUnsigned(u(hdr(H_TOTALSIZE)), u(bufsize)) > 0) {
                return E_NOSPACE;
            }
            System.arraycopy(buf, 0, dst.buf, 0, hdr(H_TOTALSIZE));
            dst.setHdr(H_VERSION, 17);
            dst.setHdr(H_SIZE_DT_STRUCT, structSize);
            dst.setHdr(H_TOTALSIZE, bufsize);
            return 0;
        }
        long newsize = HEADER_ALIGNED + (long) memRsvSize + u(structSize) + u(hdr(H_SIZE_DT_STRINGS));
        if (bufsize < newsize) {
            return E_NOSPACE;
        }
        if (!packFits(this, dst, memRsvSize, structSize)) {
            return E_TRUNCATED;
        }
        packBlocks(this, dst, memRsvSize, structSize);
        dst.setHdr(H_MAGIC, FdtFormat.FDT_MAGIC);
        dst.setHdr(H_TOTALSIZE, bufsize);
        dst.setHdr(H_VERSION, 17);
        dst.setHdr(H_LAST_COMP_VERSION, 16);
        dst.setHdr(H_BOOT_CPUID_PHYS, hdr(H_BOOT_CPUID_PHYS));
        return 0;
    }

    /** Whether {@link #packBlocks} stays inside both buffers (libfdt trusts the header here). */
    private static boolean packFits(FdtBlob old, FdtBlob dst, int memRsvSize, int structSize) {
        long n = old.buf.length;
        long rsv = u(memRsvSize);
        long st = u(structSize);
        long str = u(old.hdr(H_SIZE_DT_STRINGS));
        return memRsvSize >= 0 && structSize >= 0
                && u(old.hdr(H_OFF_MEM_RSVMAP)) + rsv <= n
                && u(old.hdr(H_OFF_DT_STRUCT)) + st <= n
                && u(old.hdr(H_OFF_DT_STRINGS)) + str <= n
                && HEADER_ALIGNED + rsv + st + str <= dst.buf.length;
    }

    /** The structure block size as fdt_open_into finds it (scanned to FDT_END for version 16). */
    private int structSizeForOpen() {
        if (u(hdr(H_VERSION)) >= 17) {
            return hdr(H_SIZE_DT_STRUCT);
        } else if (hdr(H_VERSION) == 16) {
            int structSize = 0;
            while (nextTag(structSize) != END) {
                structSize = nextOffset;
            }
            return nextOffset;
        }
        return E_BADVERSION;
    }

    /** libfdt's {@code fdt_packblocks_}; {@code old} and {@code dst} may be the same blob. */
    private static void packBlocks(FdtBlob old, FdtBlob dst, int memRsvSize, int structSize) throws IllegalStateException {
        int memRsvOff = HEADER_ALIGNED;
        int structOff = memRsvOff + memRsvSize;
        int stringsOff = structOff + structSize;
        int stringsSize = old.hdr(H_SIZE_DT_STRINGS);
        System.arraycopy(old.buf, old.hdr(H_OFF_MEM_RSVMAP), dst.buf, memRsvOff, memRsvSize);
        dst.setHdr(H_OFF_MEM_RSVMAP, memRsvOff);
        System.arraycopy(old.buf, old.hdr(H_OFF_DT_STRUCT), dst.buf, structOff, structSize);
        dst.setHdr(H_OFF_DT_STRUCT, structOff);
        dst.setHdr(H_SIZE_DT_STRUCT, structSize);
        System.arraycopy(old.buf, old.hdr(H_OFF_DT_STRINGS), dst.buf, stringsOff, stringsSize);
        dst.setHdr(H_OFF_DT_STRINGS, stringsOff);
        dst.setHdr(H_SIZE_DT_STRINGS, stringsSize);
    }

    // ================================================================ bytes

    private int hdr(int field) {
        if (field + 4 > buf.length) {
            return 0;
        }
        return u32(field);
    }

    private void setHdr(int field, int value) {
        putU32(field, value);
    }

    private static final java.lang.invoke.VarHandle BE32 =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private int u32(long p) {
        return (int) BE32.get(buf, (int) p);
    }

    private long u64(long p) {
        return ((long) u32(p) << 32) | u(u32(p + 4));
    }

    private void putU32(long p, int v) {
        int i = (int) p;
        buf[i] = (byte) (v >>> 24);
        buf[i + 1] = (byte) (v >>> 16);
        buf[i + 2] = (byte) (v >>> 8);
        buf[i + 3] = (byte) v;
    }

    private void putU64(long p, long v) {
        putU32(p, (int) (v >>> 32));
        putU32(p + 4, (int) v);
    }

    private void putByte(long p, int v) {
        buf[(int) p] = (byte) v;
    }

    private void write(long p, byte[] src, int from, int len) {
        System.arraycopy(src, from, buf, (int) p, len);
    }

    private byte[] slice(long p, int len) throws FdtException {
        if (p < 0 || len < 0 || p + len > buf.length) {
            throw new FdtException(FdtError.TRUNCATED, p, "%d bytes at %d run past the buffer", len, p);
        }
        return Arrays.copyOfRange(buf, (int) p, (int) p + len);
    }

    private boolean regionEquals(long p, byte[] s, int from, int len) {
        if (p < 0 || p + len > buf.length) {
            return false;
        }
        return Arrays.equals(buf, (int) p, (int) p + len, s, from, from + len);
    }

    private int strlen(long p) {
        int n = 0;
        while (p + n < buf.length && buf[(int) (p + n)] != 0) {
            n++;
        }
        return n;
    }

    private String str(long p, int len) {
        return RawText.decode(buf, (int) p, len);
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes a C caller would pass ({@link RawText}), cut at the first NUL like {@code strlen}. */
    private static byte[] bytes(String s) {
        byte[] b = RawText.encode(s);
        int n = indexOf(b, (byte) 0, 0, b.length);
        return n < 0 ? b : Arrays.copyOf(b, n);
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static boolean lt(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0;
    }

    private static int tagAlign(int x) {
        return (x + 3) & ~3;
    }

    private int notFoundIsMinusOne(int r, String what) throws FdtException {
        if (r == E_NOTFOUND) {
            return -1;
        }
        return check(r, what);
    }

    /** Turns a libfdt-style negative result into an {@link FdtException}. */
    private int check(int r, String fmt, Object... args) throws FdtException {
        if (r >= 0) {
            return r;
        }
        throw error(r, fmt, args);
    }

    private long check(long r, String fmt, Object... args) throws FdtException {
        if (r >= 0) {
            return r;
        }
        throw error((int) r, fmt, args);
    }

    private static FdtException error(int code, String fmt, Object... args) {
        FdtError e = FdtError.INTERNAL;
        for (FdtError x : FdtError.values()) {
            if (x.libfdtCode() == -code) {
                e = x;
            }
        }
        return new FdtException(e, -1, "%s", String.format(fmt, args));
    }
}
