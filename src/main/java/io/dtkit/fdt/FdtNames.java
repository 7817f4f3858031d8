package io.dtkit.fdt;

import java.nio.charset.StandardCharsets;

/**
 * How node and property names map between blob bytes and Java strings (Devicetree
 * Specification 5.4 names are NUL-terminated byte strings). Blob bytes are decoded one byte to
 * one char (ISO-8859-1) so that any name survives a read/write round trip unchanged; a name with
 * a char above U+00FF (it cannot come from a blob) is encoded as UTF-8.
 */
final class FdtNames {
    private FdtNames() {
    }

    static String decode(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of {@code name} without terminator; a NUL inside would end the name early. */
    static byte[] encode(String name, String what) {
        boolean latin1 = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(what + " contains a NUL character: " + name);
            }
            if (c > 0xff) {
                latin1 = false;
            }
        }
        return name.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
