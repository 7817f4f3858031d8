package io.dtkit.dts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.misc.Interval;

/**
 * A source read in place from a buffer outside the heap (a file mapped into memory), one
 * character per byte (ISO-8859-1) as everywhere in the compiler. A large source is then neither
 * copied into the heap nor kept there while its tree is built: a 250 MB source took 1.5 s to
 * read into an array, and the array filled a twelfth of the heap to the end of the compile.
 */
final class MappedSource implements CharStream {
    private final ByteBuffer bytes;
    private final int size;
    private final String name;
    private int p;

    /** The bytes from {@code bytes}' position to its limit; the buffer itself is not moved. */
    MappedSource(ByteBuffer bytes, String name) {
        this.bytes = bytes.slice();
        this.size = this.bytes.limit();
        this.name = name;
    }

    @Override
    public void consume() {
        if (p >= size) {
            throw new IllegalStateException("cannot consume EOF");
        }
        p++;
    }

    @Override
    public int LA(int i) {
        if (i > 0) {
            int at = p + i - 1;
            return at < size ? bytes.get(at) & 0xff : IntStream.EOF;
        }
        if (i == 0) {
            return 0;
        }
        int at = p + i;
        return at >= 0 && at < size ? bytes.get(at) & 0xff : IntStream.EOF;
    }

    @Override
    public int mark() {
        return -1;
    }

    @Override
    public void release(int marker) {
        // the whole source stays readable: nothing to release
    }

    @Override
    public int index() {
        return p;
    }

    @Override
    public void seek(int index) {
        p = index;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String getSourceName() {
        return name == null || name.isEmpty() ? IntStream.UNKNOWN_SOURCE_NAME : name;
    }

    @Override
    public String getText(Interval interval) {
        int start = Math.max(interval.a, 0);
        int stop = Math.min(interval.b, size - 1);
        if (stop < start) {
            return "";
        }
        byte[] part = new byte[stop - start + 1];
        bytes.get(start, part);
        return new String(part, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return getText(Interval.of(0, size - 1));
    }
}
