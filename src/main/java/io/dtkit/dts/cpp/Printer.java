package io.dtkit.dts.cpp;

/**
 * Writes the token stream as text the way cpp does: each source line's first token indented
 * to its column, one space where the source had white space or where two tokens would
 * otherwise lex as one, short runs of blank lines kept, and {@code # LINE "FILE" FLAGS}
 * markers for longer jumps and for entering (1) and leaving (2) included files.
 */
final class Printer {
    private final boolean markers;
    private final StringBuilder out = new StringBuilder();
    /** Whether a line of text has been started and not yet ended. */
    private boolean printed;
    /** The source line the output is at. */
    private int srcLine;
    private String srcFile;
    /** The last token printed on the current line (null at its start). */
    private Tok prev;
    /** The token whose white space decides the spacing of the next one, from padding. */
    private Tok source;
    private boolean avoid;

    Printer(boolean markers) {
        this.markers = markers;
    }

    void start(String mainFile) {
        if (markers) {
            String q = quote(mainFile);
            out.append("# 0 ").append(q).append("\n# 0 \"<built-in>\"\n# 0 \"<command-line>\"\n# 1 ")
                    .append(q).append('\n');
        }
        srcLine = 1;
        srcFile = mainFile;
    }

    /** Prints one token (padding tokens only influence spacing). */
    void print(Tok t) {
        if (t.type == TokType.PADDING) {
            avoid = true;
            if (source == null || (!source.has(Tok.PREV_WHITE) && t.source == null)) {
                source = t.source;
            }
            return;
        }
        if (avoid) {
            if (source == null) {
                source = t;
            }
            if (source.has(Tok.PREV_WHITE) || (prev != null && avoidPaste(prev, t))
                    || (prev == null && t.type == TokType.HASH)) {
                out.append(' ');
            }
        } else if (t.has(Tok.PREV_WHITE)) {
            out.append(' ');
        }
        avoid = false;
        source = null;
        prev = t;
        out.append(t.text);
    }

    void finish() {
        if (printed) {
            out.append('\n');
        }
    }

    String text() {
        return out.toString();
    }

    static String quote(String name) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c == '"') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Whether printing {@code b} right after {@code a} would change how they lex. */
    private static boolean avoidPaste(Tok a, Tok b) {
        TokType ta = a.type;
        TokType tb = b.type;
        char c = tb.isOperator() ? b.text.charAt(0) : 0;
        if (ta.pastesWithEq() && c == '=') {
            return true;
        }
        switch (ta) {
            case GREATER: return c == '>';
            case LESS: return c == '<' || c == '%' || c == ':';
            case LESS_EQ: return c == '>';
            case PLUS: return c == '+';
            case MINUS: return c == '-' || c == '>';
            case DIV: return c == '/' || c == '*';
            case MOD: return c == ':' || c == '%';
            case AND: return c == '&';
            case OR: return c == '|';
            case COLON: return c == ':' || c == '>';
            case DEREF: return c == '*';
            case DOT: return c == '.' || c == '%' || tb == TokType.NUMBER;
            case HASH: return c == '#' || c == '%';
            case NAME: return tb == TokType.NAME || plainQuote(b)
                    || (tb == TokType.NUMBER && continuesName(b.text));
            case NUMBER: return tb == TokType.NUMBER || tb == TokType.NAME
                    || (tb == TokType.CHAR && plainQuote(b)) || c == '.' || c == '+' || c == '-';
            case OTHER: return a.text.charAt(0) == '\\' && tb == TokType.NAME;
            default: return false;
        }
    }

    /** A string or character constant without an encoding prefix (cpp's CPP_STRING / CPP_CHAR). */
    private static boolean plainQuote(Tok t) {
        return (t.type == TokType.STRING || t.type == TokType.CHAR) && (t.text.charAt(0) == '"' || t.text.charAt(0) == '\'');
    }

    /** Whether a number spelled {@code s} would merge into a preceding identifier. */
    private static boolean continuesName(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Lexer.isIdChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The first token of a source line: move to its line and indent it to its column. */
    void lineChange(Tok t) {
        maybePrintLine(t.line, t.file);
        prev = null;
        source = null;
        printed = true;
        for (int i = t.col - 2; i > 0; i--) {
            out.append(' ');
        }
    }

    /** Ends the current output line and gets to {@code line} with newlines or a marker. */
    void maybePrintLine(int line, String file) {
        if (printed) {
            out.append('\n');
            srcLine++;
            printed = false;
        }
        if (markers && line >= srcLine && line < srcLine + 8 && file.equals(srcFile)) {
            while (line > srcLine) {
                out.append('\n');
                srcLine++;
            }
        } else {
            printLine(line, file, "");
        }
    }

    /** Writes a line marker (only ends the current line without markers). */
    void printLine(int line, String file, String flags) {
        if (printed) {
            out.append('\n');
        }
        printed = false;
        if (markers) {
            srcLine = line;
            srcFile = file;
            out.append("# ").append(line).append(' ').append(quote(file)).append(flags).append('\n');
        }
    }
}
