package io.dtkit.dts;

import java.util.Arrays;

/** dtc's escape handling for quoted strings and character literals. */
final class Escapes {
    private Escapes() {
    }

    /** Thrown for {@code \x} without hex digits, which dtc treats as fatal. */
    static final class BadEscape extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadEscape() {
            super("\\x used with no following hex digits", null, false, false);
        }
    }

    /**
     * The bytes of {@code s} (one char = one byte) between {@code from} and {@code to} with
     * escapes processed, without a terminating NUL.
     */
    static byte[] unescape(String s, int from, int to) {
        // every character or escape gives one byte: the result is never longer than the text
        byte[] out = new byte[Math.max(0, to - from)];
        int n = 0;
        int i = from;
        while (i < to) {
            char c = s.charAt(i++);
            // a trailing backslash escapes the closing quote, as dtc reads past the end
            if (c != '\\' || i >= s.length()) {
                out[n++] = (byte) c;
                continue;
            }
            char e = s.charAt(i);
            int j = i + 1;
            int val;
            switch (e) {
                case 'a' -> val = 7;
                case 'b' -> val = 8;
                case 't' -> val = 9;
                case 'n' -> val = 10;
                case 'v' -> val = 11;
                case 'f' -> val = 12;
                case 'r' -> val = 13;
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int k = i;
                    val = 0;
                    while (k < to && k < i + 3 && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
                        val = val * 8 + (s.charAt(k) - '0');
                        k++;
                    }
                    j = k;
                }
                case 'x' -> {
                    // strtol on at most two characters: optional blanks and sign, hex digits
                    int end = Math.min(to, i + 3);
                    int k = i + 1;
                    while (k < end && isSpace(s.charAt(k))) {
                        k++;
                    }
                    boolean neg = false;
                    if (k < end && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                        neg = s.charAt(k) == '-';
                        k++;
                    }
                    int digits = 0;
                    val = 0;
                    while (k < end && Character.digit(s.charAt(k), 16) >= 0) {
                        val = val * 16 + Character.digit(s.charAt(k), 16);
                        k++;
                        digits++;
                    }
                    if (digits == 0) {
                        throw new BadEscape();
                    }
                    if (neg) {
                        val = -val;
                    }
                    j = k;
                }
                default -> val = e;
            }
            out[n++] = (byte) val;
            i = j;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 11 || c == 12;
    }
}
