package io.dtkit.dts;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.Span;
import java.util.ArrayList;
import java.util.List;

/** Collects what the compiler finds, in the order found, and counts the errors. */
final class Diagnostics {
    /** Stops compilation at once, as dtc's die() and a failed parse do. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    final List<Diagnostic> list = new ArrayList<>();
    int errors;
    /** Set once a fatal error was raised; work in progress must not continue. */
    boolean aborted;

    /** A parser-level error, printed by dtc as {@code Error: pos message}. */
    void error(Span span, String message) {
        list.add(new Diagnostic(Severity.ERROR, null, span, null, null, message));
        errors++;
    }

    /** A lexer-level error, printed by dtc as {@code Lexical error: pos message}. */
    void lexical(Span span, String message) {
        list.add(new Diagnostic(Severity.ERROR, Diagnostic.LEXICAL, span, null, null, message));
        errors++;
    }

    /** A failed check, printed as {@code pos: ERROR (check): /path:prop: message}. */
    void check(String check, Span span, String path, String prop, String message) {
        list.add(new Diagnostic(Severity.ERROR, check, span, path, prop, message));
        errors++;
    }

    /** Appends what {@code other} collected, in order. */
    void addAll(Diagnostics other) {
        list.addAll(other.list);
        errors += other.errors;
    }

    /** A warning dtc prints as it stands (see {@link Diagnostic#PLAIN}). */
    void plainWarning(String message) {
        list.add(new Diagnostic(Severity.WARNING, Diagnostic.PLAIN, null, null, null, message));
    }

    /** Records that the scanner could not read an input, and returns the exception that stops the run. */
    Abort scannerFailed() {
        return abort(new Diagnostic(Severity.ERROR, Diagnostic.PLAIN, null, null, null, "input in flex scanner failed"));
    }

    /** A fatal error that dtc prints without ending its line (see {@link Diagnostic#UNENDED}). */
    Abort fatalUnended(String message) {
        return abort(new Diagnostic(Severity.ERROR, Diagnostic.UNENDED, null, null, null, message));
    }

    /** Records a fatal error (no position) and returns the exception that stops the run. */
    Abort fatal(String message) {
        return abort(new Diagnostic(Severity.ERROR, null, null, null, null, message));
    }

    private Abort abort(Diagnostic d) {
        aborted = true;
        list.add(d);
        errors++;
        return new Abort();
    }
}
