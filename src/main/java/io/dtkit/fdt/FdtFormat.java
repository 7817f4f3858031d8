package io.dtkit.fdt;

/** Constants of the flattened device-tree format (Devicetree Specification chapter 5). */
public final class FdtFormat {
    private FdtFormat() {
    }

    public static final int FDT_MAGIC = 0xd00dfeed;
    /** Size of a version 17 header (ten 32-bit fields). */
    public static final int HEADER_SIZE_V17 = 40;
    public static final int HEADER_SIZE_V16 = 36;
    public static final int FDT_BEGIN_NODE = 1;
    public static final int FDT_END_NODE = 2;
    public static final int FDT_PROP = 3;
    public static final int FDT_NOP = 4;
    public static final int FDT_END = 9;
    /** The version dtc writes by default and the last-compatible version it declares. */
    public static final int DEFAULT_VERSION = 17;
    public static final int LAST_COMP_VERSION = 16;
    /** Size of one memory reservation entry (two 64-bit values). */
    public static final int RESERVE_ENTRY_SIZE = 16;
}
