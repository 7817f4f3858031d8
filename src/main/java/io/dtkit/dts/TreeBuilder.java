package io.dtkit.dts;

import static io.dtkit.dts.grammar.DtsParser.*;

import io.dtkit.dts.LiveTree.Data;
import io.dtkit.dts.LiveTree.LabelIndex;
import io.dtkit.dts.LiveTree.Lbl;
import io.dtkit.dts.LiveTree.LiveNode;
import io.dtkit.dts.LiveTree.LiveProp;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Reservation;
import io.dtkit.source.FileNameText;
import io.dtkit.source.IoReasons;
import io.dtkit.source.Span;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the live tree while the parser runs, applying each rule's meaning as dtc's parser
 * actions do, and drops every finished part of the parse tree so that memory stays bounded
 * by the nesting depth rather than by the size of the input.
 */
final class TreeBuilder implements ParseTreeListener {
    private final Diagnostics diags;
    private SourceReader reader;
    private List<String> filesRead;

    /** The files the token source and {@code /incbin/} read, in order. */
    List<String> filesRead() {
        return reader != null ? reader.filesRead : filesRead;
    }
    private LabelIndex labels = new LabelIndex();
    private final Deque<LiveNode> building = new ArrayDeque<>();
    private LiveNode lastBody;
    private final List<long[]> headerFlags = new ArrayList<>();
    private final List<Span> headerSpans = new ArrayList<>();
    private boolean headersDone;
    private int nextFragment;

    LiveNode root;
    boolean plugin;
    /** The parser's token stream, to close the span of an operand the parser just finished. */
    org.antlr.v4.runtime.TokenStream input;
    final List<Reservation> reservations = new ArrayList<>();

    TreeBuilder(Diagnostics diags, SourceReader reader) {
        this.diags = diags;
        this.reader = reader;
    }

    // ---------------------------------------------------------------- positions

    static PosToken tok(Token t) {
        return (PosToken) t;
    }

    static Span span(Token a, Token b) {
        PosToken x = tok(a);
        PosToken y = tok(b);
        return new Span(y.file, x.line1, x.col1, y.line2, y.col2);
    }

    static Span span(ParserRuleContext ctx) {
        Token stop = ctx.getStop() == null ? ctx.getStart() : ctx.getStop();
        if (stop.getTokenIndex() < ctx.getStart().getTokenIndex()) {
            stop = ctx.getStart();
        }
        return span(ctx.getStart(), stop);
    }

    /** The label or path a reference names: {@code &label}, {@code &{/path}}. */
    static String refText(RefContext r) {
        PosToken t = tok(r.getStart());
        return t.text(refSkip(t), refEndSkip(t));
    }

    /** What precedes the label or path: "&" or "&{". */
    private static int refSkip(PosToken t) {
        return t.getType() == PATH_REF ? 2 : 1;
    }

    /** What follows the path of "&{/path}". */
    private static int refEndSkip(PosToken t) {
        return t.getType() == PATH_REF ? 1 : 0;
    }

    /** A label without its colon. */
    private static String labelText(Token t) {
        return tok(t).text(0, 1);
    }

    /** A node or property name without the backslash that may escape it. */
    private static String nameText(TerminalNode n) {
        PosToken t = tok(n.getSymbol());
        return t.text(nameSkip(t), 0);
    }

    private static int nameSkip(PosToken t) {
        return t.charAt(0) == '\\' ? 1 : 0;
    }

    /** One copy of each repeated property name and reference, however many nodes use it. */
    private final TextPool shared = new TextPool();

    private String sharedName(TerminalNode n) {
        PosToken t = tok(n.getSymbol());
        return shared.of(t, nameSkip(t), 0);
    }

    private String sharedRef(RefContext r) {
        PosToken t = tok(r.getStart());
        return shared.of(t, refSkip(t), refEndSkip(t));
    }

    // ---------------------------------------------------------------- listener

    @Override
    public void visitTerminal(TerminalNode node) {
        // dtc checks the /bits/ size as soon as the '<' after it is read
        if (!stopped && !diags.aborted && node.getSymbol().getType() == LANGLE
                && node.getParent() instanceof CellsValueContext c) {
            bits(c);
        }
    }

    @Override
    public void visitErrorNode(ErrorNode node) {
    }

    @Override
    public void enterEveryRule(ParserRuleContext ctx) {
        if (stopped || diags.aborted) {
            return;
        }
        if (ctx instanceof NodeBodyContext) {
            building.push(new LiveNode(null));
        } else if (ctx instanceof MemreserveContext || ctx instanceof FirstDefContext) {
            finishHeaders();
        }
    }

