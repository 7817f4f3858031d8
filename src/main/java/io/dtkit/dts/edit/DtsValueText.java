package io.dtkit.dts.edit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Renders typed property values as DTS source text the way a person writes them
 * (Devicetree Specification v0.3, section 6.3 "Property values"): strings with escapes,
 * cell lists in hex, byte strings, and {@code /bits/ 64} arrays.
 */
public final class DtsValueText {
    private DtsValueText() {
    }

    /** {@code "text"} with {@code \" \\ \n \t \r} and other control bytes escaped. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                    } else if (c >= 0x80) {
                        sb.append((char) c); // kept as the raw UTF-8 byte (one char per byte)
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        }
        return fromLatin1(sb.append('"').toString());
    }

    /** {@code "a", "b"}: a string list. */
    public static String strings(List<String> list) {
        StringBuilder sb = new StringBuilder();
        for (String s : list) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(string(s));
        }
        return sb.toString();
    }

    /** {@code <0x0 0x1000>}: 32-bit cells in hex. */
    public static String cells(long... cells) {
        StringBuilder sb = new StringBuilder("<");
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] < 0 || cells[i] > 0xffffffffL) {
                throw new IllegalArgumentException("cell value " + cells[i] + " does not fit 32 bits");
            }
            if (i > 0) {
                sb.append(' ');
            }
            sb.append("0x").append(Long.toHexString(cells[i]));
        }
        return sb.append('>').toString();
    }

    /**
     * {@code <addr.. size..>} for (address, size) pairs, each split into {@code addressCells}
     * and {@code sizeCells} 32-bit cells, most significant first.
     *
     * @throws IllegalArgumentException if a value does not fit its cells
     */
    public static String addressSize(int addressCells, int sizeCells, long... addressSizePairs) {
        if (addressSizePairs.length % 2 != 0) {
            throw new IllegalArgumentException("address/size values come in pairs");
        }
        if (addressCells < 1 || addressCells > 2 || sizeCells < 1 || sizeCells > 2) {
            throw new IllegalArgumentException("only 1 or 2 cells per address or size are supported");
        }
        long[] cells = new long[addressSizePairs.length / 2 * (addressCells + sizeCells)];
        int k = 0;
        for (int i = 0; i < addressSizePairs.length; i += 2) {
            k = split(addressSizePairs[i], addressCells, cells, k, "address");
            k = split(addressSizePairs[i + 1], sizeCells, cells, k, "size");
        }
        return cells(cells);
    }

    private static int split(long v, int n, long[] out, int k, String what) {
        if (n == 1 && (v < 0 || v > 0xffffffffL)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s 0x%x does not fit one cell", what, v));
        }
        if (n == 2) {
            out[k++] = v >>> 32;
        }
        out[k++] = v & 0xffffffffL;
        return k;
    }

    /** {@code [00 11 22]}. */
    public static String bytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
        }
        return sb.append(']').toString();
    }

    /** {@code /bits/ 64 <0x...>}. */
    public static String bits64(long... values) {
        StringBuilder sb = new StringBuilder("/bits/ 64 <");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append("0x").append(Long.toHexString(values[i]));
        }
        return sb.append('>').toString();
    }

    private static String fromLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
