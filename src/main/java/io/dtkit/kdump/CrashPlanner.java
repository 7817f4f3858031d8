package io.dtkit.kdump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Places the crash regions the way an arm64 kernel reserves them (issue 4, "crashkernel=
 * planning"; arch/arm64/mm/init.c and kernel/crash_reserve.c): a plain {@code crashkernel=X}
 * goes below the DMA limit, top-down and 2 MiB aligned, unless X is larger than half of the RAM
 * below that limit or does not fit there, in which case it goes high; {@code X,high} goes high
 * first and falls back low; a main region above the DMA limit gets a second, low region of
 * {@code crashkernel=Y,low} (default 256 MiB). {@code X@offset} is taken exactly or not at all.
 */
public final class CrashPlanner {
    /** The alignment of both regions (CRASH_ALIGN on arm64). */
    public static final long CRASH_ALIGN = 2 * Sizes.MIB;
    /** The size of the low region when {@code crashkernel=Y,low} is not given. */
    public static final long DEFAULT_LOW_SIZE = 256 * Sizes.MIB;
    public static final long DEFAULT_DMA_LIMIT = 4 * Sizes.GIB;
    private static final long PAGE = 4096;

    private CrashPlanner() {
    }

    /** Where the regions go; {@code low} is null when there is no low region. */
    public record Plan(MemRange main, MemRange low, long lowLimit, List<String> notes) {
        public Plan {
            notes = List.copyOf(notes);
        }

        /** The regions with their /proc/iomem names, in address order (as /proc/iomem lists them). */
        public List<MemoryMap.Region> iomemRegions() {
            List<MemoryMap.Region> out = new ArrayList<>();
            if (main != null) {
                out.add(new MemoryMap.Region(Iomem.CRASH_KERNEL, main));
            }
            if (low != null) {
                out.add(new MemoryMap.Region(Iomem.CRASH_KERNEL + " (low)", low));
            }
            out.sort((a, b) -> a.range().compareTo(b.range()));
            return out;
        }

        /** The regions in iomem order, ready to hand to {@code dtkit kdump}. */
        public List<MemRange> crashRegions() {
            List<MemRange> out = new ArrayList<>();
            for (MemoryMap.Region r : iomemRegions()) {
                out.add(r.range());
            }
            return out;
        }
    }

    /**
     * The arm64 "low" limit for a DMA limit: like the kernel's max_zone_phys(), memory that
     * starts above 4 GiB is all "low", memory that starts above the DMA limit uses 4 GiB, and
     * the limit never passes the end of RAM.
     */
    public static long effectiveLowLimit(MemoryMap map, long dmaLimit) {
        List<MemRange> ram = map.ram();
        if (ram.isEmpty()) {
            return dmaLimit;
        }
        long start = ram.get(0).base();
        long endOfRam = ram.get(ram.size() - 1).last() + 1;
        long limit;
        if (start >= 4 * Sizes.GIB) {
            limit = endOfRam;
        } else if (start >= dmaLimit) {
            limit = 4 * Sizes.GIB;
        } else {
            limit = dmaLimit;
        }
        return Math.min(limit, endOfRam);
    }

    /**
     * Computes the placement.
     *
     * @throws KdumpException {@link Refusal#NO_ROOM} when the kernel would reserve nothing,
     *                        {@link Refusal#SYNTAX} for an option the kernel rejects
     */
    public static Plan plan(Crashkernel ck, MemoryMap map, long dmaLimit) throws KdumpException {
        for (MemRange r : map.ram()) {
            if (r.last() < 0) {
                throw new KdumpException(Refusal.SYNTAX, "RAM at %s lies above 2^63", r);
            }
        }
        if (map.ram().isEmpty()) {
            throw new KdumpException(Refusal.NO_ROOM, "the memory map has no RAM");
        }
        List<String> notes = new ArrayList<>();
        long total = map.totalRam();
        long lowLimit = effectiveLowLimit(map, dmaLimit);
        if (lowLimit != dmaLimit) {
            notes.add(String.format(Locale.ROOT, "low limit is %s (DMA limit %s adjusted to where RAM starts and ends)",
                    Sizes.hex(lowLimit), Sizes.hex(dmaLimit)));
        }
        long size;
        boolean high;
        long lowSize = 0;
        OptionalLong offset = OptionalLong.empty();
        if (ck.plain() != null) {
            size = ck.plain().sizeFor(total);
            if (ck.plain().size().isEmpty()) {
                notes.add(String.format(Locale.ROOT, "RAM is %s (%s): the matching rule gives %s",
                        Sizes.hex(total), Sizes.human(total), Sizes.human(size)));
                if (size != 0 && Long.compareUnsigned(size, total) >= 0) {
                    throw new KdumpException(Refusal.SYNTAX, "crashkernel size %s is not below the RAM size %s",
                            Sizes.human(size), Sizes.human(total));
                }
            }
            if (ck.plain().offset().isPresent() && ck.plain().offset().getAsLong() != 0) {
                offset = ck.plain().offset();
            }
            high = false;
        } else if (ck.high().isPresent()) {
            size = ck.high().getAsLong();
            high = true;
            lowSize = ck.low().orElse(DEFAULT_LOW_SIZE);
        } else {
            throw new KdumpException(Refusal.NO_ROOM, "crashkernel=Y,low alone reserves nothing (it only sizes the low region of crashkernel=X,high)");
        }
        if (size == 0) {
            throw new KdumpException(Refusal.NO_ROOM, "the crashkernel size is zero: nothing is reserved");
        }
        size = alignUp(size, PAGE);
        notes.add("size " + Sizes.hex(size) + " (" + Sizes.human(size) + ")");

        if (offset.isPresent()) {
            long base = offset.getAsLong();
            if (base % CRASH_ALIGN != 0) {
                throw new KdumpException(Refusal.NO_ROOM, "offset %s is not %s aligned", Sizes.hex(base),
                        Sizes.human(CRASH_ALIGN));
            }
            MemRange want = new MemRange(base, size);
            for (MemRange f : map.free()) {
                if (f.contains(want)) {
                    notes.add("fixed at " + want + " as asked by @offset");
                    return new Plan(want, null, lowLimit, notes);
                }
            }
            throw new KdumpException(Refusal.NO_ROOM, "%s is not free RAM (memory is in use or absent)", want);
        }

        long lowRam = map.ramBelow(lowLimit);
        if (!high && Long.compareUnsigned(size, lowRam / 2) > 0) {
            notes.add(String.format(Locale.ROOT, "%s is more than half of the %s of RAM below %s: going high",
                    Sizes.human(size), Sizes.human(lowRam), Sizes.hex(lowLimit)));
            high = true;
            lowSize = ck.low().orElse(DEFAULT_LOW_SIZE);
        }
        List<MemRange> free = map.free();
        long top = map.ram().get(map.ram().size() - 1).last() + 1;
        MemRange main;
        if (high) {
            main = alloc(free, size, lowLimit, top);
            if (main == null) {
                notes.add("no room above " + Sizes.hex(lowLimit) + ": falling back below it");
                main = alloc(free, size, 0, lowLimit);
            }
        } else {
            main = alloc(free, size, 0, lowLimit);
            if (main == null) {
                notes.add("no room below " + Sizes.hex(lowLimit) + ": going high");
                lowSize = ck.low().orElse(DEFAULT_LOW_SIZE);
                main = alloc(free, size, lowLimit, top);
            }
        }
        if (main == null) {
            throw new KdumpException(Refusal.NO_ROOM, "no free %s aligned block of %s anywhere in RAM",
                    Sizes.human(CRASH_ALIGN), Sizes.human(size));
        }
        notes.add("main region " + main + (main.base() >= lowLimit ? " (high)" : " (low)"));
        MemRange low = null;
        if (main.base() >= lowLimit && lowSize != 0) {
            long ls = alignUp(lowSize, PAGE);
            low = alloc(free, ls, 0, lowLimit);
            if (low == null) {
                throw new KdumpException(Refusal.NO_ROOM, "no room for the %s low region below %s; the kernel then drops the whole reservation",
                        Sizes.human(ls), Sizes.hex(lowLimit));
            }
            notes.add("low region " + low + (ck.low().isPresent() ? " (crashkernel=Y,low)" : " (default 256 MiB)"));
        }
        return new Plan(main, low, lowLimit, notes);
    }

    /**
     * memblock's top-down search: the highest {@code align}-aligned block of {@code size}
     * inside a free range and inside {@code [lo, hi)}, never in the first page.
     */
    static MemRange alloc(List<MemRange> free, long size, long lo, long hi) {
        long from = Math.max(lo, PAGE);
        for (int i = free.size() - 1; i >= 0; i--) {
            MemRange f = free.get(i);
            long s = Math.max(f.base(), from);
            long e = Math.min(f.last() + 1, hi);
            if (e - s < size) {
                continue;
            }
            long cand = (e - size) & -CRASH_ALIGN;
            if (cand >= s) {
                return new MemRange(cand, size);
            }
        }
        return null;
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
