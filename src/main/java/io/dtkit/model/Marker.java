package io.dtkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A typed annotation at a byte offset of a property value (dtc's {@code struct marker}).
 * {@code ref} is the label or path for references and labels, {@code null} for type markers.
 */
public record Marker(int offset, MarkerType type, String ref) {
    public Marker {
        Objects.requireNonNull(type, "type");
        if (offset < 0) {
            throw new IllegalArgumentException("negative marker offset " + offset);
        }
    }

    /** A type marker (no reference). */
    public static Marker type(int offset, MarkerType type) {
        return offset == 0 ? LEADING[type.ordinal()] : new Marker(offset, type, null);
    }

    /*
     * Nearly every value of a compiled source starts with one type marker at offset 0, and most
     * have no other: one shared marker and one shared list per type spare a large tree two
     * objects per property (the record is immutable, so sharing cannot be observed).
     */
    private static final Marker[] LEADING;
    private static final List<List<Marker>> ALONE;

    static {
        MarkerType[] all = MarkerType.values();
        LEADING = new Marker[all.length];
        List<List<Marker>> alone = new ArrayList<>(all.length);
        for (MarkerType t : all) {
            LEADING[t.ordinal()] = new Marker(0, t, null);
            alone.add(List.of(LEADING[t.ordinal()]));
        }
        ALONE = List.copyOf(alone);
    }

    /** The markers of a value with one type marker, at 0, and no other: one shared list per type. */
    public static List<Marker> typeOnly(MarkerType type) {
        return ALONE.get(type.ordinal());
    }

    /** An immutable copy of {@code markers}, shared when it is one reference-free marker at 0. */
    static List<Marker> copyOf(List<Marker> markers) {
        if (markers.size() == 1) {
            Marker m = markers.get(0);
            if (m.offset == 0 && m.ref == null) {
                return ALONE.get(m.type.ordinal());
            }
        }
        return List.copyOf(markers);
    }
}
