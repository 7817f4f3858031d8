package io.dtkit.kdump;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a /proc/iomem listing: one {@code start-end : name} entry a line, hex addresses with an
 * inclusive end, nesting shown by two spaces of indentation a level (issue 4, "Crash regions").
 */
public final class Iomem {
    /** The name prefix of the crash-kernel entries ("Crash kernel", "Crash kernel (low)"). */
    public static final String CRASH_KERNEL = "Crash kernel";
    public static final String SYSTEM_RAM = "System RAM";

    /** One line of the listing. */
    public record Entry(MemRange range, String name, int depth, int line) {
    }

    private final List<Entry> entries;

    private Iomem(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * Parses the listing. Blank lines and {@code #} comments are skipped; any other line that is not an entry is an
     * error naming its line number. A listing whose addresses are all zero is refused: the
     * kernel hides addresses from readers without CAP_SYS_ADMIN.
     */
    public static Iomem parse(String text) throws KdumpException {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        boolean anyNonZero = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            int colon = line.indexOf(" : ", indent);
            int dash = colon < 0 ? -1 : line.indexOf('-', indent);
            if (colon < 0 || dash < 0 || dash > colon) {
                throw new KdumpException(Refusal.SYNTAX, "iomem line %d: expected 'start-end : name', found '%s'",
                        i + 1, line.strip());
            }
            long start = hex(line.substring(indent, dash), i + 1);
            long end = hex(line.substring(dash + 1, colon), i + 1);
            if (Long.compareUnsigned(end, start) < 0) {
                throw new KdumpException(Refusal.SYNTAX, "iomem line %d: end %x is below start %x", i + 1, end, start);
            }
            anyNonZero |= start != 0 || end != 0;
            out.add(new Entry(MemRange.ofInclusive(start, end), line.substring(colon + 3).strip(), indent / 2, i + 1));
        }
        if (!out.isEmpty() && !anyNonZero) {
            throw new KdumpException(Refusal.SYNTAX,
                    "every iomem address reads as zero: the kernel hides them from unprivileged readers (read /proc/iomem as root)");
        }
        return new Iomem(out);
    }

    private static long hex(String s, int line) throws KdumpException {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 16) {
            throw new KdumpException(Refusal.SYNTAX, "iomem line %d: bad hex address '%s'", line, t);
        }
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new KdumpException(Refusal.SYNTAX, "iomem line %d: bad hex address '%s'", line, t);
        }
    }

    /**
     * The crash regions the way kexec-tools collects them: every entry whose name starts with
     * "Crash kernel", at any depth, in file order, skipping an entry whose start address was
     * already taken.
     */
    public List<MemRange> crashRegions() {
        List<MemRange> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Entry e : entries) {
            if (e.name.startsWith(CRASH_KERNEL) && seen.add(e.range.base())) {
                out.add(e.range);
            }
        }
        return out;
    }

    /** The top-level "System RAM" entries in file order. */
    public List<MemRange> systemRam() {
        List<MemRange> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.depth == 0 && e.name.equals(SYSTEM_RAM)) {
                out.add(e.range);
            }
        }
        return out;
    }

    /**
     * Entries nested in System RAM that the kernel keeps for itself (kernel image, "reserved"),
     * without the crash regions, which a planner is about to recompute, and without entries
     * that overlap a crash region: those were reserved after it (the kernel hands out nothing
     * inside a reserved crash region), so they were not there when it was placed.
     */
    public List<Entry> reservedInRam() {
        List<MemRange> crash = crashRegions();
        List<Entry> out = new ArrayList<>();
        boolean inRam = false;
        for (Entry e : entries) {
            if (e.depth == 0) {
                inRam = e.name.equals(SYSTEM_RAM);
                continue;
            }
            if (!inRam || e.depth != 1 || e.name.startsWith(CRASH_KERNEL)) {
                continue;
            }
            String n = e.name.toLowerCase(Locale.ROOT);
            if (!n.equals("reserved") && !n.startsWith("kernel ")) {
                continue;
            }
            boolean later = false;
            for (MemRange c : crash) {
                later |= c.overlaps(e.range);
            }
            if (!later) {
                out.add(e);
            }
        }
        return out;
    }
}
