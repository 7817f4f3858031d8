package io.dtkit.dts.edit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps the statements of a raw DTS file and the files it includes onto node paths the way dtc
 * merges them: repeated {@code / {}} blocks, {@code &label} and {@code &{/path}} extensions,
 * {@code /delete-node/} and {@code /delete-property/}. Every block and property definition is
 * numbered in dtc's merge order, so the last one seen is the effective one. Nesting is tracked
 * with an explicit stack; only the include nesting (capped) recurses.
 */
final class SourceIndex {
    private static final int MAX_INCLUDE_DEPTH = 64;

    /** One {@code name { ... };} block (or a root / reference block). */
    static final class Block {
        final SourceFile file;
        final String path;
        final int stmtStart;
        final int openBrace;
        final int seq;
        int closeBrace = -1;
        int stmtEnd = -1;
        int lastPropEnd = -1;
        int firstInnerStart = -1;
        int condDepthAtOpen;
        boolean lastPropConditional;

        Block(SourceFile file, String path, int stmtStart, int openBrace, int seq) {
            this.file = file;
            this.path = path;
            this.stmtStart = stmtStart;
            this.openBrace = openBrace;
            this.seq = seq;
        }
    }

    /** One {@code name = value;} or {@code name;} statement. */
    record PropDef(SourceFile file, Block block, int stmtStart, int nameEnd, int valueStart,
                   int valueEnd, int stmtEnd, int seq, boolean conditional) {
        String valueText() {
            return valueStart < 0 ? "" : file.text.substring(valueStart, valueEnd);
        }
    }

    /** Everything known about one node path. */
    static final class NodeInfo {
        final String path;
        final List<Block> blocks = new ArrayList<>();
        final Map<String, List<PropDef>> props = new HashMap<>();
        final List<String> labels = new ArrayList<>();
        /** Statements in its blocks the scanner kept as opaque text (macros that may make children). */
        int opaque;

        NodeInfo(String path) {
            this.path = path;
        }
    }

    private record Frame(Block block) {
    }

    final SourceFile main;
    final List<Path> includeDirs;
    final Map<Path, byte[]> fileCache;
    final NavigableMap<String, NodeInfo> nodes = new TreeMap<>();
    final Map<String, String> labels = new HashMap<>();
    final Set<String> ambiguousLabels = new HashSet<>();
    /** Labels used as {@code &label} inside property values: the first use's file and offset. */
    final Map<String, Use> valueRefs = new HashMap<>();

    record Use(SourceFile file, int offset) {
    }
    final List<String> warnings = new ArrayList<>();
    private int seq;
    private int condDepth;
    private final Map<String, String> macros = new HashMap<>();
    private ArrayDeque<Boolean> condStack = new ArrayDeque<>();
    private SourceFile currentFile;

    private SourceIndex(SourceFile main, List<Path> includeDirs, Map<Path, byte[]> fileCache) {
        this.main = main;
        this.includeDirs = includeDirs;
        this.fileCache = fileCache;
    }

    static SourceIndex build(SourceFile main, List<Path> includeDirs, Map<Path, byte[]> fileCache)
            throws DtsEditException {
        SourceIndex idx = new SourceIndex(main, includeDirs, fileCache);
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        idx.parse(main, stack, 0);
        if (!stack.isEmpty()) {
            Block b = stack.peek().block;
            throw new DtsEditException(DtsEditError.PARSE, b.file.span(b.stmtStart),
                    "block opened here is never closed");
        }
        return idx;
    }

    NodeInfo node(String path) {
        return nodes.get(path);
    }

    private NodeInfo nodeFor(String path) {
        return nodes.computeIfAbsent(path, NodeInfo::new);
    }

    static String child(String parent, String name) {
        return "/".equals(parent) ? "/" + name : parent + "/" + name;
    }

