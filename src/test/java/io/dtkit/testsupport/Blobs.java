package io.dtkit.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-level edits of compiled blobs, for names no compiler writes (bytes that are not UTF-8). */
public final class Blobs {
    private Blobs() {
    }

    /**
     * {@code b} with {@code from} replaced by {@code to} (both one byte per character and of the
     * same length), at its first occurrence or at all of them; fails when there is none.
     */
    public static byte[] replaced(byte[] b, String from, String to, boolean all) {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        if (f.length != t.length) {
            throw new IllegalArgumentException("lengths differ: " + from + " / " + to);
        }
        byte[] r = b.clone();
        int found = 0;
        for (int i = 0; i + f.length <= r.length; i++) {
            if (Arrays.equals(r, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, r, i, t.length);
                found++;
                if (!all) {
                    break;
                }
            }
        }
        if (found == 0) {
            throw new AssertionError("not in the blob: " + from);
        }
        return r;
    }
}
