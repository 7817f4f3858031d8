package io.dtkit.testsupport;

/** DTS sources built for tests: a small board, and trees of size and depth. */
public final class Sources {
    private Sources() {
    }

    /**
     * A small board with a reservation, cells, strings, a bus with a unit address and a byte
     * string of nine bytes (a value of 8 bytes or more is aligned to 8 in old blob versions).
     */
    public static final String BOARD = """
            /dts-v1/;
            /memreserve/ 0x40000000 0x10000;
            / {
            	#address-cells = <1>;
            	#size-cells = <1>;
            	model = "board";
            	chosen { bootargs = "console=ttyS0"; };
            	cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; }; };
            	memory@80000000 { device_type = "memory"; reg = <0x80000000 0x10000000>; };
            	bus { #address-cells = <1>; #size-cells = <0>; dev@1 { reg = <1>; data = [01 02 03 04 05 06 07 08 09]; }; };
            };
            """;

    /**
     * A tree of {@code depth} nodes each inside the one before ({@code n0 { n1 { ... } } }),
     * the innermost with a property {@code leaf}: {@code depth + 1} nodes with the root.
     */
    public static String nested(int depth) {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n/ {\n");
        for (int i = 0; i < depth; i++) {
            sb.append("n").append(i).append(" {\n");
        }
        sb.append("leaf;\n");
        sb.append("};\n".repeat(depth));
        sb.append("};\n");
        return sb.toString();
    }
}
