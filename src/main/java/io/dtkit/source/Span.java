package io.dtkit.source;

/**
 * A stretch of source text, 1-based, with an exclusive end column, as dtc's {@code srcpos}
 * records it. Rendered the way dtc prints positions: {@code file:line.col-col},
 * {@code file:line.col-line.col} or {@code file:line.col}.
 */
public record Span(String file, int firstLine, int firstColumn, int lastLine, int lastColumn) {

    /**
     * A position that names only a file (dtc prints the output file name where a message has
     * no source position, e.g. for blob input or a failed prerequisite). Rendered as the bare
     * name; its line and column are -1 (line 0 is a real position: dtc reports an empty
     * file's syntax error at {@code file:0.0}).
     */
    public static Span fileOnly(String file) {
        return new Span(file, -1, -1, -1, -1);
    }

    /** True for a {@link #fileOnly} position. */
    public boolean isFileOnly() {
        return firstLine < 0;
    }

    /** A span that covers one point. */
    public static Span at(String file, int line, int column) {
        return new Span(file, line, column, line, column);
    }

    /** The smallest span covering this one and {@code other} (assumed to follow it). */
    public Span to(Span other) {
        return new Span(file, firstLine, firstColumn, other.lastLine, other.lastColumn);
    }

    /** dtc's rendering of a position. */
    @Override
    public String toString() {
        if (isFileOnly()) {
            return file;
        }
        if (firstLine != lastLine) {
            return file + ":" + firstLine + "." + firstColumn + "-" + lastLine + "." + lastColumn;
        }
        if (firstColumn != lastColumn) {
            return file + ":" + firstLine + "." + firstColumn + "-" + lastColumn;
        }
        return file + ":" + firstLine + "." + firstColumn;
    }
}
