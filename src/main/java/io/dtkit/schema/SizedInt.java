package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigInteger;

/**
 * Integers decoded from a property, remembering the cell width they were read with, so that
 * dt-schema's {@code typeSize} keyword can tell {@code /bits/ 8} data from 32-bit cells
 * (issue 5 item 2).
 */
public final class SizedInt {
    private SizedInt() {
    }

    /** A JSON integer that knows its width in bits. */
    public interface Sized {
        int bits();
    }

    /** Values that fit a signed long. */
    public static final class Long extends LongNode implements Sized {
        private static final long serialVersionUID = 1L;
        private final int bits;

        Long(long v, int bits) {
            super(v);
            this.bits = bits;
        }

        @Override
        public int bits() {
            return bits;
        }
    }

    /** Unsigned 64-bit values above {@code Long.MAX_VALUE}. */
    public static final class Big extends BigIntegerNode implements Sized {
        private static final long serialVersionUID = 1L;
        private final int bits;

        Big(BigInteger v, int bits) {
            super(v);
            this.bits = bits;
        }

        @Override
        public int bits() {
            return bits;
        }
    }

    /** An integer node for {@code value} read as {@code bits} wide; unsigned 64 may go big. */
    public static JsonNode of(long value, int bits, boolean unsigned64) {
        if (unsigned64 && value < 0) {
            return new Big(new BigInteger(java.lang.Long.toUnsignedString(value)), bits);
        }
        return new Long(value, bits);
    }

    /** The width of an integer node; plain JSON integers count as 32-bit cells. */
    public static int bitsOf(JsonNode n) {
        return n instanceof Sized s ? s.bits() : 32;
    }
}
