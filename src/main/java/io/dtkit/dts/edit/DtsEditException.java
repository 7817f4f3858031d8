package io.dtkit.dts.edit;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.source.Span;

/**
 * A refused DTS source edit: an {@link DtsEditError} code, the position it concerns
 * ({@code file:line}, or {@code null} when there is none) and a readable message.
 */
public final class DtsEditException extends SourceException {
    private static final long serialVersionUID = 1L;

    private final DtsEditError error;
    private final transient Span span;

    public DtsEditException(DtsEditError error, Span span, String format, Object... args) {
        super(new Diagnostic(Severity.ERROR, null, span, null, null, String.format(format, args)));
        this.error = error;
        this.span = span;
    }

    public DtsEditError error() {
        return error;
    }

    /** Where the problem is, or {@code null}. */
    public Span span() {
        return span;
    }

    @Override
    public String getMessage() {
        String msg = diagnostics().get(0).message();
        if (span == null) {
            return msg;
        }
        String where = span.isFileOnly() ? span.file() : span.file() + ":" + span.firstLine();
        return msg.contains(where) ? msg : where + ": " + msg; // refusals already name the place
    }
}
