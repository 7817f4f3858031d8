package io.dtkit.model;

import java.util.List;

/**
 * One entry of the memory reservation block (Devicetree Specification 5.3), with the labels
 * the source gave its {@code /memreserve/}. Address and size are unsigned 64-bit values.
 */
public record Reservation(long address, long size, List<String> labels) {
    public Reservation {
        labels = List.copyOf(labels);
    }

    public static Reservation of(long address, long size) {
        return new Reservation(address, size, List.of());
    }
}