    /**
     * Set once parsing stops: the generated rule methods still call exitRule while an
     * exception unwinds them, and those half-built contexts must be ignored.
     */
    boolean stopped;

    @Override
    public void exitEveryRule(ParserRuleContext ctx) {
        if (stopped || diags.aborted) {
            return;
        }
        try {
            exit(ctx);
        } catch (RuntimeException e) {
            stopped = true;
            throw e;
        }
    }

    private void exit(ParserRuleContext ctx) {
        boolean prune = true;
        if (ctx instanceof IntegerPrimContext c) {
            // evaluated when complete, as dtc's parser reduces it, so that its errors come
            // before any syntax error further on
            ParserRuleContext parent = c.getParent();
            if (parent instanceof CellsValueContext cells) {
                checkCell(cells, c);
            } else if (!(parent instanceof ExprContext) && !isPlain(c)) {
                primValues.put(c, Eval.eval(c, diags, subValues));
            }
            return;
        }
        if (ctx instanceof ExprContext c) {
            // reached for each finished left operand of an operator chain, at any depth, when
            // the parser sees the operator after it and before the parser has set its end:
            // dtc reduces (and checks) those at the same point, so a division by zero there
            // comes before a bad literal further on, even one that is the next operand
            if (c.getStop() == null && input != null) {
                c.stop = input.LT(-1);
            }
            subValues.put(c, Eval.eval(c, diags, subValues));
            return;
        }
        if (ctx instanceof IncbinValueContext c) {
            // dtc reads the file as soon as the construct is complete
            incbinData.put(c, readIncbin(c));
            return;
        }
        if (ctx instanceof RefContext c) {
            if (c.getParent() instanceof CellsValueContext cells) {
                checkCellRef(cells, c);
            }
            return;
        }
        if (ctx instanceof NodeBodyContext) {
            LiveNode n = building.pop();
            n.srcpos = new ArrayList<>(1);
            n.srcpos.add(span(ctx));
            lastBody = n;
            prune = false;
        } else if (ctx instanceof PropertyContext c) {
            property(c);
        } else if (ctx instanceof DeletePropertyContext c) {
            mustPrecede(c);
            LiveProp p = new LiveProp(sharedName(c.NAME()), new Data(), null);
            p.deleted = true;
            propLabels(p, c.LABEL());
            building.peek().addProp(p);
        } else if (ctx instanceof ChildNodeContext c) {
            LiveNode n = lastBody;
            n.name = nameText(c.NAME());
            subnodeLabels(n, c);
            building.peek().addChild(n);
        } else if (ctx instanceof DeleteChildContext c) {
            // dtc's position for a deleted child starts at /delete-node/, after any labels
            LiveNode n = new LiveNode(span(c.DEL_NODE().getSymbol(), c.SEMI().getSymbol()));
            n.name = nameText(c.NAME());
            n.deleted = true;
            subnodeLabels(n, c);
            building.peek().addChild(n);
        } else if (ctx instanceof HeaderContext c) {
            headerFlags.add(new long[] {c.PLUGIN() != null ? 3 : 1});
            headerSpans.add(span(c));
        } else if (ctx instanceof MemreserveContext c) {
            long addr = primValue(c.integerPrim(0));
            long size = primValue(c.integerPrim(1));
            List<String> ls = new ArrayList<>();
            // dtc adds the innermost label first, each at the head of the list
            List<TerminalNode> lt = c.LABEL();
            ArrayList<Lbl> tmp = new ArrayList<>();
            for (int i = lt.size() - 1; i >= 0; i--) {
                LiveTree.addLabel(tmp, labelText(lt.get(i).getSymbol()));
            }
            for (Lbl l : tmp) {
                ls.add(l.name);
            }
            reservations.add(new Reservation(addr, size, ls));
        } else if (ctx instanceof FirstRootContext) {
            root = lastBody;
            root.name = "";
        } else if (ctx instanceof FirstOrphanContext c) {
            String ref = refText(c.ref());
            if (!plugin) {
                diags.error(span(c.nodeBody()), "Label or path " + ref + " not found");
            }
            root = new LiveNode(null);
            root.name = "";
            addOrphan(root, lastBody, ref);
        } else if (ctx instanceof RootDefContext) {
            merge(root, lastBody);
        } else if (ctx instanceof RefDefContext c) {
            refDef(c);
        } else if (ctx instanceof DeleteRefDefContext c) {
            String ref = refText(c.ref());
            LiveNode t = LiveTree.byRef(root, ref, labels);
            if (t != null) {
                LiveTree.deleteNode(t);
            } else {
                diags.error(span(c.ref()), "Label or path " + ref + " not found");
            }
        } else if (ctx instanceof OmitRefDefContext c) {
            String ref = refText(c.ref());
            LiveNode t = LiveTree.byRef(root, ref, labels);
            if (t != null) {
                t.omitIfUnused = true;
            } else {
                diags.error(span(c.ref()), "Label or path " + ref + " not found");
            }
        } else {
            prune = false;
        }
        if (prune) {
            ParserRuleContext parent = ctx.getParent();
            if (parent != null && parent.children != null && !parent.children.isEmpty()
                    && parent.children.get(parent.children.size() - 1) == ctx) {
                parent.removeLastChild();
            }
        }
    }

