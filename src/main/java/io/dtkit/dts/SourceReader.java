package io.dtkit.dts;

import io.dtkit.dts.grammar.DtsLexer;
import io.dtkit.source.FileNameText;
import io.dtkit.source.IoReasons;
import io.dtkit.source.Span;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/**
 * The token source the parser reads: lexes the main file, splices in {@code /include/}d files
 * the way dtc's lexer does (the lexer state carries over), applies cpp line markers to
 * positions, drops whitespace and comments while remembering where the last lexeme was (dtc
 * reports errors at end of input there), and checks literals as dtc's lexer does.
 */
final class SourceReader implements TokenSource {
    /** dtc gives up beyond this include depth. */
    private static final int MAX_DEPTH = 200;

    private static final class Frame {
        final DtsLexer lexer;
        final String dir;
        String file;
        int lineDelta;

        Frame(DtsLexer lexer, String file, String dir) {
            this.lexer = lexer;
            this.file = file;
            this.dir = dir;
        }
    }

    private final Deque<Frame> frames = new ArrayDeque<>();
    private final List<Path> searchDirs;
    private final Diagnostics diags;
    /** Where lexical errors of tokens given to the parser go, if not straight to {@link #diags}. */
    private java.util.function.BiConsumer<PosToken, String> lexicalSink;
    private Span lastSpan;
    private PosToken eof;

    /** Every file read, by the name dtc would print: the main file, includes, incbins. */
    final List<String> filesRead = new java.util.ArrayList<>();

    SourceReader(ByteSource main, String fileName, List<Path> searchDirs, Diagnostics diags) {
        filesRead.add(fileName);
        this.searchDirs = searchDirs;
        this.diags = diags;
        frames.push(new Frame(newLexer(main), fileName, dirOf(fileName)));
        lastSpan = Span.at(fileName, 0, 0); // dtc's position before anything was read
    }

    /**
     * Reads an {@code /include/}d file byte for byte (ISO-8859-1), so any byte survives into
     * strings unchanged. Only a main source is mapped ({@link #load}), where the compiler checks
     * afterwards that the file kept its size; an included one is read into the heap.
     */
    static ByteSource read(Path p, String name) throws IOException {
        return fromBytes(Files.readAllBytes(p), name);
    }

    /** A source held as bytes, one character per byte (ISO-8859-1). */
    static ByteSource fromBytes(byte[] bytes, String name) {
        return new ByteSource(bytes, name);
    }

    /** As {@link #fromBytes}, for a buffer from {@link #load}: mapped ones are read in place. */
    static ByteSource fromBuffer(ByteBuffer bytes, String name) {
        return new ByteSource(bytes, name);
    }

    /** Files from this size on are mapped into memory rather than read into the heap. */
    private static final long MAP_FROM = 4L << 20;

