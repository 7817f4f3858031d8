package io.dtkit.testsupport;

/** DTS sources built for tests of size and depth. */
public final class Sources {
    private Sources() {
    }

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
