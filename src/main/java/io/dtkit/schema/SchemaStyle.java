package io.dtkit.schema;

/**
 * The two generations of dt-schema's core types (issue 5 item 2). They differ in the JSON shape
 * a decoded integer property takes, so the decoder follows the loaded {@code types.yaml}.
 */
public enum SchemaStyle {
    /**
     * dt-schema up to 2022 (Debian's package): every integer property is a matrix, a single
     * {@code uint32} is {@code [[n]]}, and {@code typeSize} sits on the array.
     */
    LEGACY_MATRIX,
    /**
     * Current dt-schema: {@code uint32} is an integer, {@code uint32-array} a flat array,
     * {@code *-matrix}, {@code phandle-array} and {@code address} are arrays of rows.
     */
    MODERN;
}
