package io.dtkit.dts;

import io.dtkit.dts.LiveTree.Data;
import io.dtkit.dts.LiveTree.LabelIndex;
import io.dtkit.dts.LiveTree.Lbl;
import io.dtkit.dts.LiveTree.LiveNode;
import io.dtkit.dts.LiveTree.LiveProp;
import io.dtkit.dts.LiveTree.Mark;
import io.dtkit.model.MarkerType;
import io.dtkit.source.Diagnostic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The error-level checks and fix-ups dtc runs after parsing, in dtc's order and with its
 * prerequisites: name checks, labels, explicit phandles, phandle and path references (which
 * allocate phandles), {@code /omit-if-no-ref/}; then {@code __symbols__}, {@code __fixups__} and
 * {@code __local_fixups__}.
 */
final class Checks {
    private static final String NODECHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-@";
    private static final String PROPNODECHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?-";

    private final LiveNode root;
    private final boolean plugin;
    private final CompileOptions opts;
    private final Diagnostics diags;
    private LabelIndex labels;
    private final Map<Long, LiveNode> byPhandle = new HashMap<>();
    private long nextPhandle = 1;
    private boolean failed;
    /** Set once name_properties has dropped a property. */
    private boolean nameRemoved;

    Checks(LiveNode root, boolean plugin, CompileOptions opts, Diagnostics diags) {
        this.root = root;
        this.plugin = plugin;
        this.opts = opts;
        this.diags = diags;
    }

    // ---------------------------------------------------------------- traversal

