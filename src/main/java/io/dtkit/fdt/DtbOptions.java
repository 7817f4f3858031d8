package io.dtkit.fdt;

/**
 * Choices for writing a blob (Devicetree Specification 5.2 header fields), matching dtc's
 * options: {@code version} ({@code -V}: 17, 16, or the old 1, 2, 3), {@code reserveEntries} ({@code -R}: extra empty reservation entries),
 * {@code minSize} ({@code -S}: minimum total size), {@code padding} ({@code -p}: bytes of
 * padding; like dtc, not together with {@code minSize}), {@code align} ({@code -a}: total size
 * rounded up to this power of two), {@code bootCpuid} ({@code -b}; {@code null} keeps the tree's
 * {@code bootCpuidPhys}). Zero means "not given" for the size options.
 */
public record DtbOptions(int version, int reserveEntries, int minSize, int padding, int align,
                         Long bootCpuid) {
    public DtbOptions {
        if (!isKnownVersion(version)) {
            throw new IllegalArgumentException("unknown device tree blob version " + version);
        }
        if (reserveEntries < 0 || minSize < 0 || padding < 0 || align < 0) {
            throw new IllegalArgumentException("negative size option");
        }
        if (minSize != 0 && padding != 0) {
            throw new IllegalArgumentException("minimum size and padding cannot both be set");
        }
        if (align != 0 && Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("alignment " + align + " is not a power of two");
        }
    }

    /** Whether dtc writes blobs of this version: 17, 16, or the old 1, 2, 3. */
    public static boolean isKnownVersion(int version) {
        return switch (version) {
            case 1, 2, 3, 16, 17 -> true;
            default -> false;
        };
    }

    /** dtc's defaults: version 17, nothing extra. */
    public static DtbOptions defaults() {
        return new DtbOptions(FdtFormat.DEFAULT_VERSION, 0, 0, 0, 0, null);
    }

    public DtbOptions withVersion(int v) {
        return new DtbOptions(v, reserveEntries, minSize, padding, align, bootCpuid);
    }

    public DtbOptions withReserveEntries(int n) {
        return new DtbOptions(version, n, minSize, padding, align, bootCpuid);
    }

    public DtbOptions withMinSize(int n) {
        return new DtbOptions(version, reserveEntries, n, padding, align, bootCpuid);
    }

    public DtbOptions withPadding(int n) {
        return new DtbOptions(version, reserveEntries, minSize, n, align, bootCpuid);
    }

    public DtbOptions withAlign(int n) {
        return new DtbOptions(version, reserveEntries, minSize, padding, n, bootCpuid);
    }

    public DtbOptions withBootCpuid(Long id) {
        return new DtbOptions(version, reserveEntries, minSize, padding, align, id);
    }
}
