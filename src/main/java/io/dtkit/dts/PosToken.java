package io.dtkit.dts;

import io.dtkit.source.Span;
import org.antlr.v4.runtime.CommonToken;

/**
 * A token with dtc's idea of its position: the file and line after cpp line markers, 1-based
 * columns, exclusive end column. Literal tokens also carry their value.
 */
final class PosToken extends CommonToken {
    private static final long serialVersionUID = 1L;

    String file;
    String dir;
    int line1;
    int col1;
    int line2;
    int col2;
    long value;
    /** For strings: the bytes after escape processing, without the terminating NUL. */
    byte[] bytes;

    PosToken(int type, String text) {
        super(type, text);
    }

    /**
     * A token whose text is read from {@code source} when first asked for (and then kept):
     * the lexer need not copy the text of a lexeme nobody looks at.
     */
    PosToken(org.antlr.v4.runtime.misc.Pair<org.antlr.v4.runtime.TokenSource, org.antlr.v4.runtime.CharStream> source,
             int type, int channel, int start, int stop) {
        super(source, type, channel, start, stop);
    }

    /**
     * Makes this token stand for another lexeme read lazily from {@code source}, as the
     * constructor above would; only for whitespace and comments, which nothing keeps.
     */
    void reuse(org.antlr.v4.runtime.misc.Pair<org.antlr.v4.runtime.TokenSource, org.antlr.v4.runtime.CharStream> source,
               int type, int channel, int start, int stop) {
        this.source = source;
        this.type = type;
        this.channel = channel;
        this.start = start;
        this.stop = stop;
        this.text = null;
    }

    @Override
    public String getText() {
        String t = text;
        if (t == null) {
            t = super.getText();
            text = t;
        }
        return t;
    }

    Span span() {
        return new Span(file, line1, col1, line2, col2);
    }
}
