package io.dtkit.kdump;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dump kernel will treat as usable memory for a given DTB (issue 4, "dtkit kdump
 * explain"). The kernel's drivers/of/fdt.c caps memory to the first
 * {@code linux,usable-memory-range} entry; kernels from 5.18 on then add the second entry as
 * is (meant for the low, DMA-able region). Older ones read the first entry only.
 *
 * @param cells       the root cells the ranges are encoded in
 * @param ram         the /memory banks
 * @param ranges      the decoded {@code linux,usable-memory-range} entries, in property order
 * @param elfcorehdr  the decoded {@code linux,elfcorehdr}, or null
 * @param oldKernel   usable memory for a kernel that reads one range
 * @param newKernel   usable memory for a kernel that reads up to two
 * @param lowLimit    the DMA limit the warnings use
 * @param warnings    problems found, one sentence each
 */
public record Explain(TreeMemory.Cells cells, List<MemRange> ram, List<MemRange> ranges, MemRange elfcorehdr,
                      List<MemRange> oldKernel, List<MemRange> newKernel, long lowLimit, List<String> warnings) {

    public static final String USABLE = "linux,usable-memory-range";
    public static final String ELFCOREHDR = "linux,elfcorehdr";

    /** Analyses {@code tree} with {@code dmaLimit} as the DMA limit (adjusted like the planner's). */
    public static Explain of(DeviceTree tree, long dmaLimit) throws KdumpException {
        TreeMemory.Cells cells = TreeMemory.rootCells(tree);
        MemoryMap map = TreeMemory.memoryMap(tree);
        long lowLimit = CrashPlanner.effectiveLowLimit(map, dmaLimit);
        List<String> warnings = new ArrayList<>();
        Node chosen = tree.root().child("chosen");
        List<MemRange> ranges = new ArrayList<>();
        MemRange elf = null;
        if (chosen != null) {
            Property p = chosen.property(USABLE);
            if (p != null) {
                ranges.addAll(TreeMemory.decode(p.value().bytes(), cells, "/chosen:" + USABLE));
            }
            Property e = chosen.property(ELFCOREHDR);
            if (e != null) {
                List<MemRange> es = TreeMemory.decode(e.value().bytes(), cells, "/chosen:" + ELFCOREHDR);
                if (!es.isEmpty()) {
                    elf = es.get(0);
                }
            }
        }
        List<MemRange> oldK = new ArrayList<>();
        List<MemRange> newK = new ArrayList<>();
        if (ranges.isEmpty()) {
            warnings.add("no " + USABLE + " in /chosen: this is not a dump-kernel DTB, every kernel uses all of /memory");
            oldK.addAll(map.ram());
            newK.addAll(map.ram());
        } else {
            for (MemRange bank : map.ram()) {
                MemRange cut = bank.intersect(ranges.get(0));
                if (cut != null) {
                    oldK.add(cut);
                }
            }
            List<MemRange> all = new ArrayList<>(oldK);
            if (ranges.size() > 1 && ranges.get(1).size() != 0) {
                all.add(ranges.get(1));
            }
            newK.addAll(MemoryMap.of(all, List.of()).ram());
            if (ranges.size() > 2) {
                warnings.add(String.format("%s has %d ranges: kernels read at most 2, the rest is ignored", USABLE, ranges.size()));
            }
            for (int i = 0; i < Math.min(2, ranges.size()); i++) {
                MemRange r = ranges.get(i);
                if (r.size() == 0) {
                    warnings.add("range " + i + " has size zero");
                } else if (!map.inRam(r)) {
                    warnings.add("range " + i + " " + r + " is not inside the /memory banks"
                            + (i == 0 ? ": the dump kernel keeps only the part inside RAM" : ": it is added as RAM anyway"));
                }
            }
            if (oldK.isEmpty()) {
                warnings.add("the first range does not meet /memory: an old dump kernel has no memory at all");
            }
            if (ranges.size() >= 2) {
                MemRange first = ranges.get(0);
                MemRange second = ranges.get(1);
                if (Long.compareUnsigned(first.base(), second.base()) < 0) {
                    warnings.add("wrong order: the low range " + first + " comes first; an old dump kernel keeps only it"
                            + " and loses the high range " + second + " (kexec-tools writes high first, low last)");
                }
                // the kernel and kexec-tools treat the second entry as the low (DMA) region
                if (second.size() != 0 && Long.compareUnsigned(second.last(), lowLimit - 1) > 0) {
                    warnings.add("the low range (second entry) " + second + " reaches above the DMA limit " + Sizes.hex(lowLimit)
                            + ": devices that can only address memory below it get no buffers");
                }
            } else if (Long.compareUnsigned(ranges.get(0).base(), lowLimit) >= 0) {
                warnings.add("the only range " + ranges.get(0) + " lies above the DMA limit " + Sizes.hex(lowLimit)
                        + " and there is no low range: DMA-limited devices get no buffers");
            }
            if (elf == null) {
                warnings.add("no " + ELFCOREHDR + " in /chosen: the dump kernel will not find the crashed kernel's core");
            } else {
                boolean inside = false;
                for (MemRange r : newK) {
                    inside |= r.contains(elf);
                }
                if (!inside) {
                    warnings.add(ELFCOREHDR + " " + elf + " lies outside the usable ranges");
                }
            }
        }
        return new Explain(cells, map.ram(), List.copyOf(ranges), elf, List.copyOf(oldK), List.copyOf(newK), lowLimit,
                List.copyOf(warnings));
    }

    /** A plain-text report, one fact a line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("cells: #address-cells = <").append(cells.address()).append(">, #size-cells = <")
                .append(cells.size()).append(">\n");
        sb.append("memory (/memory):\n");
        lines(sb, ram);
        sb.append(USABLE).append(": ").append(ranges.size()).append(ranges.size() == 1 ? " range\n" : " ranges\n");
        for (int i = 0; i < ranges.size(); i++) {
            sb.append("  [").append(i).append("] ").append(ranges.get(i)).append('\n');
        }
        if (elfcorehdr != null) {
            sb.append(ELFCOREHDR).append(": ").append(elfcorehdr).append('\n');
        }
        sb.append("old dump kernel (first range only) uses:\n");
        lines(sb, oldKernel);
        sb.append("current dump kernel (up to two ranges) uses:\n");
        lines(sb, newKernel);
        sb.append("DMA limit: ").append(Sizes.hex(lowLimit)).append('\n');
        for (String w : warnings) {
            sb.append("warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    private static void lines(StringBuilder sb, List<MemRange> rs) {
        if (rs.isEmpty()) {
            sb.append("  (nothing)\n");
        }
        long total = 0;
        for (MemRange r : rs) {
            sb.append("  ").append(r).append('\n');
            total += r.size();
        }
        if (rs.size() > 1) {
            sb.append("  total ").append(Sizes.human(total)).append('\n');
        }
    }
}
