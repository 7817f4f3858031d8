package io.dtkit.model;

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
        return new Marker(offset, type, null);
    }
}
