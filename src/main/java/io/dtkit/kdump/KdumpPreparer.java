package io.dtkit.kdump;

import io.dtkit.fdt.FdtError;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.edit.FdtBlob;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Writes the dump kernel's DTB the way kexec-tools' arm64 {@code setup_2nd_dtb()} does, call
 * for call on libfdt semantics, so the bytes equal what kexec-tools hands the dump kernel
 * (issue 4, "dtkit kdump"; ../shared/README.md "kdump/"):
 * <ol>
 * <li>if there is a command line: open into a grown buffer, set {@code /chosen/bootargs}
 *     (creating {@code /chosen} when missing), pack;</li>
 * <li>read the root cells (1/1 when absent) and refuse values that do not fit them, more than
 *     two regions, zero sizes and overlapping regions;</li>
 * <li>open into a buffer grown by the two new properties; if {@code /chosen/kaslr-seed} is 8
 *     bytes, refuse a non-zero one (the primary kernel did not wipe it) or replace it with the
 *     new seed; set {@code linux,elfcorehdr} and {@code linux,usable-memory-range} with the
 *     regions reversed (listing order is ascending, so high first, low last); pack;</li>
 * <li>with an initrd, set {@code linux,initrd-start} and {@code linux,initrd-end} (64-bit), each
 *     in its own grow/set/pack round as kexec-tools' {@code dtb_set_initrd()} does.</li>
 * </ol>
 */
public final class KdumpPreparer {
    public static final String CHOSEN = "chosen";
    public static final String BOOTARGS = "bootargs";
    public static final String KASLR_SEED = "kaslr-seed";
    public static final String INITRD_START = "linux,initrd-start";
    public static final String INITRD_END = "linux,initrd-end";

    private static final int TAG = 4;
    /** Size of an FDT_PROP header: tag, length, name offset. */
    private static final int PROP_HEADER = 12;

    private KdumpPreparer() {
    }

    /**
     * What to write.
     *
     * @param regions    crash regions in listing order (/proc/iomem's, i.e. ascending); written reversed
     * @param elfcorehdr the ELF core header range
     * @param bootargs   the new command line, or null to keep the DTB's (an empty one also keeps it,
     *                   as in kexec-tools)
     * @param append     text added to the command line after a space, or null
     * @param initrd     {@code [start, end]} of the initrd, or null
     * @param seed       the new kaslr-seed, asked for only when the DTB has a wiped 8-byte one
     * @param forceKaslr overwrite a non-zero kaslr-seed instead of refusing
     */
    public record Request(List<MemRange> regions, MemRange elfcorehdr, String bootargs, String append, long[] initrd,
                          LongSupplier seed, boolean forceKaslr) {
        public Request {
            regions = List.copyOf(regions);
        }
    }

