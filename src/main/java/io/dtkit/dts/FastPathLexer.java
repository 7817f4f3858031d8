package io.dtkit.dts;

import io.dtkit.dts.grammar.DtsLexer;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.LexerATNSimulator;

/**
 * The generated DTS lexer with a hand-written path for the lexemes that make up nearly all of
 * a source: white space, names, labels, references, integers, byte pairs, plain strings and
 * punctuation. For each of them this class gives exactly the token, position and lexer mode
 * that the grammar's rules give (longest match, first rule on a tie); anything else (comments,
 * keywords, line markers, character literals, escapes in names, odd characters) is left to
 * the generated lexer, from the same place in the input. The generated lexer simulates its
 * automaton character by character, which costs several times more per lexeme; the
 * differential test compares both on every fixture and on random input.
 */
final class FastPathLexer extends DtsLexer {
    /** Character classes, one bit each, indexed by the character (0-255). */
    private static final byte C_WS = 1;
    private static final byte C_DIGIT = 1 << 1;
    private static final byte C_HEX = 1 << 2;
    /** [a-zA-Z_]: starts a label name. */
    private static final byte C_LABEL_START = 1 << 3;
    /** [a-zA-Z0-9_]: continues a label name. */
    private static final byte C_LABEL_PART = 1 << 4;
    /** [a-zA-Z0-9,._+*#?@-]: a character of a property or node name. */
    private static final byte C_PROPNODE = 1 << 5;

    private static final byte[] CLASS = new byte[256];

