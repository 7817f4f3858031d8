package io.dtkit.fdt;

/**
 * What each blob version stores, as dtc's version table says (Devicetree Specification 5.2 for
 * 16 and 17; versions 1-3 are the older forms dtc still writes): header size, the
 * last-compatible version, and which features the version has. Shared by the blob and the
 * assembler writers.
 */
record BlobLayout(int lastComp, int headerSize, boolean fullPaths, boolean varAlign,
                  boolean nameProps, boolean bootCpuid, boolean stringsSize, boolean structSize) {

    static BlobLayout of(int version) {
        return switch (version) {
            case 1 -> new BlobLayout(1, 28, true, true, true, false, false, false);
            case 2 -> new BlobLayout(1, 32, true, true, true, true, false, false);
            case 3 -> new BlobLayout(1, 36, true, true, true, true, true, false);
            case 16 -> new BlobLayout(16, 36, false, false, false, true, true, false);
            case 17 -> new BlobLayout(16, 40, false, false, false, true, true, true);
            default -> throw new IllegalArgumentException("unknown blob version " + version);
        };
    }
}
