package io.dtkit.dts;

import io.dtkit.dts.cpp.Latin1Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.misc.Interval;

/**
 * A source held as bytes, read one character per byte (ISO-8859-1) as everywhere in the
 * compiler: an array in the heap, or a file mapped into memory. A large source is then neither
 * copied into the heap nor kept there while its tree is built (a 250 MB source took 1.5 s to
 * read into an array, and the array filled a twelfth of the heap to the end of the compile).
 * The lexer reads characters through {@link #at} rather than through the stream interface; the
 * directive pre-scan reads the same source as text.
 */
final class ByteSource implements CharStream, Latin1Text {
    /** The bytes when they are an array (from offset 0), else null. */
    private final byte[] array;
    /** The bytes when they are not an array, else null. */
    private final ByteBuffer buffer;
    private final int size;
    private final String name;
    private int p;

    /** A source over the whole array. */
    ByteSource(byte[] bytes, String name) {
        this.array = bytes;
        this.buffer = null;
        this.size = bytes.length;
        this.name = name;
        this.window = bytes;
        this.windowEnd = size;
    }

    /** The bytes from {@code bytes}' position to its limit; the buffer itself is not moved. */
    ByteSource(ByteBuffer bytes, String name) {
        ByteBuffer b = bytes.slice();
        if (b.hasArray() && b.arrayOffset() == 0 && b.limit() == b.array().length) {
            this.array = b.array();
            this.buffer = null;
        } else {
            this.array = null;
            this.buffer = b;
        }
        this.size = b.limit();
        this.name = name;
        if (array != null) {
            this.window = array;
            this.windowEnd = size;
        }
    }

    /*
     * Characters are read from an array: the source's own, or for a mapped source a window
     * copied from it. Reading a buffer byte by byte goes through several calls per byte,
     * which the optimising compiler does not always inline (the launcher limits inlining for
     * large inputs); for the same reason the common case of at() is kept short.
     */
    private static final int WINDOW = 1 << 16;
    /** How far before a missed index a new window starts: the lexer looks back a little. */
    private static final int BEHIND = 1 << 10;
    /** The array read from: {@code window[i]} is character {@code windowStart + i}. */
    private byte[] window;
    private int windowStart;
    private int windowEnd;

    /** The character at {@code index}, or -1 outside the source. */
    int at(int index) {
        int i = index - windowStart;
        if (i < 0 || index >= windowEnd) {
            return outsideWindow(index);
        }
        return window[i] & 0xff;
    }

    private int outsideWindow(int index) {
        if (index < 0 || index >= size) {
            return IntStream.EOF;
        }
        // only a mapped source has characters outside its window
        if (window == null) {
            window = new byte[WINDOW];
        }
        int start = Math.max(0, index - BEHIND);
        int len = Math.min(WINDOW, size - start);
        buffer.get(start, window, 0, len);
        windowStart = start;
        windowEnd = start + len;
        return window[index - start] & 0xff;
    }

    /** The byte at {@code index} (inside the source), leaving the window where it is. */
    int peek(int index) {
        int i = index - windowStart;
        if (i >= 0 && index < windowEnd) {
            return window[i] & 0xff;
        }
        return buffer.get(index) & 0xff;
    }

    /** {@link String#hashCode} of {@link #text text(start, stop)}, without making the string. */
    int textHash(int start, int stop) {
        int h = 0;
        for (int i = start; i <= stop; i++) {
            h = 31 * h + peek(i);
        }
        return h;
    }

    /** Whether {@link #text text(start, stop)} equals {@code s}, without making the string. */
    boolean textEquals(int start, int stop, String s) {
        if (s.length() != stop - start + 1) {
            return false;
        }
        for (int i = start; i <= stop; i++) {
            if (s.charAt(i - start) != peek(i)) {
                return false;
            }
        }
        return true;
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
            return at(p + i - 1);
        }
        return i == 0 ? 0 : at(p + i);
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
        return text(interval.a, interval.b);
    }

    /** The text from {@code start} to {@code stop} inclusive, clipped to the source. */
    String text(int start, int stop) {
        start = Math.max(start, 0);
        stop = Math.min(stop, size - 1);
        if (stop < start) {
            return "";
        }
        if (array != null) {
            return new String(array, start, stop - start + 1, StandardCharsets.ISO_8859_1);
        }
        byte[] part = new byte[stop - start + 1];
        buffer.get(start, part);
        return new String(part, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return text(0, size - 1);
    }

    @Override
    public int length() {
        return size;
    }

    @Override
    public char charAt(int index) {
        return (char) at(Objects.checkIndex(index, size));
    }

    @Override
    public String subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, size);
        return text(start, end - 1);
    }

    /**
     * The first index of {@code c} at or after {@code from}, or -1. The search runs over the
     * window array a window at a time: the directive pre-scan looks for every '#' of a large
     * source on its own thread, beside the parse, and a call per byte cost several times more.
     */
    @Override
    public int indexOf(char c, int from) {
        if (c > 0xff) {
            return -1;
        }
        byte b = (byte) c;
        for (int i = Math.max(from, 0); i < size; i = windowEnd) {
            if (i < windowStart || i >= windowEnd) {
                outsideWindow(i);
            }
            byte[] w = window;
            int base = windowStart;
            for (int j = i - base, end = windowEnd - base; j < end; j++) {
                if (w[j] == b) {
                    return base + j;
                }
            }
        }
        return -1;
    }
}
