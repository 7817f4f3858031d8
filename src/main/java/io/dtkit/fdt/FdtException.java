package io.dtkit.fdt;

import java.io.IOException;

/**
 * The one exception type of the blob layer: a closed {@link FdtError} code, the blob offset
 * the problem was found at ({@code -1} when there is none) and a message naming what was
 * expected and what was found.
 */
public class FdtException extends IOException {
    private static final long serialVersionUID = 1L;

    private final FdtError error;
    private final long offset;
    private final String detail;

    public FdtException(FdtError error, long offset, String format, Object... args) {
        this(error, offset, String.format(format, args));
    }

    private FdtException(FdtError error, long offset, String detail) {
        super(error.text() + ": " + detail);
        this.error = error;
        this.offset = offset;
        this.detail = detail;
    }

    /** The message without the code's text in front. */
    public String detail() {
        return detail;
    }

    public FdtError error() {
        return error;
    }

    public long offset() {
        return offset;
    }
}
