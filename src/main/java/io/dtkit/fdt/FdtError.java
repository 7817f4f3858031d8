package io.dtkit.fdt;

/**
 * The closed set of reasons a blob cannot be read or edited. The names and meanings follow
 * libfdt's {@code FDT_ERR_*} codes (libfdt.h); {@link #libfdtCode()} gives libfdt's number.
 */
public enum FdtError {
    /** The requested node or property does not exist. */
    NOTFOUND(1, "not found"),
    /** A node or property to create already exists. */
    EXISTS(2, "already exists"),
    /** The blob has no room left for the edit; open it into a larger buffer first. */
    NOSPACE(3, "no space left in the blob"),
    /** An offset does not point at the right kind of tag. */
    BADOFFSET(4, "bad structure offset"),
    /** A path is malformed. */
    BADPATH(5, "bad path"),
    /** A phandle is zero, -1 or does not exist. */
    BADPHANDLE(6, "bad phandle"),
    /** The blob is in a state the operation does not allow (e.g. being built sequentially). */
    BADSTATE(7, "bad state"),
    /** A block, string or value runs past the end of the blob or of its block. */
    TRUNCATED(8, "truncated"),
    /** The blob does not start with the FDT magic 0xd00dfeed. */
    BADMAGIC(9, "bad magic"),
    /** The blob's version is not one this code reads. */
    BADVERSION(10, "unsupported version"),
    /** The structure block's tokens are not properly nested or terminated. */
    BADSTRUCTURE(11, "bad structure block"),
    /** The blocks are out of the order an edit needs (mem_rsvmap, struct, strings). */
    BADLAYOUT(12, "bad block layout"),
    /** An internal consistency check failed. */
    INTERNAL(13, "internal error"),
    /** {@code #address-cells} or {@code #size-cells} has a bad value. */
    BADNCELLS(14, "bad #address-cells or #size-cells"),
    /** A property has a value of the wrong size or form. */
    BADVALUE(15, "bad property value"),
    /** An overlay is malformed. */
    BADOVERLAY(16, "bad overlay"),
    /** No phandle values are left. */
    NOPHANDLES(17, "no phandles left"),
    /** Unknown flags were given. */
    BADFLAGS(18, "bad flags"),
    /** The blob is not 8-byte aligned where that is required. */
    ALIGNMENT(19, "bad alignment");

    private final int libfdtCode;
    private final String text;

    FdtError(int libfdtCode, String text) {
        this.libfdtCode = libfdtCode;
        this.text = text;
    }

    /** libfdt's positive error number (functions there return its negative). */
    public int libfdtCode() {
        return libfdtCode;
    }

    /** A short human description. */
    public String text() {
        return text;
    }
}
