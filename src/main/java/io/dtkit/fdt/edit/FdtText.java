package io.dtkit.fdt.edit;

import io.dtkit.fdt.FdtError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The text forms of property values used by dtc's fdtget, fdtput and fdtdump (dtc 1.6.1
 * {@code util.c}, {@code fdtget.c}, {@code fdtput.c}, {@code fdtdump.c}): type strings, value
 * display, value encoding from command-line words, and the fdtdump listing.
 */
public final class FdtText {
    private FdtText() {
    }

    /**
     * A decoded {@code -t} type: {@code type} is one of {@code s i u x} (or 0 for "guess"),
     * {@code size} is 1, 2, 4 or -1 (not given).
     */
    public record ValueType(char type, int size) {
        /** No {@code -t}: strings when printable, otherwise cells or bytes. */
        public static final ValueType DEFAULT = new ValueType((char) 0, -1);
    }

    /**
     * Decodes a type string like fdtget's {@code -t}: an optional size prefix {@code hh}/{@code b}
     * (byte), {@code h} (2 bytes), {@code l} (4 bytes) followed by one of {@code i u x s}.
     * Returns null when the string is not valid.
     */
    public static ValueType decodeType(String fmt) {
        int i = 0;
        int n = fmt.length();
        if (n == 0) {
            return null;
        }
        char qualifier = 0;
        if ("hlLb".indexOf(fmt.charAt(0)) >= 0) {
            qualifier = fmt.charAt(i++);
            if (i < n && fmt.charAt(i) == qualifier) {
                if (fmt.charAt(i++) == 'h') {
                    qualifier = 'b';
                }
            }
        }
        if (i >= n || "iuxs".indexOf(fmt.charAt(i)) < 0) {
            return null;
        }
        char type = fmt.charAt(i++);
        int size = -1;
        if (type != 's') {
            size = qualifier == 'b' ? 1 : qualifier == 'h' ? 2 : qualifier == 'l' ? 4 : -1;
        }
        if (i != n) {
            return null;
        }
        return new ValueType(type, size);
    }

    /** What fdtget prints for one value: the text (without newline) or an error message. */
    public record Shown(String text, String error) {
    }

