package io.dtkit.dts.edit;

/**
 * A tolerant tokenizer for raw DTS source (before the C preprocessor): it knows comments,
 * strings, preprocessor lines, labels, references and punctuation, and treats everything else
 * (macro names, numbers, expressions) as opaque words. Tokens are stored in parallel arrays
 * so that a 100k-node file costs a few int arrays, not an object per token.
 */
final class Tokens {
    static final int EOF = 0;
    static final int WORD = 1;
    static final int LABEL = 2;     // name: (end includes the colon)
    static final int REF = 3;       // &label
    static final int PATHREF = 4;   // &{/path}
    static final int STRING = 5;
    static final int CHAR = 6;
    static final int KEYWORD = 7;   // /delete-node/ and friends
    static final int LBRACE = 8;
    static final int RBRACE = 9;
    static final int SEMI = 10;
    static final int EQ = 11;
    static final int LT = 12;
    static final int GT = 13;
    static final int LBRACK = 14;
    static final int RBRACK = 15;
    static final int LPAREN = 16;
    static final int RPAREN = 17;
    static final int SLASH = 18;
    static final int PP = 19;       // a whole preprocessor line (with continuations)
    static final int OTHER = 20;

    private static final String[] DIRECTIVES = {"include", "define", "undef", "if", "ifdef",
        "ifndef", "elif", "else", "endif", "error", "warning", "pragma", "line", "include_next"};

    final SourceFile file;
    int count;
    int[] kind;
    int[] start;
    int[] end;

    private Tokens(SourceFile file) {
        this.file = file;
        int cap = Math.max(16, file.text.length() / 4);
        kind = new int[cap];
        start = new int[cap];
        end = new int[cap];
    }

    String text(int i) {
        return file.text.substring(start[i], end[i]);
    }

    private void add(int k, int s, int e) {
        if (count == kind.length) {
            int cap = kind.length * 2;
            kind = java.util.Arrays.copyOf(kind, cap);
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
        }
        kind[count] = k;
        start[count] = s;
        end[count] = e;
        count++;
    }

