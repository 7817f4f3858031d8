package io.dtkit.kdump;

/**
 * The one exception of the kdump layer (issue 4): a closed {@link Refusal} reason and a
 * message that starts with {@code refused (<reason>):} and names the value at fault.
 */
public class KdumpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Refusal reason;

    public KdumpException(Refusal reason, String format, Object... args) {
        super("refused (" + reason.word() + "): " + String.format(format, args));
        this.reason = reason;
    }

    public KdumpException(Refusal reason, Throwable cause, String format, Object... args) {
        this(reason, format, args);
        initCause(cause);
    }

    public Refusal reason() {
        return reason;
    }
}
