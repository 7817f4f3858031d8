package io.dtkit.validate;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import java.util.List;

/**
 * What validating one input found (issue 5 item 5): the input's name and every diagnostic in
 * order. {@code failure} is set instead when the input could not be read or compiled.
 */
public record Report(String file, List<Diagnostic> diagnostics, String failure) {
    public Report {
        diagnostics = List.copyOf(diagnostics);
    }

    public static Report of(String file, List<Diagnostic> diagnostics) {
        return new Report(file, diagnostics, null);
    }

    /** An input that could not be validated at all. */
    public static Report unreadable(String file, String why) {
        return new Report(file, List.of(), why);
    }

    public long errors() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    }

    public long warnings() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
    }

    /** True when nothing at all was reported and the input was read. */
    public boolean clean() {
        return failure == null && diagnostics.isEmpty();
    }
}
