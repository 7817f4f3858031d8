package io.dtkit.dts.cpp;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one source buffer into preprocessing tokens (C11 5.1.1.2 phases 1-3) the way GCC does
 * for {@code -x assembler-with-cpp}: line splices removed first, comments become white space,
 * an unterminated quote runs to the end of its line as one "other" token, and there are no
 * digraphs.
 */
final class Lexer {
    /** Raised for problems found while lexing; the engine turns it into a diagnostic. */
    interface Sink {
        void lexError(String file, int line, int col, String message);
    }

    private final char[] text;
    private final int end;
    /** Cleaned offsets at which each physical line starts (index = line - 1). */
    private final int[] lineStarts;
    private final int lineCount;
    private int lineIdx;
    private int pos;
    private boolean bol = true;
    private final Sink sink;

    /** Name used in positions; changed by {@code #line}. */
    String presumedName;
    /** Added to the physical line number; changed by {@code #line}. */
    int lineDelta;

    Lexer(String raw, String name, Sink sink) {
        this.sink = sink;
        this.presumedName = name;
        int n = raw.length();
        StringBuilder sb = new StringBuilder(n + 1);
        int[] starts = new int[16];
        int count = 1;
        int i = 0;
        if (n >= 3 && raw.charAt(0) == 0xEF && raw.charAt(1) == 0xBB && raw.charAt(2) == 0xBF) {
            i = 3;
        }
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '\\') {
                int j = i + 1;
                while (j < n && (raw.charAt(j) == ' ' || raw.charAt(j) == '\t' || raw.charAt(j) == '\f'
                        || raw.charAt(j) == 0x0B)) {
                    j++;
                }
                int next = -1;
                if (j < n && raw.charAt(j) == '\n') {
                    next = j + 1;
                } else if (j < n && raw.charAt(j) == '\r') {
                    next = (j + 1 < n && raw.charAt(j + 1) == '\n') ? j + 2 : j + 1;
                }
                if (next >= 0) {
                    if (count == starts.length) {
                        starts = java.util.Arrays.copyOf(starts, count * 2);
                    }
                    starts[count++] = sb.length();
                    i = next;
                    continue;
                }
            }
            if (c == '\r') {
                if (i + 1 < n && raw.charAt(i + 1) == '\n') {
                    i++;
                }
                c = '\n';
            }
            sb.append(c);
            if (c == '\n') {
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = sb.length();
            }
            i++;
        }
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\n') {
            // a missing final newline is supplied, and the line after it counted as cpp does
            sb.append('\n');
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = sb.length();
        }
        this.text = sb.toString().toCharArray();
        this.end = text.length;
        this.lineStarts = starts;
        this.lineCount = count;
    }

    /** Physical line (1-based) of a cleaned offset; offsets only grow, so a cursor suffices. */
    private int physLine(int off) {
        while (lineIdx + 1 < lineCount && lineStarts[lineIdx + 1] <= off) {
            lineIdx++;
        }
        while (lineIdx > 0 && lineStarts[lineIdx] > off) {
            lineIdx--;
        }
        return lineIdx + 1;
    }

    /**
     * The column a compiler's diagnostics show for {@code off}: tabs advance to the next
     * multiple of 8 and UTF-8 continuation bytes take no room.
     */
    int displayCol(int off) {
        int idx = java.util.Arrays.binarySearch(lineStarts, 0, lineCount, off);
        if (idx < 0) {
            idx = -idx - 2;
        }
        while (idx + 1 < lineCount && lineStarts[idx + 1] == lineStarts[idx] && lineStarts[idx + 1] <= off) {
            idx++;
        }
        int col = 0;
        for (int i = lineStarts[Math.max(idx, 0)]; i < off && i < end; i++) {
            char c = text[i];
            if (c == '\t') {
                col = (col / 8 + 1) * 8;
            } else if (c < 0x80 || c >= 0xC0) {
                col++;
            }
        }
        return col + 1;
    }

    private int colOf(int off) {
        physLine(off);
        return off - lineStarts[lineIdx] + 1;
    }

    /** The presumed line of the next character to be read. */
    int currentLine() {
        return physLine(pos) + lineDelta;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** True when the next unread character ends the current line. */
    boolean atNewline() {
        return pos < end && text[pos] == '\n';
    }

    /** Consumes the newline that ended a directive so that the next token starts a line. */
    void consumeNewline() {
        if (pos < end && text[pos] == '\n') {
            pos++;
            bol = true;
        }
    }

    private Tok make(TokType t, int start, int flags) {
        String s = new String(text, start, pos - start);
        int line = physLine(start);
        Tok tok = new Tok(t, s, flags, presumedName, line + lineDelta, start - lineStarts[lineIdx] + 1);
        tok.src = this;
        tok.off = start;
        return tok;
    }

    /**
     * Returns the next token, an EOF token at the end of a line when {@code inDirective}, or
     * {@code null} at the end of the buffer.
     *
     * @param argLines true while collecting macro arguments (a new line counts as white space)
     */
    Tok next(boolean inDirective, boolean angledHeaders, boolean argLines) {
        int flags = 0;
        for (;;) {
            if (pos >= end) {
                return null;
            }
            char c = text[pos];
            if (c == '\n') {
                if (inDirective) {
                    Tok eof = new Tok(TokType.EOF, "", flags, presumedName, physLine(pos) + lineDelta, colOf(pos));
                    eof.src = this;
                    eof.off = pos;
                    return eof;
                }
                pos++;
                bol = true;
                flags = argLines ? Tok.PREV_WHITE : 0;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B || c == 0) {
                pos++;
                flags |= Tok.PREV_WHITE;
                continue;
            }
            if (c == '/' && pos + 1 < end && text[pos + 1] == '*') {
                int start = pos;
                int close = indexOf("*/", pos + 2);
                if (close < 0) {
                    sink.lexError(presumedName, physLine(start) + lineDelta, displayCol(start), "unterminated comment");
                    pos = end - 1; // keep the final newline
                } else {
                    pos = close + 2;
                }
                flags |= Tok.PREV_WHITE;
                continue;
            }
            if (c == '/' && pos + 1 < end && text[pos + 1] == '/') {
                while (pos < end && text[pos] != '\n') {
                    pos++;
                }
                flags |= Tok.PREV_WHITE;
                continue;
            }
            break;
        }
        if (bol) {
            flags |= Tok.BOL;
            bol = false;
        }
        return lexToken(flags, angledHeaders);
    }

    private int indexOf(String s, int from) {
        outer:
        for (int i = from; i + s.length() <= end; i++) {
            for (int k = 0; k < s.length(); k++) {
                if (text[i + k] != s.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private char at(int i) {
        return i < end ? text[i] : '\n';
    }

    static boolean isIdStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    static boolean isIdChar(char c) {
        return isIdStart(c) || (c >= '0' && c <= '9');
    }

    private Tok lexToken(int flags, boolean angledHeaders) {
        int start = pos;
        char c = text[pos];
        if ((c >= '0' && c <= '9') || (c == '.' && at(pos + 1) >= '0' && at(pos + 1) <= '9')) {
            pos++;
            lexNumberTail();
            return make(TokType.NUMBER, start, flags);
        }
        if (isIdStart(c)) {
            // string and character prefixes
            if (c == 'L' || c == 'U' || c == 'u') {
                int q = pos + 1;
                if (c == 'u' && at(q) == '8') {
                    q++;
                }
                char qc = at(q);
                if (qc == '"' || (qc == '\'' && q == pos + 1)) {
                    pos = q;
                    return lexQuoted(start, qc, flags);
                }
            }
            while (pos < end && isIdChar(text[pos])) {
                pos++;
            }
            return make(TokType.NAME, start, flags);
        }
        if (c == '"' || c == '\'') {
            return lexQuoted(start, c, flags);
        }
        if (c == '<' && angledHeaders) {
            int i = pos + 1;
            while (i < end && text[i] != '>' && text[i] != '\n') {
                i++;
            }
            if (i < end && text[i] == '>') {
                pos = i + 1;
                return make(TokType.HEADER_NAME, start, flags);
            }
        }
        return lexPunct(start, flags);
    }

    private void lexNumberTail() {
        while (pos < end) {
            char c = text[pos];
            if (isIdChar(c) || c == '.') {
                pos++;
            } else if ((c == '+' || c == '-') && "eEpP".indexOf(text[pos - 1]) >= 0) {
                pos++;
            } else {
                break;
            }
        }
    }

    private Tok lexQuoted(int start, char q, int flags) {
        int i = pos + 1;
        while (i < end) {
            char c = text[i];
            if (c == '\\' && i + 1 < end && text[i + 1] != '\n') {
                i += 2;
                continue;
            }
            if (c == '\n') {
                break;
            }
            if (c == q) {
                pos = i + 1;
                return make(q == '"' ? TokType.STRING : TokType.CHAR, start, flags);
            }
            i++;
        }
        // assembler sources may contain a lone quote: the rest of the line is one token
        pos = i;
        return make(TokType.OTHER, start, flags);
    }

    private Tok lexPunct(int start, int flags) {
        char c = text[pos];
        char c1 = at(pos + 1);
        char c2 = at(pos + 2);
        TokType t;
        int len = 1;
        int f = flags;
        switch (c) {
            case '=' -> { if (c1 == '=') { t = TokType.EQ_EQ; len = 2; } else { t = TokType.EQ; } }
            case '!' -> { if (c1 == '=') { t = TokType.NOT_EQ; len = 2; } else { t = TokType.NOT; } }
            case '>' -> {
                if (c1 == '>') {
                    if (c2 == '=') { t = TokType.RSHIFT_EQ; len = 3; } else { t = TokType.RSHIFT; len = 2; }
                } else if (c1 == '=') { t = TokType.GREATER_EQ; len = 2; } else { t = TokType.GREATER; }
            }
            case '<' -> {
                if (c1 == '<') {
                    if (c2 == '=') { t = TokType.LSHIFT_EQ; len = 3; } else { t = TokType.LSHIFT; len = 2; }
                } else if (c1 == '=') { t = TokType.LESS_EQ; len = 2;
                } else { t = TokType.LESS; }
            }
            case '+' -> {
                if (c1 == '+') { t = TokType.PLUS_PLUS; len = 2; }
                else if (c1 == '=') { t = TokType.PLUS_EQ; len = 2; } else { t = TokType.PLUS; }
            }
            case '-' -> {
                if (c1 == '-') { t = TokType.MINUS_MINUS; len = 2; }
                else if (c1 == '=') { t = TokType.MINUS_EQ; len = 2; }
                else if (c1 == '>') { t = TokType.DEREF; len = 2; } else { t = TokType.MINUS; }
            }
            case '*' -> { if (c1 == '=') { t = TokType.MULT_EQ; len = 2; } else { t = TokType.MULT; } }
            case '/' -> { if (c1 == '=') { t = TokType.DIV_EQ; len = 2; } else { t = TokType.DIV; } }
            case '%' -> {
                if (c1 == '=') { t = TokType.MOD_EQ; len = 2; } else { t = TokType.MOD; }
            }
            case '&' -> {
                if (c1 == '&') { t = TokType.AND_AND; len = 2; }
                else if (c1 == '=') { t = TokType.AND_EQ; len = 2; } else { t = TokType.AND; }
            }
            case '|' -> {
                if (c1 == '|') { t = TokType.OR_OR; len = 2; }
                else if (c1 == '=') { t = TokType.OR_EQ; len = 2; } else { t = TokType.OR; }
            }
            case '^' -> { if (c1 == '=') { t = TokType.XOR_EQ; len = 2; } else { t = TokType.XOR; } }
            case '~' -> t = TokType.COMPL;
            case '?' -> t = TokType.QUERY;
            case ':' -> t = TokType.COLON;
            case ',' -> t = TokType.COMMA;
            case '(' -> t = TokType.OPEN_PAREN;
            case ')' -> t = TokType.CLOSE_PAREN;
            case '[' -> t = TokType.OPEN_SQUARE;
            case ']' -> t = TokType.CLOSE_SQUARE;
            case '{' -> t = TokType.OPEN_BRACE;
            case '}' -> t = TokType.CLOSE_BRACE;
            case ';' -> t = TokType.SEMICOLON;
            case '#' -> { if (c1 == '#') { t = TokType.PASTE; len = 2; } else { t = TokType.HASH; } }
            case '.' -> { if (c1 == '.' && c2 == '.') { t = TokType.ELLIPSIS; len = 3; } else { t = TokType.DOT; } }
            default -> t = TokType.OTHER;
        }
        pos += len;
        return make(t, start, f);
    }

    /**
     * Lexes {@code s} as exactly one token (used for {@code ##}); null if it is not one token.
     */
    static Tok lexOne(String s, Tok pos) {
        List<String> errs = new ArrayList<>();
        Lexer lx = new Lexer(s, pos.file, (f, l, c, m) -> errs.add(m));
        Tok t = lx.next(true, false, false);
        if (t == null || t.type == TokType.EOF || t.has(Tok.PREV_WHITE) || !lx.atNewline() || !errs.isEmpty()) {
            return null;
        }
        return new Tok(t.type, t.text, t.flags & Tok.DIGRAPH, pos.file, pos.line, pos.col);
    }
}
