package io.dtkit.source;

import java.io.IOException;
import java.util.List;

/**
 * The root of every failure to read device-tree source. Carries the diagnostics that made
 * the input unusable, each with its position.
 */
public class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    public SourceException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid source" : diagnostics.get(0).render());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public SourceException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    /** Every diagnostic collected before giving up, in the order found. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
