package io.dtkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Writes text to a byte stream as UTF-8, except that a lone surrogate U+DC80..U+DCFF stands
 * for the byte 80..FF itself: how names and values from a tree that are no UTF-8 come back out
 * as the bytes they were (see {@link io.dtkit.source.FileNameText#display}), the way the
 * reference tools print them. Other lone surrogates are written as '?'.
 */
final class ByteTextWriter extends Writer {
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int n;
    private char high;

    ByteTextWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            put(cbuf[i]);
        }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            put(s.charAt(i));
        }
    }

    private void put(char c) throws IOException {
        if (n > buf.length - 4) {
            drain();
        }
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(h, c);
                buf[n++] = (byte) (0xf0 | cp >> 18);
                buf[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
                buf[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
                buf[n++] = (byte) (0x80 | cp & 0x3f);
                return;
            }
            buf[n++] = '?';
            put(c);
            return;
        }
        if (c < 0x80) {
            buf[n++] = (byte) c;
        } else if (c < 0x800) {
            buf[n++] = (byte) (0xc0 | c >> 6);
            buf[n++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (c >= 0xdc80 && c <= 0xdcff) {
            buf[n++] = (byte) (c - 0xdc00);
        } else if (Character.isLowSurrogate(c)) {
            buf[n++] = '?';
        } else {
            buf[n++] = (byte) (0xe0 | c >> 12);
            buf[n++] = (byte) (0x80 | c >> 6 & 0x3f);
            buf[n++] = (byte) (0x80 | c & 0x3f);
        }
    }

    private void drain() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