    private void parse(SourceFile f, ArrayDeque<Frame> stack, int depth) throws DtsEditException {
        Tokens t = Tokens.scan(f);
        int entryDepth = stack.size();
        condDepth = 0;
        condStack = new ArrayDeque<>();
        currentFile = f;
        int i = 0;
        while (t.kind[i] != Tokens.EOF) {
            int k = t.kind[i];
            if (k == Tokens.PP) {
                preprocessorLine(f, t, i, stack, depth);
                conditional(t, i, stack.isEmpty() ? null : stack.peek().block);
                i++;
                continue;
            }
            if (k == Tokens.RBRACE) {
                if (stack.size() <= entryDepth) {
                    throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]), "unbalanced '}'");
                }
                Block b = stack.pop().block;
                if (b != null) {
                    b.closeBrace = t.start[i];
                    b.stmtEnd = t.end[i];
                }
                i++;
                if (t.kind[i] == Tokens.SEMI) {
                    if (b != null) {
                        b.stmtEnd = t.end[i];
                    }
                    i++;
                }
                continue;
            }
            if (k == Tokens.SEMI) {
                i++;
                continue;
            }
            Block cur = stack.isEmpty() ? null : stack.peek().block;
            boolean inNode = !stack.isEmpty();
            int stmtStart = t.start[i];
            if (cur != null && cur.firstInnerStart < 0) {
                cur.firstInnerStart = stmtStart;
            }
            List<String> stmtLabels = new ArrayList<>(1);
            while (t.kind[i] == Tokens.LABEL) {
                stmtLabels.add(f.text.substring(t.start[i], t.end[i] - 1));
                i++;
            }
            if (t.kind[i] == Tokens.KEYWORD && "/omit-if-no-ref/".equals(t.text(i))) {
                i++;
            }
            k = t.kind[i];
            if (k == Tokens.KEYWORD) {
                String kw = t.text(i);
                switch (kw) {
                    case "/delete-node/" -> {
                        int target = i + 1;
                        int semi = expectSemi(f, t, target + 1, kw);
                        deleteNode(f, t, target, inNode ? (cur == null ? null : cur.path) : null, inNode);
                        i = semi + 1;
                    }
                    case "/delete-property/" -> {
                        int semi = expectSemi(f, t, i + 2, kw);
                        if (cur != null && cur.path != null && t.kind[i + 1] == Tokens.WORD) {
                            NodeInfo n = nodes.get(cur.path);
                            if (n != null) {
                                n.props.remove(t.text(i + 1));
                            }
                        }
                        markPropdefEnd(cur, t.end[semi]);
                        i = semi + 1;
                    }
                    case "/include/" -> {
                        if (t.kind[i + 1] == Tokens.STRING) {
                            String name = unquote(t.text(i + 1));
                            include(f, t.start[i], name, true, stack, depth);
                            i += 2;
                        } else {
                            i++;
                        }
                    }
                    default -> i = skipStatement(f, t, i);
                }
                continue;
            }
            int next = t.kind[i + 1];
            if ((k == Tokens.SLASH || k == Tokens.REF || k == Tokens.PATHREF) && next == Tokens.LBRACE) {
                String path;
                if (k == Tokens.SLASH) {
                    path = inNode ? null : "/";
                } else if (k == Tokens.REF) {
                    path = labelTarget(f, t, i);
                } else {
                    String p = t.text(i);
                    path = p.substring(2, p.length() - 1).trim();
                    if (!nodes.containsKey(path)) {
                        warnings.add(f.where(t.start[i]) + ": path " + path + " not found");
                        path = null;
                    }
                }
                openBlock(f, stack, path, stmtStart, t.start[i + 1], stmtLabels);
                i += 2;
                continue;
            }
            if (k == Tokens.WORD && next == Tokens.LBRACE) {
                String path = cur == null || cur.path == null ? null : child(cur.path, expandName(t.text(i)));
                if (!inNode) {
                    throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]),
                            "node '%s' outside of any block", t.text(i));
                }
                openBlock(f, stack, path, stmtStart, t.start[i + 1], stmtLabels);
                i += 2;
                continue;
            }
            if (k == Tokens.WORD && (next == Tokens.EQ || next == Tokens.SEMI) && inNode) {
                String name = t.text(i);
                int nameEnd = t.end[i];
                int vs = -1;
                int ve = -1;
                int semi;
                if (next == Tokens.EQ) {
                    semi = endOfValue(f, t, i + 2, name);
                    for (int r = i + 2; r < semi; r++) {
                        if (t.kind[r] == Tokens.REF) {
                            valueRefs.putIfAbsent(t.text(r).substring(1), new Use(f, t.start[r]));
                        }
                    }
                    if (semi > i + 2) {
                        vs = t.start[i + 2];
                        ve = t.end[semi - 1];
                    }
                } else {
                    semi = i + 1;
                }
                if (cur != null && cur.path != null) {
                    NodeInfo n = nodeFor(cur.path);
                    n.props.computeIfAbsent(name, x -> new ArrayList<>(1))
                            .add(new PropDef(f, cur, stmtStart, nameEnd, vs, ve, t.end[semi], ++seq, condDepth > 0));
                }
                markPropdefEnd(cur, t.end[semi]);
                i = semi + 1;
                continue;
            }
            // Something the scanner does not understand (a macro used as a statement, or a
            // node whose name is built by a macro): opaque up to its ';' or its block.
            if (cur != null && cur.path != null) {
                nodeFor(cur.path).opaque++;
            }
            int j = i;
            int depthP = 0;
            while (true) {
                int kk = t.kind[j];
                if (kk == Tokens.EOF || (kk == Tokens.RBRACE && depthP == 0)) {
                    i = j;
                    break;
                }
                if (kk == Tokens.LPAREN) {
                    depthP++;
                } else if (kk == Tokens.RPAREN) {
                    depthP = Math.max(0, depthP - 1);
                } else if (kk == Tokens.SEMI && depthP == 0) {
                    i = j + 1;
                    break;
                } else if (kk == Tokens.LBRACE && depthP == 0) {
                    String raw = f.text.substring(t.start[i], t.end[j - 1 < i ? i : j - 1]).trim();
                    warnings.add(f.where(t.start[i]) + ": node name '" + raw + "' not understood; its contents are not indexed");
                    openBlock(f, stack, null, stmtStart, t.start[j], stmtLabels);
                    i = j + 1;
                    break;
                }
                j++;
            }
        }
        if (stack.size() != entryDepth) {
            Block b = stack.peek().block;
            throw new DtsEditException(DtsEditError.PARSE,
                    b == null ? f.span(f.text.length()) : b.file.span(b.stmtStart),
                    "block opened here is not closed before the end of %s", f.name);
        }
    }

    private void markPropdefEnd(Block cur, int end) {
        if (cur != null && cur.file == currentFile) {
            cur.lastPropEnd = end;
            cur.lastPropConditional = condDepth != cur.condDepthAtOpen;
        }
    }

    /**
     * Follows #if/#endif nesting so that a property added after the last one of a block does
     * not land inside a conditional section: the anchor moves past the closing #endif.
     */
    private void conditional(Tokens t, int i, Block cur) {
        String word = directive(t.text(i));
        if (word.startsWith("if")) {
            // "#ifndef X" + "#define X" is an include guard, not a choice between branches
            boolean guard = word.equals("ifndef") && t.kind[i + 1] == Tokens.PP
                    && directive(t.text(i + 1)).equals("define")
                    && macroName(t.text(i + 1)).equals(macroName(t.text(i)));
            condStack.push(guard);
            if (!guard) {
                condDepth++;
            }
        } else if (word.equals("endif") && !condStack.isEmpty()) {
            if (!condStack.pop()) {
                condDepth--;
            }
            if (cur != null && cur.file == currentFile && cur.lastPropConditional && condDepth == cur.condDepthAtOpen) {
                cur.lastPropEnd = t.end[i];
                cur.lastPropConditional = false;
            }
        }
    }

    private static String directive(String line) {
        int p = 1;
        while (p < line.length() && (line.charAt(p) == ' ' || line.charAt(p) == '\t')) {
            p++;
        }
        int e = p;
        while (e < line.length() && Character.isLetter(line.charAt(e))) {
            e++;
        }
        return line.substring(p, e);
    }

    private static String macroName(String line) {
        String rest = line.substring(line.indexOf(directive(line)) + directive(line).length()).trim();
        int e = 0;
        while (e < rest.length() && Tokens.labelChar(rest.charAt(e))) {
            e++;
        }
        return rest.substring(0, e);
    }

    private void openBlock(SourceFile f, ArrayDeque<Frame> stack, String path, int stmtStart,
                           int openBrace, List<String> stmtLabels) {
        Block b = new Block(f, path, stmtStart, openBrace, ++seq);
        b.condDepthAtOpen = condDepth;
        if (path != null) {
            NodeInfo n = nodeFor(path);
            n.blocks.add(b);
            for (String l : stmtLabels) {
                if (!n.labels.contains(l)) {
                    n.labels.add(l);
                }
                String old = labels.put(l, path);
                if (old != null && !old.equals(path) && nodes.containsKey(old)) {
                    ambiguousLabels.add(l);
                }
            }
        }
        stack.push(new Frame(b));
    }

    private String labelTarget(SourceFile f, Tokens t, int i) {
        String label = t.text(i).substring(1);
        String path = labels.get(label);
        if (path == null || !nodes.containsKey(path)) {
            warnings.add(f.where(t.start[i]) + ": label " + label + " not found (defined in an unreadable include?)");
            return null;
        }
        return path;
    }

    private void deleteNode(SourceFile f, Tokens t, int target, String parent, boolean inNode) {
        String path = null;
        int k = t.kind[target];
        if (k == Tokens.REF) {
            path = labelTarget(f, t, target);
        } else if (k == Tokens.PATHREF) {
            String p = t.text(target);
            path = p.substring(2, p.length() - 1).trim();
        } else if (k == Tokens.WORD && inNode && parent != null) {
            path = child(parent, expandName(t.text(target)));
        }
        if (path == null || !nodes.containsKey(path)) {
            return;
        }
        List<String> doomed = new ArrayList<>(nodes.subMap(path + "/", true, path + "/\uffff", true).keySet());
        doomed.add(path);
        for (String p : doomed) {
            NodeInfo n = nodes.remove(p);
            for (String l : n.labels) {
                if (p.equals(labels.get(l))) {
                    labels.remove(l);
                }
            }
        }
    }

    private static int expectSemi(SourceFile f, Tokens t, int i, String what) throws DtsEditException {
        if (t.kind[i] != Tokens.SEMI) {
            throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]), "expected ';' after %s", what);
        }
        return i;
    }

    private static int skipStatement(SourceFile f, Tokens t, int i) throws DtsEditException {
        int j = i;
        while (t.kind[j] != Tokens.SEMI) {
            if (t.kind[j] == Tokens.EOF || t.kind[j] == Tokens.LBRACE || t.kind[j] == Tokens.RBRACE) {
                throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]), "statement without ';'");
            }
            j++;
        }
        return j + 1;
    }

    /** Index of the ';' that ends a property value starting at token {@code i}. */
    private static int endOfValue(SourceFile f, Tokens t, int i, String name) throws DtsEditException {
        int parens = 0;
        int brackets = 0;
        boolean cells = false;
        for (int j = i; ; j++) {
            switch (t.kind[j]) {
                case Tokens.SEMI -> {
                    if (parens == 0 && brackets == 0 && !cells) {
                        return j;
                    }
                    throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]),
                            "unterminated value of property %s", name);
                }
                case Tokens.EOF, Tokens.LBRACE, Tokens.RBRACE, Tokens.PP ->
                        throw new DtsEditException(DtsEditError.PARSE, f.span(t.start[i]),
                                "unterminated value of property %s", name);
                case Tokens.LT -> {
                    if (parens == 0) {
                        cells = true;
                    }
                }
                case Tokens.GT -> {
                    if (parens == 0) {
                        cells = false;
                    }
                }
                case Tokens.LPAREN -> parens++;
                case Tokens.RPAREN -> parens = Math.max(0, parens - 1);
                case Tokens.LBRACK -> brackets++;
                case Tokens.RBRACK -> brackets = Math.max(0, brackets - 1);
                default -> {
                }
            }
        }
    }

    private void preprocessorLine(SourceFile f, Tokens t, int i, ArrayDeque<Frame> stack, int depth)
            throws DtsEditException {
        String line = t.text(i);
        String word = directive(line);
        if (word.equals("define")) {
            define(line);
            return;
        }
        if (word.equals("undef")) {
            macros.remove(macroName(line));
            return;
        }
        int p = 1;
        while (p < line.length() && (line.charAt(p) == ' ' || line.charAt(p) == '\t')) {
            p++;
        }
        if (!word.equals("include")) {
            return;
        }
        p += "include".length();
        while (p < line.length() && (line.charAt(p) == ' ' || line.charAt(p) == '\t')) {
            p++;
        }
        if (p >= line.length()) {
            return;
        }
        char open = line.charAt(p);
        char close = open == '"' ? '"' : open == '<' ? '>' : 0;
        int e = close == 0 ? -1 : line.indexOf(close, p + 1);
        if (e < 0) {
            warnings.add(f.where(t.start[i]) + ": include with a macro file name not followed");
            return;
        }
        include(f, t.start[i], line.substring(p + 1, e), open == '"', stack, depth);
    }

    private void include(SourceFile from, int at, String name, boolean quoted, ArrayDeque<Frame> stack,
                         int depth) throws DtsEditException {
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw new DtsEditException(DtsEditError.PARSE, from.span(at), "includes nested too deeply");
        }
        Path found = null;
        List<Path> dirs = new ArrayList<>();
        if (quoted && from.path != null && from.path.getParent() != null) {
            dirs.add(from.path.getParent());
        }
        dirs.addAll(includeDirs);
        for (Path d : dirs) {
            Path c = d.resolve(name).normalize();
            if (Files.isRegularFile(c)) {
                found = c;
                break;
            }
        }
        if (found == null) {
            warnings.add(from.where(at) + ": include " + name + " not found; labels it defines are unknown");
            return;
        }
        byte[] bytes = fileCache.get(found);
        if (bytes == null) {
            try {
                bytes = Files.readAllBytes(found);
            } catch (IOException e) {
                throw new DtsEditException(DtsEditError.IO, from.span(at), "cannot read %s: %s", found, e.getMessage());
            }
            fileCache.put(found, bytes);
        }
        SourceFile inc = new SourceFile(displayName(found), found, bytes);
        if (name.endsWith(".h")) {
            header(inc, stack, depth + 1); // macro definitions only: nothing that makes nodes
            return;
        }
        int savedCond = condDepth;
        ArrayDeque<Boolean> savedStack = condStack;
        SourceFile savedFile = currentFile;
        parse(inc, stack, depth + 1);
        condDepth = savedCond;
        condStack = savedStack;
        currentFile = savedFile;
    }

    /** Reads a C header for its object-like macros (and the headers it includes). */
    private void header(SourceFile f, ArrayDeque<Frame> stack, int depth) {
        try {
            Tokens t = Tokens.scan(f);
            for (int i = 0; i < t.count; i++) {
                if (t.kind[i] == Tokens.PP) {
                    String w = directive(t.text(i));
                    if (w.equals("define") || w.equals("undef") || w.equals("include") && t.text(i).contains(".h")) {
                        preprocessorLine(f, t, i, stack, depth);
                    }
                }
            }
        } catch (DtsEditException e) {
            warnings.add(f.name + ": not read as a header: " + e.getMessage());
        }
    }

    /** Records {@code #define NAME value}; function-like macros are not expanded. */
    private void define(String line) {
        String name = macroName(line);
        int at = line.indexOf(name, line.indexOf("define") + 6) + name.length();
        if (name.isEmpty() || at < line.length() && line.charAt(at) == '(') {
            return;
        }
        String value = line.substring(at).replaceAll("/\\*.*?\\*/", " ").replaceAll("//.*", "")
                .replace("\\\n", " ").replace("\\\r\n", " ").trim();
        macros.put(name, value);
    }

    /**
     * A node name as cpp leaves it: identifiers that are object-like macros with a one-token
     * value (e.g. {@code pd_vio@RK3399_PD_VIO}) are replaced; numbers are never touched.
     */
    String expandName(String name) {
        if (macros.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        int i = 0;
        int n = name.length();
        while (i < n) {
            char c = name.charAt(i);
            int j = i + 1;
            if (Character.isDigit(c)) {
                while (j < n && (Tokens.labelChar(name.charAt(j)) || name.charAt(j) == '.')) {
                    j++;
                }
                sb.append(name, i, j);
            } else if (Tokens.labelStart(c)) {
                while (j < n && Tokens.labelChar(name.charAt(j))) {
                    j++;
                }
                String id = name.substring(i, j);
                for (int k = 0; k < 8 && macros.containsKey(id); k++) {
                    String v = macros.get(id);
                    if (v.isEmpty() || !v.chars().allMatch(ch -> Tokens.labelChar((char) ch))) {
                        break;
                    }
                    id = v;
                }
                sb.append(id);
            } else {
                sb.append(c);
            }
            i = j;
        }
        return sb.toString();
    }

    private String displayName(Path p) {
        if (main.path != null && main.path.getParent() != null) {
            Path base = main.path.getParent().toAbsolutePath().normalize();
            Path abs = p.toAbsolutePath().normalize();
            if (abs.startsWith(base)) {
                return base.relativize(abs).toString();
            }
        }
        return p.toString();
    }

    static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' ? s.substring(1, s.length() - 1) : s;
    }
}
