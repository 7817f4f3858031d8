package io.dtkit.kdump;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The physical memory map a crash-kernel placement works on (issue 4, "crashkernel=
 * planning"): RAM banks and the regions inside them the kernel will not hand out.
 */
public final class MemoryMap {

    /** A named region for reports and pictures. */
    public record Region(String name, MemRange range) {
    }

    private final List<MemRange> ram;
    private final List<Region> reserved;

    private MemoryMap(List<MemRange> ram, List<Region> reserved) {
        this.ram = merge(ram);
        List<Region> r = new ArrayList<>(reserved);
        r.sort(Comparator.comparing(Region::range));
        this.reserved = List.copyOf(r);
    }

    public static MemoryMap of(List<MemRange> ram, List<Region> reserved) {
        return new MemoryMap(ram, reserved);
    }

    /** RAM from the top-level "System RAM" lines, reserved from the kernel's nested entries. */
    public static MemoryMap fromIomem(Iomem iomem) {
        List<Region> res = new ArrayList<>();
        for (Iomem.Entry e : iomem.reservedInRam()) {
            res.add(new Region(e.name(), e.range()));
        }
        return new MemoryMap(iomem.systemRam(), res);
    }

    /** The RAM banks, sorted, touching or overlapping banks merged. */
    public List<MemRange> ram() {
        return ram;
    }

    /** The reserved regions, sorted by address. */
    public List<Region> reserved() {
        return reserved;
    }

    /** Total RAM in bytes (what the kernel calls memblock_phys_mem_size()). */
    public long totalRam() {
        long t = 0;
        for (MemRange r : ram) {
            t += r.size();
        }
        return t;
    }

    /** RAM bytes below {@code limit} (exclusive). */
    public long ramBelow(long limit) {
        long t = 0;
        for (MemRange r : ram) {
            if (Long.compareUnsigned(r.base(), limit) >= 0) {
                continue;
            }
            long top = Long.compareUnsigned(r.last(), limit - 1) <= 0 ? r.last() : limit - 1;
            t += top - r.base() + 1;
        }
        return t;
    }

    /** RAM minus every reserved region, sorted; computed in one merge pass. */
    public List<MemRange> free() {
        List<MemRange> out = new ArrayList<>();
        int j = 0;
        for (MemRange bank : ram) {
            long cur = bank.base();
            long last = bank.last();
            boolean open = true;
            while (j < reserved.size() && Long.compareUnsigned(reserved.get(j).range().last(), cur) < 0) {
                j++;
            }
            for (int k = j; k < reserved.size() && open; k++) {
                MemRange r = reserved.get(k).range();
                if (Long.compareUnsigned(r.base(), last) > 0) {
                    break;
                }
                if (Long.compareUnsigned(r.last(), cur) < 0) {
                    continue;
                }
                if (Long.compareUnsigned(r.base(), cur) > 0) {
                    out.add(MemRange.ofInclusive(cur, r.base() - 1));
                }
                if (Long.compareUnsigned(r.last(), last) >= 0) {
                    open = false;
                } else {
                    cur = r.last() + 1;
                }
            }
            if (open) {
                out.add(MemRange.ofInclusive(cur, last));
            }
        }
        return out;
    }

    /** True when every byte of {@code r} is RAM. */
    public boolean inRam(MemRange r) {
        for (MemRange bank : ram) {
            if (bank.contains(r)) {
                return true;
            }
        }
        return false;
    }

    private static List<MemRange> merge(List<MemRange> in) {
        List<MemRange> s = new ArrayList<>();
        for (MemRange r : in) {
            if (r.size() != 0) {
                s.add(r);
            }
        }
        s.sort(null);
        List<MemRange> out = new ArrayList<>();
        for (MemRange r : s) {
            if (!out.isEmpty()) {
                MemRange p = out.get(out.size() - 1);
                if (p.last() == -1L || Long.compareUnsigned(r.base(), p.last() + 1) <= 0) {
                    long last = Long.compareUnsigned(r.last(), p.last()) > 0 ? r.last() : p.last();
                    out.set(out.size() - 1, MemRange.ofInclusive(p.base(), last));
                    continue;
                }
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
