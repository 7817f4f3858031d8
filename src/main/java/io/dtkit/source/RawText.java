package io.dtkit.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes held as Java text without loss: UTF-8 is read as the characters it encodes, and each
 * byte that is not part of well-formed UTF-8 becomes the lone surrogate U+DC80..U+DCFF, which
 * {@link #encode} turns back into that byte. Names and strings in a tree are bytes (the
 * reference tools neither check nor change them); this is how they travel as text.
 */
public final class RawText {
    private RawText() {
    }

    /** The text of {@code len} bytes of {@code b} from {@code off}. */
    public static String decode(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(len);
        for (int k = off; k < i; k++) {
            sb.append((char) b[k]);
        }
        while (i < end) {
            int c = b[i] & 0xff;
            int n = sequenceLength(b, i, end);
            if (n == 1 && c < 0x80) {
                sb.append((char) c);
            } else if (n == 0) {
                sb.append((char) (0xdc00 + c));
                n = 1;
            } else {
                int cp = c & (0xff >> (n + 1));
                for (int k = 1; k < n; k++) {
                    cp = cp << 6 | b[i + k] & 0x3f;
                }
                sb.appendCodePoint(cp);
            }
            i += n;
        }
        return sb.toString();
    }

    /** The text of all of {@code b}. */
    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (no overlong forms, surrogates or
     * code points past U+10FFFF), or 0 where none starts.
     */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) {
                lo = 0xa0;
            } else if (c == 0xed) {
                hi = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) {
                lo = 0x90;
            } else if (c == 0xf4) {
                hi = 0x8f;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int x = b[i + k] & 0xff;
            if (x < 0x80 || x > 0xbf) {
                return 0;
            }
        }
        return n;
    }

    /**
     * The bytes of {@code text}: UTF-8, except that a lone surrogate U+DC80..U+DCFF is the byte
     * 80..FF itself; any other lone surrogate becomes '?'.
     */
    public static byte[] encode(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && text.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 8);
        for (int k = 0; k < i; k++) {
            out.write(text.charAt(k));
        }
        while (i < n) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xc0 | c >> 6);
                out.write(0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out.write(0xf0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3f);
                out.write(0x80 | cp >> 6 & 0x3f);
                out.write(0x80 | cp & 0x3f);
            } else if (c >= 0xdc80 && c <= 0xdcff) {
                out.write(c - 0xdc00);
            } else if (Character.isSurrogate(c)) {
                out.write('?');
            } else {
                out.write(0xe0 | c >> 12);
                out.write(0x80 | c >> 6 & 0x3f);
                out.write(0x80 | c & 0x3f);
            }
            i++;
        }
        return out.toByteArray();
    }
}
