package io.dtkit.model;

/**
 * What a {@link Marker} says about a property value at its offset. The type markers record how
 * the source wrote the bytes that follow (so a DTS printer can write them back the same way);
 * references and labels record names that resolve to phandles, paths or label positions.
 */
public enum MarkerType {
    /** A byte string {@code [..]} or {@code /bits/ 8} cells start here. */
    TYPE_UINT8,
    /** {@code /bits/ 16} cells start here. */
    TYPE_UINT16,
    /** 32-bit cells {@code <..>} start here. */
    TYPE_UINT32,
    /** {@code /bits/ 64} cells start here. */
    TYPE_UINT64,
    /** A quoted string starts here. */
    TYPE_STRING,
    /** The 4 bytes here hold the phandle of the node named by {@code ref}. */
    REF_PHANDLE,
    /** The full path of the node named by {@code ref} was spliced in here. */
    REF_PATH,
    /** The label {@code ref} names this offset of the value. */
    LABEL,
    /**
     * The bytes from here were read from a file (a property of an {@code -I fs} folder, an
     * {@code /incbin/}): nothing is known of their type. dtc marks such data so, and a value with any marker is
     * one whose phandle cells dtc's checks expect to be references.
     */
    UNTYPED;

    /** True for the markers that say how the following bytes were written. */
    public boolean isType() {
        return ordinal() <= TYPE_STRING.ordinal();
    }
}
