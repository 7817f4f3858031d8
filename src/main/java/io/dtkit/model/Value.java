package io.dtkit.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable property value: the bytes that go into the blob plus the markers that say how
 * the source wrote them (Devicetree Specification 2.2.4 "Property Values"; dtc's
 * {@code struct data}). Markers are kept in offset order.
 */
public final class Value {
    /** The zero-length value of a boolean property. */
    public static final Value EMPTY = new Value(new byte[0], List.of());

    private final byte[] bytes;
    private final List<Marker> markers;

    private Value(byte[] bytes, List<Marker> markers) {
        this.bytes = bytes;
        this.markers = markers;
    }

    /** A value holding a copy of {@code bytes} and the given markers. */
    public static Value of(byte[] bytes, List<Marker> markers) {
        return new Value(bytes.clone(), Marker.copyOf(markers));
    }

    /** A value holding a copy of {@code bytes}, with no markers (as read from a blob). */
    public static Value of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Value(bytes.clone(), List.of());
    }

    /** Takes ownership of {@code bytes} without copying; the caller must not change them later. */
    public static Value wrap(byte[] bytes, List<Marker> markers) {
        return new Value(bytes, Marker.copyOf(markers));
    }

    /** A NUL-terminated string value. */
    public static Value ofString(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(raw, raw.length + 1);
        return new Value(b, List.of(Marker.type(0, MarkerType.TYPE_STRING)));
    }

    /** Big-endian 32-bit cells. */
    public static Value ofCells(long... cells) {
        ByteBuffer bb = ByteBuffer.allocate(cells.length * 4);
        for (long c : cells) {
            bb.putInt((int) c);
        }
        return new Value(bb.array(), List.of(Marker.type(0, MarkerType.TYPE_UINT32)));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the bytes into {@code dest} from {@code at} on. */
    public void copyTo(byte[] dest, int at) {
        System.arraycopy(bytes, 0, dest, at, bytes.length);
    }

    /** A read-only view of the bytes, without copying. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    public List<Marker> markers() {
        return markers;
    }

    /** The same bytes with other markers. */
    public Value withMarkers(List<Marker> newMarkers) {
        return new Value(bytes, Marker.copyOf(newMarkers));
    }

    /** True when the bytes are equal, whatever the markers. */
    public boolean sameBytes(Value other) {
        return Arrays.equals(bytes, other.bytes);
    }

    /** Big-endian unsigned 32-bit cell at byte {@code offset}. */
    public long cellAt(int offset) {
        java.util.Objects.checkFromIndexSize(offset, 4, bytes.length);
        return (bytes[offset] & 0xffL) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }

    /**
     * The first NUL-terminated string of the value, or {@code null} when the value is not one
     * properly terminated string.
     */
    public String asString() {
        if (bytes.length == 0 || bytes[bytes.length - 1] != 0) {
            return null;
        }
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && Arrays.equals(bytes, v.bytes) && markers.equals(v.markers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + markers.hashCode();
    }

    @Override
    public String toString() {
        return "Value[" + bytes.length + " bytes, " + markers.size() + " markers]";
    }
}
