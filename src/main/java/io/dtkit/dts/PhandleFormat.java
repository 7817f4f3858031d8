package io.dtkit.dts;

/**
 * Which phandle properties the compiler adds to a node when a reference needs its phandle
 * (dtc's {@code -H legacy|epapr|both}; Devicetree Specification 2.3.3 "phandle").
 */
public enum PhandleFormat {
    /** Only {@code linux,phandle}. */
    LEGACY(true, false),
    /** Only {@code phandle} (dtc's default). */
    EPAPR(false, true),
    /** {@code linux,phandle} followed by {@code phandle}. */
    BOTH(true, true);

    private final boolean legacy;
    private final boolean epapr;

    PhandleFormat(boolean legacy, boolean epapr) {
        this.legacy = legacy;
        this.epapr = epapr;
    }

    boolean legacy() {
        return legacy;
    }

    boolean epapr() {
        return epapr;
    }
}
