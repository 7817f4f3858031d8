package io.dtkit.kdump;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Numbers as the kernel's {@code memparse()} reads them (decimal, {@code 0x} hex or leading-0
 * octal, optional K/M/G/T/P/E suffix, binary multiples) and as humans read them back
 * (issue 4, crashkernel= forms).
 */
public final class Sizes {
    private Sizes() {
    }

    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    /** Parses one whole number with an optional suffix; refuses junk and 64-bit overflow. */
    public static long parse(String what, String text) throws KdumpException {
        String t = text.trim();
        int[] end = new int[1];
        long v = parsePrefix(what, t, 0, end);
        if (end[0] != t.length()) {
            throw new KdumpException(Refusal.SYNTAX, "%s: '%s' is not a number", what, text);
        }
        return v;
    }

    /**
     * Parses a number with optional suffix starting at {@code from}; stores the index after it
     * in {@code end[0]}.
     */
    static long parsePrefix(String what, String t, int from, int[] end) throws KdumpException {
        int i = from;
        int radix = 10;
        if (t.startsWith("0x", i) || t.startsWith("0X", i)) {
            radix = 16;
            i += 2;
        } else if (t.startsWith("0", i) && i + 1 < t.length() && Character.digit(t.charAt(i + 1), 8) >= 0) {
            radix = 8;
            i += 1;
        }
        int start = i;
        while (i < t.length() && Character.digit(t.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == start) {
            throw new KdumpException(Refusal.SYNTAX, "%s: number expected at '%s'", what, t.substring(from));
        }
        BigInteger v = new BigInteger(t.substring(start, i), radix);
        if (i < t.length()) {
            int shift = switch (Character.toUpperCase(t.charAt(i))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                case 'P' -> 50;
                case 'E' -> 60;
                default -> 0;
            };
            if (shift != 0) {
                v = v.shiftLeft(shift);
                i++;
            }
        }
        if (v.bitLength() > 64) {
            throw new KdumpException(Refusal.SYNTAX, "%s: '%s' does not fit 64 bits", what, t.substring(from, i));
        }
        end[0] = i;
        return v.longValue();
    }

    /** A short binary-unit size such as {@code 256 MiB}, {@code 1.5 GiB} or {@code 64 KiB}. */
    public static String human(long size) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = size < 0 ? size + 0x1p64 : size;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%d %s", (long) v, units[u]);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 0x}-prefixed lower-case hex of an unsigned value. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
