package io.dtkit.kdump;

import java.util.Locale;

/**
 * A physical address range {@code [base, base + size)} with unsigned 64-bit values, as used by
 * {@code linux,usable-memory-range}, {@code linux,elfcorehdr} and /proc/iomem (issue 4). A range
 * may end exactly at 2^64; it may not wrap past it.
 */
public record MemRange(long base, long size) implements Comparable<MemRange> {

    /** The range {@code [start, end]} with an inclusive end, as /proc/iomem prints it. */
    public static MemRange ofInclusive(long start, long end) {
        return new MemRange(start, end - start + 1);
    }

    /**
     * Reads {@code BASE,SIZE} (each decimal, {@code 0x} hex, or with a K/M/G/T suffix).
     *
     * @throws KdumpException with {@link Refusal#SYNTAX} when malformed or wrapping past 2^64
     */
    public static MemRange parse(String what, String text) throws KdumpException {
        String[] parts = text.split(",", -1);
        if (parts.length != 2) {
            throw new KdumpException(Refusal.SYNTAX, "%s: expected BASE,SIZE, found '%s'", what, text);
        }
        MemRange r = new MemRange(Sizes.parse(what, parts[0]), Sizes.parse(what, parts[1]));
        if (r.size != 0 && Long.compareUnsigned(r.last(), r.base) < 0) {
            throw new KdumpException(Refusal.SYNTAX, "%s: %s runs past the end of the 64-bit address space",
                    what, text);
        }
        return r;
    }

    /** The last byte address (inclusive); meaningless for a zero size. */
    public long last() {
        return base + size - 1;
    }

    /** True when the two ranges share at least one byte. */
    public boolean overlaps(MemRange o) {
        return size != 0 && o.size != 0
                && Long.compareUnsigned(base, o.last()) <= 0 && Long.compareUnsigned(o.base, last()) <= 0;
    }

    /** True when every byte of {@code o} lies in this range. */
    public boolean contains(MemRange o) {
        return o.size != 0 && size != 0
                && Long.compareUnsigned(o.base, base) >= 0 && Long.compareUnsigned(o.last(), last()) <= 0;
    }

    /** The common part, or {@code null}. */
    public MemRange intersect(MemRange o) {
        if (!overlaps(o)) {
            return null;
        }
        long b = Long.compareUnsigned(base, o.base) >= 0 ? base : o.base;
        long l = Long.compareUnsigned(last(), o.last()) <= 0 ? last() : o.last();
        return ofInclusive(b, l);
    }

    @Override
    public int compareTo(MemRange o) {
        int c = Long.compareUnsigned(base, o.base);
        return c != 0 ? c : Long.compareUnsigned(size, o.size);
    }

    /** {@code 0xBASE-0xLAST (SIZE)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "0x%x-0x%x (%s)", base, last(), Sizes.human(size));
    }
}
