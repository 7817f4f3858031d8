package io.dtkit.source;

import java.util.List;

/**
 * One problem found in a device tree or its source: data, not text. {@code check} is the
 * dtc-style check name (e.g. {@code duplicate_label}) or {@code null} for plain syntax errors;
 * {@code span}, {@code nodePath} and {@code property} are {@code null} when not known.
 */
public record Diagnostic(Severity severity, String check, Span span, String nodePath,
                         String property, String message) {
    /** The {@code check} of errors found while splitting source text into tokens. */
    public static final String LEXICAL = "lexical";

    /**
     * The {@code check} of messages that dtc writes as they stand, outside its position and
     * check formats and whatever {@code -q} says: the scanner's failure to read an input it
     * opened (an {@code /include/} naming a directory; an error, and dtc exits with status 2)
     * and the warning about a label that {@code /aliases} already has.
     */
    public static final String PLAIN = "plain";

    /**
     * The {@code check} of fatal errors whose line dtc does not end: its format for them has no
     * newline (reading a file into data, seeking in it), so what follows starts on the same line.
     */
    public static final String UNENDED = "unended";

    /** True for a message of one of dtc's named checks (not the lexer's, not a plain one). */
    public boolean fromCheck() {
        return check != null && !LEXICAL.equals(check) && !PLAIN.equals(check) && !UNENDED.equals(check);
    }

    /** What starts each line {@link #alsoDefinedAt} adds to a message. */
    private static final String ALSO_DEFINED_AT = "\n  also defined at ";

    /**
     * A node's message followed by a line for every other place the source defined the node,
     * as dtc's checks print it.
     */
    public static String alsoDefinedAt(String message, List<Span> others) {
        if (others.isEmpty()) {
            return message;
        }
        StringBuilder sb = new StringBuilder(message);
        for (Span also : others) {
            sb.append(ALSO_DEFINED_AT).append(also);
        }
        return sb.toString();
    }

    /**
     * This check diagnostic with its node path, property and message (the text taken from the
     * tree, one byte per char) as {@link FileNameText#display} shows them, so that a message
     * writer puts out the bytes the tree holds; the lines naming other places the node was
     * defined name source files, which are text already.
     */
    public Diagnostic withTreeTextAsBytes() {
        int also = message.indexOf(ALSO_DEFINED_AT);
        String m = also < 0 ? FileNameText.display(message)
                : FileNameText.display(message.substring(0, also)) + message.substring(also);
        return new Diagnostic(severity, check, span, nodePath == null ? null : FileNameText.display(nodePath),
                property == null ? null : FileNameText.display(property), m);
    }

    /**
     * Renders the diagnostic the way dtc does:
     * {@code pos: Warning (check): /path:prop: message}. Source-text errors with a position
     * but no check (syntax errors) read {@code Error: pos message}, and lexical ones
     * {@code Lexical error: pos message}, as dtc's parser and lexer print them.
     */
    public String render() {
        if (PLAIN.equals(check)) {
            return message;
        }
        if (UNENDED.equals(check)) {
            return new Diagnostic(severity, null, span, nodePath, property, message).render();
        }
        StringBuilder sb = new StringBuilder();
        if (span != null && nodePath == null && (check == null || LEXICAL.equals(check))) {
            String word = check != null ? "Lexical error"
                    : severity == Severity.ERROR ? "Error" : "Warning";
            return sb.append(word).append(": ").append(span).append(' ').append(message).toString();
        }
        if (span != null) {
            sb.append(span).append(": ");
        }
        sb.append(severity.dtcWord());
        if (check != null) {
            sb.append(" (").append(check).append(")");
        }
        sb.append(": ");
        if (nodePath != null) {
            sb.append(nodePath);
            if (property != null) {
                sb.append(':').append(property);
            }
            sb.append(": ");
        }
        sb.append(message);
        return sb.toString();
    }
}