    /**
     * Called when the parser gives up at a syntax error inside an expression: dtc's parser
     * has already reduced (and so checked) the complete operands before that point, so they
     * are evaluated here for their errors, outermost first.
     */
    void salvage(ParserRuleContext at) {
        if (stopped || diags.aborted) {
            return;
        }

        List<ParserRuleContext> chain = new ArrayList<>();
        for (ParserRuleContext c = at; c != null; c = c.getParent()) {
            chain.add(c);
        }
        java.util.Set<ParserRuleContext> inChain = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inChain.addAll(chain);
        for (int i = chain.size() - 1; i >= 0; i--) {
            ParserRuleContext c = chain.get(i);
            if (!(c instanceof ExprContext) && !(c instanceof IntegerPrimContext) || c.children == null) {
                continue;
            }
            for (ParseTree k : c.children) {
                if (k instanceof ExprContext e && !inChain.contains(e) && !subValues.containsKey(e)) {
                    Eval.eval(e, diags, subValues);
                }
            }
        }
    }

    /** Drops what only parsing needed, before the checks build their own indexes. */
    void release() {
        // the reader and token stream reach the whole source text: keep only the file list
        filesRead = reader.filesRead;
        reader = null;
        input = null;
        labels = null;
        shared.clear();
        primValues.clear();
        subValues.clear();
        incbinData.clear();
        cellBits.clear();
        lastBitsOf = null;
        lastBody = null;
    }

    private void finishHeaders() {
        if (headersDone) {
            return;
        }
        headersDone = true;
        int n = headerFlags.size();
        plugin = n > 0 && headerFlags.get(0)[0] == 3;
        for (int i = n - 2; i >= 0; i--) {
            if (headerFlags.get(i + 1)[0] != headerFlags.get(i)[0]) {
                diags.error(headerSpans.get(i + 1).to(headerSpans.get(n - 1)),
                        "Header flags don't match earlier ones");
            }
        }
    }

    // ---------------------------------------------------------------- nodes and labels

    private void nodeLabel(LiveNode n, String l) {
        LiveTree.addLabel(n.labels, l);
        labels.add(l, n);
    }

    private void subnodeLabels(LiveNode n, ParserRuleContext c) {
        // (LABEL | OMIT)* prefix; dtc applies them innermost first
        List<?> kids = c.children;
        for (int i = kids.size() - 1; i >= 0; i--) {
            if (kids.get(i) instanceof PosToken t) {
                int type = t.getType();
                if (type == LABEL) {
                    nodeLabel(n, labelText(t));
                } else if (type == OMIT) {
                    n.omitIfUnused = true;
                }
            }
        }
    }

    private static void propLabels(LiveProp p, List<TerminalNode> lt) {
        for (int i = lt.size() - 1; i >= 0; i--) {
            p.addLabel(labelText(lt.get(i).getSymbol()));
        }
    }

    private void mustPrecede(ParserRuleContext c) {
        if (!building.peek().children.isEmpty()) {
            diags.error(span(c), "Properties must precede subnodes");
            diags.aborted = true;
            throw new Diagnostics.Abort();
        }
    }