    /** fdtget's display of a property value. */
    public static Shown showData(ValueType t, byte[] data) {
        int len = data.length;
        if (len == 0) {
            return new Shown("", null);
        }
        boolean isString = t.type() == 's' || (t.type() == 0 && isPrintableString(data));
        if (isString) {
            if (data[len - 1] != 0) {
                return new Shown(null, "Unterminated string");
            }
            StringBuilder sb = new StringBuilder();
            int s = 0;
            while (s < len) {
                if (s != 0) {
                    sb.append(' ');
                }
                int e = s;
                while (data[e] != 0) {
                    e++;
                }
                sb.append(new String(data, s, e - s, StandardCharsets.UTF_8));
                s = e + 1;
            }
            return new Shown(sb.toString(), null);
        }
        int size = t.size();
        if (size == -1) {
            size = (len % 4) == 0 ? 4 : 1;
        } else if (len % size != 0) {
            return new Shown(null, "Property length must be a multiple of selected data size");
        }
        char type = t.type() == 0 ? 'd' : t.type();
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < len; p += size) {
            if (p != 0) {
                sb.append(' ');
            }
            int value;
            if (size == 4) {
                value = ((data[p] & 0xff) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8)
                        | (data[p + 3] & 0xff);
            } else if (size == 2) {
                value = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
            } else {
                value = data[p] & 0xff;
            }
            sb.append(formatInt(type, value));
        }
        return new Shown(sb.toString(), null);
    }

    private static String formatInt(char type, int value) {
        return switch (type) {
            case 'x' -> Integer.toHexString(value);
            case 'u' -> Integer.toUnsignedString(value);
            default -> Integer.toString(value);
        };
    }

    /** dtc's {@code util_is_printable_string}: NUL-terminated runs of printable ASCII, none empty. */
    public static boolean isPrintableString(byte[] data) {
        int len = data.length;
        if (len == 0 || data[len - 1] != 0) {
            return false;
        }
        int s = 0;
        while (s < len) {
            int ss = s;
            while (s < len && data[s] != 0 && data[s] >= 0x20 && data[s] < 0x7f) {
                s++;
            }
            if (data[s] != 0 || s == ss) {
                return false;
            }
            s++;
        }
        return true;
    }

    /** The bytes fdtput builds from its value words, and its {@code -v} trace. */
    public record Encoded(byte[] value, String trace) {
    }

    /**
     * fdtput's value encoding: strings (type {@code s}) with their NUL, otherwise each word read
     * with C's {@code sscanf} conversion for the type ({@code %d} by default) and stored as a
     * big-endian cell (size 4) or as its low byte (sizes 1 and 2; fdtput leaves the second byte
     * of a 2-byte item zero). A word that does not parse repeats the previous number.
     */
    public static Encoded encodeValue(ValueType t, java.util.List<String> words, boolean verbose) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder trace = new StringBuilder();
        if (verbose) {
            trace.append("Decoding value:\n");
        }
        int ival = 0;
        for (String w : words) {
            if (t.type() == 's') {
                byte[] b = w.getBytes(StandardCharsets.UTF_8);
                int nul = 0;
                while (nul < b.length && b[nul] != 0) {
                    nul++;
                }
                out.write(b, 0, nul);
                out.write(0);
                if (verbose) {
                    trace.append("\tstring: '").append(new String(b, 0, nul, StandardCharsets.UTF_8)).append("'\n");
                }
                continue;
            }
            int len = t.size() == -1 ? 4 : t.size();
            Long parsed = scanInt(t.type() == 0 ? 'd' : t.type(), w);
            if (parsed != null) {
                ival = (int) (long) parsed;
            }
            if (len == 4) {
                out.write(ival >>> 24);
                out.write(ival >>> 16);
                out.write(ival >>> 8);
                out.write(ival);
            } else {
                out.write(ival);
                for (int i = 1; i < len; i++) {
                    out.write(0);
                }
            }
            if (verbose) {
                trace.append('\t').append(t.size() == 1 ? "byte" : t.size() == 2 ? "short" : "int")
                        .append(": ").append(ival).append('\n');
            }
        }
        if (verbose) {
            trace.append("Value size ").append(out.size()).append('\n');
        }
        return new Encoded(out.toByteArray(), trace.toString());
    }

    /**
     * C's {@code sscanf} integer conversions {@code %d %i %u %x} as glibc performs them (via
     * strtol/strtoul, saturating at the 64-bit limits), or null when no digits are found.
     * {@code %i} is {@code strtol(s, NULL, 0)}.
     */
    public static Long scanInt(char conv, String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int base = conv == 'x' ? 16 : conv == 'i' ? 0 : 10;
        if ((base == 16 || base == 0) && i + 1 < n && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (base == 0) {
            base = i < n && s.charAt(i) == '0' ? 8 : 10;
        }
        int start = i;
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        while (i < n && Character.digit(s.charAt(i), base) >= 0 && s.charAt(i) < 0x80) {
            v = v.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(Character.digit(s.charAt(i), base)));
            i++;
        }
        if (i == start) {
            return null;
        }
        boolean signed = conv == 'd' || conv == 'i';
        java.math.BigInteger max = signed ? java.math.BigInteger.valueOf(Long.MAX_VALUE)
                : java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
        if (signed) {
            if (neg) {
                v = v.negate();
                if (v.compareTo(java.math.BigInteger.valueOf(Long.MIN_VALUE)) < 0) {
                    v = java.math.BigInteger.valueOf(Long.MIN_VALUE);
                }
            } else if (v.compareTo(max) > 0) {
                v = max;
            }
            return v.longValue();
        }
        if (v.compareTo(max) > 0) {
            return -1L;
        }
        long r = v.longValue();
        return neg ? -r : r;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** libfdt's {@code fdt_strerror} name of an error, e.g. {@code FDT_ERR_NOTFOUND}. */
    public static String strerror(FdtError e) {
        return "FDT_ERR_" + e.name();
    }

    // ---------------------------------------------------------------- fdtdump

    /**
     * fdtdump's listing of a blob (header comments, reservations, then the structure block
     * tag by tag, with NOPs shown). Returns the text written to standard output and, in
     * {@code error}, the message fdtdump prints on standard error when it meets an unknown tag.
     * {@code debug} adds fdtdump -d's offset comments.
     */
    public record Dump(String text, String error) {
    }

    /** Whether fdtdump accepts the header (its own check, looser than libfdt's). */
    public static boolean dumpHeaderValid(byte[] b) {
        if (b.length < 40) {
            return false;
        }
        long len = b.length;
        return be32(b, 0) == 0xd00dfeedL && be32(b, 20) <= 17 && be32(b, 24) <= 17
                && be32(b, 4) < len && be32(b, 8) < len && be32(b, 12) < len;
    }

    public static Dump dump(byte[] b, boolean debug) {
        return dump(b, 0, debug);
    }

    /**
     * Where {@code fdtdump -s} finds a blob in {@code buf} (the file as fdtdump holds it, see
     * {@link #dumpHeaderValid}): the first magic number whose header is plausible (version and
     * last compatible version at most 17, total size and both block offsets inside the rest of
     * the buffer); {@code offset} is -1 when there is none (or it leaves less than a header).
     * {@code skipped} lists the magic numbers before it whose header was not plausible.
     */
    public record Scan(int offset, List<Integer> skipped) {
    }

    public static Scan scan(byte[] buf) {
        List<Integer> skipped = new java.util.ArrayList<>();
        int end = buf.length;
        int p = 0;
        int found = -1;
        while (end - p >= 4) {
            // the first byte of the magic, searched for in all but the last four bytes
            while (p < end - 4 && (buf[p] & 0xff) != 0xd0) {
                p++;
            }
            if (p >= end - 4) {
                break;
            }
            if (be32(buf, p) == 0xd00dfeedL) {
                long rest = end - p;
                if (field(buf, p + 20) <= 17 && field(buf, p + 24) <= 17 && field(buf, p + 4) < rest
                        && field(buf, p + 8) < rest && field(buf, p + 12) < rest) {
                    found = p;
                    break;
                }
                skipped.add(p);
            }
            p++;
        }
        if (found >= 0 && end - found < 40) {
            found = -1;
        }
        return new Scan(found, skipped);
    }

    /** A header field that may lie past the end of the buffer (read as zero bytes there). */
    private static long field(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (p + i < b.length ? b[p + i] & 0xff : 0);
        }
        return v;
    }

    /**
     * The listing of the blob that starts {@code at} bytes into {@code buf}. fdtdump aligns its
     * walk on the memory address rather than on the offset in the blob, so a blob found at an
     * offset that is not a multiple of 4 (with {@code -s}) is walked out of step, as there.
     */
    public static Dump dump(byte[] buf, int at, boolean debug) {
        byte[] b = at == 0 ? buf : java.util.Arrays.copyOfRange(buf, at, buf.length);
        // fdtdump's buffer comes from malloc, aligned to 16 bytes
        int misalign = at & 15;
        StringBuilder sb = new StringBuilder();
        long offMemRsvmap = be32(b, 16);
        long offDt = be32(b, 8);
        long offStr = be32(b, 12);
        long version = be32(b, 20);
        long totalsize = be32(b, 4);
        sb.append("/dts-v1/;\n");
        sb.append("// magic:\t\t0x").append(Long.toHexString(be32(b, 0))).append('\n');
        sb.append("// totalsize:\t\t0x").append(Long.toHexString(totalsize)).append(" (").append(totalsize).append(")\n");
        sb.append("// off_dt_struct:\t0x").append(Long.toHexString(offDt)).append('\n');
        sb.append("// off_dt_strings:\t0x").append(Long.toHexString(offStr)).append('\n');
        sb.append("// off_mem_rsvmap:\t0x").append(Long.toHexString(offMemRsvmap)).append('\n');
        sb.append("// version:\t\t").append(version).append('\n');
        sb.append("// last_comp_version:\t").append(be32(b, 24)).append('\n');
        if (version >= 2) {
            sb.append("// boot_cpuid_phys:\t0x").append(Long.toHexString(be32(b, 28))).append('\n');
        }
        if (version >= 3) {
            sb.append("// size_dt_strings:\t0x").append(Long.toHexString(be32(b, 32))).append('\n');
        }
        if (version >= 17) {
            sb.append("// size_dt_struct:\t0x").append(Long.toHexString(be32(b, 36))).append('\n');
        }
        sb.append('\n');
        for (long p = offMemRsvmap; ; p += 16) {
            if (p + 16 > b.length) {
                return new Dump(sb.toString(), "reservation block runs past the end of the file");
            }
            long addr = be64(b, p);
            long size = be64(b, p + 8);
            if (addr == 0 && size == 0) {
                break;
            }
            sb.append("/memreserve/ ").append(hashHex(addr)).append(' ').append(hashHex(size)).append(";\n");
        }
        int depth = 0;
        long p = offDt;
        while (true) {
            if (p + 4 > b.length) {
                return new Dump(sb.toString(), "structure block runs past the end of the file");
            }
            long tag = be32(b, p);
            p += 4;
            if (tag == 9) {
                break;
            }
            if (debug) {
                sb.append(String.format("// %04x: tag: 0x%08x (%s)\n", p - 4, tag, tagName(tag)));
            }
            if (tag == 1) {
                long e = p;
                while (e < b.length && b[(int) e] != 0) {
                    e++;
                }
                if (e >= b.length) {
                    return new Dump(sb.toString(), "node name runs past the end of the file");
                }
                String s = new String(b, (int) p, (int) (e - p), StandardCharsets.ISO_8859_1);
                p = align(e + 1, 4, misalign);
                if (s.isEmpty()) {
                    s = "/";
                }
                indent(sb, depth).append(s).append(" {\n");
                depth++;
                continue;
            }
            if (tag == 2) {
                depth--;
                indent(sb, depth).append("};\n");
                continue;
            }
            if (tag == 4) {
                indent(sb, depth).append("// [NOP]\n");
                continue;
            }
            if (tag != 3) {
                return new Dump(sb.toString(), " ".repeat(Math.abs(depth * 4))
                        + String.format(" ** Unknown tag 0x%08x", tag));
            }
            if (p + 8 > b.length) {
                return new Dump(sb.toString(), "property header runs past the end of the file");
            }
            long sz = be32(b, p);
            long nameoff = be32(b, p + 4);
            p += 8;
            long s = offStr + nameoff;
            if (version < 16 && sz >= 8) {
                p = align(p, 8, misalign);
            }
            long t = p;
            if (t + sz > b.length || s >= b.length) {
                return new Dump(sb.toString(), "property runs past the end of the file");
            }
            p = align(p + sz, 4, misalign);
            long se = s;
            while (se < b.length && b[(int) se] != 0) {
                se++;
            }
            String name = new String(b, (int) s, (int) (se - s), StandardCharsets.ISO_8859_1);
            if (debug) {
                sb.append(String.format("// %04x: string: %s\n", s, name));
                sb.append(String.format("// %04x: value\n", t));
            }
            indent(sb, depth).append(name);
            byte[] value = java.util.Arrays.copyOfRange(b, (int) t, (int) (t + sz));
            sb.append(printData(value));
            sb.append(";\n");
        }
        return new Dump(sb.toString(), null);
    }

    /** dtc's {@code utilfdt_print_data}: {@code = "a", "b"}, {@code = <0x...>} or {@code = [..]}. */
    public static String printData(byte[] data) {
        int len = data.length;
        if (len == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (isPrintableString(data)) {
            sb.append(" = ");
            int s = 0;
            do {
                int e = s;
                while (data[e] != 0) {
                    e++;
                }
                sb.append('"').append(new String(data, s, e - s, StandardCharsets.ISO_8859_1)).append('"');
                s = e + 1;
                if (s < len) {
                    sb.append(", ");
                }
            } while (s < len);
        } else if (len % 4 == 0) {
            sb.append(" = <");
            for (int i = 0; i < len / 4; i++) {
                sb.append(String.format("0x%08x", be32(data, i * 4L)));
                if (i < len / 4 - 1) {
                    sb.append(' ');
                }
            }
            sb.append('>');
        } else {
            sb.append(" = [");
            for (int i = 0; i < len; i++) {
                sb.append(String.format("%02x", data[i] & 0xff));
                if (i < len - 1) {
                    sb.append(' ');
                }
            }
            sb.append(']');
        }
        return sb.toString();
    }

    private static String tagName(long tag) {
        return switch ((int) tag) {
            case 1 -> "FDT_BEGIN_NODE";
            case 2 -> "FDT_END_NODE";
            case 3 -> "FDT_PROP";
            case 4 -> "FDT_NOP";
            case 9 -> "FDT_END";
            default -> "FDT_???";
        };
    }

    /** C's {@code %#llx}: "0" for zero, "0x..." otherwise. */
    private static String hashHex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static StringBuilder indent(StringBuilder sb, int depth) {
        // C's "%*s" with a negative width pads to the absolute width
        for (int i = 0; i < Math.abs(depth * 4); i++) {
            sb.append(' ');
        }
        return sb;
    }

    private static long align(long x, int a) {
        return (x + a - 1) & -a;
    }

    /** {@code x} aligned as the address {@code base + x} would be, as an offset again. */
    private static long align(long x, int a, int base) {
        return align(x + base, a) - base;
    }

    private static long be32(byte[] b, long p) {
        int i = (int) p;
        if (p < 0 || p + 4 > b.length) {
            return 0;
        }
        return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL);
    }

    private static long be64(byte[] b, long p) {
        return (be32(b, p) << 32) | be32(b, p + 4);
    }
}
