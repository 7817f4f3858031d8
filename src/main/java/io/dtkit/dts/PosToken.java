package io.dtkit.dts;

import io.dtkit.source.Span;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RuleContext;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.ParseTreeVisitor;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * A token with dtc's idea of its position: the file and line after cpp line markers, 1-based
 * columns, exclusive end column. Literal tokens also carry their value.
 *
 * <p>The token is also its own leaf of the parse tree when {@link BuildingParser} parses: a
 * separate leaf object per token was a sixth of all the memory a compile allocates.
 */
final class PosToken extends CommonToken implements TerminalNode {
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
    /** The rule context this token is a leaf of, once the parser has consumed it. */
    private ParseTree parent;

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
            // as the superclass reads it, without a fresh interval object per token
            ByteSource b = unreadSource();
            if (b != null) {
                t = b.text(start, stop);
            } else {
                t = source.b instanceof ByteSource ? "<EOF>" : super.getText();
            }
            text = t;
        }
        return t;
    }

    /** The source this token's text is still to be read from; null if it has its text or is the end. */
    ByteSource unreadSource() {
        return text == null && source.b instanceof ByteSource b && start < b.size() && stop < b.size()
                ? b : null;
    }

    /** The character at {@code i} of the text, read from the source while it is still there. */
    int charAt(int i) {
        ByteSource b = unreadSource();
        return b != null ? b.peek(start + i) : getText().charAt(i);
    }

    /** The text without its first {@code skipStart} and last {@code skipEnd} characters. */
    String text(int skipStart, int skipEnd) {
        ByteSource b = unreadSource();
        if (b != null) {
            return b.text(start + skipStart, stop - skipEnd);
        }
        String t = getText();
        return t.substring(skipStart, t.length() - skipEnd);
    }

    // ---------------------------------------------------------------- as a parse-tree leaf

    @Override
    public PosToken getSymbol() {
        return this;
    }

    @Override
    public ParseTree getParent() {
        return parent;
    }

    @Override
    public void setParent(RuleContext parent) {
        this.parent = parent;
    }

    @Override
    public Object getPayload() {
        return this;
    }

    @Override
    public ParseTree getChild(int i) {
        return null;
    }

    @Override
    public int getChildCount() {
        return 0;
    }

    @Override
    public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
        return visitor.visitTerminal(this);
    }

    @Override
    public Interval getSourceInterval() {
        return Interval.of(getTokenIndex(), getTokenIndex());
    }

    @Override
    public String toStringTree(Parser parser) {
        return toStringTree();
    }

    @Override
    public String toStringTree() {
        return getType() == EOF ? "<EOF>" : getText();
    }

    Span span() {
        return new Span(file, line1, col1, line2, col2);
    }
}