    private void refDef(RefDefContext c) {
        String ref = refText(c.ref());
        Span refSpan = span(c.ref());
        if (c.LABEL() != null) {
            LiveNode t = LiveTree.byRef(root, ref, labels);
            if (t != null) {
                nodeLabel(t, labelText(c.LABEL().getSymbol()));
                merge(t, lastBody);
            } else {
                diags.error(refSpan, "Label or path " + ref + " not found");
            }
            return;
        }
        boolean path = ref.startsWith("/");
        if (plugin && path) {
            addOrphan(root, lastBody, ref);
            return;
        }
        LiveNode t = LiveTree.byRef(root, ref, labels);
        if (t != null) {
            merge(t, lastBody);
        } else if (plugin) {
            addOrphan(root, lastBody, ref);
        } else {
            diags.error(refSpan, "Label or path " + ref + " not found");
        }
    }

    /** dtc's add_orphan_node: wraps an overlay target into {@code fragment@N/__overlay__}. */
    private void addOrphan(LiveNode dt, LiveNode node, String ref) {
        Data d = new Data();
        LiveProp p;
        if (ref.startsWith("/")) {
            d.mark(MarkerType.TYPE_STRING, null);
            byte[] b = ref.getBytes(StandardCharsets.ISO_8859_1);
            d.append(b, 0, b.length).appendByte(0);
            p = new LiveProp("target-path", d, null);
        } else {
            d.mark(MarkerType.REF_PHANDLE, ref);
            d.appendInt(0xffffffffL, 32);
            p = new LiveProp("target", d, null);
        }
        node.name = "__overlay__";
        LiveNode frag = new LiveNode(null);
        frag.name = "fragment@" + Integer.toUnsignedString(nextFragment++);
        frag.addProp(p);
        frag.addChild(node);
        dt.addChild(frag);
    }

