package io.dtkit.kdump;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code crashkernel=} options of a kernel command line (issue 4, "crashkernel= planning";
 * the kernel's Documentation/admin-guide/kdump): {@code size[@offset]},
 * {@code start-[end]:size[,start-[end]:size...][@offset]}, {@code size,high} and
 * {@code size,low}. As in the kernel, the last option of each kind wins.
 *
 * @param plain the last option without suffix, or {@code null}
 * @param high  the size of the last {@code ,high} option, if any
 * @param low   the size of the last {@code ,low} option, if any
 */
public record Crashkernel(Plain plain, OptionalLong high, OptionalLong low) {

    /** One {@code start-[end]:size} entry; {@code end} is exclusive, absent for "no limit". */
    public record SizeRule(long start, OptionalLong end, long size) {
    }

    /** A plain option: a fixed size or a list of rules by RAM size, and an optional offset. */
    public record Plain(OptionalLong size, List<SizeRule> rules, OptionalLong offset) {
        public Plain {
            rules = List.copyOf(rules);
        }

        /**
         * The size for a machine with {@code systemRam} bytes of RAM: the fixed size, or the
         * size of the first rule with {@code start <= systemRam < end}; 0 when none matches.
         */
        public long sizeFor(long systemRam) {
            if (size.isPresent()) {
                return size.getAsLong();
            }
            for (SizeRule r : rules) {
                if (Long.compareUnsigned(systemRam, r.start) >= 0
                        && (r.end.isEmpty() || Long.compareUnsigned(systemRam, r.end.getAsLong()) < 0)) {
                    return r.size;
                }
            }
            return 0;
        }
    }

    /**
     * Reads every {@code crashkernel=} word of {@code cmdline} (other words are ignored, so a
     * whole command line or a single option both work).
     *
     * @throws KdumpException {@link Refusal#SYNTAX} on a malformed value or when there is no
     *                        crashkernel= option at all
     */
    public static Crashkernel parse(String cmdline) throws KdumpException {
        Plain plain = null;
        OptionalLong high = OptionalLong.empty();
        OptionalLong low = OptionalLong.empty();
        boolean any = false;
        for (String word : cmdline.trim().split("\\s+")) {
            if (!word.startsWith("crashkernel=")) {
                continue;
            }
            any = true;
            String v = word.substring("crashkernel=".length());
            if (v.endsWith(",high")) {
                high = OptionalLong.of(Sizes.parse("crashkernel=" + v, v.substring(0, v.length() - 5)));
            } else if (v.endsWith(",low")) {
                low = OptionalLong.of(Sizes.parse("crashkernel=" + v, v.substring(0, v.length() - 4)));
            } else {
                plain = parsePlain(v);
            }
        }
        if (!any) {
            throw new KdumpException(Refusal.SYNTAX, "no crashkernel= option in '%s'", cmdline);
        }
        return new Crashkernel(plain, high, low);
    }

    private static Plain parsePlain(String v) throws KdumpException {
        String what = "crashkernel=" + v;
        int[] end = new int[1];
        if (v.indexOf(':') < 0) {
            long size = Sizes.parsePrefix(what, v, 0, end);
            OptionalLong offset = offset(what, v, end[0]);
            return new Plain(OptionalLong.of(size), List.of(), offset);
        }
        List<SizeRule> rules = new ArrayList<>();
        int i = 0;
        while (true) {
            long start = Sizes.parsePrefix(what, v, i, end);
            i = end[0];
            if (i >= v.length() || v.charAt(i) != '-') {
                throw new KdumpException(Refusal.SYNTAX, "%s: '-' expected after range start", what);
            }
            i++;
            OptionalLong rangeEnd = OptionalLong.empty();
            if (i < v.length() && v.charAt(i) != ':') {
                long e = Sizes.parsePrefix(what, v, i, end);
                i = end[0];
                if (Long.compareUnsigned(e, start) <= 0) {
                    throw new KdumpException(Refusal.SYNTAX, "%s: range end 0x%x is not above its start 0x%x",
                            what, e, start);
                }
                rangeEnd = OptionalLong.of(e);
            }
            if (i >= v.length() || v.charAt(i) != ':') {
                throw new KdumpException(Refusal.SYNTAX, "%s: ':' expected after range", what);
            }
            long size = Sizes.parsePrefix(what, v, i + 1, end);
            i = end[0];
            rules.add(new SizeRule(start, rangeEnd, size));
            if (i < v.length() && v.charAt(i) == ',') {
                i++;
                continue;
            }
            return new Plain(OptionalLong.empty(), rules, offset(what, v, i));
        }
    }

    private static OptionalLong offset(String what, String v, int i) throws KdumpException {
        if (i == v.length()) {
            return OptionalLong.empty();
        }
        if (v.charAt(i) != '@') {
            throw new KdumpException(Refusal.SYNTAX, "%s: unexpected '%s'", what, v.substring(i));
        }
        return OptionalLong.of(Sizes.parse(what, v.substring(i + 1)));
    }
}
