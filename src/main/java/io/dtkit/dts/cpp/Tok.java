package io.dtkit.dts.cpp;

/**
 * One preprocessing token (C11 6.4). Tokens are shared between contexts, so a change of flags
 * makes a copy; only the lexer sets {@link #src} and {@link #off}, right after creating one.
 * {@code line}, {@code col} (in bytes) and {@code file} are the presumed position of its spelling.
 */
final class Tok {
    static final int PREV_WHITE = 1;
    static final int BOL = 2;
    static final int NO_EXPAND = 4;
    static final int PASTE_LEFT = 8;
    static final int STRINGIFY = 16;
    static final int DIGRAPH = 32;

    final TokType type;
    final String text;
    final int flags;
    final String file;
    final int line;
    final int col;
    /** For padding: the token whose whitespace decides spacing (may be null). */
    final Tok source;
    /** For macro arguments: the parameter index. */
    final int argNo;
    /** Where the token was read (for diagnostics); null for tokens made by the preprocessor. */
    Lexer src;
    int off;

    Tok(TokType type, String text, int flags, String file, int line, int col, Tok source, int argNo) {
        this.type = type;
        this.text = text;
        this.flags = flags;
        this.file = file;
        this.line = line;
        this.col = col;
        this.source = source;
        this.argNo = argNo;
    }

    Tok(TokType type, String text, int flags, String file, int line, int col) {
        this(type, text, flags, file, line, col, null, 0);
    }

    static Tok padding(Tok source) {
        return new Tok(TokType.PADDING, "", 0, null, 0, 0, source, 0);
    }

    Tok withFlags(int newFlags) {
        if (newFlags == flags) {
            return this;
        }
        Tok t = new Tok(type, text, newFlags, file, line, col, source, argNo);
        t.src = src;
        t.off = off;
        return t;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The column diagnostics show for this token (tabs expanded as compilers do). */
    int displayCol() {
        return src != null ? src.displayCol(off) : col;
    }

    /** The token as it is written in the output. */
    String spell() {
        return text;
    }

    @Override
    public String toString() {
        return type + "(" + text + ")";
    }
}
