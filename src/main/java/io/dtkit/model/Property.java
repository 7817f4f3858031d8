package io.dtkit.model;

import io.dtkit.source.Span;
import java.util.List;
import java.util.Objects;

/**
 * An immutable property: name, value, the labels put on it in the source, and where it was
 * defined ({@code null} when it came from a blob).
 */
public record Property(String name, Value value, List<String> labels, Span span) {
    public Property {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        labels = List.copyOf(labels);
    }

    public static Property of(String name, Value value) {
        return new Property(name, value, List.of(), null);
    }

    public Property withValue(Value newValue) {
        return new Property(name, newValue, labels, span);
    }
}
