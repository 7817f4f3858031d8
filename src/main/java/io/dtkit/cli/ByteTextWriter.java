package io.dtkit.cli;

import io.dtkit.source.RawText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Writes text to a byte stream as {@link RawText#encode} gives its bytes: UTF-8, except that a
 * lone surrogate U+DC80..U+DCFF stands for the byte 80..FF itself. That is how names and values
 * from a tree that are no UTF-8 come back out as the bytes they were (see
 * {@link io.dtkit.source.FileNameText#display}), the way the reference tools print them.
 */
final class ByteTextWriter extends Writer {
    private static final int CHUNK = 8192;

    private final OutputStream out;
    private final StringBuilder pending = new StringBuilder();

    ByteTextWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        pending.append(cbuf, off, len);
        if (pending.length() >= CHUNK) {
            drain(false);
        }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        pending.append(s, off, off + len);
        if (pending.length() >= CHUNK) {
            drain(false);
        }
    }

    /** Writes the pending text; a high surrogate at its end waits for its pair unless {@code all}. */
    private void drain(boolean all) throws IOException {
        int end = pending.length();
        if (!all && end > 0 && Character.isHighSurrogate(pending.charAt(end - 1))) {
            end--;
        }
        out.write(RawText.encode(pending.substring(0, end)));
        pending.delete(0, end);
    }

    @Override
    public void flush() throws IOException {
        drain(false);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        drain(true);
        out.flush();
    }
}