    static {
        for (char c : " \t\n\r\u000B\f".toCharArray()) {
            CLASS[c] |= C_WS;
        }
        for (int c = 0; c < 256; c++) {
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (digit) {
                CLASS[c] |= C_DIGIT;
            }
            if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                CLASS[c] |= C_HEX;
            }
            if (letter || c == '_') {
                CLASS[c] |= C_LABEL_START | C_LABEL_PART | C_PROPNODE;
            }
            if (digit) {
                CLASS[c] |= C_LABEL_PART | C_PROPNODE;
            }
        }
        for (char c : ",._+*#?@-".toCharArray()) {
            CLASS[c] |= C_PROPNODE;
        }
    }

    /* what the fast path found: the lexeme's type, length, channel and the mode after it */
    private int type;
    private int length;
    private int channel;
    private int nextMode;

    private final ByteSource source;
    /* where the lexeme being recognised starts */
    private int pos;

    FastPathLexer(ByteSource input) {
        super(input);
        source = input;
    }

    /** The character {@code off} places after the start of the lexeme, or -1 past the end. */
    private int at(int off) {
        return source.at(pos + off);
    }

    private static boolean is(int c, byte cls) {
        return c >= 0 && c < 256 && (CLASS[c] & cls) != 0;
    }

    /**
     * Whether white space is given out as tokens even where the lexeme after it is the fast
     * path's too. The parser never sees white space (it is on the hidden channel) and the
     * source reader only keeps the last hidden token before the end of input, so by default
     * white space followed by such a lexeme is stepped over within one call: about half of all
     * tokens, each a round through the token machinery. Tests set this to compare every token
     * with the generated lexer's.
     */
    boolean everyWhiteSpaceToken;

    @Override
    public Token nextToken() {
        if (_hitEOF || !scan()) {
            return super.nextToken();
        }
        LexerATNSimulator sim = getInterpreter();
        if (type == WS && !everyWhiteSpaceToken && at(length) >= 0) {
            int line = sim.getLine();
            int col = sim.getCharPositionInLine();
            int wsStart = pos;
            int wsLength = length;
            advance(sim, wsStart, wsLength, line, col);
            if (!scan() || type == WS) {
                // the next lexeme is the generated lexer's: give out the white space after all
                _input.seek(wsStart);
                sim.setLine(line);
                sim.setCharPositionInLine(col);
                pos = wsStart;
                channel = HIDDEN;
                nextMode = _mode;
                found(WS, wsLength);
            }
        }
        int start = pos;
        int line = sim.getLine();
        int col = sim.getCharPositionInLine();
        advance(sim, start, length, line, col);
        _mode = nextMode;
        if (_input.LA(1) == IntStream.EOF) {
            _hitEOF = true;
        }
        _tokenStartCharIndex = start;
        _tokenStartLine = line;
        _tokenStartCharPositionInLine = col;
        _type = type;
        _channel = channel;
        _text = null;
        _token = _factory.create(_tokenFactorySourcePair, type, null, channel, start, start + length - 1, line, col);
        return _token;
    }

    /**
     * Moves the input and the line and column past the {@code length} characters of the
     * current lexeme, which starts at {@code start} on {@code line}, {@code col}.
     */
    private void advance(LexerATNSimulator sim, int start, int length, int line, int col) {
        int endLine = line;
        int endCol = col + length;
        if (type == WS || type == STRING) {
            // the only lexemes of the fast path that may hold a line end
            for (int i = 0; i < length; i++) {
                if (source.at(start + i) == '\n') {
                    endLine++;
                    endCol = length - i - 1;
                }
            }
        }
        _input.seek(start + length);
        sim.setLine(endLine);
        sim.setCharPositionInLine(endCol);
    }

    /** Recognises the lexeme at the current place if the fast path knows it; false otherwise. */
    private boolean scan() {
        pos = _input.index();
        int c = at(0);
        if (c < 0) {
            return false;
        }
        channel = Token.DEFAULT_CHANNEL;
        nextMode = _mode;
        if (is(c, C_WS)) {
            int n = 1;
            while (is(at(n), C_WS)) {
                n++;
            }
            channel = HIDDEN;
            return found(WS, n);
        }
        switch (c) {
            case ';':
                nextMode = NAMES;
                return found(SEMI, 1);
            case '{':
                nextMode = NAMES;
                return found(LBRACE, 1);
            case '}':
                return found(RBRACE, 1);
            case '[':
                nextMode = BYTES;
                return found(LBRACKET, 1);
            case ']':
                if (_mode == BYTES) {
                    nextMode = DEFAULT_MODE;
                }
                return found(RBRACKET, 1);
            case '(':
                return found(LPAREN, 1);
            case ')':
                return found(RPAREN, 1);
            case ':':
                return found(COLON, 1);
            case '=':
                return at(1) == '=' ? found(EQ, 2) : found(EQUALS, 1);
            case '<':
                return at(1) == '<' ? found(LSHIFT, 2) : at(1) == '=' ? found(LE, 2) : found(LANGLE, 1);
            case '>':
                return at(1) == '>' ? found(RSHIFT, 2) : at(1) == '=' ? found(GE, 2) : found(RANGLE, 1);
            case '&':
                return ampersand();
            case '"':
                return string();
            default:
                break;
        }
        if (_mode == NAMES) {
            return name(c);
        }
        if (c == ',') {
            return found(COMMA, 1);
        }
        if (_mode == BYTES) {
            return bytePair(c);
        }
        if (is(c, C_DIGIT)) {
            return literal(c);
        }
        if (is(c, C_LABEL_START)) {
            int n = labelName();
            return at(n) == ':' && found(LABEL, n + 1);
        }
        return false;
    }

    private boolean found(int t, int n) {
        type = t;
        length = n;
        return true;
    }

    /** The length of the label name ([a-zA-Z_][a-zA-Z0-9_]*) at the current place. */
    private int labelName() {
        int n = 1;
        while (is(at(n), C_LABEL_PART)) {
            n++;
        }
        return n;
    }

    /** '&&', a label reference or a lone '&'; a path reference is left to the generated lexer. */
    private boolean ampersand() {
        int c = at(1);
        if (c == '&') {
            return found(ANDAND, 2);
        }
        if (c == '{') {
            return false;
        }
        if (is(c, C_LABEL_START)) {
            int n = 2;
            while (is(at(n), C_LABEL_PART)) {
                n++;
            }
            return found(REF, n);
        }
        return found(AMP, 1);
    }

    /**
     * '"' (any character but '\' and '"', or '\' and any character but a line end)* '"'. Where
     * that does not match, the generated lexer decides what the quote is.
     */
    private boolean string() {
        int n = 1;
        while (true) {
            int c = at(n);
            if (c == '"') {
                return found(STRING, n + 1);
            }
            if (c < 0) {
                return false;
            }
            if (c == '\\') {
                int e = at(n + 1);
                if (e < 0 || e == '\n') {
                    return false;
                }
                n += 2;
            } else {
                n++;
            }
        }
    }

    /**
     * In the name state: a label (name and ':') or a property or node name, after which the
     * lexer is back in its default state. A '#' that may start a line marker and a name with a
     * leading '\' go to the generated lexer.
     */
    private boolean name(int c) {
        if (!is(c, C_PROPNODE)) {
            return false;
        }
        if (c == '#') {
            int next = at(1);
            if (next == ' ' || next == '\t' || next == 'l') {
                return false;
            }
        }
        if (is(c, C_LABEL_START)) {
            int n = labelName();
            if (at(n) == ':') {
                return found(LABEL, n + 1);
            }
        }
        int n = 1;
        while (is(at(n), C_PROPNODE)) {
            n++;
        }
        nextMode = DEFAULT_MODE;
        return found(NAME, n);
    }

    /** Inside [..]: a label, else a pair of hex digits. */
    private boolean bytePair(int c) {
        if (is(c, C_LABEL_START)) {
            int n = labelName();
            if (at(n) == ':') {
                return found(LABEL, n + 1);
            }
        }
        return is(c, C_HEX) && is(at(1), C_HEX) && found(BYTE, 2);
    }

    /** Decimal, octal or hex digits with an optional U, L, UL, LL or ULL suffix. */
    private boolean literal(int c) {
        int n;
        if (c == '0' && (at(1) == 'x' || at(1) == 'X') && is(at(2), C_HEX)) {
            n = 3;
            while (is(at(n), C_HEX)) {
                n++;
            }
        } else {
            n = 1;
            while (is(at(n), C_DIGIT)) {
                n++;
            }
        }
        if (at(n) == 'U') {
            n++;
            if (at(n) == 'L') {
                n++;
                if (at(n) == 'L') {
                    n++;
                }
            }
        } else if (at(n) == 'L') {
            n++;
            if (at(n) == 'L') {
                n++;
            }
        }
        return found(LITERAL, n);
    }
}
