package io.dtkit.dts.edit;

import io.dtkit.dts.edit.SourceIndex.Block;
import io.dtkit.dts.edit.SourceIndex.NodeInfo;
import io.dtkit.dts.edit.SourceIndex.PropDef;
import io.dtkit.source.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Format-preserving edits of a raw DTS file (Devicetree Specification v0.3, chapter 6 "DTS
 * format", plus dtc's extensions and the C preprocessor lines people keep in sources): get,
 * set and delete properties, add and delete nodes, addressed by path, {@code &label},
 * {@code &label/child}, {@code &{/path}} or an alias. Only the bytes of the edited statement
 * change; comments, blank lines, indentation, includes and macros elsewhere stay as they are.
 *
 * <p>Blocks are mapped to paths the way dtc merges them, reading included files (read-only)
 * to resolve labels. The effective definition of a property is the last one in merge order.
 * Definitions that exist only in an included file are not edited: the editor refuses with
 * {@link DtsEditError#IN_INCLUDED_FILE}, naming the file and line, unless
 * {@link #allowOverrideBlock(boolean)} is set, in which case it appends a dtc-style override
 * at the end of the edited file: {@code &label { name = value; };} (or {@code &{/path}} when
 * the node has no label), {@code /delete-property/} or {@code /delete-node/ &label;}.
 *
 * <p>Conditional preprocessor blocks ({@code #if}/{@code #ifdef}) are not evaluated: both
 * branches are read as if active.
 */
public final class DtsSourceEditor {
    private final String fileName;
    private final Path path;
    private final List<Path> includeDirs;
    private final Map<Path, byte[]> fileCache = new HashMap<>();
    private final List<TextEdit> edits = new ArrayList<>();
    private boolean allowOverrideBlock;
    private String text;
    private SourceIndex index;

    private DtsSourceEditor(String fileName, Path path, byte[] content, List<Path> includeDirs)
            throws DtsEditException {
        this.fileName = fileName;
        this.path = path;
        this.includeDirs = List.copyOf(includeDirs);
        this.text = new String(content, StandardCharsets.ISO_8859_1);
        reindex();
    }

    /** Reads {@code file}; {@code includeDirs} are searched for includes after the file's own folder. */
    public static DtsSourceEditor open(Path file, List<Path> includeDirs) throws DtsEditException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DtsEditException(DtsEditError.IO, Span.fileOnly(file.toString()), "cannot read: %s", e.getMessage());
        }
        return new DtsSourceEditor(file.toString(), file.toAbsolutePath(), content, includeDirs);
    }

    /** Edits {@code content} as if it were the file {@code file} (used to find quoted includes). */
    public static DtsSourceEditor of(Path file, byte[] content, List<Path> includeDirs) throws DtsEditException {
        return new DtsSourceEditor(file.toString(), file.toAbsolutePath(), content, includeDirs);
    }

    /** Allows edits of definitions that live only in included files by appending override blocks. */
    public DtsSourceEditor allowOverrideBlock(boolean allow) {
        this.allowOverrideBlock = allow;
        return this;
    }

    /** The file's bytes with every edit so far applied. */
    public byte[] content() {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Every change made so far, in order. */
    public List<TextEdit> edits() {
        return List.copyOf(edits);
    }

    /** Things the scanner could not follow (missing includes, unknown labels, macro-built names). */
    public List<String> warnings() {
        return List.copyOf(index.warnings);
    }

    /** A position naming just the edited file, for errors that concern no particular line. */
    private Span here() {
        return Span.fileOnly(fileName);
    }

    /** The current merge index (for tests in this package). */
    SourceIndex index() {
        return index;
    }

    /** The full path of the node an address names. */
    public String resolve(String address) throws DtsEditException {
        return resolveNode(address).path;
    }

    public boolean hasNode(String address) {
        try {
            resolveNode(address);
            return true;
        } catch (DtsEditException e) {
            return false;
        }
    }

    /** The source text of the effective value ({@code ""} for a boolean property), if any. */
    public Optional<String> findProperty(String address, String name) throws DtsEditException {
        PropDef d = effective(resolveNode(address), name);
        return d == null ? Optional.empty() : Optional.of(fromLatin1(d.valueText()));
    }

    /**
     * The effective value read as one cell, when its source is a single literal like
     * {@code <2>} or {@code <0x1>} (what {@code #address-cells} and {@code #size-cells} hold);
     * empty when the property is absent or its value is anything else (e.g. a macro).
     */
    public OptionalLong findCell(String address, String name) throws DtsEditException {
        Optional<String> v = findProperty(address, name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        String t = v.get().trim();
        if (!t.startsWith("<") || !t.endsWith(">")) {
            return OptionalLong.empty();
        }
        t = t.substring(1, t.length() - 1).trim();
        try {
            long x = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            return x >= 0 && x <= 0xffffffffL ? OptionalLong.of(x) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The effective value decoded, when its source is one plain string literal such as
     * {@code "console=ttyS0"} (escapes {@code \n \t \r \\ \" \xNN} and octal understood);
     * empty when absent or anything else.
     */
    public Optional<String> findString(String address, String name) throws DtsEditException {
        Optional<String> v = findProperty(address, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String t = v.get().trim();
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return Optional.empty();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = t.substring(1, t.length() - 1).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c == '"') {
                return Optional.empty(); // more than one literal
            }
            if (c != '\\' || i + 1 >= b.length) {
                out.write(c);
                continue;
            }
            int d = b[++i] & 0xff;
            switch (d) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'v' -> out.write(11);
                case 'f' -> out.write('\f');
                case 'x' -> {
                    int val = 0;
                    int k = 0;
                    while (k < 2 && i + 1 < b.length && Character.digit(b[i + 1], 16) >= 0) {
                        val = val * 16 + Character.digit(b[++i], 16);
                        k++;
                    }
                    out.write(val);
                }
                default -> {
                    if (d >= '0' && d <= '7') {
                        int val = d - '0';
                        int k = 1;
                        while (k < 3 && i + 1 < b.length && b[i + 1] >= '0' && b[i + 1] <= '7') {
                            val = val * 8 + (b[++i] - '0');
                            k++;
                        }
                        out.write(val & 0xff);
                    } else {
                        out.write(d);
                    }
                }
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    /** The source text of the effective value ({@code ""} for a boolean property). */
    public String getProperty(String address, String name) throws DtsEditException {
        NodeInfo n = resolveNode(address);
        PropDef d = effective(n, name);
        if (d == null) {
            throw new DtsEditException(DtsEditError.NOT_FOUND, here(), "%s has no property %s", n.path, name);
        }
        return fromLatin1(d.valueText());
    }

    /**
     * Sets a property to {@code valueText} (DTS source, e.g. {@code "text"} or
     * {@code <0x0 0x1000>}; empty for a boolean property). An existing effective definition in
     * this file gets its value bytes replaced; otherwise a line {@code name = value;} is added
     * after the last property of the node's last block in this file.
     */
    public void setProperty(String address, String name, String valueText) throws DtsEditException {
        checkName(name, false);
        String value = toLatin1(valueText == null ? "" : valueText.strip());
        checkValue(name, value);
        NodeInfo n = resolveNode(address);
        PropDef d = effective(n, name);
        String stmt = value.isEmpty() ? name + ";" : name + " = " + value + ";";
        if (d != null && d.file() == index.main) {
            refuseConditional(n, name, d);
            if (d.valueStart() >= 0 && !value.isEmpty()) {
                apply(d.valueStart(), d.valueEnd(), value);
            } else if (d.valueStart() >= 0) {
                apply(d.nameEnd(), d.stmtEnd() - 1, ""); // becomes "name;"
            } else if (!value.isEmpty()) {
                apply(d.nameEnd(), d.nameEnd(), " = " + value);
            }
            return;
        }
        int after = d == null ? 0 : d.seq();
        Block b = lastMainBlock(n, after);
        if (b != null) {
            insertPropdef(b, stmt);
            return;
        }
        if (d == null && mainBlocks(n).isEmpty() && n.blocks.isEmpty()) {
            throw new DtsEditException(DtsEditError.NOT_FOUND, here(), "no block defines %s", n.path);
        }
        refuseOrOverride(n, d != null ? d.file().where(d.stmtStart())
                : lastBlockWhere(n), n.path + (d != null ? ":" + name : ""), stmt);
    }

    /**
     * Deletes a property: every definition of it in this file goes. When it is (also) defined
     * in an include, the edit is refused unless override blocks are allowed, in which case a
     * {@code /delete-property/} override is appended.
     */
    public void deleteProperty(String address, String name) throws DtsEditException {
        NodeInfo n = resolveNode(address);
        List<PropDef> defs = n.props.getOrDefault(name, List.of());
        if (defs.isEmpty()) {
            throw new DtsEditException(DtsEditError.NOT_FOUND, here(), "%s has no property %s", n.path, name);
        }
        PropDef foreign = null;
        for (PropDef d : defs) {
            if (d.file() != index.main) {
                foreign = d;
            }
        }
        if (foreign != null) {
            refuseOrOverride(n, foreign.file().where(foreign.stmtStart()), n.path + ":" + name,
                    "/delete-property/ " + name + ";");
            return;
        }
        List<int[]> spans = new ArrayList<>();
        for (PropDef d : defs) {
            refuseConditional(n, name, d);
            spans.add(statementRemoval(d.stmtStart(), d.stmtEnd()));
        }
        removeAll(spans);
    }

    /** Adds an empty node {@code name} at the end of the parent's last block in this file. */
    public void addNode(String parentAddress, String name) throws DtsEditException {
        checkName(name, true);
        NodeInfo p = resolveNode(parentAddress);
        String childPath = SourceIndex.child(p.path, name);
        if (index.nodes.containsKey(childPath)) {
            NodeInfo c = index.nodes.get(childPath);
            Block b = c.blocks.get(c.blocks.size() - 1);
            throw new DtsEditException(DtsEditError.EXISTS, b.file.span(b.stmtStart), "%s already exists", childPath);
        }
        Block b = lastMainBlock(p, 0);
        if (b == null) {
            refuseOrOverride(p, lastBlockWhere(p), p.path, name + " {" + eol() + indentUnit() + "};");
            return;
        }
        String ind = innerIndent(b);
        int close = b.closeBrace;
        int ls = lineStart(close);
        if (blank(ls, close)) {
            apply(ls, ls, ind + name + " {" + eol() + ind + "};" + eol());
        } else {
            apply(close, close, eol() + ind + name + " {" + eol() + ind + "};" + eol() + lineIndent(b.stmtStart));
        }
    }

    /**
     * Deletes a node: every block of it and of its descendants in this file goes. When any of
     * them is defined in an include, refused unless override blocks are allowed, in which case
     * {@code /delete-node/ &label;} (or {@code &{/path}}) is appended.
     */
    public void deleteNode(String address) throws DtsEditException {
        NodeInfo n = resolveNode(address);
        if ("/".equals(n.path)) {
            throw new DtsEditException(DtsEditError.BAD_ARGUMENT, here(), "the root node cannot be deleted");
        }
        List<NodeInfo> subtree = new ArrayList<>(index.nodes.subMap(n.path + "/", true, n.path + "/\uffff", true).values());
        subtree.add(n);
        List<String> doomedLabels = new ArrayList<>();
        for (NodeInfo x : subtree) {
            doomedLabels.addAll(x.labels);
        }
        String before = text;
        int editCount = edits.size();
        deleteBlocks(n, subtree);
        // a reference left to a label that no longer exists makes dtc fail: undo and say where
        for (String l : doomedLabels) {
            SourceIndex.Use use = index.valueRefs.get(l);
            if (use != null && !index.labels.containsKey(l)) {
                String where;
                if (use.file() == index.main) {
                    int pos = use.offset();
                    for (int k = edits.size() - 1; k >= editCount; k--) {
                        TextEdit e = edits.get(k);
                        if (pos >= e.offset() + e.inserted().length()) {
                            pos += e.removed().length() - e.inserted().length();
                        }
                    }
                    where = new SourceFile(fileName, path, before).where(pos);
                } else {
                    where = use.file().where(use.offset());
                }
                rollback(before, editCount);
                throw new DtsEditException(DtsEditError.IN_USE, here(),
                        "%s (&%s) is still referenced at %s; remove that reference first", n.path, l, where);
            }
        }
    }

    private void deleteBlocks(NodeInfo n, List<NodeInfo> subtree) throws DtsEditException {
        Block foreign = null;
        List<int[]> spans = new ArrayList<>();
        for (NodeInfo x : subtree) {
            for (Block b : x.blocks) {
                if (b.file != index.main) {
                    foreign = b;
                } else {
                    spans.add(new int[] {b.stmtStart, b.stmtEnd});
                }
            }
        }
        if (foreign != null) {
            if (!allowOverrideBlock) {
                throw new DtsEditException(DtsEditError.IN_INCLUDED_FILE, foreign.file.span(foreign.stmtStart),
                        "%s is defined in %s; edit that file or add an override in this one",
                        n.path, foreign.file.where(foreign.stmtStart));
            }
            String ref = n.labels.isEmpty() ? "&{" + n.path + "}" : "&" + n.labels.get(0);
            appendAtEnd("/delete-node/ " + ref + ";" + eol());
            return;
        }
        // nested blocks are covered by their ancestors' spans
        spans.sort(Comparator.comparingInt(a -> a[0]));
        List<int[]> outer = new ArrayList<>();
        int reach = -1;
        for (int[] s : spans) {
            if (s[0] >= reach) {
                outer.add(statementRemoval(s[0], s[1]));
                reach = s[1];
            }
        }
        removeAll(outer);
    }

    /** Both branches of an #if are read; which one cpp keeps is unknown, so such a definition is not edited. */
    private static void refuseConditional(NodeInfo n, String name, PropDef d) throws DtsEditException {
        if (d.conditional()) {
            throw new DtsEditException(DtsEditError.AMBIGUOUS, d.file().span(d.stmtStart()),
                    "%s:%s at %s is inside an #if section; edit it by hand", n.path, name, d.file().where(d.stmtStart()));
        }
    }

    // ---- resolution

    private NodeInfo resolveNode(String address) throws DtsEditException {
        if (address == null || address.isEmpty()) {
            throw new DtsEditException(DtsEditError.BAD_ARGUMENT, here(), "empty node address");
        }
        String path;
        if (address.startsWith("&{")) {
            int e = address.indexOf('}');
            if (e < 0) {
                throw new DtsEditException(DtsEditError.BAD_ARGUMENT, here(), "unterminated path reference %s", address);
            }
            path = address.substring(2, e) + address.substring(e + 1);
        } else if (address.startsWith("/")) {
            path = address;
        } else {
            String a = address.startsWith("&") ? address.substring(1) : address;
            int slash = a.indexOf('/');
            String head = slash < 0 ? a : a.substring(0, slash);
            String rest = slash < 0 ? "" : a.substring(slash);
            String base = null;
            if (!address.startsWith("&")) {
                base = alias(head);
            }
            if (base == null) {
                if (index.ambiguousLabels.contains(head)) {
                    throw new DtsEditException(DtsEditError.AMBIGUOUS, here(), "label %s is defined on more than one node", head);
                }
                base = index.labels.get(head);
            }
            if (base == null) {
                throw new DtsEditException(DtsEditError.NOT_FOUND, here(), "no label or alias %s%s", head, unresolvedNote());
            }
            path = "/".equals(base) && !rest.isEmpty() ? rest : base + rest;
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        NodeInfo n = index.nodes.get(path);
        if (n == null) {
            throw new DtsEditException(DtsEditError.NOT_FOUND, here(), "node %s not found%s", path, unresolvedNote());
        }
        return n;
    }

    private String alias(String name) {
        NodeInfo aliases = index.nodes.get("/aliases");
        if (aliases == null) {
            return null;
        }
        PropDef d = effective(aliases, name);
        if (d == null) {
            return null;
        }
        String v = d.valueText().trim();
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
            return v.substring(1, v.length() - 1);
        }
        if (v.startsWith("&{") && v.endsWith("}")) {
            return v.substring(2, v.length() - 1);
        }
        if (v.startsWith("&")) {
            return index.labels.get(v.substring(1));
        }
        return null;
    }

    private String unresolvedNote() {
        for (String w : index.warnings) {
            if (w.contains("not found")) {
                return " (note: " + w + ")";
            }
        }
        return "";
    }

    private static PropDef effective(NodeInfo n, String name) {
        List<PropDef> defs = n.props.get(name);
        return defs == null || defs.isEmpty() ? null : defs.get(defs.size() - 1);
    }

    private List<Block> mainBlocks(NodeInfo n) {
        List<Block> out = new ArrayList<>();
        for (Block b : n.blocks) {
            if (b.file == index.main) {
                out.add(b);
            }
        }
        return out;
    }

    /** The last block of {@code n} in the edited file that opens after merge step {@code after}. */
    private Block lastMainBlock(NodeInfo n, int after) {
        for (int i = n.blocks.size() - 1; i >= 0; i--) {
            Block b = n.blocks.get(i);
            if (b.file == index.main && b.seq > after) {
                return b;
            }
        }
        return null;
    }

    private static String lastBlockWhere(NodeInfo n) {
        Block b = n.blocks.get(n.blocks.size() - 1);
        return b.file.where(b.stmtStart);
    }

    private void refuseOrOverride(NodeInfo n, String where, String what, String statement) throws DtsEditException {
        if (!allowOverrideBlock) {
            int colon = where.lastIndexOf(':');
            Span at = Span.at(where.substring(0, colon), Integer.parseInt(where.substring(colon + 1)), 1);
            throw new DtsEditException(DtsEditError.IN_INCLUDED_FILE, at,
                    "%s is defined in %s; edit that file or add an override in this one", what, where);
        }
        String ref = n.labels.isEmpty() ? "&{" + n.path + "}" : "&" + n.labels.get(0);
        if ("/".equals(n.path)) {
            ref = "/";
        }
        String u = indentUnit();
        String body = statement.replace(eol(), eol() + u);
        appendAtEnd(ref + " {" + eol() + u + body + eol() + "};" + eol());
    }

    // ---- text surgery

    private void appendAtEnd(String block) throws DtsEditException {
        int end = text.length();
        String pre;
        if (end == 0) {
            pre = "";
        } else if (text.endsWith("\n")) {
            pre = eol();
        } else {
            pre = eol() + eol();
        }
        apply(end, end, pre + block);
    }

    private void insertPropdef(Block b, String stmt) throws DtsEditException {
        String ind = innerIndent(b);
        int anchor = b.lastPropEnd >= 0 ? b.lastPropEnd : b.openBrace + 1;
        if (b.lastPropEnd >= 0 && text.indexOf('\n', anchor) > b.closeBrace || text.indexOf('\n', anchor) < 0) {
            apply(anchor, anchor, " " + stmt); // a one-line block stays on one line
            return;
        }
        int lineEnd = triviaToLineEnd(anchor);
        if (lineEnd >= 0) {
            apply(lineEnd, lineEnd, eol() + ind + stmt);
            return;
        }
        int next = skipSpaces(anchor);
        if (next == b.closeBrace) {
            apply(anchor, next, eol() + ind + stmt + eol() + lineIndent(b.stmtStart));
        } else {
            apply(anchor, anchor, eol() + ind + stmt);
        }
    }

    /** Where the current line ends (before its CR/LF) if only blanks and comments follow {@code pos}; else -1. */
    private int triviaToLineEnd(int pos) {
        int n = text.length();
        int i = pos;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i > pos && text.charAt(i - 1) == '\r' ? i - 1 : i;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (text.startsWith("//", i)) {
                int e = text.indexOf('\n', i);
                i = e < 0 ? n : e;
            } else if (text.startsWith("/*", i)) {
                int e = text.indexOf("*/", i + 2);
                if (e < 0 || text.indexOf('\n', i) >= 0 && text.indexOf('\n', i) < e) {
                    return -1;
                }
                i = e + 2;
            } else {
                return -1;
            }
        }
        return n;
    }

    private int skipSpaces(int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The range to cut for a statement: its whole line(s), with line break and trailing
     * same-line comment, when it stands alone on its line; otherwise just the statement and
     * the blanks after it.
     */
    private int[] statementRemoval(int start, int end) {
        int ls = lineStart(start);
        int le = triviaToLineEnd(end);
        if (blank(ls, start) && le >= 0) {
            int cut = le;
            if (cut < text.length() && text.charAt(cut) == '\r') {
                cut++;
            }
            if (cut < text.length() && text.charAt(cut) == '\n') {
                cut++;
            }
            // Do not leave two blank lines (or a blank line before a '}' or the end) behind.
            if (ls > 0) {
                int prev = lineStart(ls - 1);
                if (blankLine(prev, ls) && (cut >= text.length() || blankLine(cut, lineEnd(cut))
                        || text.charAt(skipBlanks(cut)) == '}')) {
                    return new int[] {prev, cut};
                }
            }
            return new int[] {ls, cut};
        }
        int e = end;
        while (e < text.length() && (text.charAt(e) == ' ' || text.charAt(e) == '\t')) {
            e++;
        }
        return new int[] {start, e};
    }

    private void removeAll(List<int[]> spans) throws DtsEditException {
        String before = text;
        int n = edits.size();
        spans.sort(Comparator.comparingInt((int[] a) -> a[0]).reversed());
        for (int[] s : spans) {
            applyNoReindex(s[0], s[1], "");
        }
        try {
            reindex();
        } catch (DtsEditException e) {
            rollback(before, n);
            throw e;
        }
    }

    private void apply(int from, int to, String insert) throws DtsEditException {
        String before = text;
        int n = edits.size();
        applyNoReindex(from, to, insert);
        try {
            reindex();
        } catch (DtsEditException e) {
            rollback(before, n);
            throw e;
        }
    }

    private void rollback(String before, int editCount) throws DtsEditException {
        text = before;
        while (edits.size() > editCount) {
            edits.remove(edits.size() - 1);
        }
        reindex();
    }

    /** A value must be one complete value expression: no ';', braces or preprocessor lines at its top level. */
    private static void checkValue(String name, String value) throws DtsEditException {
        if (value.isEmpty()) {
            return;
        }
        SourceFile f = new SourceFile("value", null, "/ { " + name + " = " + value + "\n; };");
        try {
            SourceIndex probe = SourceIndex.build(f, List.of(), new HashMap<>());
            NodeInfo root = probe.node("/");
            List<PropDef> defs = root == null ? null : root.props.get(name);
            if (defs == null || defs.size() != 1 || root.props.size() != 1 || probe.nodes.size() != 1
                    || !defs.get(0).valueText().equals(value)) {
                throw new DtsEditException(DtsEditError.BAD_ARGUMENT, null, "not a single property value: %s", value);
            }
        } catch (DtsEditException e) {
            if (e.error() == DtsEditError.BAD_ARGUMENT) {
                throw e;
            }
            throw new DtsEditException(DtsEditError.BAD_ARGUMENT, null, "not a property value: %s (%s)",
                    value, e.diagnostics().get(0).message());
        }
    }

    private void applyNoReindex(int from, int to, String insert) {
        edits.add(new TextEdit(from, text.substring(from, to), insert));
        text = text.substring(0, from) + insert + text.substring(to);
    }

    private void reindex() throws DtsEditException {
        index = SourceIndex.build(new SourceFile(fileName, path, text), includeDirs, fileCache);
    }

    private int lineStart(int pos) {
        return text.lastIndexOf('\n', pos - 1) + 1;
    }

    /** True when the text from {@code from} to {@code to} is only blanks and a line break. */
    private boolean blankLine(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The offset after the line break of the line holding {@code pos}. */
    private int lineEnd(int pos) {
        int e = text.indexOf('\n', pos);
        return e < 0 ? text.length() : e + 1;
    }

    private int skipBlanks(int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return Math.min(i, text.length() - 1);
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Leading blanks of the line holding {@code pos}. */
    private String lineIndent(int pos) {
        int ls = lineStart(pos);
        int i = ls;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(ls, i);
    }

    /** The indentation used for statements inside {@code b}. */
    private String innerIndent(Block b) {
        if (b.firstInnerStart >= 0 && b.firstInnerStart < b.closeBrace) {
            int ls = lineStart(b.firstInnerStart);
            if (ls > b.openBrace && blank(ls, b.firstInnerStart)) {
                return text.substring(ls, b.firstInnerStart);
            }
        }
        return lineIndent(b.stmtStart) + indentUnit();
    }

    /** The file's indentation step: a tab, or the first run of spaces that indents a line. */
    private String indentUnit() {
        int i = 0;
        int n = text.length();
        while (i < n) {
            int e = text.indexOf('\n', i);
            if (e < 0) {
                e = n;
            }
            if (i < e) {
                char c = text.charAt(i);
                if (c == '\t') {
                    return "\t";
                }
                if (c == ' ') {
                    int j = i;
                    while (j < e && text.charAt(j) == ' ') {
                        j++;
                    }
                    if (j < e && text.charAt(j) != '*') { // skip " * " comment continuation lines
                        return " ".repeat(j - i);
                    }
                }
            }
            i = e + 1;
        }
        return "\t";
    }

    private String eol() {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    private static void checkName(String name, boolean node) throws DtsEditException {
        if (name == null || name.isEmpty()) {
            throw new DtsEditException(DtsEditError.BAD_ARGUMENT, null, "empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = Tokens.nameChar(c) && (node || c != '@');
            if (!ok) {
                throw new DtsEditException(DtsEditError.BAD_ARGUMENT, null, "'%c' is not allowed in %s name %s",
                        c, node ? "a node" : "a property", name);
            }
        }
    }

    private static String toLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String fromLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