    /** Pre-order over live nodes; a node deleted by {@code fn} keeps its children unvisited. */
    private void each(Consumer<LiveNode> fn) {
        Deque<LiveNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            LiveNode n = stack.pop();
            if (n.deleted && n != root) {
                continue;
            }
            fn.accept(n);
            for (int i = n.children.size() - 1; i >= 0; i--) {
                LiveNode c = n.children.get(i);
                if (!c.deleted) {
                    stack.push(c);
                }
            }
        }
    }

    private static String path(LiveNode n) {
        String p = n.fullpath();
        return p == null ? "(null)" : p;
    }

    private void fail(String check, LiveNode n, String msg) {
        failed = true;
        if (n.srcpos != null && n.srcpos.size() > 1) {
            msg = Diagnostic.alsoDefinedAt(msg, n.srcpos.subList(1, n.srcpos.size()));
        }
        diags.check(check, n.span(), path(n), null, msg);
    }

    private void failProp(String check, LiveNode n, LiveProp p, String msg) {
        failed = true;
        diags.check(check, p.span != null ? p.span : n.span(), path(n), p.name, msg);
    }

    private boolean run(String name, Consumer<LiveNode> fn) {
        failed = false;
        each(fn);
        return !failed;
    }

    private void rebuildLabels() {
        labels = new LabelIndex();
        each(n -> {
            for (Lbl l : n.labels) {
                if (!l.deleted) {
                    labels.add(l.name, n);
                }
            }
        });
    }

    private LiveNode byRef(String ref) {
        return LiveTree.byRef(root, ref, labels);
    }

    // ---------------------------------------------------------------- the run

    /**
     * Runs the checks in dtc's order. dtc stops running checks after the first one that
     * reports an error (its loop short-circuits), so later checks neither report nor fix up.
     */
    void run() {
        Survey f = survey();
        // a check whose trigger the survey did not see would report nothing and change
        // nothing: skip its walk (each skipped run counts as passed, as it would have)
        boolean ok = (!f.dupChildren || run("duplicate_node_names", this::duplicateNodeNames))
                && (!f.dupProps || run("duplicate_property_names", this::duplicatePropertyNames))
                && (!f.badNodeChars || run("node_name_chars", n -> {
                    int bad = firstNotIn(n.name, NODECHARS_SET);
                    if (bad >= 0) {
                        fail("node_name_chars", n, "Bad character '" + n.name.charAt(bad) + "' in node name");
                    }
                }))
                && (!f.multiAt || run("node_name_format", n -> {
                    int at = n.name.indexOf('@');
                    if (at >= 0 && n.name.indexOf('@', at + 1) >= 0) {
                        fail("node_name_format", n, "multiple '@' characters in node name");
                    }
                }))
                && (!f.badPropChars || run("property_name_chars", n -> {
                    for (LiveProp p : n.props) {
                        if (!p.deleted) {
                            int bad = firstNotIn(p.name, PROPNODECHARS_SET);
                            if (bad >= 0) {
                                failProp("property_name_chars", n, p,
                                        "Bad character '" + p.name.charAt(bad) + "' in property name");
                            }
                        }
                    }
                }))
                && (!f.nameProps || run("name_is_string", n -> {
                    LiveProp p = n.prop("name");
                    if (p != null && !isOneString(p.val)) {
                        failProp("name_is_string", n, p, "property is not a string");
                    }
                }))
                && (!f.nameProps || run("name_properties", this::nameProperties))
                && (!f.dupLabels || duplicateLabelsPass())
                && (!f.phandleProps || run("explicit_phandles", this::explicitPhandles))
                && (f.refProps.isEmpty() || surveyedPass("phandle_references", this::phandleReferences,
                        f.refNodes, f.refProps, this::phandleReferences))
                && (f.pathProps.isEmpty() || surveyedPass("path_references", this::pathReferences,
                        f.pathNodes, f.pathProps, this::pathReferences));
        boolean deleted = false;
        if (ok && f.omit) {
            boolean[] any = {false};
            each(n -> {
                if (opts.generateSymbols() && !n.labels.isEmpty()) {
                    return;
                }
                if (n.omitIfUnused && !n.referenced) {
                    LiveTree.deleteNode(n);
                    any[0] = true;
                }
            });
            deleted = any[0];
        }
        if (diags.errors > 0 && !opts.force()) {
            return;
        }
        if (deleted) {
            // the checks above only ever add properties; only deleting nodes drops labels
            rebuildLabels();
        }
        if (opts.autoLabelAliases()) {
            labelTree("aliases", false);
        }
        if (opts.generateSymbols()) {
            labelTree("__symbols__", true);
        }
        if (plugin) {
            fixups();
            localFixups();
        }
    }

    /** What one walk over the live tree found: which checks have anything to look at. */
    private static final class Survey {
        boolean dupChildren;
        boolean dupProps;
        boolean badNodeChars;
        boolean multiAt;
        boolean badPropChars;
        boolean nameProps;
        boolean dupLabels;
        boolean phandleProps;
        boolean omit;
        /** Labels on properties and in values (node labels are in the label index). */
        final Set<String> otherLabels = new HashSet<>();
        /** The live properties with phandle references, in pre-order, with their nodes. */
        final List<LiveNode> refNodes = new ArrayList<>();
        final List<LiveProp> refProps = new ArrayList<>();
        /** The same for path references. */
        final List<LiveNode> pathNodes = new ArrayList<>();
        final List<LiveProp> pathProps = new ArrayList<>();
    }

    /**
     * One pre-order walk that does dtc's fill_fullpaths, indexes the node labels and notes,
     * for each check, whether any node could make it report or act. Every flag may be set
     * where the check then finds nothing (deleted entries are counted), never the reverse.
     */
    private Survey survey() {
        Survey f = new Survey();
        labels = new LabelIndex();
        Deque<LiveNode> stack = new ArrayDeque<>();
        root.pathed = true;
        stack.push(root);
        while (!stack.isEmpty()) {
            LiveNode n = stack.pop();
            for (Lbl l : n.labels) {
                if (!l.deleted) {
                    // the node-label index doubles as the set of names seen so far
                    boolean fresh = labels.add(l.name, n);
                    f.dupLabels |= !fresh || f.otherLabels.contains(l.name);
                }
            }
            String name = n.name;
            if (!f.badNodeChars && firstNotIn(name, NODECHARS_SET) >= 0) {
                f.badNodeChars = true;
            }
            int at = name.indexOf('@');
            if (at >= 0 && name.indexOf('@', at + 1) >= 0) {
                f.multiAt = true;
            }
            f.omit |= n.omitIfUnused;
            surveyProps(n, f);
            List<LiveNode> kids = n.children;
            for (int i = kids.size() - 1; i >= 0; i--) {
                LiveNode c = kids.get(i);
                // an earlier sibling of the same name, deleted or not
                if (!f.dupChildren && i > 0 && n.childWithDel(c.name) != c) {
                    f.dupChildren = true;
                }
                if (!c.deleted) {
                    c.pathed = true;
                    stack.push(c);
                }
            }
        }
        return f;
    }

    private void surveyProps(LiveNode n, Survey f) {
        long seen = 0;
        List<LiveProp> props = n.props;
        for (int i = 0; i < props.size(); i++) {
            LiveProp p = props.get(i);
            String pn = p.name;
            // name_properties looks at deleted properties too
            f.nameProps |= pn.equals("name");
            if (p.deleted) {
                continue;
            }
            // one bit per name hash: two equal names always collide
            long bit = 1L << pn.hashCode();
            if ((seen & bit) != 0 && !f.dupProps && n.propWithDel(pn) != p) {
                f.dupProps = true;
            }
            seen |= bit;
            if (!f.badPropChars && firstNotIn(pn, PROPNODECHARS_SET) >= 0) {
                f.badPropChars = true;
            }
            f.phandleProps |= pn.equals("phandle") || pn.equals("linux,phandle");
            for (Lbl l : p.labels) {
                if (!l.deleted) {
                    otherLabel(f, l.name);
                }
            }
            boolean refs = false;
            boolean paths = false;
            List<Mark> marks = p.val.marks();
            for (int j = 0; j < marks.size(); j++) {
                // plain comparisons: an enum switch costs a table look-up per marker
                MarkerType t = marks.get(j).type;
                if (t == MarkerType.REF_PHANDLE) {
                    refs = true;
                } else if (t == MarkerType.REF_PATH) {
                    paths = true;
                } else if (t == MarkerType.LABEL) {
                    otherLabel(f, marks.get(j).ref);
                }
            }
            if (refs) {
                f.refNodes.add(n);
                f.refProps.add(p);
            }
            if (paths) {
                f.pathNodes.add(n);
                f.pathProps.add(p);
            }
        }
    }

    /** A label on a property or in a value: a duplicate if any label had its name before. */
    private void otherLabel(Survey f, String label) {
        f.dupLabels |= labels.has(label) || !f.otherLabels.add(label);
    }

    private static final boolean[] NODECHARS_SET = charSet(NODECHARS);
    private static final boolean[] PROPNODECHARS_SET = charSet(PROPNODECHARS);

    /** ASCII membership table: a table lookup per character instead of a scan of the set. */
    private static boolean[] charSet(String chars) {
        boolean[] set = new boolean[128];
        for (int i = 0; i < chars.length(); i++) {
            set[chars.charAt(i)] = true;
        }
        return set;
    }

    private static int firstNotIn(String s, boolean[] allowed) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isOneString(Data d) {
        if (d.len == 0 || d.val[d.len - 1] != 0) {
            return false;
        }
        for (int i = 0; i < d.len - 1; i++) {
            if (d.val[i] == 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- name checks

    private void duplicateNodeNames(LiveNode n) {
        if (n.children.size() < 2) {
            return;
        }
        // every later sibling (deleted or not) with the name of a live earlier one
        Map<String, List<Integer>> seen = new HashMap<>();
        for (int i = 0; i < n.children.size(); i++) {
            seen.computeIfAbsent(n.children.get(i).name, k -> new ArrayList<>(1)).add(i);
        }
        for (int i = 0; i < n.children.size(); i++) {
            LiveNode c = n.children.get(i);
            if (c.deleted) {
                continue;
            }
            List<Integer> same = seen.get(c.name);
            if (same.size() < 2) {
                continue;
            }
            for (int j : same) {
                if (j > i) {
                    fail("duplicate_node_names", n.children.get(j), "Duplicate node name");
                }
            }
        }
    }

    private void duplicatePropertyNames(LiveNode n) {
        if (n.props.size() < 2) {
            return;
        }
        if (n.props.size() <= 16) {
            // the usual node has a handful of distinct names: compare pairwise, no maps
            boolean dup = false;
            for (int i = 1; i < n.props.size() && !dup; i++) {
                LiveProp a = n.props.get(i);
                for (int j = 0; j < i && !a.deleted; j++) {
                    LiveProp b = n.props.get(j);
                    if (!b.deleted && a.name.equals(b.name)) {
                        dup = true;
                        break;
                    }
                }
            }
            if (!dup) {
                return;
            }
        }
        Map<String, Integer> liveCount = new HashMap<>();
        for (LiveProp p : n.props) {
            if (!p.deleted) {
                liveCount.merge(p.name, 1, Integer::sum);
            }
        }
        Map<String, Integer> passed = new HashMap<>();
        for (LiveProp p : n.props) {
            if (p.deleted) {
                continue;
            }
            int before = passed.merge(p.name, 1, Integer::sum);
            if (liveCount.get(p.name) > before) {
                failProp("duplicate_property_names", n, p, "Duplicate property name");
            }
        }
    }

    private void nameProperties(LiveNode n) {
        LiveProp p = null;
        for (LiveProp k : n.props) {
            if (k.name.equals("name")) {
                p = k;
                break;
            }
        }
        if (p == null) {
            return;
        }
        int at = n.name.indexOf('@');
        int base = at < 0 ? n.name.length() : at;
        boolean same = p.val.len == base + 1;
        for (int i = 0; same && i < base; i++) {
            same = (p.val.val[i] & 0xff) == n.name.charAt(i);
        }
        if (!same) {
            int end = 0;
            while (end < p.val.len && p.val.val[end] != 0) {
                end++;
            }
            fail("name_properties", n, "\"name\" property is incorrect (\""
                    + new String(p.val.val, 0, end, StandardCharsets.ISO_8859_1)
                    + "\" instead of base node name)");
        } else {
            n.removeProp(p);
            nameRemoved = true;
        }
    }

    // ---------------------------------------------------------------- labels

    private record Owner(LiveNode node, LiveProp prop, Mark mark) {
    }

    private boolean duplicateLabelsPass() {
        failed = false;
        // first owner of each label as dtc's lookups find it: node labels anywhere first,
        // then property labels, then labels inside values, each in pre-order
        Map<String, Owner> first = new HashMap<>();
        each(n -> {
            for (Lbl l : n.labels) {
                if (!l.deleted) {
                    first.putIfAbsent(l.name, new Owner(n, null, null));
                }
            }
        });
        Map<String, Owner> props = new HashMap<>();
        Map<String, Owner> marks = new HashMap<>();
        each(n -> {
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    continue;
                }
                for (Lbl l : p.labels) {
                    if (!l.deleted) {
                        props.putIfAbsent(l.name, new Owner(n, p, null));
                    }
                }
                for (Mark m : p.val.marks()) {
                    if (m.type == MarkerType.LABEL) {
                        marks.putIfAbsent(m.ref, new Owner(n, p, m));
                    }
                }
            }
        });
        props.forEach(first::putIfAbsent);
        marks.forEach(first::putIfAbsent);
        each(n -> {
            for (Lbl l : n.labels) {
                if (!l.deleted) {
                    dupLabel(first, l.name, n, null, null);
                }
            }
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    continue;
                }
                for (Lbl l : p.labels) {
                    if (!l.deleted) {
                        dupLabel(first, l.name, n, p, null);
                    }
                }
                for (Mark m : p.val.marks()) {
                    if (m.type == MarkerType.LABEL) {
                        dupLabel(first, m.ref, n, p, m);
                    }
                }
            }
        });
        return !failed;
    }

    private void dupLabel(Map<String, Owner> first, String label, LiveNode n, LiveProp p, Mark m) {
        Owner o = first.get(label);
        if (o == null) {
            return;
        }
        if (o.node != n || o.prop != p || o.mark != m) {
            fail("duplicate_label", n, "Duplicate label '" + label + "' on "
                    + describe(n, p, m) + " and " + describe(o.node, o.prop, o.mark));
        }
    }

    private static String describe(LiveNode n, LiveProp p, Mark m) {
        return (m != null ? "value of " : "") + (p != null ? "'" + p.name + "' in " : "") + path(n);
    }

    // ---------------------------------------------------------------- phandles

    private long phandleProp(LiveNode n, String name) {
        LiveProp p = n.prop(name);
        if (p == null) {
            return 0;
        }
        if (p.val.len != 4) {
            failProp("explicit_phandles", n, p, "bad length (" + p.val.len + ") " + name + " property");
            return 0;
        }
        for (Mark m : p.val.marks()) {
            if (m.type == MarkerType.REF_PHANDLE) {
                if (byRef(m.ref) != n) {
                    fail("explicit_phandles", n, name + " is a reference to another node");
                }
                return 0;
            }
        }
        long v = p.val.cell(0);
        if (v == 0 || v == 0xffffffffL) {
            failProp("explicit_phandles", n, p, String.format("bad value (0x%x) in %s property", v, name));
            return 0;
        }
        return v;
    }

    private void explicitPhandles(LiveNode n) {
        long ph = phandleProp(n, "phandle");
        long lph = phandleProp(n, "linux,phandle");
        if (ph == 0 && lph == 0) {
            return;
        }
        if (lph != 0 && ph != 0 && ph != lph) {
            fail("explicit_phandles", n, "mismatching 'phandle' and 'linux,phandle' properties");
        }
        if (lph != 0 && ph == 0) {
            ph = lph;
        }
        LiveNode other = nodeByPhandle(ph);
        if (other != null && other != n) {
            fail("explicit_phandles", n, String.format("duplicated phandle 0x%x (seen before at %s)",
                    ph, path(other)));
            return;
        }
        n.phandle = ph;
        byPhandle.putIfAbsent(ph, n);
    }

    private LiveNode nodeByPhandle(long ph) {
        LiveNode n = byPhandle.get(ph);
        return n != null && LiveTree.live(n, root) ? n : null;
    }

    /** dtc's get_node_phandle: the node's phandle, allocating the next free one if needed. */
    private long phandleOf(LiveNode n) {
        if (n.phandle != 0 && n.phandle != 0xffffffffL) {
            return n.phandle;
        }
        while (nodeByPhandle(nextPhandle) != null) {
            nextPhandle++;
        }
        long ph = nextPhandle;
        n.phandle = ph;
        byPhandle.put(ph, n);
        PhandleFormat f = opts.phandleFormat();
        if (n.prop("linux,phandle") == null && f.legacy()) {
            n.addProp(new LiveProp("linux,phandle", cellData(ph), null));
        }
        if (n.prop("phandle") == null && f.epapr()) {
            n.addProp(new LiveProp("phandle", cellData(ph), null));
        }
        return ph;
    }

    private static Data cellData(long v) {
        Data d = new Data();
        d.mark(MarkerType.TYPE_UINT32, null);
        d.appendInt(v, 32);
        return d;
    }

    /**
     * A reference check over the properties the survey found such references in, rather than
     * over the whole tree. That list still holds when the check runs: until then the checks
     * only drop properties called "name" (the full walk is taken then), add phandle
     * properties, which hold no references, and fill in values in place.
     */
    private boolean surveyedPass(String name, Consumer<LiveNode> whole, List<LiveNode> nodes,
                                 List<LiveProp> props, BiConsumer<LiveNode, LiveProp> one) {
        if (nameRemoved) {
            return run(name, whole);
        }
        failed = false;
        for (int i = 0; i < props.size(); i++) {
            one.accept(nodes.get(i), props.get(i));
        }
        return !failed;
    }

    private void phandleReferences(LiveNode n) {
        // indexed: allocating a phandle may append to this very node's properties
        for (int pi = 0; pi < n.props.size(); pi++) {
            LiveProp p = n.props.get(pi);
            if (p.deleted) {
                continue;
            }
            phandleReferences(n, p);
        }
    }

    private void phandleReferences(LiveNode n, LiveProp p) {
        for (Mark m : p.val.marks()) {
            if (m.type != MarkerType.REF_PHANDLE) {
                continue;
            }
            LiveNode target = byRef(m.ref);
            if (target == null) {
                if (!plugin) {
                    fail("phandle_references", n,
                            "Reference to non-existent node or label \"" + m.ref + "\"\n");
                } else {
                    p.val.setCell(m.offset, 0xffffffffL);
                }
                continue;
            }
            long ph = phandleOf(target);
            p.val.setCell(m.offset, ph);
            target.referenced = true;
        }
    }

    private void pathReferences(LiveNode n) {
        for (LiveProp p : n.props) {
            if (!p.deleted) {
                pathReferences(n, p);
            }
        }
    }

    private void pathReferences(LiveNode n, LiveProp p) {
        for (int i = 0; i < p.val.marks().size(); i++) {
            Mark m = p.val.marks().get(i);
            if (m.type != MarkerType.REF_PATH) {
                continue;
            }
            LiveNode target = byRef(m.ref);
            if (target == null) {
                fail("path_references", n,
                        "Reference to non-existent node or label \"" + m.ref + "\"\n");
                continue;
            }
            byte[] b = target.fullpath().getBytes(StandardCharsets.ISO_8859_1);
            byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
            p.val.insertAt(i, z);
            target.referenced = true;
        }
    }

    // ---------------------------------------------------------------- generated nodes

    private LiveNode rootChild(String name) {
        LiveNode an = root.child(name);
        if (an == null) {
            an = new LiveNode(null);
            an.name = name;
            root.addChild(an);
        }
        return an;
    }

    private void labelTree(String name, boolean allocPhandle) {
        boolean any = false;
        Deque<LiveNode> st = new ArrayDeque<>();
        st.push(root);
        while (!st.isEmpty() && !any) {
            LiveNode n = st.pop();
            if (!n.labels.isEmpty()) {
                any = true;
            }
            for (LiveNode c : n.children) {
                if (!c.deleted) {
                    st.push(c);
                }
            }
        }
        if (!any) {
            return;
        }
        LiveNode an = rootChild(name);
        each(n -> {
            if (n.labels.isEmpty()) {
                return;
            }
            for (Lbl l : n.labels) {
                if (l.deleted) {
                    continue;
                }
                if (an.prop(l.name) != null) {
                    diags.plainWarning("WARNING: label " + l.name + " already exists in /" + an.name);
                    continue;
                }
                Data d = new Data();
                d.mark(MarkerType.TYPE_STRING, null);
                String fp = n.fullpath();
                byte[] b = Escapes.unescape(fp, 0, fp.length());
                d.append(b, 0, b.length).appendByte(0);
                an.addProp(new LiveProp(l.name, d, null));
            }
            if (allocPhandle) {
                phandleOf(n);
            }
        });
    }

    private boolean anyRef(boolean resolved) {
        boolean[] any = {false};
        each(n -> {
            if (any[0]) {
                return;
            }
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    continue;
                }
                for (Mark m : p.val.marks()) {
                    if (m.type == MarkerType.REF_PHANDLE && (byRef(m.ref) != null) == resolved) {
                        any[0] = true;
                        return;
                    }
                }
            }
        });
        return any[0];
    }

    private static void appendTo(LiveNode node, String name, byte[] data, MarkerType type) {
        LiveProp p = node.prop(name);
        if (p != null) {
            p.val.mark(type, null).append(data, 0, data.length);
        } else {
            Data d = new Data();
            d.mark(type, null).append(data, 0, data.length);
            node.addProp(new LiveProp(name, d, null));
        }
    }

    private void fixups() {
        if (!anyRef(false)) {
            return;
        }
        LiveNode fn = rootChild("__fixups__");
        each(n -> {
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    continue;
                }
                for (Mark m : p.val.marks()) {
                    if (m.type == MarkerType.REF_PHANDLE && byRef(m.ref) == null) {
                        String fp = n.fullpath();
                        if (fp == null || fp.indexOf(':') >= 0 || p.name.indexOf(':') >= 0) {
                            throw diags.fatal("arguments should not contain ':'");
                        }
                        String entry = fp + ":" + p.name + ":" + m.offset;
                        byte[] b = entry.getBytes(StandardCharsets.ISO_8859_1);
                        appendTo(fn, m.ref, java.util.Arrays.copyOf(b, b.length + 1), MarkerType.TYPE_STRING);
                    }
                }
            }
        });
    }

    private void localFixups() {
        if (!anyRef(true)) {
            return;
        }
        LiveNode lfn = rootChild("__local_fixups__");
        each(n -> {
            for (LiveProp p : n.props) {
                if (p.deleted) {
                    continue;
                }
                for (Mark m : p.val.marks()) {
                    if (m.type == MarkerType.REF_PHANDLE && byRef(m.ref) != null) {
                        List<String> names = new ArrayList<>();
                        for (LiveNode w = n; w.parent != null; w = w.parent) {
                            names.add(w.name);
                        }
                        LiveNode wn = lfn;
                        for (int i = names.size() - 1; i >= 0; i--) {
                            LiveNode nwn = wn.child(names.get(i));
                            if (nwn == null) {
                                nwn = new LiveNode(null);
                                nwn.name = names.get(i);
                                wn.addChild(nwn);
                            }
                            wn = nwn;
                        }
                        byte[] off = {(byte) (m.offset >>> 24), (byte) (m.offset >>> 16),
                            (byte) (m.offset >>> 8), (byte) m.offset};
                        appendTo(wn, p.name, off, MarkerType.TYPE_UINT32);
                    }
                }
            }
        });
    }
}
