package io.dtkit.fdt;

import io.dtkit.model.Value;
import java.util.Arrays;

/** A growable big-endian byte buffer for building blob blocks; refuses to pass 2 GiB. */
final class ByteSink {
    private static final int MAX = Integer.MAX_VALUE - 16;
    private byte[] buf;
    private int len;

    ByteSink(int initial) {
        buf = new byte[Math.max(16, initial)];
    }

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    private void ensure(long extra) {
        long need = len + extra;
        if (need > MAX) {
            throw new IllegalArgumentException("blob would exceed the 2 GiB limit of a byte array");
        }
        if (need > buf.length) {
            long cap = Math.max(need, Math.min((long) buf.length * 2, MAX));
            buf = Arrays.copyOf(buf, (int) cap);
        }
    }

    void putInt(int v) {
        ensure(4);
        buf[len] = (byte) (v >>> 24);
        buf[len + 1] = (byte) (v >>> 16);
        buf[len + 2] = (byte) (v >>> 8);
        buf[len + 3] = (byte) v;
        len += 4;
    }

    void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    void put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    void put(byte[] b) {
        put(b, 0, b.length);
    }

    void put(Value v) {
        int n = v.length();
        ensure(n);
        v.copyTo(buf, len);
        len += n;
    }

    void putByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    /** Appends {@code n} zero bytes. */
    void zeroes(long n) {
        ensure(n);
        len += (int) n; // a fresh or grown array is already zero past len, and nothing is ever removed
    }

    /** Pads with zero bytes up to a multiple of {@code a} (a power of two). */
    void align(int a) {
        zeroes(((len + a - 1) & -a) - len);
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, len);
    }
}