    static boolean nameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == ',' || c == '.' || c == '_' || c == '+' || c == '*' || c == '#'
                || c == '?' || c == '@' || c == '-';
    }

    static boolean labelStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean labelChar(char c) {
        return labelStart(c) || (c >= '0' && c <= '9');
    }

    static Tokens scan(SourceFile file) throws DtsEditException {
        Tokens t = new Tokens(file);
        String s = file.text;
        int n = s.length();
        int i = 0;
        boolean lineStart = true;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                lineStart = true;
                i++;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b) {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int e = s.indexOf("*/", i + 2);
                if (e < 0) {
                    throw new DtsEditException(DtsEditError.PARSE, file.span(i), "unterminated comment");
                }
                i = e + 2;
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int e = s.indexOf('\n', i);
                i = e < 0 ? n : e;
                continue;
            }
            boolean wasLineStart = lineStart;
            lineStart = false;
            int b = i;
            if (c == '#' && wasLineStart && isDirective(s, i + 1)) {
                i = endOfPreprocessorLine(s, i);
                t.add(PP, b, i);
                continue;
            }
            switch (c) {
                case '"' -> {
                    i = endOfQuoted(file, s, i, '"');
                    t.add(STRING, b, i);
                }
                case '\'' -> {
                    int e = charLiteralEnd(s, i);
                    if (e < 0) {
                        t.add(OTHER, b, ++i);
                    } else {
                        i = e;
                        t.add(CHAR, b, i);
                    }
                }
                case '/' -> {
                    int j = i + 1;
                    while (j < n && ((s.charAt(j) >= 'a' && s.charAt(j) <= 'z') || s.charAt(j) == '-'
                            || (s.charAt(j) >= 'A' && s.charAt(j) <= 'Z'))) {
                        j++;
                    }
                    if (j > i + 1 && j < n && s.charAt(j) == '/') {
                        i = j + 1;
                        t.add(KEYWORD, b, i);
                    } else {
                        t.add(SLASH, b, ++i);
                    }
                }
                case '&' -> {
                    if (i + 1 < n && s.charAt(i + 1) == '{') {
                        int e = s.indexOf('}', i + 2);
                        if (e < 0) {
                            throw new DtsEditException(DtsEditError.PARSE, file.span(i), "unterminated path reference");
                        }
                        i = e + 1;
                        t.add(PATHREF, b, i);
                    } else if (i + 1 < n && labelStart(s.charAt(i + 1))) {
                        i += 2;
                        while (i < n && labelChar(s.charAt(i))) {
                            i++;
                        }
                        t.add(REF, b, i);
                    } else {
                        t.add(OTHER, b, ++i);
                    }
                }
                case '{' -> t.add(LBRACE, b, ++i);
                case '}' -> t.add(RBRACE, b, ++i);
                case ';' -> t.add(SEMI, b, ++i);
                case '=' -> t.add(EQ, b, ++i);
                case '<' -> t.add(LT, b, ++i);
                case '>' -> t.add(GT, b, ++i);
                case '[' -> t.add(LBRACK, b, ++i);
                case ']' -> t.add(RBRACK, b, ++i);
                case '(' -> t.add(LPAREN, b, ++i);
                case ')' -> t.add(RPAREN, b, ++i);
                default -> {
                    if (nameChar(c)) {
                        int j = i;
                        while (j < n && nameChar(s.charAt(j))) {
                            j++;
                        }
                        if (j < n && s.charAt(j) == ':' && isLabel(s, i, j)) {
                            i = j + 1;
                            t.add(LABEL, b, i);
                        } else {
                            i = j;
                            t.add(WORD, b, i);
                        }
                    } else {
                        t.add(OTHER, b, ++i);
                    }
                }
            }
        }
        // a few EOF tokens so that look-ahead past the end never leaves the arrays
        for (int k = 0; k < 4; k++) {
            t.add(EOF, n, n);
        }
        return t;
    }

    private static boolean isLabel(String s, int from, int to) {
        if (!labelStart(s.charAt(from))) {
            return false;
        }
        for (int k = from + 1; k < to; k++) {
            if (!labelChar(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDirective(String s, int i) {
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            return true; // "# 12 "file"" line marker
        }
        int j = i;
        while (j < n && Tokens.nameChar(s.charAt(j))) {
            j++;
        }
        String w = s.substring(i, j);
        for (String d : DIRECTIVES) {
            if (d.equals(w)) {
                return true;
            }
        }
        return i == j && (i >= n || s.charAt(i) == '\n' || s.charAt(i) == '\r'); // null directive
    }

    /** Ends after the line, following backslash continuations and comments that span lines. */
    private static int endOfPreprocessorLine(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                int k = i - 1;
                if (k >= 0 && s.charAt(k) == '\r') {
                    k--;
                }
                if (k >= 0 && s.charAt(k) == '\\') {
                    i++;
                    continue;
                }
                return i;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int e = s.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int e = s.indexOf('\n', i);
                return e < 0 ? n : e;
            }
            i++;
        }
        return n;
    }

    private static int endOfQuoted(SourceFile file, String s, int i, char q) throws DtsEditException {
        int n = s.length();
        int j = i + 1;
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
                j += 2;
                continue;
            }
            if (c == q) {
                return j + 1;
            }
            if (c == '\n') {
                break;
            }
            j++;
        }
        throw new DtsEditException(DtsEditError.PARSE, file.span(i), "unterminated string");
    }

    private static int charLiteralEnd(String s, int i) {
        int n = s.length();
        int j = i + 1;
        while (j < n && j < i + 12) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
                j += 2;
                continue;
            }
            if (c == '\'') {
                return j > i + 1 ? j + 1 : -1;
            }
            if (c == '\n') {
                return -1;
            }
            j++;
        }
        return -1;
    }
}
