package io.dtkit.dts.cpp;

import io.dtkit.source.Diagnostic;
import io.dtkit.source.FileNameText;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.source.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The preprocessor proper (C11 6.10 with GCC's assembler-with-cpp behaviour): source buffers
 * and the include stack, directives and conditional inclusion, and macro expansion with an
 * explicit stack of expansion contexts. Padding tokens record where white space or a macro
 * boundary was, so that {@link Printer} can space the output exactly as cpp does.
 */
final class Engine implements Lexer.Sink {

    /** Stops the run at once (cpp's fatal errors). */
    private static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fatal() {
            super(null, null, false, false);
        }
    }

    private static final class Buffer {
        final Lexer lx;
        final String name;
        final String dirPrefix;
        /** Index in the include chain where the file was found; -1: includer's folder; -2: none. */
        final int foundDir;
        final ArrayList<IfState> ifs = new ArrayList<>();
        /** What is remembered about this file for later inclusions (null for the main file). */
        FileInfo info;

        Buffer(Lexer lx, String name, int foundDir) {
            this.lx = lx;
            this.name = name;
            int slash = name.lastIndexOf('/');
            this.dirPrefix = slash < 0 ? "" : name.substring(0, slash + 1);
            this.foundDir = foundDir;
        }
    }

    private static final class IfState {
        final String file;
        final int line;
        final boolean wasSkipping;
        boolean skipElses;
        String type;
        String miCmacro;

        IfState(String file, int line, boolean wasSkipping, boolean skipElses, String type, String miCmacro) {
            this.file = file;
            this.line = line;
            this.wasSkipping = wasSkipping;
            this.skipElses = skipElses;
            this.type = type;
            this.miCmacro = miCmacro;
        }
    }

    private static final class Context {
        final MacroDef macro;
        final Tok[] toks;
        int pos;
        final int expLine;
        /**
         * Counted as being inside a macro expansion although no macro is attached: a macro
         * argument being pre-expanded, or the result of a paste made inside an expansion.
         */
        boolean inExpansion;
        /** For argument tokens: the line each one resolves to (see {@link Engine#lastLine}). */
        int[] lines;

        Context(MacroDef macro, Tok[] toks, int expLine) {
            this.macro = macro;
            this.toks = toks;
            this.expLine = expLine;
        }
    }

    private static final class Arg {
        final ArrayList<Tok> toks = new ArrayList<>();
        final ArrayList<Integer> lines = new ArrayList<>();
        List<Tok> expanded;
        Tok stringified;
        boolean omitted;
    }

    private static final class FileInfo {
        String cmacro;
    }

    private static final Tok AVOID_PASTE = Tok.padding(null);
    private static final Tok ARG_EOF = new Tok(TokType.EOF, "", 0, null, 0, 0);
    /**
     * Macro calls nested inside macro arguments are expanded recursively (as in cpp); the
     * limit keeps that recursion within a small thread stack and turns runaway input into an
     * error. Real sources nest a handful of levels.
     */
    private static final int MAX_ARG_NESTING = 200;

    private final List<String> includeDirs;
    private final Path cwd;
    private final int maxDepth;
    private final boolean unsignedChar;

    private final Printer printer;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final LinkedHashSet<String> filesRead = new LinkedHashSet<>();
    /** Keyed like cpp's file cache: the folder the search started in, then the name as written. */
    private final Map<String, FileInfo> fileInfo = new HashMap<>();
    private final java.util.Set<String> onceFiles = new java.util.HashSet<>();

    private final ArrayList<Buffer> buffers = new ArrayList<>();
    private Buffer buf;
    private final ArrayList<Context> contexts = new ArrayList<>();
    private final ArrayDeque<Tok> lookahead = new ArrayDeque<>();
    private final HashMap<String, MacroDef> macros = new HashMap<>();
    private final HashMap<String, ArrayDeque<MacroDef>> pushedMacros = new HashMap<>();

    private int preventExpansion;
    private int parsingArgs;
    private boolean inDirective;
    private boolean skipping;
    private boolean angledHeaders;
    private boolean directiveWantsPadding;
    private boolean lineSkipped;
    private boolean aboutToExpand;
    private MacroDef topMost;
    private int invocationLine;
    private boolean miValid;
    private String miCmacro;
    private String miIndCmacro;
    private int counter;
    private int argNesting;
    private boolean mainEnded;
    private String mainName;
    /**
     * The line the token last returned by {@link #getToken} stands for: its own line in the
     * source, else the line of the outermost macro call it came out of (cpp's expansion point,
     * which {@code __LINE__} reports).
     */
    private int lastLine;


    Engine(List<String> includeDirs, Path cwd, boolean markers, int maxDepth) {
        this.includeDirs = includeDirs;
        this.cwd = cwd;
        this.maxDepth = maxDepth;
        this.printer = new Printer(markers);
        String arch = System.getProperty("os.arch", "");
        this.unsignedChar = arch.contains("aarch64") || arch.contains("arm") || arch.contains("ppc")
                || arch.contains("s390");
    }

    List<Diagnostic> errors() {
        return errors;
    }

    List<Diagnostic> warnings() {
        return warnings;
    }

    List<String> filesRead() {
        return new ArrayList<>(filesRead);
    }

    // ------------------------------------------------------------------ diagnostics

    /* diagnostics leave the engine as text: names and quoted source back from bytes per char */
    private void error(String file, int line, int col, String msg) {
        errors.add(new Diagnostic(Severity.ERROR, null, Span.at(FileNameText.ofByteChars(file), line, col), null,
                null, FileNameText.ofByteChars(msg)));
    }

    private void error(Tok at, String msg) {
        error(at.file != null ? at.file : currentName(), at.file != null ? at.line : currentLine(),
                at.file != null ? at.displayCol() : 0, msg);
    }

    private void warning(Tok at, String msg) {
        String f = at != null && at.file != null ? at.file : currentName();
        int l = at != null && at.file != null ? at.line : currentLine();
        int c = at != null && at.file != null ? at.displayCol() : 0;
        warnings.add(new Diagnostic(Severity.WARNING, null, Span.at(FileNameText.ofByteChars(f), l, c), null, null,
                FileNameText.ofByteChars(msg)));
    }

    private String currentName() {
        return buf != null ? buf.lx.presumedName : mainName;
    }

    private int currentLine() {
        return buf != null ? buf.lx.currentLine() : 0;
    }

    @Override
    public void lexError(String file, int line, int col, String message) {
        error(file, line, col, message);
    }

    // ------------------------------------------------------------------ set-up

    void predefine(String name, String value) {
        defineFromText(name + " " + value);
    }

    /** Handles {@code -D}: {@code NAME}, {@code NAME=VALUE} or {@code NAME(args)=VALUE}. */
    void commandLineDefine(String def) {
        int eq = def.indexOf('=');
        String text = eq < 0 ? def + " 1" : def.substring(0, eq) + " " + def.substring(eq + 1);
        defineFromText(text);
    }

    void commandLineUndefine(String name) {
        macros.remove(name);
    }

    private void defineFromText(String text) {
        Lexer lx = new Lexer(text, "<command-line>", this);
        Buffer saved = buf;
        buf = new Buffer(lx, "<command-line>", -2);
        inDirective = true;
        try {
            doDefine();
        } finally {
            inDirective = false;
            buf = saved;
        }
    }

    void defineBuiltins() {
        for (MacroDef.Builtin b : MacroDef.Builtin.values()) {
            String n = switch (b) {
                case FILE -> "__FILE__";
                case LINE -> "__LINE__";
                case COUNTER -> "__COUNTER__";
                case INCLUDE_LEVEL -> "__INCLUDE_LEVEL__";
                case BASE_FILE -> "__BASE_FILE__";
                case DATE -> "__DATE__";
                case TIME -> "__TIME__";
                case TIMESTAMP -> "__TIMESTAMP__";
            };
            macros.put(n, new MacroDef(n, false, false, List.of(), new Tok[0], b, "<built-in>", 0));
        }
    }

    // ------------------------------------------------------------------ main loop and printer

    /**
     * Preprocesses the main file; {@code content} is its text when it does not come from a
     * file (as bytes in ISO-8859-1, one char per byte), else null.
     */
    String run(String mainFile, String content) throws SourceException {
        mainName = mainFile;
        String raw = content != null ? content : readFile(mainFile, null);
        if (raw == null) {
            throw new SourceException(new Diagnostic(Severity.ERROR, null, null, null, null,
                    FileNameText.ofByteChars(mainFile) + ": No such file or directory"));
        }
        printer.start(mainFile);
        pushBuffer(raw, mainFile, -2);
        try {
            for (;;) {
                Tok t = getToken();
                if (t.type == TokType.EOF) {
                    break;
                }
                printer.print(t);
            }
            printer.finish();
        } catch (Fatal f) {
            // the diagnostic is already recorded
        } catch (StackOverflowError e) {
            error(currentName(), currentLine(), 0, "macro expansion nested too deeply");
        }
        if (!errors.isEmpty()) {
            throw new SourceException(errors);
        }
        // the text is made of bytes read as ISO-8859-1, one per char
        return printer.text();
    }

    private static String quote(String name) {
        return Printer.quote(name);
    }

    private void lineChange(Tok t) {
        if (t.type == TokType.EOF || parsingArgs != 0) {
            return;
        }
        printer.lineChange(t);
    }

    private void maybePrintLine(int line, String file) {
        printer.maybePrintLine(line, file);
    }

    private void printLine(int line, String file, String flags) {
        printer.printLine(line, file, flags);
    }

    // ------------------------------------------------------------------ buffers and files

    private String readFile(String name, Tok at) {
        Path p = cwd.resolve(FileNameText.ofByteChars(name));
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(p);
            filesRead.add(name);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            if (at != null) {
                error(at, name + ": " + e.getMessage());
            }
            return null;
        }
    }

    private void pushBuffer(String raw, String name, int foundDir) {
        Buffer b = new Buffer(new Lexer(raw, name, this), name, foundDir);
        buffers.add(b);
        buf = b;
        miValid = true;
        miCmacro = null;
    }

    /** Ends the current buffer: reports open conditionals and records its include guard. */
    private void finishBuffer(Buffer b) {
        for (int i = b.ifs.size() - 1; i >= 0; i--) {
            IfState s = b.ifs.get(i);
            error(s.file, s.line, 0, "unterminated #" + s.type);
        }
        b.ifs.clear();
        skipping = false;
        if (miValid && b.info != null && b.info.cmacro == null) {
            b.info.cmacro = miCmacro;
        }
        miValid = false;
    }

    /** The next token from the source files, or EOF (end of a directive line or of the input). */
    private Tok lexFromBuffers() {
        for (;;) {
            Tok t = buf.lx.next(inDirective, angledHeaders, parsingArgs == 2);
            if (t != null) {
                return t;
            }
            if (inDirective || parsingArgs != 0 || buffers.size() == 1) {
                if (!inDirective && parsingArgs == 0 && !mainEnded) {
                    mainEnded = true;
                    finishBuffer(buf);
                }
                return new Tok(TokType.EOF, "", 0, buf.lx.presumedName, buf.lx.currentLine(), 1);
            }
            Buffer done = buffers.remove(buffers.size() - 1);
            finishBuffer(done);
            buf = buffers.get(buffers.size() - 1);
            printLine(buf.lx.currentLine(), buf.lx.presumedName, " 2");
        }
    }

    /** cpp's _cpp_lex_token: source tokens with directives handled and skipped groups dropped. */
    private Tok lexToken() {
        for (;;) {
            Tok t = lookahead.isEmpty() ? lexFromBuffers() : lookahead.pop();
            if (t.has(Tok.BOL) && !inDirective) {
                if (t.type == TokType.HASH && parsingArgs != 1) {
                    if (handleDirective(t)) {
                        continue;
                    }
                }
                if (!skipping) {
                    lineChange(t);
                }
            }
            if (inDirective) {
                return t;
            }
            miValid = false;
            if (!skipping || t.type == TokType.EOF) {
                return t;
            }
        }
    }

    // ------------------------------------------------------------------ macro expansion

    private Context top() {
        return contexts.isEmpty() ? null : contexts.get(contexts.size() - 1);
    }

    private void pushContext(MacroDef m, Tok[] toks, int expLine) {
        contexts.add(new Context(m, toks, expLine));
    }

    private void popContext() {
        Context c = contexts.remove(contexts.size() - 1);
        if (c.macro != null) {
            c.macro.disabled = false;
        }
    }

    private void backup(Tok t) {
        Context c = top();
        if (c == null) {
            lookahead.push(t);
        } else {
            c.pos--;
        }
    }

    /** cpp_get_token: the next fully macro-expanded token (padding tokens included). */
    private Tok getToken() {
        for (;;) {
            Tok result;
            Context c = top();
            if (c == null) {
                result = lexToken();
                lastLine = result.line;
            } else if (c.pos < c.toks.length) {
                result = c.toks[c.pos];
                lastLine = c.lines != null ? c.lines[c.pos] : c.expLine > 0 ? c.expLine : result.line;
                c.pos++;
                if (result.has(Tok.PASTE_LEFT)) {
                    pasteAll(result);
                    if (inDirective) {
                        continue;
                    }
                    return Tok.padding(result);
                }
            } else {
                popContext();
                if (inDirective) {
                    continue;
                }
                return AVOID_PASTE;
            }
            if (result.type != TokType.NAME || result.has(Tok.NO_EXPAND)) {
                return result;
            }
            MacroDef m = macros.get(result.text);
            if (m == null) {
                return result;
            }
            if (m.disabled) {
                return result.withFlags(result.flags | Tok.NO_EXPAND);
            }
            if (!aboutToExpand && (top() == null || (top().macro == null && !top().inExpansion))) {
                invocationLine = lastLine;
                topMost = m;
            }
            if (preventExpansion > 0) {
                return result;
            }
            if (enterMacro(m, result, lastLine)) {
                if (inDirective) {
                    continue;
                }
                return Tok.padding(result);
            }
            return result;
        }
    }

    private boolean enterMacro(MacroDef m, Tok name, int expLine) {
        if (m.builtin != null) {
            pushContext(null, new Tok[] {builtinToken(m, name, expLine)}, expLine);
            return true;
        }
        aboutToExpand = true;
        try {
            if (m.funLike) {
                preventExpansion++;
                parsingArgs = 1;
                List<Arg> args;
                try {
                    args = funlikeInvocation(m, name);
                } finally {
                    parsingArgs = 0;
                    preventExpansion--;
                }
                if (args == null) {
                    return false;
                }
                if (m.paramc() > 0) {
                    replaceArgs(m, args, expLine);
                    m.disabled = true;
                    return true;
                }
            }
            m.disabled = true;
            pushContext(m, m.body, expLine);
            return true;
        } finally {
            aboutToExpand = false;
        }
    }

    private Tok builtinToken(MacroDef m, Tok name, int expLine) {
        String text;
        TokType type = TokType.NUMBER;
        switch (m.builtin) {
            case FILE -> {
                text = quote(currentName());
                type = TokType.STRING;
            }
            case BASE_FILE -> {
                text = quote(mainName);
                type = TokType.STRING;
            }
            case LINE -> {
                int line = topMost != null && topMost.funLike ? expLine : invocationLine;
                text = Integer.toString(line);
            }
            case COUNTER -> text = Integer.toString(counter++);
            case INCLUDE_LEVEL -> text = Integer.toString(buffers.size() - 1);
            case DATE -> {
                type = TokType.STRING;
                text = "\"" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMM ppd yyyy", Locale.ROOT)) + "\"";
            }
            case TIME -> {
                type = TokType.STRING;
                text = "\"" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)) + "\"";
            }
            default -> {
                type = TokType.STRING;
                text = "\"" + LocalDateTime.now().format(
                        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)) + "\"";
            }
        }
        return new Tok(type, text, 0, name.file, name.line, name.col);
    }

    private List<Arg> funlikeInvocation(MacroDef m, Tok name) {
        Tok padding = null;
        Tok t;
        for (;;) {
            t = getToken();
            if (t.type != TokType.PADDING) {
                break;
            }
            if (padding == null || padding.source == null
                    || (!padding.source.has(Tok.PREV_WHITE) && t.source == null)) {
                padding = t;
            }
        }
        if (t.type == TokType.OPEN_PAREN) {
            parsingArgs = 2;
            return collectArgs(m, name);
        }
        if (t.type != TokType.EOF || t == ARG_EOF) {
            backup(t);
            if (padding != null) {
                pushContext(null, new Tok[] {padding}, 0);
            }
        }
        return null;
    }

    private List<Arg> collectArgs(MacroDef m, Tok name) {
        ArrayList<Arg> args = new ArrayList<>();
        int paramc = m.paramc();
        Tok t;
        Tok last = name;
        do {
            int depth = 0;
            Arg arg = new Arg();
            args.add(arg);
            int argc = args.size();
            for (;;) {
                t = getToken();
                if (t.type == TokType.PADDING) {
                    if (arg.toks.isEmpty()) {
                        continue;
                    }
                } else if (t.type == TokType.OPEN_PAREN) {
                    depth++;
                } else if (t.type == TokType.CLOSE_PAREN) {
                    if (depth-- == 0) {
                        break;
                    }
                } else if (t.type == TokType.COMMA) {
                    if (depth == 0 && !(m.variadic && argc == paramc)) {
                        break;
                    }
                } else if (t.type == TokType.EOF || (t.type == TokType.HASH && t.has(Tok.BOL))) {
                    break;
                }
                arg.toks.add(t);
                arg.lines.add(lastLine);
                if (t.type != TokType.PADDING && t.file != null) {
                    last = t;
                }
            }
            while (!arg.toks.isEmpty() && arg.toks.get(arg.toks.size() - 1).type == TokType.PADDING) {
                arg.toks.remove(arg.toks.size() - 1);
                arg.lines.remove(arg.lines.size() - 1);
            }
        } while (t.type != TokType.CLOSE_PAREN && t.type != TokType.EOF);

        if (t.type == TokType.EOF) {
            if (t == ARG_EOF) {
                backup(t);
            }
            // cpp points just past the last token it read
            error(last.file, last.line, last.src != null ? last.src.displayCol(last.off + last.text.length())
                            : last.col + last.text.length(),
                    "unterminated argument list invoking macro \"" + m.name + "\"");
            return null;
        }
        int argc = args.size();
        if (argc == 1 && paramc == 0 && args.get(0).toks.isEmpty()) {
            argc = 0;
        }
        if (argc != paramc) {
            if (argc < paramc && argc + 1 == paramc && m.variadic) {
                // the variable arguments may be left out entirely (GNU extension)
            } else {
                String msg = argc < paramc
                        ? "macro \"" + m.name + "\" requires " + paramc + " arguments, but only " + argc + " given"
                        : "macro \"" + m.name + "\" passed " + argc + " arguments, but takes just " + paramc;
                error(t, msg);
                return null;
            }
        }
        while (args.size() < paramc) {
            args.add(new Arg());
        }
        if (m.variadic && (argc < paramc || (argc == 1 && args.get(0).toks.isEmpty()))) {
            args.get(paramc - 1).omitted = true;
        }
        return args;
    }

    private List<Tok> expandArg(Arg arg) {
        if (arg.expanded != null) {
            return arg.expanded;
        }
        if (++argNesting > MAX_ARG_NESTING) {
            error(currentName(), currentLine(), 0, "macro arguments nested more than " + MAX_ARG_NESTING + " deep");
            throw new Fatal();
        }
        Tok[] toks = arg.toks.toArray(new Tok[arg.toks.size() + 1]);
        toks[toks.length - 1] = ARG_EOF;
        pushContext(null, toks, 0);
        top().inExpansion = true;
        int[] lines = new int[toks.length];
        for (int i = 0; i < arg.lines.size(); i++) {
            lines[i] = arg.lines.get(i);
        }
        top().lines = lines;
        int base = contexts.size();
        ArrayList<Tok> res = new ArrayList<>();
        for (;;) {
            Tok t = getToken();
            if (t.type == TokType.EOF) {
                break;
            }
            res.add(t);
        }
        while (contexts.size() >= base) {
            popContext();
        }
        argNesting--;
        arg.expanded = res;
        return res;
    }

    private Tok stringify(List<Tok> toks, Tok at) {
        StringBuilder sb = new StringBuilder("\"");
        Tok src = null;
        for (Tok t : toks) {
            if (t.type == TokType.PADDING) {
                if (src == null || (!src.has(Tok.PREV_WHITE) && t.source == null)) {
                    src = t.source;
                }
                continue;
            }
            boolean escape = t.type == TokType.STRING || t.type == TokType.CHAR;
            if (sb.length() > 1) {
                if (src == null) {
                    src = t;
                }
                if (src.has(Tok.PREV_WHITE)) {
                    sb.append(' ');
                }
            }
            src = null;
            if (escape) {
                for (int i = 0; i < t.text.length(); i++) {
                    char c = t.text.charAt(i);
                    if (c == '\\' || c == '"') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            } else {
                sb.append(t.text);
            }
        }
        int bs = 0;
        while (sb.length() - 1 - bs >= 1 && sb.charAt(sb.length() - 1 - bs) == '\\') {
            bs++;
        }
        if ((bs & 1) != 0) {
            warning(at, "invalid string literal, ignoring final '\\'");
            sb.setLength(sb.length() - 1);
        }
        sb.append('"');
        return new Tok(TokType.STRING, sb.toString(), 0, at.file, at.line, at.col);
    }

    // __VA_OPT__ tracking (C2x 6.10.4.1), as cpp does it while substituting arguments
    private static final int V_INCLUDE = 0;
    private static final int V_DROP = 1;
    private static final int V_BEGIN = 2;
    private static final int V_END = 3;

    private void replaceArgs(MacroDef m, List<Arg> args, int expLine) {
        Tok[] body = m.body;
        ArrayList<Tok> out = new ArrayList<>(body.length + 8);
        int vState = 0;
        int vUpdate = -1;
        boolean vStringify = false;
        int vaoptStart = -1;
        for (int i = 0; i < body.length; i++) {
            Tok src = body[i];
            int vs = V_INCLUDE;
            if (m.variadic) {
                if (src.type == TokType.NAME && src.text.equals("__VA_OPT__")) {
                    vState = 1;
                    vStringify = src.has(Tok.STRINGIFY);
                    vs = V_BEGIN;
                } else if (vState == 1) {
                    vState = 2;
                    if (vUpdate < 0) {
                        vUpdate = V_DROP;
                        for (Tok t : expandArg(args.get(m.paramc() - 1))) {
                            if (t.type != TokType.PADDING) {
                                vUpdate = V_INCLUDE;
                                break;
                            }
                        }
                    }
                    vs = V_DROP;
                } else if (vState >= 2) {
                    if (vState == 2) {
                        vState++;
                    }
                    vs = vUpdate;
                    if (src.type == TokType.OPEN_PAREN) {
                        vState++;
                    } else if (src.type == TokType.CLOSE_PAREN) {
                        vState--;
                        if (vState == 2) {
                            vState = 0;
                            vs = V_END;
                        }
                    }
                }
            }
            if (vs != V_INCLUDE) {
                if (vs == V_BEGIN) {
                    if (i != 0 && !body[i - 1].has(Tok.PASTE_LEFT)) {
                        out.add(Tok.padding(src));
                    }
                    vaoptStart = out.size() - 1;
                } else if (vs == V_END) {
                    int start = vaoptStart;
                    vaoptStart = -1;
                    int pasteFlag = out.size() - 1;
                    if (vStringify) {
                        List<Tok> seg = out.subList(start >= 0 ? start + 1 : 0, out.size());
                        List<Tok> joined = pasteSequence(seg);
                        Tok str = stringify(joined, src);
                        seg.clear();
                        if (src.has(Tok.PASTE_LEFT)) {
                            str = str.withFlags(str.flags | Tok.PASTE_LEFT);
                        }
                        out.add(str);
                        continue;
                    }
                    if (start >= 0 && pasteFlag == start && out.get(start).has(Tok.PASTE_LEFT)) {
                        out.set(start, out.get(start).withFlags(out.get(start).flags & ~Tok.PASTE_LEFT));
                    }
                    if (src.has(Tok.PASTE_LEFT)) {
                        if (pasteFlag >= 0 && out.get(pasteFlag).type != TokType.PADDING) {
                            out.set(pasteFlag, out.get(pasteFlag).withFlags(out.get(pasteFlag).flags | Tok.PASTE_LEFT));
                        }
                    } else {
                        out.add(AVOID_PASTE);
                    }
                }
                continue;
            }
            if (src.type != TokType.MACRO_ARG) {
                out.add(src);
                continue;
            }
            Arg arg = args.get(src.argNo);
            boolean rhsOfPaste = i > 0 && body[i - 1].has(Tok.PASTE_LEFT);
            List<Tok> argToks;
            if (src.has(Tok.STRINGIFY)) {
                if (arg.stringified == null) {
                    arg.stringified = stringify(arg.toks, src);
                }
                argToks = List.of(arg.stringified);
            } else if (src.has(Tok.PASTE_LEFT) || rhsOfPaste) {
                argToks = arg.toks;
            } else {
                argToks = expandArg(arg);
            }
            int pasteFlagIdx = -1;
            // cpp looks at what precedes a pasted argument only when it is not itself
            // stringized or the left side of another paste
            if (rhsOfPaste && !src.has(Tok.STRINGIFY) && !src.has(Tok.PASTE_LEFT)) {
                int last = out.size() - 1;
                if (last >= 0 && out.get(last).type == TokType.COMMA && m.variadic && src.argNo == m.paramc() - 1) {
                    if (arg.omitted) {
                        out.remove(last);
                    } else {
                        pasteFlagIdx = last;
                    }
                } else if (argToks.isEmpty() && (vaoptStart < 0 || last != vaoptStart)) {
                    pasteFlagIdx = last;
                }
            }
            boolean afterVaoptStart = vaoptStart >= 0 && out.size() - 1 == vaoptStart;
            if ((!inDirective || directiveWantsPadding) && i != 0 && !rhsOfPaste && !afterVaoptStart) {
                out.add(Tok.padding(src));
            }
            if (!argToks.isEmpty()) {
                out.addAll(argToks);
                if (src.has(Tok.PASTE_LEFT)) {
                    pasteFlagIdx = out.size() - 1;
                }
            }
            if (!inDirective && !src.has(Tok.PASTE_LEFT)) {
                out.add(AVOID_PASTE);
            }
            if (pasteFlagIdx >= 0) {
                Tok target = out.get(pasteFlagIdx);
                out.set(pasteFlagIdx, target.withFlags((target.flags & ~Tok.PASTE_LEFT) | (src.flags & Tok.PASTE_LEFT)));
            }
        }
        pushContext(m, out.toArray(new Tok[0]), expLine);
    }

    /** Performs the pastes marked inside {@code seg} (for a stringized __VA_OPT__). */
    private static List<Tok> pasteSequence(List<Tok> seg) {
        ArrayList<Tok> res = new ArrayList<>();
        for (int i = 0; i < seg.size(); i++) {
            Tok tok = seg.get(i);
            if (tok.has(Tok.PASTE_LEFT)) {
                Tok rhs;
                do {
                    if (i + 1 >= seg.size()) {
                        break;
                    }
                    rhs = seg.get(++i);
                    Tok p = pasteTokens(tok, rhs);
                    if (p == null) {
                        i--;
                        tok = tok.withFlags(tok.flags & ~Tok.PASTE_LEFT);
                        break;
                    }
                    tok = p;
                } while (rhs.has(Tok.PASTE_LEFT));
            }
            res.add(tok);
        }
        return res;
    }

    /** The single token spelled by {@code lhs} then {@code rhs}, or null if there is none. */
    private static Tok pasteTokens(Tok lhs, Tok rhs) {
        String text = lhs.text + (lhs.type == TokType.DIV && rhs.type != TokType.EQ ? " " : "") + rhs.text;
        Tok res = Lexer.lexOne(text, lhs.file != null ? lhs : rhs);
        return res == null ? null : res.withFlags(res.flags | (lhs.flags & Tok.PREV_WHITE));
    }

    private void pasteAll(Tok first) {
        Context c = top();
        Tok lhs = first;
        Tok rhs;
        do {
            if (c.pos >= c.toks.length) {
                lhs = lhs.withFlags(lhs.flags & ~Tok.PASTE_LEFT);
                break;
            }
            rhs = c.toks[c.pos++];
            if (rhs.type == TokType.PADDING) {
                if (rhs.source == null) {
                    continue;
                }
                continue;
            }
            Tok res = pasteTokens(lhs, rhs);
            if (res == null) {
                c.pos--;
                lhs = lhs.withFlags(lhs.flags & ~Tok.PASTE_LEFT);
                break;
            }
            lhs = res;
        } while (rhs.has(Tok.PASTE_LEFT));
        pushContext(null, new Tok[] {lhs}, c.expLine);
        top().inExpansion = c.macro != null || c.inExpansion;
    }

    // ------------------------------------------------------------------ directives

    private Tok dirName;

    /** Runs the directive introduced by {@code hash}; false when it is an assembler '#' line. */
    private boolean handleDirective(Tok hash) {
        int savedArgs = parsingArgs;
        int savedPrevent = preventExpansion;
        parsingArgs = 0;
        preventExpansion = 0;
        inDirective = true;
        lineSkipped = false;
        boolean skip = true;
        try {
            Tok dname = lexToken();
            dirName = dname;
            String dir = null;
            if (dname.type == TokType.NAME) {
                dir = switch (dname.text) {
                    case "define", "undef", "include", "include_next", "import", "if", "ifdef", "ifndef",
                         "elif", "elifdef", "elifndef", "else", "endif", "line", "error", "warning", "pragma",
                         "ident", "sccs", "assert", "unassert" -> dname.text;
                    default -> null;
                };
            }
            if (dir != null) {
                boolean ifCond = dir.equals("if") || dir.equals("ifdef") || dir.equals("ifndef");
                boolean cond = ifCond || dir.startsWith("el") || dir.equals("endif");
                if (!ifCond) {
                    miValid = false;
                }
                boolean incl = dir.startsWith("include") || dir.equals("import");
                angledHeaders = incl;
                directiveWantsPadding = incl;
                if (skipping && !cond) {
                    dir = null;
                }
            } else if (dname.type == TokType.EOF) {
                // the null directive
            } else {
                // an assembler line such as "#address-cells = <1>;": give it back as text
                skip = false;
            }
            if (dir != null) {
                runDirective(dir, hash, dname);
            } else if (!skip) {
                backup(dname);
            }
            if (skip && !lineSkipped) {
                skipRestOfLine();
            }
        } finally {
            inDirective = false;
            angledHeaders = false;
            directiveWantsPadding = false;
            parsingArgs = savedArgs;
            preventExpansion = savedPrevent;
        }
        return skip;
    }

    private void skipRestOfLine() {
        while (!contexts.isEmpty()) {
            popContext();
        }
        while (lexToken().type != TokType.EOF) {
            // discard
        }
    }

    private void checkEol(String dir) {
        Tok t = lexToken();
        if (t.type != TokType.EOF) {
            warning(t, "extra tokens at end of #" + dir + " directive");
        }
    }

    private void runDirective(String dir, Tok hash, Tok dname) {
        switch (dir) {
            case "define" -> doDefine();
            case "undef" -> doUndef();
            case "include", "include_next", "import" -> doInclude(dir, dname);
            case "if" -> {
                boolean skip = true;
                miIndCmacro = null;
                if (!skipping) {
                    skip = !evalIf(dname);
                }
                pushConditional(dname, skip, "if", miIndCmacro);
            }
            case "ifdef", "ifndef" -> {
                boolean skip = true;
                String node = null;
                if (!skipping) {
                    node = lexMacroName(dir);
                    if (node != null) {
                        boolean def = macros.containsKey(node);
                        skip = dir.equals("ifdef") ? !def : def;
                        checkEol(dir);
                    }
                }
                pushConditional(dname, skip, dir, dir.equals("ifndef") ? node : null);
            }
            case "elif", "elifdef", "elifndef" -> doElif(dir, dname);
            case "else" -> doElse(dname);
            case "endif" -> doEndif(dname);
            case "line" -> doLine(dname);
            case "error", "warning" -> {
                StringBuilder msg = new StringBuilder("#").append(dir);
                for (Tok t = lexToken(); t.type != TokType.EOF; t = lexToken()) {
                    msg.append(msg.length() == dir.length() + 1 || t.has(Tok.PREV_WHITE) ? " " : "").append(t.text);
                }
                if (dir.equals("error")) {
                    error(dname, msg.toString());
                } else {
                    warning(dname, msg.toString());
                }
            }
            case "pragma" -> doPragma(dname);
            default -> {
                // #ident, #sccs, #assert, #unassert: nothing to do for assembler output
            }
        }
    }

    private Tok macroNameTok;

    private String lexMacroName(String dir) {
        Tok t = lexToken();
        macroNameTok = t;
        if (t.type == TokType.NAME) {
            if (t.text.equals("defined") && (dir.equals("define") || dir.equals("undef"))) {
                error(t, "\"defined\" cannot be used as a macro name");
                return null;
            }
            return t.text;
        }
        if (t.type == TokType.EOF) {
            error(dirName, "no macro name given in #" + dir + " directive");
        } else {
            error(t, "macro names must be identifiers");
        }
        return null;
    }

    private void doDefine() {
        String name = lexMacroName("define");
        if (name == null) {
            return;
        }
        Tok nameTok = macroNameTok;
        String file = currentName();
        int line = currentLine();
        List<String> params = new ArrayList<>();
        boolean funLike = false;
        boolean variadic = false;
        Tok t = lexToken();
        if (t.type == TokType.OPEN_PAREN && !t.has(Tok.PREV_WHITE)) {
            funLike = true;
            boolean ok = false;
            t = lexToken();
            if (t.type == TokType.CLOSE_PAREN) {
                ok = true;
            } else {
                for (;;) {
                    if (t.type == TokType.NAME) {
                        if (params.contains(t.text)) {
                            error(t, "duplicate macro parameter \"" + t.text + "\"");
                            return;
                        }
                        if (t.text.equals("__VA_ARGS__")) {
                            warning(t, "__VA_ARGS__ can only appear in the expansion of a C99 variadic macro");
                        }
                        params.add(t.text);
                        t = lexToken();
                        if (t.type == TokType.ELLIPSIS) {
                            variadic = true;
                            t = lexToken();
                            if (t.type != TokType.CLOSE_PAREN) {
                                error(t, "expected ')' after \"...\"");
                                return;
                            }
                            ok = true;
                            break;
                        }
                        if (t.type == TokType.CLOSE_PAREN) {
                            ok = true;
                            break;
                        }
                        if (t.type != TokType.COMMA) {
                            error(t, t.type == TokType.EOF ? "expected ',' or ')', found end of line"
                                    : "expected ',' or ')', found \"" + t.text + "\"");
                            return;
                        }
                        t = lexToken();
                    } else if (t.type == TokType.ELLIPSIS) {
                        variadic = true;
                        params.add("__VA_ARGS__");
                        t = lexToken();
                        if (t.type != TokType.CLOSE_PAREN) {
                            error(t, "expected ')' after \"...\"");
                            return;
                        }
                        ok = true;
                        break;
                    } else {
                        error(t, t.type == TokType.EOF ? "expected parameter name, found end of line"
                                : "expected parameter name, found \"" + t.text + "\"");
                        return;
                    }
                }
            }
            if (!ok) {
                return;
            }
            t = lexToken();
        }
        ArrayList<Tok> body = new ArrayList<>();
        boolean followingPaste = false;
        for (; t.type != TokType.EOF; t = lexToken()) {
            Tok tok = t;
            if (tok.type == TokType.NAME) {
                int idx = funLike ? params.indexOf(tok.text) : -1;
                if (idx >= 0) {
                    tok = new Tok(TokType.MACRO_ARG, tok.text, tok.flags, tok.file, tok.line, tok.col, null, idx);
                } else if (tok.text.equals("__VA_ARGS__") && !variadic) {
                    warning(tok, "__VA_ARGS__ can only appear in the expansion of a C99 variadic macro");
                }
            }
            int n = body.size();
            boolean vaOpt = variadic && tok.type == TokType.NAME && tok.text.equals("__VA_OPT__");
            if (funLike && n > 0 && body.get(n - 1).type == TokType.HASH && !body.get(n - 1).has(Tok.PASTE_LEFT)
                    && !followingPaste && (tok.type == TokType.MACRO_ARG || vaOpt)) {
                Tok hash = body.remove(n - 1);
                tok = tok.withFlags((tok.flags & ~Tok.PREV_WHITE) | Tok.STRINGIFY | (hash.flags & Tok.PREV_WHITE));
                body.add(tok);
                followingPaste = false;
                continue;
            }
            if (tok.type == TokType.PASTE) {
                if (n == 0) {
                    error(tok, "'##' cannot appear at either end of a macro expansion");
                    return;
                }
                if (!followingPaste) {
                    Tok p = body.get(n - 1);
                    body.set(n - 1, p.withFlags(p.flags | Tok.PASTE_LEFT));
                }
                followingPaste = true;
                continue;
            }
            followingPaste = false;
            body.add(tok);
        }
        if (followingPaste) {
            error(t, "'##' cannot appear at either end of a macro expansion");
            return;
        }
        if (!body.isEmpty()) {
            Tok f = body.get(0);
            body.set(0, f.withFlags(f.flags & ~Tok.PREV_WHITE));
        }
        MacroDef def = new MacroDef(name, funLike, variadic, List.copyOf(params), body.toArray(new Tok[0]),
                null, file, line);
        MacroDef old = macros.get(name);
        if (old != null && !old.sameAs(def)) {
            if (old.builtin != null) {
                warning(nameTok, "redefining builtin macro \"" + name + "\"");
            } else {
                warning(nameTok, "\"" + name + "\" redefined");
            }
        }
        macros.put(name, def);
    }

    private void doUndef() {
        String name = lexMacroName("undef");
        if (name == null) {
            return;
        }
        MacroDef old = macros.remove(name);
        if (old != null && old.builtin != null) {
            warning(dirName, "undefining \"" + name + "\"");
        }
        checkEol("undef");
    }

    private void pushConditional(Tok at, boolean skip, String type, String cmacro) {
        IfState s = new IfState(at.file, at.line, skipping, skipping || !skip, type,
                miValid && miCmacro == null ? cmacro : null);
        buf.ifs.add(s);
        skipping = skip;
    }

    private IfState topIf() {
        return buf.ifs.isEmpty() ? null : buf.ifs.get(buf.ifs.size() - 1);
    }

    private void doElif(String dir, Tok dname) {
        IfState s = topIf();
        if (s == null) {
            error(dname, "#" + dir + " without #if");
            return;
        }
        if (s.type.equals("else")) {
            error(dname, "#" + dir + " after #else");
        }
        s.type = dir;
        if (s.skipElses) {
            skipping = true;
        } else {
            if (dir.equals("elif")) {
                skipping = false;
                skipping = !evalIf(dname);
            } else {
                skipping = false;
                String node = lexMacroName(dir);
                if (node != null) {
                    boolean def = macros.containsKey(node);
                    skipping = dir.equals("elifdef") ? !def : def;
                    checkEol(dir);
                } else {
                    skipping = true;
                }
            }
            s.skipElses = !skipping;
        }
        s.miCmacro = null;
    }

    private void doElse(Tok dname) {
        IfState s = topIf();
        if (s == null) {
            error(dname, "#else without #if");
            return;
        }
        if (s.type.equals("else")) {
            error(dname, "#else after #else");
        }
        s.type = "else";
        skipping = s.skipElses;
        s.skipElses = true;
        s.miCmacro = null;
        if (!s.wasSkipping) {
            checkEol("else");
        }
    }

    private void doEndif(Tok dname) {
        IfState s = topIf();
        if (s == null) {
            error(dname, "#endif without #if");
            return;
        }
        if (!s.wasSkipping) {
            checkEol("endif");
        }
        if (buf.ifs.size() == 1 && s.miCmacro != null) {
            miValid = true;
            miCmacro = s.miCmacro;
        }
        buf.ifs.remove(buf.ifs.size() - 1);
        skipping = s.wasSkipping;
    }

    private void doLine(Tok dname) {
        Tok t = nextNonPadding();
        if (t.type != TokType.NUMBER || !t.text.chars().allMatch(Character::isDigit)) {
            error(t.type == TokType.EOF ? dname : t, "\"" + t.text + "\" after #line is not a positive integer");
            return;
        }
        long n;
        try {
            n = Long.parseLong(t.text);
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE) {
            warning(t, "line number out of range");
            n = n & 0xFFFFFFFFL;
        }
        String newName = buf.lx.presumedName;
        Tok f = nextNonPadding();
        if (f.type == TokType.STRING && f.text.startsWith("\"")) {
            newName = unescape(f.text.substring(1, f.text.length() - 1));
            checkEol("line");
        } else if (f.type != TokType.EOF) {
            error(f, "invalid filename \"" + f.text + "\"");
            return;
        }
        skipRestOfLine();
        lineSkipped = true;
        int physNext = buf.lx.currentLine() - buf.lx.lineDelta + 1;
        buf.lx.lineDelta = (int) n - physNext;
        buf.lx.presumedName = newName;
        printLine((int) n, newName, "");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
                switch (c) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    default -> sb.append(c);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private Tok nextNonPadding() {
        Tok t;
        do {
            t = getToken();
        } while (t.type == TokType.PADDING);
        return t;
    }

    /** What the #if evaluator needs from the preprocessor. */
    private final IfExpression.Host ifHost = new IfExpression.Host() {
        @Override
        public Tok next() {
            return nextNonPadding();
        }

        @Override
        public Tok nextUnexpanded() {
            preventExpansion++;
            try {
                return nextNonPadding();
            } finally {
                preventExpansion--;
            }
        }

        @Override
        public Tok nextHeaderName() {
            angledHeaders = true;
            try {
                return nextNonPadding();
            } finally {
                angledHeaders = false;
            }
        }

        @Override
        public boolean isDefined(String name) {
            return macros.containsKey(name);
        }

        @Override
        public boolean hasInclude(String fname, boolean angled) {
            if (fname.startsWith("/")) {
                return Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(fname)));
            }
            if (!angled && Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(buf.dirPrefix + fname)))) {
                return true;
            }
            for (String d : includeDirs) {
                if (Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(d.endsWith("/") ? d + fname : d + "/" + fname)))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void error(Tok at, String msg) {
            Engine.this.error(at, msg);
        }

        @Override
        public void warning(Tok at, String msg) {
            Engine.this.warning(at, msg);
        }
    };

    private boolean evalIf(Tok dname) {
        IfExpression e = new IfExpression(ifHost, unsignedChar);
        try {
            boolean r = e.evaluate(dname);
            miIndCmacro = e.guardMacro();
            return r;
        } catch (IfExpression.Failed f) {
            return false;
        } finally {
            skipRestOfLine();
            lineSkipped = true;
        }
    }

    private void doPragma(Tok dname) {
        preventExpansion++;
        Tok t = nextNonPadding();
        preventExpansion--;
        if (t.type != TokType.NAME) {
            return;
        }
        switch (t.text) {
            case "once" -> {
                lineChange(t);
                if (buffers.size() == 1) {
                    warning(t, "#pragma once in main file");
                }
                checkEol("pragma once");
                onceFiles.add(buf.name);
            }
            case "push_macro", "pop_macro" -> {
                lineChange(t);
                Tok p = lexToken();
                Tok s = lexToken();
                Tok c = lexToken();
                if (p.type != TokType.OPEN_PAREN || s.type != TokType.STRING || c.type != TokType.CLOSE_PAREN) {
                    error(t, "invalid #pragma " + t.text + " directive");
                    return;
                }
                String name = s.text.substring(1, s.text.length() - 1);
                if (t.text.equals("push_macro")) {
                    pushedMacros.computeIfAbsent(name, k -> new ArrayDeque<>()).push(
                            macros.containsKey(name) ? macros.get(name) : new MacroDef(name, false, false,
                                    List.of(), null, null, null, 0));
                } else {
                    ArrayDeque<MacroDef> st = pushedMacros.get(name);
                    if (st != null && !st.isEmpty()) {
                        MacroDef d = st.pop();
                        if (d.body == null) {
                            macros.remove(name);
                        } else {
                            macros.put(name, d);
                        }
                    }
                }
            }
            case "GCC" -> {
                Tok what = lexToken();
                if (what.type != TokType.NAME || !(what.text.equals("poison") || what.text.equals("system_header")
                        || what.text.equals("dependency") || what.text.equals("warning")
                        || what.text.equals("error"))) {
                    return; // compiler pragmas: not printed for assembler sources
                }
                lineChange(t);
                if (what.text.equals("warning") || what.text.equals("error")) {
                    Tok m = lexToken();
                    String msg = m.type == TokType.STRING ? m.text.substring(1, m.text.length() - 1) : m.text;
                    if (what.text.equals("error")) {
                        error(what, msg);
                    } else {
                        warning(what, msg);
                    }
                }
            }
            default -> {
                // other pragmas are not printed for assembler sources
            }
        }
    }

    private void doInclude(String dir, Tok dname) {
        Tok t = nextNonPadding();
        String fname;
        boolean angled;
        if (t.type == TokType.STRING && t.text.startsWith("\"")) {
            fname = t.text.substring(1, t.text.length() - 1);
            angled = false;
        } else if (t.type == TokType.HEADER_NAME) {
            fname = t.text.substring(1, t.text.length() - 1);
            angled = true;
        } else if (t.type == TokType.LESS) {
            StringBuilder sb = new StringBuilder();
            Tok src = null;
            Tok u;
            for (;;) {
                u = getToken();
                if (u.type == TokType.PADDING) {
                    if (src == null || (!src.has(Tok.PREV_WHITE) && u.source == null)) {
                        src = u.source;
                    }
                    continue;
                }
                if (u.type == TokType.GREATER || u.type == TokType.EOF) {
                    break;
                }
                if (sb.length() > 0) {
                    if (src == null) {
                        src = u;
                    }
                    if (src.has(Tok.PREV_WHITE)) {
                        sb.append(' ');
                    }
                }
                src = null;
                sb.append(u.text);
            }
            if (u.type == TokType.EOF) {
                error(t, "missing terminating > character");
                return;
            }
            fname = sb.toString();
            angled = true;
        } else {
            error(t.type == TokType.EOF ? dname : t, "#" + dir + " expects \"FILENAME\" or <FILENAME>");
            return;
        }
        if (fname.isEmpty()) {
            error(t, "empty filename in #" + dir);
            return;
        }
        Tok extra = nextNonPadding();
        if (extra.type != TokType.EOF) {
            warning(extra, "extra tokens at end of #" + dir + " directive");
        }
        skipRestOfLine();
        lineSkipped = true;
        if (buffers.size() >= maxDepth) {
            error(extra.type == TokType.EOF ? extra : t, "#include nested depth " + buffers.size()
                    + " exceeds maximum of " + maxDepth + " (use -fmax-include-depth=DEPTH to increase the maximum)");
            return;
        }
        if (angled && includeDirs.isEmpty() && !fname.startsWith("/")) {
            error(extra, "no include path in which to search for " + fname);
            return;
        }
        boolean next = dir.equals("include_next");
        if (next && buffers.size() == 1) {
            warning(dname, "#include_next in primary source file");
            next = false;
        }
        int start;
        String found = null;
        int foundIdx = -2;
        String cacheKey;
        if (fname.startsWith("/")) {
            if (Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(fname)))) {
                found = fname;
            }
            start = includeDirs.size();
            cacheKey = "/";
        } else if (next && buf.foundDir >= -1) {
            start = buf.foundDir + 1;
            cacheKey = "I" + start;
        } else if (angled) {
            start = 0;
            cacheKey = "I0";
        } else {
            cacheKey = "Q" + buf.dirPrefix;
            String cand = buf.dirPrefix + fname;
            if (Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(cand)))) {
                found = cand;
                foundIdx = -1;
            }
            start = 0;
        }
        for (int i = start; found == null && i < includeDirs.size(); i++) {
            String d = includeDirs.get(i);
            String cand = d.isEmpty() ? fname : d.endsWith("/") ? d + fname : d + "/" + fname;
            if (Files.isRegularFile(cwd.resolve(FileNameText.ofByteChars(cand)))) {
                found = cand;
                foundIdx = i;
            }
        }
        if (found == null) {
            error(t, fname + ": No such file or directory");
            throw new Fatal();
        }
        // cpp's file cache: an entry is found by the folder the search started in, or else by
        // the folder the file was found in; a guarded header is skipped only through its entry
        FileInfo fi = fileInfo.get(cacheKey + "\0" + fname);
        if (fi == null) {
            String foundKey = foundIdx >= 0 ? "I" + foundIdx : foundIdx == -1 ? "Q" + buf.dirPrefix : "/";
            fi = fileInfo.get(foundKey + "\0" + fname);
            if (fi == null) {
                fi = new FileInfo();
                if (foundIdx >= 0 && !cacheKey.equals("I0") && start == 0) {
                    fileInfo.put("I0\0" + fname, fi);
                }
            }
            fileInfo.put(cacheKey + "\0" + fname, fi);
        }
        if (onceFiles.contains(found) || (fi.cmacro != null && macros.containsKey(fi.cmacro))) {
            filesRead.add(found);
            return;
        }
        if (dir.equals("import")) {
            onceFiles.add(found);
        }
        String raw = readFile(found, t);
        if (raw == null) {
            error(t, found + ": No such file or directory");
            throw new Fatal();
        }
        int includedFrom = buf.lx.currentLine();
        String parentName = buf.lx.presumedName;
        buf.lx.consumeNewline();
        maybePrintLine(includedFrom, parentName);
        pushBuffer(raw, found, foundIdx);
        buf.info = fi;
        printLine(1, found, " 1");
    }
}