    /** dtc's merge_nodes, with an explicit work list instead of recursion. */
    void merge(LiveNode oldNode, LiveNode newNode) {
        Deque<LiveNode[]> work = new ArrayDeque<>();
        work.push(new LiveNode[] {oldNode, newNode});
        while (!work.isEmpty()) {
            LiveNode[] pair = work.pop();
            LiveNode o = pair[0];
            LiveNode n = pair[1];
            o.deleted = false;
            for (Lbl l : n.labels) {
                nodeLabel(o, l.name);
            }
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    LiveProp old = o.propWithDel(p.name);
                    if (old != null) {
                        old.deleted = true;
                        for (Lbl l : old.labels) {
                            l.deleted = true;
                        }
                    }
                    continue;
                }
                LiveProp old = o.propWithDel(p.name);
                if (old != null) {
                    for (Lbl l : p.labels) {
                        old.addLabel(l.name);
                    }
                    old.val = p.val;
                    old.deleted = false;
                    old.span = p.span;
                } else {
                    o.addProp(p);
                }
            }
            List<LiveNode[]> later = new ArrayList<>();
            for (LiveNode c : n.children) {
                if (c.deleted) {
                    LiveNode old = o.childWithDel(c.name);
                    if (old != null) {
                        LiveTree.deleteNode(old);
                    }
                    continue;
                }
                LiveNode old = o.childWithDel(c.name);
                if (old != null) {
                    later.add(new LiveNode[] {old, c});
                } else {
                    o.addChild(c);
                }
            }
            for (int i = later.size() - 1; i >= 0; i--) {
                work.push(later.get(i));
            }
            if (n.srcpos != null) {
                if (o.srcpos == null) {
                    o.srcpos = n.srcpos;
                } else {
                    o.srcpos.addAll(n.srcpos);
                }
            }
        }
    }

    // ---------------------------------------------------------------- properties and values

    private final Map<IntegerPrimContext, Long> primValues = new IdentityHashMap<>();
    private final Map<ParserRuleContext, Long> subValues = new IdentityHashMap<>();
    private final Map<IncbinValueContext, byte[]> incbinData = new IdentityHashMap<>();
    private final Map<CellsValueContext, Integer> cellBits = new IdentityHashMap<>();
    /* the cell array whose cells are being checked now: a one-entry cache in front of cellBits */
    private CellsValueContext lastBitsOf;
    private int lastBits;

    /** A literal on its own: its value is in its token, and evaluating it reports nothing. */
    private static boolean isPlain(IntegerPrimContext c) {
        return c instanceof LiteralContext || c instanceof CharLiteralContext;
    }

    /** A plain literal's value, read from its token. */
    private static long plainValue(IntegerPrimContext c) {
        return ((PosToken) c.children.get(0)).value;
    }

    private long primValue(IntegerPrimContext c) {
        if (isPlain(c)) {
            // most cells are plain literals: no map entry, no boxing
            return plainValue(c);
        }
        Long v = primValues.remove(c);
        return v != null ? v : Eval.eval(c, diags, subValues);
    }

    /**
     * Whether a cell array starts with {@code /bits/ N}: a look at its first child, where the
     * generated accessor would scan every child (cell arrays are a large part of a source).
     */
    private static boolean hasBits(CellsValueContext c) {
        return c.children.get(0) instanceof PosToken t && t.getType() == BITS;
    }

    /** The element size of a cell array, reporting a bad {@code /bits/} once. */
    private int bits(CellsValueContext c) {
        if (c == lastBitsOf) {
            return lastBits;
        }
        Integer known = cellBits.get(c);
        if (known != null) {
            return known;
        }
        int bits = 32;
        if (hasBits(c)) {
            PosToken lit = tok(c.LITERAL().getSymbol());
            long v = lit.value;
            if (v == 8 || v == 16 || v == 32 || v == 64) {
                bits = (int) v;
            } else {
                diags.error(lit.span(), "Array elements must be 8, 16, 32 or 64-bits");
            }
        }
        cellBits.put(c, bits);
        lastBitsOf = c;
        lastBits = bits;
        return bits;
    }

    /** dtc's range check on a finished cell, made as its parser reduces the cell. */
    private void checkCell(CellsValueContext cells, IntegerPrimContext prim) {
        int bits = bits(cells);
        long v;
        if (isPlain(prim)) {
            v = plainValue(prim);
        } else {
            v = Eval.eval(prim, diags, subValues);
            primValues.put(prim, v);
        }
        if (bits < 64) {
            long mask = (1L << bits) - 1;
            if (Long.compareUnsigned(v, mask) > 0 && (v | mask) != -1L) {
                diags.error(span(prim), "Value out of range for " + bits + "-bit array element");
            }
        }
    }

    private void checkCellRef(CellsValueContext cells, RefContext ref) {
        if (bits(cells) != 32) {
            diags.error(span(ref), "References are only allowed in arrays with 32-bit elements.");
        }
    }

    private void property(PropertyContext c) {
        mustPrecede(c);
        Data d = new Data();
        // one pass over the rule's children instead of a scan per accessor (LABEL*, NAME,
        // propData, SEMI): properties are the bulk of every source
        PropDataContext data = null;
        PosToken name = null;
        Token semi = null;
        int labels = 0;
        List<?> kids = c.children;
        for (int i = 0, n = kids.size(); i < n; i++) {
            Object k = kids.get(i);
            if (k instanceof PropDataContext pd) {
                data = pd;
            } else if (k instanceof PosToken t) {
                switch (t.getType()) {
                    case NAME -> name = t;
                    case SEMI -> semi = t;
                    case LABEL -> labels++;
                    default -> {
                    }
                }
            }
        }
        if (data != null) {
            List<?> items = data.children;
            for (int i = 0, n = items.size(); i < n; i++) {
                Object k = items.get(i);
                if (k instanceof PosToken t) {
                    if (t.getType() == LABEL) {
                        d.mark(MarkerType.LABEL, labelText(t));
                    }
                } else if (k instanceof PropValueContext v) {
                    value(d, v);
                }
            }
        }
        if (d.val.length != d.len) {
            // the value is complete: keep no growth slack for the rest of the compile
            d.val = java.util.Arrays.copyOf(d.val, d.len);
        }
        LiveProp p = new LiveProp(sharedName(name), d, span(name, semi));
        if (labels > 0) {
            propLabels(p, c.LABEL());
        }
        building.peek().addProp(p);
    }

    private void value(Data d, PropValueContext v) {
        if (v instanceof StringValueContext s) {
            d.mark(MarkerType.TYPE_STRING, null);
            appendString(d, s.STRING().getSymbol());
        } else if (v instanceof CellsValueContext c) {
            cells(d, c);
        } else if (v instanceof BytesValueContext b) {
            d.mark(MarkerType.TYPE_UINT8, null);
            // the items are tokens between the brackets: BYTE (two hex digits) or LABEL
            List<?> items = b.children;
            for (int i = 1, n = items.size() - 1; i < n; i++) {
                PosToken t = (PosToken) items.get(i);
                if (t.getType() == BYTE) {
                    d.appendByte(hexByte(t));
                } else {
                    d.mark(MarkerType.LABEL, labelText(t));
                }
            }
        } else if (v instanceof PathValueContext p) {
            String ref = refText(p.ref());
            d.mark(MarkerType.TYPE_STRING, null);
            d.mark(MarkerType.REF_PATH, ref);
        } else if (v instanceof IncbinValueContext i) {
            byte[] b = incbinData.remove(i);
            if (b == null) {
                b = readIncbin(i);
            }
            // dtc marks bytes read from a file as of no known type
            d.mark(MarkerType.UNTYPED, null);
            d.append(b, 0, b.length);
        }
    }

    /** The value of a byte-string item, two hex digits, read without making its text. */
    private static int hexByte(PosToken t) {
        return Character.digit(t.charAt(0), 16) << 4 | Character.digit(t.charAt(1), 16);
    }

    private void appendString(Data d, Token t) {
        byte[] b = tok(t).bytes;
        d.append(b, 0, b.length).appendByte(0);
    }

    private void cells(Data d, CellsValueContext c) {
        int bits = bits(c);
        cellBits.remove(c);
        if (c == lastBitsOf) {
            lastBitsOf = null;
        }
        MarkerType type = switch (bits) {
            case 8 -> MarkerType.TYPE_UINT8;
            case 16 -> MarkerType.TYPE_UINT16;
            case 64 -> MarkerType.TYPE_UINT64;
            default -> MarkerType.TYPE_UINT32;
        };
        d.mark(type, null);
        // the items follow the '<': integers, references and labels, then the '>'
        List<?> items = c.children;
        int i = hasBits(c) ? 3 : 1;
        for (int n = items.size() - 1; i < n; i++) {
            Object it = items.get(i);
            if (it instanceof IntegerPrimContext prim) {
                d.appendInt(primValue(prim), bits);
            } else if (it instanceof RefContext ref) {
                if (bits == 32) {
                    d.mark(MarkerType.REF_PHANDLE, sharedRef(ref));
                }
                d.appendInt(-1L >>> (64 - bits), bits);
            } else {
                d.mark(MarkerType.LABEL, labelText((PosToken) it));
            }
        }
    }

    private byte[] readIncbin(IncbinValueContext c) {
        byte[] raw = tok(c.STRING().getSymbol()).bytes;
        int nul = 0;
        while (nul < raw.length && raw[nul] != 0) {
            nul++;
        }
        String name = FileNameText.of(java.util.Arrays.copyOf(raw, nul));
        long offset = 0;
        long length = -1;
        if (c.integerPrim().size() == 2) {
            offset = primValue(c.integerPrim(0));
            length = primValue(c.integerPrim(1));
        }
        String dir = tok(c.RPAREN().getSymbol()).dir;
        String full = reader.resolve(name, dir);
        if (full == null) {
            throw diags.fatal("Couldn't open \"" + name + "\": " + reader.openFailure(name, dir));
        }
        reader.filesRead.add(full);
        return readInto(SourceReader.pathOf(full), name, offset, length);
    }

    /**
     * The most /incbin/ reads: what an array holds, and no more than a quarter of the heap, so
     * that a file without end (/dev/zero with no length) fails clearly instead of exhausting it.
     */
    private static final long MAX_DATA = Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 4);

    /**
     * The bytes /incbin/ takes, read as dtc reads them: from {@code offset} (a seek, when not
     * zero) until {@code length} bytes (unsigned; all ones for no limit) or the end of the file,
     * whatever size the file claims (a device or /proc file claims none).
     */
    private byte[] readInto(Path p, String name, long offset, long length) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (offset != 0) {
                if (offset < 0) {
                    // dtc's seek takes the offset as signed
                    throw diags.fatalUnended("Couldn't seek to offset " + Long.toUnsignedString(offset) + " in \""
                            + name + "\": Invalid argument");
                }
                try {
                    ch.position(offset);
                } catch (IOException e) {
                    throw diags.fatalUnended("Couldn't seek to offset " + offset + " in \"" + name + "\": "
                            + IoReasons.of(e));
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            long left = length; // unsigned
            while (left != 0) {
                buf.clear();
                if (Long.compareUnsigned(left, buf.capacity()) < 0) {
                    buf.limit((int) left);
                }
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    throw diags.fatalUnended("Error reading file into data: " + IoReasons.of(e));
                }
                if (n < 0) {
                    break;
                }
                if (out.size() + (long) n > MAX_DATA) {
                    throw diags.fatal("Couldn't read \"" + name + "\": more than " + MAX_DATA
                            + " bytes, the most /incbin/ reads here (give a length)");
                }
                out.write(buf.array(), 0, n);
                left -= n;
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw diags.fatal("Couldn't open \"" + name + "\": " + IoReasons.of(e));
        }
    }
}