    /**
     * The bytes of a file: a large regular file mapped into memory (read only, outside the
     * heap), anything else read into an array.
     */
    static ByteBuffer load(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size >= MAP_FROM && size <= Integer.MAX_VALUE && Files.isRegularFile(p)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            }
            // to the end, whatever the size said: a pipe or a device has none
            return ByteBuffer.wrap(java.nio.channels.Channels.newInputStream(ch).readAllBytes());
        }
    }

    static ByteSource fromText(String text, String name) {
        return fromBytes(text.getBytes(StandardCharsets.UTF_8), name);
    }

    private static DtsLexer newLexer(ByteSource cs) {
        DtsLexer lx = new FastPathLexer(cs);
        lx.removeErrorListeners();
        lx.setTokenFactory(new Tokens());
        return lx;
    }

    /**
     * Makes one lexer's tokens, as {@link PosToken}s directly, so that positioning fills in the
     * token rather than copying it (one object per lexeme instead of two). Punctuation and
     * keywords share one text per type; other lexemes read theirs from the source when asked.
     * Whitespace and comments, half of all lexemes, share one token per lexer: the reader looks
     * at such a lexeme only until the next one is read.
     */
    private static final class Tokens implements org.antlr.v4.runtime.TokenFactory<PosToken> {
        private PosToken hidden;

        @Override
        public PosToken create(org.antlr.v4.runtime.misc.Pair<org.antlr.v4.runtime.TokenSource, CharStream> source,
                               int type, String text, int channel, int start, int stop, int line,
                               int charPositionInLine) {
            if (text == null && type > 0 && type < FIXED_TEXT.length && FIXED_TEXT[type] != null
                    && FIXED_TEXT[type].length() == stop - start + 1) {
                text = FIXED_TEXT[type];
            }
            if (text == null) {
                // the text is copied from the source when first asked for: never for most
                // whitespace and comments
                boolean reusable = channel != Token.DEFAULT_CHANNEL && type != Token.EOF;
                PosToken t = reusable ? hidden : null;
                if (t != null) {
                    t.reuse(source, type, channel, start, stop);
                } else {
                    t = new PosToken(source, type, channel, start, stop);
                    if (reusable) {
                        hidden = t;
                    }
                }
                t.setLine(line);
                t.setCharPositionInLine(charPositionInLine);
                return t;
            }
            PosToken t = new PosToken(type, text);
            t.setChannel(channel);
            t.setStartIndex(start);
            t.setStopIndex(stop);
            t.setLine(line);
            t.setCharPositionInLine(charPositionInLine);
            return t;
        }

        @Override
        public PosToken create(int type, String text) {
            return new PosToken(type, text);
        }
    }

    /**
     * The text of each token type whose rules (in every lexer mode) match one literal only:
     * punctuation and keywords, about half of all lexemes, share one string per type.
     */
    private static final String[] FIXED_TEXT = new String[DtsLexer.VOCABULARY.getMaxTokenType() + 1];

    static {
        Object[][] fixed = {
            {DtsLexer.V1, "/dts-v1/"}, {DtsLexer.PLUGIN, "/plugin/"}, {DtsLexer.MEMRESERVE, "/memreserve/"},
            {DtsLexer.BITS, "/bits/"}, {DtsLexer.DEL_PROP, "/delete-property/"},
            {DtsLexer.DEL_NODE, "/delete-node/"}, {DtsLexer.OMIT, "/omit-if-no-ref/"},
            {DtsLexer.INCBIN, "/incbin/"}, {DtsLexer.LSHIFT, "<<"}, {DtsLexer.RSHIFT, ">>"},
            {DtsLexer.LE, "<="}, {DtsLexer.GE, ">="}, {DtsLexer.EQ, "=="}, {DtsLexer.NE, "!="},
            {DtsLexer.ANDAND, "&&"}, {DtsLexer.OROR, "||"}, {DtsLexer.LBRACKET, "["},
            {DtsLexer.LBRACE, "{"}, {DtsLexer.SEMI, ";"}, {DtsLexer.RBRACE, "}"},
            {DtsLexer.EQUALS, "="}, {DtsLexer.COMMA, ","}, {DtsLexer.LANGLE, "<"},
            {DtsLexer.RANGLE, ">"}, {DtsLexer.LPAREN, "("}, {DtsLexer.RPAREN, ")"},
            {DtsLexer.SLASH, "/"}, {DtsLexer.PLUS, "+"}, {DtsLexer.MINUS, "-"}, {DtsLexer.STAR, "*"},
            {DtsLexer.PERCENT, "%"}, {DtsLexer.AMP, "&"}, {DtsLexer.PIPE, "|"}, {DtsLexer.CARET, "^"},
            {DtsLexer.TILDE, "~"}, {DtsLexer.BANG, "!"}, {DtsLexer.QUESTION, "?"},
            {DtsLexer.COLON, ":"}, {DtsLexer.RBRACKET, "]"},
        };
        for (Object[] f : fixed) {
            FIXED_TEXT[(Integer) f[0]] = (String) f[1];
        }
    }

    /** dtc's dirname: {@code null} when the name has no slash. */
    static String dirOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? null : name.substring(0, slash);
    }

    /** dtc's join_path. */
    static String join(String dir, String name) {
        if (dir == null || name.startsWith("/")) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /**
     * Finds a file the way dtc does: next to the current file, then in each search directory,
     * taking the first place that exists (a directory too: dtc opens it, and fails only when
     * it reads). Returns the name dtc would use for it, or {@code null}.
     */
    String resolve(String name, String currentDir) {
        String first = join(currentDir, name);
        if (exists(first)) {
            return first;
        }
        if (!name.startsWith("/")) {
            for (Path d : searchDirs) {
                String cand = join(d.toString(), name);
                if (exists(cand)) {
                    return cand;
                }
            }
        }
        return null;
    }

    /**
     * Why {@code name} could not be opened, as dtc reports it: the system's reason for the
     * last place dtc tries (the last search directory, else next to the current file), e.g.
     * "Not a directory" when a component of the name is a file.
     */
    String openFailure(String name, String currentDir) {
        String last = join(currentDir, name);
        if (!name.startsWith("/") && !searchDirs.isEmpty()) {
            last = join(searchDirs.get(searchDirs.size() - 1).toString(), name);
        }
        Path p;
        try {
            p = pathOf(last);
        } catch (java.nio.file.InvalidPathException e) {
            return "No such file or directory";
        }
        if (last.endsWith("/") && Files.exists(p) && !Files.isDirectory(p)) {
            return "Not a directory";
        }
        try (java.io.InputStream in = Files.newInputStream(p)) {
            return "No such file or directory";
        } catch (NoSuchFileException e) {
            return "No such file or directory";
        } catch (java.nio.file.AccessDeniedException e) {
            return "Permission denied";
        } catch (java.nio.file.FileSystemException e) {
            return e.getReason() != null ? e.getReason() : "No such file or directory";
        } catch (IOException e) {
            return "No such file or directory";
        }
    }

    /** The path of a name as dtc builds it: an empty one is the working directory. */
    static Path pathOf(String name) {
        return Path.of(name.isEmpty() ? "." : name);
    }

    private static boolean exists(String name) {
        try {
            Path p = pathOf(name);
            if (name.endsWith("/")) {
                // a path object drops the trailing slash, the system does not: "file/" is
                // not a directory and cannot be opened
                return Files.isDirectory(p);
            }
            return Files.exists(p);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The directory of the physical file being lexed now. */
    String currentDir() {
        return frames.isEmpty() ? null : frames.peek().dir;
    }

    @Override
    public Token nextToken() {
        while (true) {
            if (frames.isEmpty()) {
                return eofToken();
            }
            Frame f = frames.peek();
            Token raw = f.lexer.nextToken();
            int type = raw.getType();
            if (type == Token.EOF) {
                if (frames.size() == 1) {
                    endFile = f.file;
                    frames.pop();
                    continue;
                }
                int mode = f.lexer._mode;
                frames.pop();
                frames.peek().lexer.mode(mode);
                continue;
            }
            if (raw.getChannel() != Token.DEFAULT_CHANNEL) {
                // whitespace and comments are half of all tokens: only remember where the
                // last one was, and position it if end of input needs it
                lastRaw = raw;
                lastFile = f.file;
                lastDir = f.dir;
                lastDelta = f.lineDelta;
                lastTok = null;
                continue;
            }
            PosToken t = position(f, raw);
            lastTok = t;
            lastRaw = null;
            switch (type) {
                case DtsLexer.LINE_MARKER -> {
                    if (raw.getCharPositionInLine() != 0) {
                        PosToken c = misplacedMarker(f, raw, t);
                        lastTok = c;
                        return c;
                    }
                    lineMarker(f, raw, t);
                }
                case DtsLexer.INCLUDE -> include(f, t);
                case DtsLexer.LITERAL -> {
                    if (!seenV1) {
                        // before /dts-v1/ dtc's lexer knows no numbers: the first digit
                        // is a character of its own
                        return firstChar(t);
                    }
                    literal(t);
                    return t;
                }
                case DtsLexer.STRING -> {
                    string(t);
                    return t;
                }
                case DtsLexer.CHAR_LITERAL -> {
                    charLiteral(t);
                    return t;
                }
                case DtsLexer.V1 -> {
                    seenV1 = true;
                    return t;
                }
                default -> {
                    return t;
                }
            }
        }
    }

    private boolean seenV1;
    private String endFile;

    /** A string's bytes after escape processing; a bad escape is fatal, as in dtc. */
    private void string(PosToken t) {
        String text = t.getText();
        try {
            t.bytes = Escapes.unescape(text, 1, text.length() - 1);
        } catch (Escapes.BadEscape e) {
            throw diags.fatal(e.getMessage());
        }
    }

    private static final String PROPNODE_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?@-";

    /**
     * dtc only honours line markers at the start of a line. Elsewhere its text is ordinary
     * input: a name in the name state, else a lone '#'. Emit that and lex on after it.
     */
    private static PosToken misplacedMarker(Frame f, Token raw, PosToken t) {
        String text = raw.getText();
        int n = 1;
        int type = DtsLexer.OTHER;
        if (f.lexer._mode == DtsLexer.NAMES) {
            while (n < text.length() && PROPNODE_CHARS.indexOf(text.charAt(n)) >= 0) {
                n++;
            }
            type = DtsLexer.NAME;
            f.lexer.mode(DtsLexer.DEFAULT_MODE);
        }
        f.lexer.getInputStream().seek(raw.getStartIndex() + n);
        // a marker that ended the input left the lexer expecting only end of input
        f.lexer._hitEOF = false;
        f.lexer.setLine(raw.getLine());
        f.lexer.setCharPositionInLine(raw.getCharPositionInLine() + n);
        PosToken c = new PosToken(type, text.substring(0, n));
        c.file = t.file;
        c.dir = t.dir;
        c.line1 = t.line1;
        c.col1 = t.col1;
        c.line2 = t.line1;
        c.col2 = t.col1 + n;
        return c;
    }

    private static PosToken firstChar(PosToken t) {
        PosToken c = new PosToken(DtsLexer.OTHER, t.getText().substring(0, 1));
        c.file = t.file;
        c.dir = t.dir;
        c.line1 = t.line1;
        c.col1 = t.col1;
        c.line2 = t.line1;
        c.col2 = t.col1 + 1;
        return c;
    }

    /** The last lexeme read: a positioned token, or a hidden one with its frame's state then. */
    private PosToken lastTok;
    private Token lastRaw;
    private String lastFile;
    private String lastDir;
    private int lastDelta;

    /** Where the last lexeme was (dtc reports errors at end of input there). */
    private Span lastSpan() {
        if (lastTok != null) {
            lastSpan = lastTok.span();
            lastTok = null;
        } else if (lastRaw != null) {
            Frame at = new Frame(null, lastFile, lastDir);
            at.lineDelta = lastDelta;
            lastSpan = position(at, lastRaw).span();
            lastRaw = null;
        }
        return lastSpan;
    }

    private PosToken eofToken() {
        if (eof == null) {
            Span lastSpan = lastSpan();
            eof = new PosToken(Token.EOF, "<EOF>");
            // dtc names the file as it is called when the error is printed: a line marker
            // just before the end renames it
            eof.file = endFile != null ? endFile : lastSpan.file();
            eof.line1 = lastSpan.firstLine();
            eof.col1 = lastSpan.firstColumn();
            eof.line2 = lastSpan.lastLine();
            eof.col2 = lastSpan.lastColumn();
        }
        return eof;
    }

    private static PosToken position(Frame f, Token raw) {
        PosToken t;
        if (raw instanceof PosToken p) {
            t = p;
        } else {
            t = new PosToken(raw.getType(), raw.getText());
            t.setChannel(raw.getChannel());
            t.setLine(raw.getLine());
            t.setCharPositionInLine(raw.getCharPositionInLine());
        }
        t.file = f.file;
        t.dir = f.dir;
        int line = raw.getLine() + f.lineDelta;
        int col = raw.getCharPositionInLine() + 1;
        t.line1 = line;
        t.col1 = col;
        if (singleLine(raw.getType())) {
            t.line2 = line;
            t.col2 = col + raw.getStopIndex() - raw.getStartIndex() + 1;
            return t;
        }
        String text = raw.getText();
        if (text.indexOf('\n') < 0) {
            t.line2 = line;
            t.col2 = col + text.length();
            return t;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        t.line2 = line;
        t.col2 = col;
        return t;
    }

    /** Lexemes that cannot contain a newline: their end is their start plus their length. */
    private static boolean singleLine(int type) {
        return switch (type) {
            case DtsLexer.NAME, DtsLexer.LITERAL, DtsLexer.LABEL, DtsLexer.REF, DtsLexer.PATH_REF,
                 DtsLexer.BYTE -> true;
            default -> type > 0 && type < FIXED_TEXT.length && FIXED_TEXT[type] != null;
        };
    }

    private void lineMarker(Frame f, Token raw, PosToken t) {
        String text = raw.getText();
        int i = 0;
        while (!Character.isDigit(text.charAt(i))) {
            i++;
        }
        int j = i;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
        }
        long n = new BigInteger(text.substring(i, j)).min(BigInteger.valueOf(Integer.MAX_VALUE))
                .longValue();
        int q1 = text.indexOf('"');
        int q2 = text.lastIndexOf('"');
        byte[] name;
        try {
            name = Escapes.unescape(text, q1 + 1, q2);
        } catch (Escapes.BadEscape e) {
            throw diags.fatal(e.getMessage());
        }
        for (byte b : name) {
            if (b == 0) {
                diags.lexical(t.span(), "nul in line number directive");
                break;
            }
        }
        f.file = FileNameText.of(name);
        // the marker names the line that follows it (its file name may itself span lines)
        int endLine = raw.getLine();
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                endLine++;
            }
        }
        f.lineDelta = (int) (n - (endLine + 1));
    }

    private void include(Frame f, PosToken t) {
        String text = t.getText();
        String name = FileNameText.ofByteChars(text.substring(text.indexOf('"') + 1, text.length() - 1));
        if (frames.size() >= MAX_DEPTH) {
            throw diags.fatal("Includes nested too deeply");
        }
        String full = resolve(name, f.dir);
        if (full == null) {
            throw diags.fatal("Couldn't open \"" + name + "\": " + openFailure(name, f.dir));
        }
        if (Files.isDirectory(pathOf(full))) {
            throw diags.scannerFailed();
        }
        ByteSource cs;
        try {
            cs = read(Path.of(full), full);
        } catch (IOException e) {
            throw diags.fatal("Couldn't open \"" + name + "\": " + IoReasons.of(e));
        }
        filesRead.add(full);
        DtsLexer lx = newLexer(cs);
        lx.mode(f.lexer._mode);
        frames.push(new Frame(lx, full, dirOf(full)));
    }

    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** strtoull(text, &end, 0) followed by dtc's suffix and range checks. */
    private void literal(PosToken t) {
        // read in place when the token's text is still in the source: nearly every literal is
        // read once, here, and making its text first was a tenth of the parser's allocation
        ByteSource b = t.unreadSource();
        CharSequence s = b != null ? b : t.getText();
        int start = b != null ? t.getStartIndex() : 0;
        int end = b != null ? t.getStopIndex() + 1 : s.length();
        int radix = 10;
        int i = start;
        if (end - start > 1 && s.charAt(start) == '0' && (s.charAt(start + 1) | 0x20) == 'x') {
            radix = 16;
            i += 2;
        } else if (s.charAt(start) == '0') {
            radix = 8;
        }
        int j = i;
        long small = 0;
        while (j < end) {
            int d = Character.digit(s.charAt(j), radix);
            if (d < 0) {
                break;
            }
            small = small * radix + d;
            j++;
        }
        int k = j;
        while (k < end && (s.charAt(k) == 'U' || s.charAt(k) == 'L')) {
            k++;
        }
        if (j < end && k < end) {
            lexical(t, "Bad integer literal '" + t.getText() + "'");
        }
        // the most digits whose value always fits in 63 bits, in this radix
        int safeDigits = radix == 16 ? 15 : radix == 10 ? 18 : 21;
        if (j - i <= safeDigits) {
            // too few digits to overflow a signed long: the loop above has the value
            t.value = small;
            return;
        }
        BigInteger v = new BigInteger(s.subSequence(i, j).toString(), radix);
        if (v.compareTo(MAX_U64) > 0) {
            lexical(t, "Integer literal '" + t.getText() + "' out of range");
            v = MAX_U64;
        }
        t.value = v.longValue();
    }

    /**
     * Lexical errors of the tokens given to the parser go to {@code sink} (the token and the
     * message) instead of the diagnostics, so that they can be reported when the parser takes
     * the token, as dtc's lexer reports them when its parser asks for that token.
     */
    void deferLexicalErrors(java.util.function.BiConsumer<PosToken, String> sink) {
        lexicalSink = sink;
    }

    private void lexical(PosToken t, String message) {
        if (lexicalSink != null) {
            lexicalSink.accept(t, message);
        } else {
            diags.lexical(t.span(), message);
        }
    }

    private void charLiteral(PosToken t) {
        String s = t.getText();
        byte[] d;
        try {
            d = Escapes.unescape(s, 1, s.length() - 1);
        } catch (Escapes.BadEscape e) {
            throw diags.fatal(e.getMessage());
        }
        if (d.length == 0) {
            lexical(t, "Empty character literal");
            t.value = 0;
        } else {
            t.value = d[0] & 0xff;
            if (d.length > 1) {
                lexical(t, "Character literal has " + d.length + " characters instead of 1");
            }
        }
    }

    @Override
    public int getLine() {
        return frames.isEmpty() ? 0 : frames.peek().lexer.getLine();
    }

    @Override
    public int getCharPositionInLine() {
        return frames.isEmpty() ? 0 : frames.peek().lexer.getCharPositionInLine();
    }

    @Override
    public CharStream getInputStream() {
        return frames.isEmpty() ? null : frames.peek().lexer.getInputStream();
    }

    @Override
    public String getSourceName() {
        return frames.isEmpty() ? "" : frames.peek().file;
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        // tokens are always PosTokens
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return null;
    }

}