    /** The new DTB and the warnings found on the way. */
    public record Result(byte[] dtb, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Prepares the dump-kernel DTB from the bytes of {@code input}; nothing is written anywhere. */
    public static Result prepare(byte[] input, Request req) throws KdumpException {
        List<String> warnings = new ArrayList<>();
        if (req.regions().isEmpty()) {
            throw new KdumpException(Refusal.NO_REGIONS, "no \"Crash kernel\" region was found or given");
        }
        try {
            byte[] blob = input;
            String cmdline = commandLine(input, req);
            if (cmdline != null && !cmdline.isEmpty()) {
                byte[] raw = cmdline.getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[raw.length + 1];
                System.arraycopy(raw, 0, value, 0, raw.length);
                blob = setChosenProperty(blob, blob.length, BOOTARGS, value);
            }
            FdtBlob probe = FdtBlob.openInto(blob, blob.length);
            TreeMemory.Cells cells = rootCells(probe);
            check(cells, "linux,elfcorehdr", req.elfcorehdr());
            for (MemRange r : req.regions()) {
                check(cells, "usable memory range", r);
            }
            if (req.regions().size() > 2) {
                throw new KdumpException(Refusal.MORE_THAN_TWO,
                        "%d crash regions; a dump kernel reads at most two usable-memory ranges", req.regions().size());
            }
            validate(req, warnings);

            int rangeLen = cells.bytesPerEntry();
            int grown = Math.addExact(probe.totalSize(), propLen(Explain.ELFCOREHDR, rangeLen)
                    + propLen(Explain.USABLE, rangeLen * req.regions().size()));
            FdtBlob fdt = FdtBlob.openInto(blob, grown);
            int chosen = offsetOrMissing(fdt, "/" + CHOSEN);
            if (chosen < 0) {
                throw new KdumpException(Refusal.NO_CHOSEN,
                        "the DTB has no /chosen node and no command line was given to create it (give --bootargs or --append)");
            }
            byte[] seed = fdt.getprop(chosen, KASLR_SEED);
            if (seed != null && seed.length == 8) {
                long old = ByteBuffer.wrap(seed).getLong();
                if (old != 0 && !req.forceKaslr()) {
                    throw new KdumpException(Refusal.KASLR_SEED,
                            "/chosen/kaslr-seed is 0x%016x, not 0: the primary kernel did not wipe it, so this is not the DTB"
                                    + " the running kernel saw (use /sys/firmware/fdt, or --force-kaslr to overwrite it)", old);
                }
                fdt.setprop(chosen, KASLR_SEED, u64(req.seed().getAsLong()));
            }
            fdt.setprop(chosen, Explain.ELFCOREHDR, encode(cells, List.of(req.elfcorehdr())));
            List<MemRange> reversed = new ArrayList<>(req.regions());
            Collections.reverse(reversed);
            fdt.setprop(chosen, Explain.USABLE, encode(cells, reversed));
            fdt.pack();
            blob = fdt.toByteArray();
            if (req.initrd() != null) {
                blob = setChosenProperty(blob, blob.length, INITRD_START, u64(req.initrd()[0]));
                blob = setChosenProperty(blob, blob.length, INITRD_END, u64(req.initrd()[1]));
            }
            return new Result(blob, warnings);
        } catch (FdtException e) {
            throw new KdumpException(Refusal.BLOB, e, "%s", e.getMessage());
        } catch (ArithmeticException e) {
            throw new KdumpException(Refusal.BLOB, e, "the DTB is too large to grow");
        }
    }

    /** The command line to set: --bootargs, the DTB's own bootargs, plus --append after a space. */
    private static String commandLine(byte[] input, Request req) throws FdtException {
        if (req.append() == null || req.append().isEmpty()) {
            return req.bootargs();
        }
        String base = req.bootargs();
        if (base == null || base.isEmpty()) {
            base = existingBootargs(input);
        }
        return base == null || base.isEmpty() ? req.append() : base + " " + req.append();
    }

    /** The DTB's /chosen/bootargs up to its first NUL, or null. */
    public static String existingBootargs(byte[] input) throws FdtException {
        FdtBlob fdt = FdtBlob.openInto(input, input.length);
        int chosen = offsetOrMissing(fdt, "/" + CHOSEN);
        if (chosen < 0) {
            return null;
        }
        byte[] v = fdt.getprop(chosen, BOOTARGS);
        if (v == null) {
            return null;
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }

    /** kexec-tools' dtb_set_property(): grow, find or create /chosen, set, pack. */
    private static byte[] setChosenProperty(byte[] blob, int sizeHint, String name, byte[] value) throws FdtException {
        int size = tagAlign(Math.addExact(sizeHint, nodeLen(CHOSEN) + propLen(name, value.length)));
        FdtBlob fdt = FdtBlob.openInto(blob, size);
        int chosen = offsetOrMissing(fdt, "/" + CHOSEN);
        if (chosen < 0) {
            chosen = fdt.addSubnode(0, CHOSEN);
        }
        fdt.setprop(chosen, name, value);
        fdt.pack();
        return fdt.toByteArray();
    }

    private static int offsetOrMissing(FdtBlob fdt, String path) throws FdtException {
        try {
            return fdt.pathOffset(path);
        } catch (FdtException e) {
            if (e.error() == FdtError.NOTFOUND) {
                return -1;
            }
            throw e;
        }
    }

    private static TreeMemory.Cells rootCells(FdtBlob fdt) throws FdtException, KdumpException {
        int root = fdt.pathOffset("/");
        return new TreeMemory.Cells(cell(fdt, root, "#address-cells"), cell(fdt, root, "#size-cells"));
    }

    private static int cell(FdtBlob fdt, int root, String name) throws FdtException, KdumpException {
        byte[] v = fdt.getprop(root, name);
        if (v == null) {
            return 1;
        }
        if (v.length != 4) {
            throw new KdumpException(Refusal.BAD_CELLS, "/:%s is %d bytes long, not 4", name, v.length);
        }
        int c = ByteBuffer.wrap(v).getInt();
        if (c != 1 && c != 2) {
            throw new KdumpException(Refusal.BAD_CELLS, "/:%s = <%d>: only 1 or 2 cells can hold an address or size",
                    name, Integer.toUnsignedLong(c));
        }
        return c;
    }

    static void check(TreeMemory.Cells cells, String what, MemRange r) throws KdumpException {
        boolean baseFits = cells.address() == 2 || (r.base() >>> 32) == 0;
        boolean sizeFits = cells.size() == 2 || (r.size() >>> 32) == 0;
        if (!baseFits || !sizeFits) {
            throw new KdumpException(Refusal.CELLS, "%s 0x%x,0x%x does not fit #address-cells = <%d> / #size-cells = <%d>",
                    what, r.base(), r.size(), cells.address(), cells.size());
        }
    }

    static void validate(Request req, List<String> warnings) throws KdumpException {
        List<MemRange> rs = req.regions();
        for (MemRange r : rs) {
            if (r.size() == 0) {
                throw new KdumpException(Refusal.ZERO_SIZE, "crash region at 0x%x has size zero", r.base());
            }
        }
        if (req.elfcorehdr().size() == 0) {
            throw new KdumpException(Refusal.ZERO_SIZE, "elfcorehdr at 0x%x has size zero", req.elfcorehdr().base());
        }
        if (rs.size() == 2 && rs.get(0).overlaps(rs.get(1))) {
            throw new KdumpException(Refusal.OVERLAP, "crash regions %s and %s overlap", rs.get(0), rs.get(1));
        }
        boolean inside = false;
        for (MemRange r : rs) {
            inside |= r.contains(req.elfcorehdr());
        }
        if (!inside) {
            warnings.add("elfcorehdr " + req.elfcorehdr() + " lies outside the usable ranges: the dump kernel"
                    + " cannot read the crashed kernel's core header there");
        }
        if (req.initrd() != null && Long.compareUnsigned(req.initrd()[1], req.initrd()[0]) < 0) {
            throw new KdumpException(Refusal.SYNTAX, "initrd end 0x%x is below its start 0x%x", req.initrd()[1],
                    req.initrd()[0]);
        }
    }

    /** The ranges as big-endian cells, #address-cells then #size-cells per entry. */
    static byte[] encode(TreeMemory.Cells cells, List<MemRange> ranges) {
        ByteBuffer bb = ByteBuffer.allocate(cells.bytesPerEntry() * ranges.size());
        for (MemRange r : ranges) {
            put(bb, r.base(), cells.address());
            put(bb, r.size(), cells.size());
        }
        return bb.array();
    }

    private static void put(ByteBuffer bb, long v, int n) {
        if (n == 2) {
            bb.putLong(v);
        } else {
            bb.putInt((int) v);
        }
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static int tagAlign(int n) {
        return (n + TAG - 1) & -TAG;
    }

    /** Room a new property takes: header, aligned value, and its name in the strings block. */
    private static int propLen(String name, int valueLen) {
        return name.length() + 1 + PROP_HEADER + tagAlign(valueLen);
    }

    /** Room a new empty node takes: begin tag, aligned name, end tag. */
    private static int nodeLen(String name) {
        return 2 * TAG + tagAlign(name.length() + 1);
    }
}
