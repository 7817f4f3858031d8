package io.dtkit.validate;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of dtc's tree checks over one tree: the per-node state dtc keeps while checking
 * (cell sizes, bus type, phandle), the status of each check, and the collected messages.
 * The check bodies below follow dtc 1.6.1's checks.c rule by rule, including its quirks,
 * because the point is to print exactly what dtc prints.
 */
final class DtcCheckRun {
    private static final int UNCHECKED = 0;
    private static final int PASSED = 1;
    private static final int FAILED = 2;
    private static final int PREREQ = 3;

    private static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String DIGITS = "0123456789";
    private static final String PROPNODECHARS = LOWERCASE + UPPERCASE + DIGITS + ",._+*#?-";
    private static final String PROPNODECHARS_STRICT = LOWERCASE + UPPERCASE + DIGITS + ",-";

    /** The bus a node was recognised as by one of the bridge checks. */
    enum Bus { PCI, SIMPLE, I2C, SPI, GRAPH_PORTS, GRAPH_PORT }

    /** A node plus the state dtc attaches to it during checking. */
    static final class NodeInfo {
        final Node node;
        final NodeInfo parent;
        /* computed when first needed: storing every full path would cost depth^2 on deep trees */
        private String path;
        final int baseLen;
        final List<NodeInfo> children = new ArrayList<>();
        private List<Property> props;
        private Map<String, Property> propIndex;
        /** The property names in order, for scans that should not load every property. */
        private String[] propNames;
        private static final String[] NO_NAMES = new String[0];
        private long nameMask;
        private Map<String, NodeInfo> childIndex;
        boolean propsChanged;
        /* dtc allocates nodes zeroed: 0 until addr_size_cells has run, -1 for "absent". */
        int addrCells;
        int sizeCells;
        Bus bus;
        /* the phandle dtc has assigned to the node so far, 0 for none */
        long phandle;

        /*
         * Traits: facts about a node, found while the tree is flattened, that tell whether a
         * check's body can do anything there (see DtcCheckTable.Scope). Each one may be set
         * where the check would find nothing, never the other way round.
         */
        /** Two children share a name. */
        static final int T_DUP_CHILDREN = 1;
        /** Two properties share a name. */
        static final int T_DUP_PROPS = 1 << 1;
        /** The name has a character outside dtc's node-name set. */
        static final int T_BAD_NODE_CHARS = 1 << 2;
        /** A second '@' follows the first. */
        static final int T_MULTI_AT = 1 << 3;
        /** A property name has a character outside dtc's property-name set. */
        static final int T_BAD_PROP_CHARS = 1 << 4;
        /** The parent has a property named like this node. */
        static final int T_NAME_VS_PROP = 1 << 5;
        /** A property name ends in "-names". */
        static final int T_NAMES_PROP = 1 << 6;
        /** A property is named like a gpio specifier. */
        static final int T_GPIO = 1 << 7;
        /** The name has an '@'. */
        static final int T_UNIT = 1 << 8;
        /** The base name is i2c, i2c-bus or i2c-arb. */
        static final int T_I2C_NAME = 1 << 9;
        /** The base name is spi. */
        static final int T_SPI_NAME = 1 << 10;
        /** A child has a property starting with "spi-". */
        static final int T_CHILD_SPI = 1 << 11;
        /** A child is an endpoint by name or has a remote-endpoint. */
        static final int T_CHILD_GRAPH = 1 << 12;
        /** The node is called chosen. */
        static final int T_CHOSEN = 1 << 13;
        /** The node is called aliases. */
        static final int T_ALIASES = 1 << 14;
        /**
         * A property named "...-cells" is not one cell or holds a negative count, or an
         * interrupt-parent is not one cell: the only ways for the phandle and interrupt checks
         * to meet what dtc aborts or loops on.
         */
        static final int T_ODD_CELLS = 1 << 15;

        /** One bit per property name some check selects on (DtcCheckTable.keyBit). */
        long propKeys;
        int traits;

        NodeInfo(Node node, NodeInfo parent) {
            this.node = node;
            this.parent = parent;
            String name = node.name();
            int at = name.indexOf('@');
            this.baseLen = at < 0 ? name.length() : at;
            this.props = node.properties();
            int t = 0;
            long keys = 0;
            long mask = 0;
            String[] names = props.isEmpty() ? NO_NAMES : new String[props.size()];
            for (int i = 0; i < names.length; i++) {
                String pn = props.get(i).name();
                names[i] = pn;
                long bit = 1L << pn.hashCode();
                // a name-hash bit seen before is the only way two names can be equal
                if ((mask & bit) != 0 && (t & T_DUP_PROPS) == 0 && namedBefore(names, i, pn)) {
                    t |= T_DUP_PROPS;
                }
                mask |= bit;
                int k = DtcCheckTable.keyBit(pn);
                if (k >= 0) {
                    keys |= 1L << k;
                }
                if (strspn(pn, PROPNODECHARS_SET) < pn.length()) {
                    t |= T_BAD_PROP_CHARS;
                }
                if (pn.endsWith("-names")) {
                    t |= T_NAMES_PROP;
                }
                if (propIsGpio(pn)) {
                    t |= T_GPIO;
                }
                boolean count = pn.endsWith("-cells");
                if (count || pn.equals("interrupt-parent")) {
                    Value v = props.get(i).value();
                    if (v.length() != 4 || (count && v.cellAt(0) >= 0x8000_0000L)) {
                        t |= T_ODD_CELLS;
                    }
                }
                if (parent != null && pn.startsWith("spi-")) {
                    parent.traits |= T_CHILD_SPI;
                }
            }
            this.nameMask = mask;
            this.propNames = names;
            this.propKeys = keys;
            if (strspn(name, NODE_NAME_SET) < name.length()) {
                t |= T_BAD_NODE_CHARS;
            }
            if (at >= 0) {
                t |= T_UNIT;
                if (name.indexOf('@', at + 1) >= 0) {
                    t |= T_MULTI_AT;
                }
            }
            if (nameIs("i2c") || nameIs("i2c-bus") || nameIs("i2c-arb")) {
                t |= T_I2C_NAME;
            } else if (nameIs("spi")) {
                t |= T_SPI_NAME;
            }
            if (name.equals("chosen")) {
                t |= T_CHOSEN;
            } else if (name.equals("aliases")) {
                t |= T_ALIASES;
            }
            if (parent != null) {
                if (parent.prop(name) != null) {
                    t |= T_NAME_VS_PROP;
                }
                if (nameIs("endpoint") || prop("remote-endpoint") != null) {
                    parent.traits |= T_CHILD_GRAPH;
                }
            }
            this.traits = t;
        }

        private static boolean namedBefore(String[] names, int i, String name) {
            for (int j = 0; j < i; j++) {
                if (names[j].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /** One bit per property name hash (low 6 bits): a clear bit means "no such name". */
        private static long maskOf(List<Property> props) {
            long m = 0;
            for (Property p : props) {
                m |= 1L << p.name().hashCode();
            }
            return m;
        }

        String name() {
            return node.name();
        }

        /** dtc's fullpath: the parent's path joined with the name. */
        String path() {
            if (path == null) {
                ArrayDeque<NodeInfo> chain = new ArrayDeque<>();
                for (NodeInfo n = this; n != null; n = n.parent) {
                    chain.push(n);
                }
                // same result as joining name by name from "", without quadratic copying
                StringBuilder sb = new StringBuilder();
                for (NodeInfo n : chain) {
                    if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '/') {
                        sb.append('/');
                    }
                    sb.append(n.name());
                }
                path = sb.toString();
            }
            return path;
        }

        /** True when the part after the first {@code @} is not empty. */
        boolean hasUnit() {
            return baseLen + 1 < node.name().length();
        }

        /** The part after the first {@code @}, or "". */
        String unitName() {
            String n = node.name();
            return baseLen < n.length() ? n.substring(baseLen + 1) : "";
        }

        List<Property> props() {
            return props;
        }

        /** The first property called {@code name} (dtc's get_property). */
        Property prop(String name) {
            // most checks ask every node for a property it lacks: answer those from the
            // node itself, without touching its property objects
            if ((nameMask & (1L << name.hashCode())) == 0) {
                return null;
            }
            String[] names = propNames;
            if (names.length <= 8) {
                // a short scan beats building a map for the usual handful of properties; the
                // names sit in one array (and are shared strings), so only the property
                // found is loaded, not every one before it
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(name)) {
                        return props.get(i);
                    }
                }
                return null;
            }
            if (propIndex == null) {
                Map<String, Property> m = new HashMap<>(props.size() * 2);
                for (Property p : props) {
                    m.putIfAbsent(p.name(), p);
                }
                propIndex = m;
            }
            return propIndex.get(name);
        }

        NodeInfo child(String name) {
            if (children.size() <= 8) {
                // most nodes have a few children or none: no map for those
                for (NodeInfo c : children) {
                    if (c.name().equals(name)) {
                        return c;
                    }
                }
                return null;
            }
            if (childIndex == null) {
                Map<String, NodeInfo> m = new HashMap<>(children.size() * 2);
                for (NodeInfo c : children) {
                    m.putIfAbsent(c.name(), c);
                }
                childIndex = m;
            }
            return childIndex.get(name);
        }

        private static String[] namesOf(List<Property> props) {
            if (props.isEmpty()) {
                return NO_NAMES;
            }
            String[] a = new String[props.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = props.get(i).name();
            }
            return a;
        }

        void removeProp(Property p) {
            List<Property> ps = new ArrayList<>(props);
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i) == p) {
                    ps.remove(i);
                    break;
                }
            }
            props = ps;
            propIndex = null;
            propNames = namesOf(ps);
            nameMask = maskOf(ps);
            propsChanged = true;
        }

        boolean nameIs(String prefix) {
            return baseLen == prefix.length() && node.name().startsWith(prefix);
        }
    }

    /**
     * Nodes by phandle, keyed by the bare 32-bit value: every phandle-carrying node is
     * entered once and every phandle argument looked up, and boxing each key cost more than
     * the look-up. Linear probing; 0 never occurs as a key (it is not a valid phandle).
     */
    private static final class PhandleMap {
        private long[] keys = new long[64];
        private NodeInfo[] vals = new NodeInfo[64];
        private int size;

        private static int mix(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }

        NodeInfo get(long k) {
            int m = keys.length - 1;
            for (int i = mix(k) & m; ; i = (i + 1) & m) {
                if (keys[i] == k) {
                    return vals[i];
                }
                if (keys[i] == 0) {
                    return null;
                }
            }
        }

        void put(long k, NodeInfo v) {
            int m = keys.length - 1;
            int i = mix(k) & m;
            while (keys[i] != 0 && keys[i] != k) {
                i = (i + 1) & m;
            }
            if (keys[i] == 0) {
                keys[i] = k;
                if (++size * 2 > keys.length) {
                    vals[i] = v;
                    grow();
                    return;
                }
            }
            vals[i] = v;
        }

        NodeInfo putIfAbsent(long k, NodeInfo v) {
            NodeInfo old = get(k);
            if (old == null) {
                put(k, v);
            }
            return old;
        }

        private void grow() {
            long[] ok = keys;
            NodeInfo[] ov = vals;
            keys = new long[ok.length * 2];
            vals = new NodeInfo[ok.length * 2];
            int m = keys.length - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ok[j] != 0) {
                    int i = mix(ok[j]) & m;
                    while (keys[i] != 0) {
                        i = (i + 1) & m;
                    }
                    keys[i] = ok[j];
                    vals[i] = ov[j];
                }
            }
        }
    }

    /** Thrown to end the whole run where dtc itself would crash or never finish. */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    private final DtcChecks.Config config;
    private final String fallback;
    private final boolean plugin;
    private final Map<String, List<Diagnostic>> external;
    final NodeInfo root;
    final List<NodeInfo> nodes = new ArrayList<>();
    private final int[] status;
    private final boolean[] inProgress;
    private final List<Diagnostic> out = new ArrayList<>();
    private final PhandleMap phandles = new PhandleMap();
    private Map<String, NodeInfo> nodeLabels;
    private Map<String, Object[]> propLabels;
    private Map<String, Object[]> markerLabels;
    private boolean aborted;
    /* per node in pre-order, and or-ed over the tree: NodeInfo.propKeys and NodeInfo.traits */
    private final long[] nodeKeys;
    private final int[] nodeTraits;
    private final long treeKeys;
    private final int treeTraits;
    /** Per Bus ordinal: some node was put on that bus. */
    private final boolean[] busSeen = new boolean[Bus.values().length];
    /** Whether some label name occurs twice (else duplicate_label has nothing to do). */
    private final boolean duplicateLabels;

    DtcCheckRun(DeviceTree tree, DtcChecks.Config config, String fallback,
                Map<String, List<Diagnostic>> external) {
        this.config = config;
        this.fallback = fallback;
        this.plugin = tree.plugin();
        this.external = external;
        this.status = new int[DtcCheckTable.CHECKS.size()];
        this.inProgress = new boolean[status.length];
        this.root = new NodeInfo(tree.root(), null);
        // labels are gathered while each node's properties are still in cache
        HashSet<String> labels = new HashSet<>();
        boolean dupLabels = hasLabelSeen(root, labels);
        // pre-order flattening with an explicit stack
        ArrayDeque<NodeInfo> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            NodeInfo n = stack.pop();
            nodes.add(n);
            List<Node> kids = n.node.children();
            NodeInfo[] made = new NodeInfo[kids.size()];
            for (int i = 0; i < kids.size(); i++) {
                Node k = kids.get(i);
                made[i] = new NodeInfo(k, n);
                n.children.add(made[i]);
                dupLabels |= hasLabelSeen(made[i], labels);
            }
            if (sharesName(made)) {
                n.traits |= NodeInfo.T_DUP_CHILDREN;
            }
            for (int i = made.length - 1; i >= 0; i--) {
                stack.push(made[i]);
            }
        }
        // the selecting bits side by side, so a check's pass over them stays in cache
        int count = nodes.size();
        nodeKeys = new long[count];
        nodeTraits = new int[count];
        long keys = 0;
        int traits = 0;
        for (int i = 0; i < count; i++) {
            NodeInfo n = nodes.get(i);
            nodeKeys[i] = n.propKeys;
            nodeTraits[i] = n.traits;
            keys |= n.propKeys;
            traits |= n.traits;
        }
        treeKeys = keys;
        treeTraits = traits;
        duplicateLabels = dupLabels;
    }

    // ---- driving -------------------------------------------------------------------------

    /** Runs every enabled check in table order; true when dtc would refuse the tree. */
    boolean runAll() {
        boolean error = false;
        boolean[] needed = needed();
        try {
            for (int i = 0; i < status.length; i++) {
                if ((config.warn(i) || config.error(i)) && needed[i]) {
                    error = error || runCheck(i);
                }
            }
        } catch (Abort a) {
            return true;
        }
        return error || aborted;
    }

    /**
     * Per check, whether running it can make a difference: a warning that is not shown (with
     * {@code -q}) cannot change the messages, the exit status or the output, unless it sets
     * something later checks read (see {@link DtcCheckTable#CHANGES}), it may stop the run
     * (see {@link DtcCheckTable#MAY_ABORT}; those that abort only on odd cell counts are left
     * out when the tree has none), or a check that does run needs its result. Skipping the
     * others keeps every result and spares a pass over the tree each: a generated tree of
     * 100k nodes carries clocks, interrupts and reg on every node.
     */
    private boolean[] needed() {
        int count = status.length;
        boolean[] needed = new boolean[count];
        boolean oddCells = (treeTraits & NodeInfo.T_ODD_CELLS) != 0;
        for (int i = 0; i < count; i++) {
            needed[i] = (config.warn(i) || config.error(i))
                    && (config.error(i) || config.quiet() < 1 || DtcCheckTable.CHANGES[i] || DtcCheckTable.MAY_ABORT[i]
                            || (oddCells && DtcCheckTable.MAY_ABORT_ON_ODD_CELLS[i]));
        }
        // a prerequisite of a needed check is needed
        for (boolean more = true; more; ) {
            more = false;
            for (int i = 0; i < count; i++) {
                if (needed[i]) {
                    for (int p : DtcCheckTable.PREREQS[i]) {
                        if (!needed[p]) {
                            needed[p] = true;
                            more = true;
                        }
                    }
                }
            }
        }
        return needed;
    }

    List<Diagnostic> diagnostics() {
        return out;
    }

    /** The tree as dtc leaves it after checking: redundant "name" properties removed. */
    Node rebuiltRoot() {
        boolean any = false;
        for (NodeInfo n : nodes) {
            any |= n.propsChanged;
        }
        if (!any) {
            return root.node;
        }
        // rebuild bottom-up: reverse pre-order visits children before parents
        Map<NodeInfo, Node> built = new HashMap<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeInfo n = nodes.get(i);
            boolean changed = n.propsChanged;
            List<Node> kids = new ArrayList<>(n.children.size());
            for (NodeInfo c : n.children) {
                Node b = built.remove(c);
                changed |= b != c.node;
                kids.add(b);
            }
            built.put(n, changed ? new Node(n.node.name(), n.props(), kids, n.node.labels(),
                    n.node.span(), n.node.alsoDefinedAt()) : n.node);
        }
        return built.get(root);
    }

    private boolean runCheck(int c) {
        boolean error = false;
        if (status[c] == UNCHECKED) {
            inProgress[c] = true;
            for (int p : DtcCheckTable.PREREQS[c]) {
                // dtc skips the remaining prerequisites once one reported an error
                error = error || runCheck(p);
                if (status[p] != PASSED) {
                    status[c] = PREREQ;
                    msg(c, null, null, "Failed prerequisite '" + DtcCheckTable.CHECKS.get(p).name()
                            + "'");
                }
            }
            if (status[c] == UNCHECKED) {
                visitScope(c, DtcCheckTable.CHECKS.get(c));
                if (status[c] == UNCHECKED) {
                    status[c] = PASSED;
                }
            }
            inProgress[c] = false;
        }
        if (status[c] != PASSED && config.error(c)) {
            error = true;
        }
        return error;
    }

    /** Hands the check's body the nodes its scope names, in pre-order. */
    private void visitScope(int c, DtcCheckTable.Def def) {
        DtcCheckTable.Body body = def.body();
        DtcCheckTable.Scope scope = def.scope();
        switch (scope.reach()) {
            case EVERY -> visitAll(c, body);
            case AFTER_BUS -> {
                if (busSeen[scope.bus().ordinal()]) {
                    visitAll(c, body);
                }
            }
            case DUPLICATE_LABELS -> {
                if (hasDuplicateLabels()) {
                    visitAll(c, body);
                }
            }
            case SELECTED -> {
                long keys = scope.props();
                int traits = scope.traits();
                if ((treeKeys & keys) == 0 && (treeTraits & traits) == 0) {
                    if (scope.root()) {
                        body.visit(this, c, root);
                    }
                    return;
                }
                long[] nk = nodeKeys;
                int[] nt = nodeTraits;
                for (int i = 0; i < nk.length; i++) {
                    if ((nk[i] & keys) != 0 || (nt[i] & traits) != 0 || (i == 0 && scope.root())) {
                        body.visit(this, c, nodes.get(i));
                    }
                }
            }
            default -> throw new IllegalStateException(scope.reach().toString());
        }
    }

    private void visitAll(int c, DtcCheckTable.Body body) {
        for (NodeInfo n : nodes) {
            body.visit(this, c, n);
        }
    }

    private void setBus(NodeInfo n, Bus bus) {
        n.bus = bus;
        busSeen[bus.ordinal()] = true;
    }

    /** True when children share a name; small families are compared pairwise. */
    private static boolean sharesName(NodeInfo[] kids) {
        if (kids.length < 2) {
            return false;
        }
        if (kids.length <= 8) {
            for (int i = 1; i < kids.length; i++) {
                String a = kids[i].name();
                for (int j = 0; j < i; j++) {
                    if (a.equals(kids[j].name())) {
                        return true;
                    }
                }
            }
            return false;
        }
        HashSet<String> seen = new HashSet<>(kids.length * 2);
        for (NodeInfo k : kids) {
            if (!seen.add(k.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some label name occurs twice among node labels, property labels and labels
     * inside values: if none does, every label is its own first owner and duplicate_label
     * has nothing to say.
     */
    private boolean hasDuplicateLabels() {
        return duplicateLabels;
    }

    /** Adds the node's labels (on it, its properties and in values) to {@code seen}; true on a repeat. */
    private static boolean hasLabelSeen(NodeInfo n, Set<String> seen) {
        boolean dup = false;
        for (String l : n.node.labels()) {
            dup |= !seen.add(l);
        }
        for (Property p : n.props()) {
            for (String l : p.labels()) {
                dup |= !seen.add(l);
            }
            List<Marker> ms = p.value().markers();
            for (int i = 0; i < ms.size(); i++) {
                Marker m = ms.get(i);
                if (m.type() == MarkerType.LABEL && m.ref() != null) {
                    dup |= !seen.add(m.ref());
                }
            }
        }
        return dup;
    }

    // ---- messages ------------------------------------------------------------------------

    private void msg(int c, NodeInfo node, Property prop, String message) {
        boolean warn = config.warn(c);
        boolean err = config.error(c);
        int quiet = config.quiet();
        if (!(warn && quiet < 1) && !(err && quiet < 2)) {
            return;
        }
        Span pos = null;
        if (prop != null && prop.span() != null) {
            pos = prop.span();
        } else if (node != null && node.node.span() != null) {
            pos = node.node.span();
        }
        if (pos == null) {
            pos = Span.fileOnly(fallback);
        }
        if (prop == null && node != null && node.node.span() != null) {
            // a node message names every other place the source defined the node
            message = Diagnostic.alsoDefinedAt(message, node.node.alsoDefinedAt());
        }
        out.add(new Diagnostic(err ? Severity.ERROR : Severity.WARNING,
                DtcCheckTable.CHECKS.get(c).name(), pos,
                node == null ? null : node.path(),
                node == null || prop == null ? null : prop.name(), message));
    }

    private void fail(int c, NodeInfo node, String message) {
        status[c] = FAILED;
        msg(c, node, null, message);
    }

    private void failProp(int c, NodeInfo node, Property prop, String message) {
        status[c] = FAILED;
        msg(c, node, prop, message);
    }

    /**
     * Input on which dtc 1.6.1 aborts (an assertion on a property that is not one cell) or
     * loops forever: reported as an error whatever the check's level, and checking stops.
     */
    private void abort(int c, NodeInfo node, Property prop, String message) {
        status[c] = FAILED;
        out.add(new Diagnostic(Severity.ERROR, DtcCheckTable.CHECKS.get(c).name(),
                prop != null && prop.span() != null ? prop.span()
                        : node.node.span() != null ? node.node.span() : Span.fileOnly(fallback),
                node.path(), prop == null ? null : prop.name(), message));
        aborted = true;
        throw new Abort();
    }

    private static Object data(int c) {
        return DtcCheckTable.CHECKS.get(c).data();
    }

    // ---- value helpers -------------------------------------------------------------------

    private static long cellAt(Value v, int index) {
        int off = index * 4;
        if (off < 0 || off + 4 > v.length()) {
            return 0; // dtc would read past the value; nothing sensible to mirror
        }
        return v.cellAt(off);
    }

    /** A one-cell property's value; aborts as dtc's assertion does when it is not one cell. */
    private long propvalCell(int c, NodeInfo n, Property p, NodeInfo owner) {
        if (p.value().length() != 4) {
            abort(c, n, p, "property '" + p.name() + "' of " + owner.path() + " is "
                    + p.value().length() + " bytes, not a single cell (dtc 1.6.1 aborts here)");
        }
        return p.value().cellAt(0);
    }

    /** The value read as a C string: up to the first NUL; {@code null} for an empty value. */
    private static String cString(Value v) {
        if (v.isEmpty()) {
            return null;
        }
        byte[] b = v.bytes();
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static boolean isOneString(Value v) {
        int len = v.length();
        if (len == 0) {
            return false;
        }
        for (int i = 0; i < len - 1; i++) {
            if (v.byteAt(i) == 0) {
                return false;
            }
        }
        return v.byteAt(len - 1) == 0;
    }

    private static final boolean[] NODE_NAME_SET = charSet(PROPNODECHARS + "@");
    private static final boolean[] PROPNODECHARS_SET = charSet(PROPNODECHARS);
    private static final boolean[] STRICT_SET = charSet(PROPNODECHARS_STRICT);
    private static final boolean[] LOWER_DIGIT_DASH_SET = charSet(LOWERCASE + DIGITS + "-");

    /** ASCII membership table: a lookup per character instead of a scan of the set. */
    private static boolean[] charSet(String chars) {
        boolean[] set = new boolean[128];
        for (int i = 0; i < chars.length(); i++) {
            set[chars.charAt(i)] = true;
        }
        return set;
    }

    private static int strspn(String s, boolean[] accept) {
        int n = 0;
        while (n < s.length()) {
            char c = s.charAt(n);
            if (c >= 128 || !accept[c]) {
                break;
            }
            n++;
        }
        return n;
    }

    private static boolean isMultipleOf(int multiple, int divisor) {
        return divisor == 0 ? multiple == 0 : multiple % divisor == 0;
    }

    private static boolean phandleIsValid(long ph) {
        return ph != 0 && ph != 0xffffffffL;
    }

    private static int nodeAddrCells(NodeInfo n) {
        return n.addrCells == -1 ? 2 : n.addrCells;
    }

    private static int nodeSizeCells(NodeInfo n) {
        return n.sizeCells == -1 ? 1 : n.sizeCells;
    }

    private static boolean isCompatible(NodeInfo n, String compat) {
        Property p = n.prop("compatible");
        if (p == null) {
            return false;
        }
        byte[] b = p.value().bytes();
        int i = 0;
        while (i < b.length) {
            int e = i;
            while (e < b.length && b[e] != 0) {
                e++;
            }
            if (new String(b, i, e - i, StandardCharsets.ISO_8859_1).equals(compat)) {
                return true;
            }
            i = e + 1;
        }
        return false;
    }

    private static boolean isDisabled(NodeInfo n) {
        Property p = n.prop("status");
        return p != null && "disabled".equals(cString(p.value()));
    }

    NodeInfo nodeByPhandle(long ph) {
        if (!phandleIsValid(ph)) {
            return null;
        }
        return phandles.get(ph);
    }

    /** dtc's get_node_by_path: exact component names, first match, no backtracking. */
    NodeInfo nodeByPath(String path) {
        NodeInfo tree = root;
        while (true) {
            if (path.isEmpty()) {
                return tree;
            }
            int s = 0;
            while (s < path.length() && path.charAt(s) == '/') {
                s++;
            }
            path = path.substring(s);
            int p = path.indexOf('/');
            if (p >= 0) {
                NodeInfo next = tree.child(path.substring(0, p));
                if (next == null) {
                    return null;
                }
                tree = next;
                path = path.substring(p + 1);
            } else {
                return tree.child(path);
            }
        }
    }

    private void buildLabelMaps() {
        if (nodeLabels != null) {
            return;
        }
        nodeLabels = new HashMap<>();
        propLabels = new HashMap<>();
        markerLabels = new HashMap<>();
        for (NodeInfo n : nodes) {
            for (String l : n.node.labels()) {
                nodeLabels.putIfAbsent(l, n);
            }
            for (Property p : n.props()) {
                for (String l : p.labels()) {
                    propLabels.putIfAbsent(l, new Object[] {n, p});
                }
                for (Marker m : p.value().markers()) {
                    if (m.type() == MarkerType.LABEL && m.ref() != null) {
                        markerLabels.putIfAbsent(m.ref(), new Object[] {n, p, m});
                    }
                }
            }
        }
    }

    private NodeInfo nodeByRef(String ref) {
        if (ref.equals("/")) {
            return root;
        }
        if (ref.startsWith("/")) {
            return nodeByPath(ref);
        }
        buildLabelMaps();
        return nodeLabels.get(ref);
    }

    // ---- structural checks ---------------------------------------------------------------

    static void alwaysFail(DtcCheckRun r, int c, NodeInfo n) {
        r.fail(c, n, "always_fail check");
    }

    static void duplicateNodeNames(DtcCheckRun r, int c, NodeInfo n) {
        if (n.children.size() < 2) {
            return;
        }
        // for each child, every later sibling with the same name, in sibling order
        Map<String, List<NodeInfo>> groups = new HashMap<>();
        for (NodeInfo k : n.children) {
            groups.computeIfAbsent(k.name(), x -> new ArrayList<>()).add(k);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (NodeInfo k : n.children) {
            List<NodeInfo> g = groups.get(k.name());
            int pos = seen.merge(k.name(), 1, Integer::sum);
            for (int j = pos; j < g.size(); j++) {
                r.fail(c, g.get(j), "Duplicate node name");
            }
        }
    }

    static void duplicatePropertyNames(DtcCheckRun r, int c, NodeInfo n) {
        List<Property> ps = n.props();
        if (ps.size() < 2) {
            return;
        }
        if (ps.size() <= 16) {
            // the usual node has a handful of distinct names: compare pairwise, no maps
            boolean dup = false;
            for (int i = 1; i < ps.size() && !dup; i++) {
                String a = ps.get(i).name();
                for (int j = 0; j < i; j++) {
                    if (a.equals(ps.get(j).name())) {
                        dup = true;
                        break;
                    }
                }
            }
            if (!dup) {
                return;
            }
        }
        Map<String, Integer> total = new HashMap<>();
        for (Property p : ps) {
            total.merge(p.name(), 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Property p : ps) {
            int pos = seen.merge(p.name(), 1, Integer::sum);
            int later = total.get(p.name()) - pos;
            for (int j = 0; j < later; j++) {
                r.failProp(c, n, p, "Duplicate property name");
            }
        }
    }

    private static String badChar(String s, int n) {
        return String.valueOf(s.charAt(n));
    }

    static void nodeNameChars(DtcCheckRun r, int c, NodeInfo n) {
        String name = n.name();
        int k = strspn(name, NODE_NAME_SET);
        if (k < name.length()) {
            r.fail(c, n, "Bad character '" + badChar(name, k) + "' in node name");
        }
    }

    static void nodeNameCharsStrict(DtcCheckRun r, int c, NodeInfo n) {
        String name = n.name();
        int k = strspn(name, STRICT_SET);
        if (k < n.baseLen) {
            r.fail(c, n, "Character '" + badChar(name, k) + "' not recommended in node name");
        }
    }

    static void nodeNameFormat(DtcCheckRun r, int c, NodeInfo n) {
        if (n.unitName().indexOf('@') >= 0) {
            r.fail(c, n, "multiple '@' characters in node name");
        }
    }

    static void nodeNameVsPropertyName(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null) {
            return;
        }
        if (n.parent.prop(n.name()) != null) {
            r.fail(c, n, "node name and property name conflict");
        }
    }

    static void unitAddressVsReg(DtcCheckRun r, int c, NodeInfo n) {
        boolean noUnit = !n.hasUnit();
        if (n.child("__overlay__") != null) {
            return; // overlay fragments carry no reg
        }
        Property p = n.prop("reg");
        if (p == null) {
            p = n.prop("ranges");
            if (p != null && p.value().isEmpty()) {
                p = null;
            }
        }
        if (p != null) {
            if (noUnit) {
                r.fail(c, n, "node has a reg or ranges property, but no unit name");
            }
        } else if (!noUnit) {
            r.fail(c, n, "node has a unit name, but no reg or ranges property");
        }
    }

    static void propertyNameChars(DtcCheckRun r, int c, NodeInfo n) {
        for (Property p : n.props()) {
            int k = strspn(p.name(), PROPNODECHARS_SET);
            if (k < p.name().length()) {
                r.failProp(c, n, p, "Bad character '" + badChar(p.name(), k)
                        + "' in property name");
            }
        }
    }

    static void propertyNameCharsStrict(DtcCheckRun r, int c, NodeInfo n) {
        for (Property p : n.props()) {
            String name = p.name();
            int k = strspn(name, STRICT_SET);
            if (k == name.length()) {
                continue;
            }
            if (name.equals("device_type")) {
                continue;
            }
            // '#' may start the name, or follow a vendor prefix's comma
            if (name.charAt(k) == '#' && (k == 0 || name.charAt(k - 1) == ',')) {
                name = name.substring(k + 1);
                k = strspn(name, STRICT_SET);
            }
            if (k < name.length()) {
                r.failProp(c, n, p, "Character '" + badChar(name, k)
                        + "' not recommended in property name");
            }
        }
    }

    static void nameProperties(DtcCheckRun r, int c, NodeInfo n) {
        Property p = n.prop("name");
        if (p == null) {
            return;
        }
        Value v = p.value();
        byte[] base = n.name().substring(0, n.baseLen).getBytes(StandardCharsets.ISO_8859_1);
        boolean same = v.length() == base.length + 1;
        for (int i = 0; same && i < base.length; i++) {
            same = v.byteAt(i) == base[i];
        }
        if (!same) {
            String s = cString(v);
            r.fail(c, n, "\"name\" property is incorrect (\"" + (s == null ? "(null)" : s)
                    + "\" instead of base node name)");
        } else {
            // a correct "name" only repeats the node name: dtc drops it
            n.removeProp(p);
        }
    }

    // ---- labels and phandles -------------------------------------------------------------

    private static String descLabel(NodeInfo n, Property p, Marker m) {
        return (m != null ? "value of " : "") + (p != null ? "'" + p.name() + "' in " : "") + n.path();
    }

    private void duplicateLabelOne(int c, String label, NodeInfo n, Property p, Marker m) {
        buildLabelMaps();
        NodeInfo on = nodeLabels.get(label);
        Property op = null;
        Marker om = null;
        if (on == null) {
            Object[] x = propLabels.get(label);
            if (x != null) {
                on = (NodeInfo) x[0];
                op = (Property) x[1];
            }
        }
        if (on == null) {
            Object[] x = markerLabels.get(label);
            if (x != null) {
                on = (NodeInfo) x[0];
                op = (Property) x[1];
                om = (Marker) x[2];
            }
        }
        if (on == null) {
            return;
        }
        if (on != n || op != p || om != m) {
            fail(c, n, "Duplicate label '" + label + "' on " + descLabel(n, p, m) + " and "
                    + descLabel(on, op, om));
        }
    }

    static void duplicateLabel(DtcCheckRun r, int c, NodeInfo n) {
        for (String l : n.node.labels()) {
            r.duplicateLabelOne(c, l, n, null, null);
        }
        for (Property p : n.props()) {
            for (String l : p.labels()) {
                r.duplicateLabelOne(c, l, n, p, null);
            }
            for (Marker m : p.value().markers()) {
                if (m.type() == MarkerType.LABEL && m.ref() != null) {
                    r.duplicateLabelOne(c, m.ref(), n, p, m);
                }
            }
        }
    }

    private long checkPhandleProp(int c, NodeInfo n, String propName) {
        Property p = n.prop(propName);
        if (p == null) {
            return 0;
        }
        if (p.value().length() != 4) {
            failProp(c, n, p, "bad length (" + p.value().length() + ") " + p.name() + " property");
            return 0;
        }
        for (Marker m : p.value().markers()) {
            if (m.type() == MarkerType.REF_PHANDLE) {
                if (n != nodeByRef(m.ref() == null ? "" : m.ref())) {
                    fail(c, n, p.name() + " is a reference to another node");
                }
                // a node pointing at itself asks for a phandle to be allocated later
                return 0;
            }
        }
        long ph = p.value().cellAt(0);
        if (!phandleIsValid(ph)) {
            failProp(c, n, p, "bad value (0x" + Long.toHexString(ph) + ") in " + p.name()
                    + " property");
            return 0;
        }
        return ph;
    }

    static void explicitPhandles(DtcCheckRun r, int c, NodeInfo n) {
        long ph = r.checkPhandleProp(c, n, "phandle");
        long linux = r.checkPhandleProp(c, n, "linux,phandle");
        if (ph == 0 && linux == 0) {
            return;
        }
        if (linux != 0 && ph != 0 && ph != linux) {
            r.fail(c, n, "mismatching 'phandle' and 'linux,phandle' properties");
        }
        if (linux != 0 && ph == 0) {
            ph = linux;
        }
        NodeInfo other = r.phandles.get(ph);
        if (other != null && other != n) {
            r.fail(c, n, "duplicated phandle 0x" + Long.toHexString(ph) + " (seen before at "
                    + other.path() + ")");
            return;
        }
        r.phandles.put(ph, n);
        n.phandle = ph;
    }

    /**
     * Reference resolution itself is the compiler's; here its messages are replayed in dtc's
     * order, and the phandles it handed out become known to the checks that follow.
     */
    static void phandleReferences(DtcCheckRun r, int c, NodeInfo n) {
        if (n == r.root) {
            r.replayExternal(c);
        }
        if (n.phandle != 0) {
            return;
        }
        for (String name : new String[] {"phandle", "linux,phandle"}) {
            Property p = n.prop(name);
            if (p != null) {
                long ph = p.value().length() == 4 ? p.value().cellAt(0) : 0;
                if (phandleIsValid(ph) && r.phandles.putIfAbsent(ph, n) == null) {
                    n.phandle = ph;
                }
                return;
            }
        }
    }

    static void external(DtcCheckRun r, int c, NodeInfo n) {
        if (n == r.root) {
            r.replayExternal(c);
        }
    }

    private void replayExternal(int c) {
        List<Diagnostic> ds = external.getOrDefault(DtcCheckTable.CHECKS.get(c).name(), List.of());
        for (Diagnostic d : ds) {
            status[c] = FAILED;
            boolean warn = config.warn(c);
            boolean err = config.error(c);
            int quiet = config.quiet();
            if (!(warn && quiet < 1) && !(err && quiet < 2)) {
                continue;
            }
            out.add(new Diagnostic(err ? Severity.ERROR : Severity.WARNING, d.check(),
                    d.span() != null ? d.span() : Span.fileOnly(fallback), d.nodePath(),
                    d.property(), d.message()));
        }
    }

    // ---- simple property types -----------------------------------------------------------

    static void isString(DtcCheckRun r, int c, NodeInfo n) {
        r.isStringNamed(c, n, (String) data(c));
    }

    private void isStringNamed(int c, NodeInfo n, String propName) {
        Property p = n.prop(propName);
        if (p != null && !isOneString(p.value())) {
            failProp(c, n, p, "property is not a string");
        }
    }

    static void isStringList(DtcCheckRun r, int c, NodeInfo n) {
        r.isStringListNamed(c, n, (String) data(c));
    }

    private void isStringListNamed(int c, NodeInfo n, String propName) {
        Property p = n.prop(propName);
        if (p == null) {
            return;
        }
        Value v = p.value();
        int i = 0;
        int len = v.length();
        while (i < len) {
            int e = i;
            while (e < len && v.byteAt(e) != 0) {
                e++;
            }
            if (e == len) {
                failProp(c, n, p, "property is not a string list");
                break;
            }
            i = e + 1;
        }
    }

    static void namesIsStringList(DtcCheckRun r, int c, NodeInfo n) {
        for (Property p : n.props()) {
            String name = p.name();
            // the part from the last '-' is "-names" exactly when the name ends so
            if (!name.endsWith("-names")) {
                continue;
            }
            r.isStringListNamed(c, n, name);
        }
    }

    static void isCell(DtcCheckRun r, int c, NodeInfo n) {
        Property p = n.prop((String) data(c));
        if (p != null && p.value().length() != 4) {
            r.failProp(c, n, p, "property is not a single cell");
        }
    }

    // ---- addresses -----------------------------------------------------------------------

    static void addrSizeCells(DtcCheckRun r, int c, NodeInfo n) {
        n.addrCells = -1;
        n.sizeCells = -1;
        Property p = n.prop("#address-cells");
        if (p != null) {
            n.addrCells = (int) cellAt(p.value(), 0);
        }
        p = n.prop("#size-cells");
        if (p != null) {
            n.sizeCells = (int) cellAt(p.value(), 0);
        }
    }

    static void regFormat(DtcCheckRun r, int c, NodeInfo n) {
        Property p = n.prop("reg");
        if (p == null) {
            return;
        }
        if (n.parent == null) {
            r.fail(c, n, "Root node has a \"reg\" property");
            return;
        }
        if (p.value().isEmpty()) {
            r.failProp(c, n, p, "property is empty");
        }
        int ac = nodeAddrCells(n.parent);
        int sc = nodeSizeCells(n.parent);
        int entry = (ac + sc) * 4;
        if (!isMultipleOf(p.value().length(), entry)) {
            r.failProp(c, n, p, "property has invalid length (" + p.value().length()
                    + " bytes) (#address-cells == " + ac + ", #size-cells == " + sc + ")");
        }
    }

    static void rangesFormat(DtcCheckRun r, int c, NodeInfo n) {
        String ranges = (String) data(c);
        Property p = n.prop(ranges);
        if (p == null) {
            return;
        }
        if (n.parent == null) {
            r.failProp(c, n, p, "Root node has a \"" + ranges + "\" property");
            return;
        }
        int pac = nodeAddrCells(n.parent);
        int psc = nodeSizeCells(n.parent);
        int cac = nodeAddrCells(n);
        int csc = nodeSizeCells(n);
        int entry = (pac + cac + csc) * 4;
        int len = p.value().length();
        if (len == 0) {
            if (pac != cac) {
                r.failProp(c, n, p, "empty \"" + ranges + "\" property but its #address-cells ("
                        + cac + ") differs from " + n.parent.path() + " (" + pac + ")");
            }
            if (psc != csc) {
                r.failProp(c, n, p, "empty \"" + ranges + "\" property but its #size-cells ("
                        + csc + ") differs from " + n.parent.path() + " (" + psc + ")");
            }
        } else if (!isMultipleOf(len, entry)) {
            r.failProp(c, n, p, "\"" + ranges + "\" property has invalid length (" + len
                    + " bytes) (parent #address-cells == " + pac + ", child #address-cells == "
                    + cac + ", #size-cells == " + csc + ")");
        }
    }

    static void unitAddressFormat(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent != null && n.parent.bus != null) {
            return;
        }
        if (!n.hasUnit()) {
            return;
        }
        // read the unit address in place: this runs for every node that has one
        String name = n.name();
        int u = n.baseLen + 1;
        if (name.startsWith("0x", u)) {
            r.fail(c, n, "unit name should not have leading \"0x\"");
            u += 2;
        }
        if (name.length() - u >= 2 && name.charAt(u) == '0' && isXDigit(name.charAt(u + 1))) {
            r.fail(c, n, "unit name should not have leading 0s");
        }
    }

    private static boolean isXDigit(char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }

    static void pciBridge(DtcCheckRun r, int c, NodeInfo n) {
        Property p = n.prop("device_type");
        if (p == null || !"pci".equals(cString(p.value()))) {
            return;
        }
        r.setBus(n, Bus.PCI);
        if (!n.nameIs("pci") && !n.nameIs("pcie")) {
            r.fail(c, n, "node name is not \"pci\" or \"pcie\"");
        }
        if (n.prop("ranges") == null) {
            r.fail(c, n, "missing ranges for PCI bridge (or not a bridge)");
        }
        if (nodeAddrCells(n) != 3) {
            r.fail(c, n, "incorrect #address-cells for PCI bridge");
        }
        if (nodeSizeCells(n) != 2) {
            r.fail(c, n, "incorrect #size-cells for PCI bridge");
        }
        p = n.prop("bus-range");
        if (p == null) {
            return;
        }
        if (p.value().length() != 8) {
            r.failProp(c, n, p, "value must be 2 cells");
            return;
        }
        long c0 = p.value().cellAt(0);
        long c1 = p.value().cellAt(4);
        if (c0 > c1) {
            r.failProp(c, n, p, "1st cell must be less than or equal to 2nd cell");
        }
        if (c1 > 0xff) {
            r.failProp(c, n, p, "maximum bus number must be less than 256");
        }
    }

    static void pciDeviceBusNum(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.PCI) {
            return;
        }
        Property p = n.prop("reg");
        if (p == null) {
            return;
        }
        long busNum = (cellAt(p.value(), 0) & 0x00ff0000L) >> 16;
        long min;
        long max;
        Property range = n.parent.prop("bus-range");
        if (range == null) {
            min = 0;
            max = 0;
        } else {
            min = cellAt(range.value(), 0);
            max = cellAt(range.value(), 0); // dtc reads the first cell twice
        }
        if (busNum < min || busNum > max) {
            r.failProp(c, n, range, "PCI bus number " + busNum + " out of range, expected ("
                    + (int) min + " - " + (int) max + ")");
        }
    }

    static void pciDeviceReg(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.PCI) {
            return;
        }
        Property p = n.prop("reg");
        if (p == null) {
            return;
        }
        Value v = p.value();
        if (cellAt(v, 1) != 0 || cellAt(v, 2) != 0) {
            r.failProp(c, n, p, "PCI reg config space address cells 2 and 3 must be 0");
        }
        long reg = cellAt(v, 0);
        long dev = (reg & 0xf800) >> 11;
        long func = (reg & 0x700) >> 8;
        if ((reg & 0xff000000L) != 0) {
            r.failProp(c, n, p, "PCI reg address is not configuration space");
        }
        if ((reg & 0xff) != 0) {
            r.failProp(c, n, p, "PCI reg config space address register number must be 0");
        }
        String unit = n.unitName();
        if (func == 0 && unit.equals(Long.toHexString(dev))) {
            return;
        }
        String expected = Long.toHexString(dev) + "," + Long.toHexString(func);
        if (unit.equals(expected)) {
            return;
        }
        r.fail(c, n, "PCI unit address format error, expected \"" + expected + "\"");
    }

    static void simpleBusBridge(DtcCheckRun r, int c, NodeInfo n) {
        if (isCompatible(n, "simple-bus")) {
            r.setBus(n, Bus.SIMPLE);
        }
    }

    static void simpleBusReg(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.SIMPLE) {
            return;
        }
        Value cells = null;
        int first = 0;
        Property p = n.prop("reg");
        if (p != null) {
            cells = p.value();
        } else {
            p = n.prop("ranges");
            if (p != null && !p.value().isEmpty()) {
                cells = p.value();
                first = nodeAddrCells(n); // skip the child address
            }
        }
        if (cells == null) {
            if (n.parent.parent != null && n.bus != Bus.SIMPLE) {
                r.fail(c, n, "missing or empty reg/ranges property");
            }
            return;
        }
        long reg = 0;
        int size = nodeAddrCells(n.parent);
        for (int i = 0; i < size; i++) {
            reg = (reg << 32) | cellAt(cells, first + i);
        }
        String expected = Long.toHexString(reg);
        if (!n.unitName().equals(expected)) {
            r.fail(c, n, "simple-bus unit address format error, expected \"" + expected + "\"");
        }
    }

    static void i2cBusBridge(DtcCheckRun r, int c, NodeInfo n) {
        if (n.nameIs("i2c-bus") || n.nameIs("i2c-arb")) {
            r.setBus(n, Bus.I2C);
        } else if (n.nameIs("i2c")) {
            // dtc compares child names against the parent's base-name length here, so an
            // "i2c-bus" child never matches and the node always becomes an I2C bus
            for (NodeInfo k : n.children) {
                if (n.baseLen == 7 && k.name().startsWith("i2c-bus")) {
                    return;
                }
            }
            r.setBus(n, Bus.I2C);
        } else {
            return;
        }
        if (n.children.isEmpty()) {
            return;
        }
        if (nodeAddrCells(n) != 1) {
            r.fail(c, n, "incorrect #address-cells for I2C bus");
        }
        if (nodeSizeCells(n) != 0) {
            r.fail(c, n, "incorrect #size-cells for I2C bus");
        }
    }

    static void i2cBusReg(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.I2C) {
            return;
        }
        Property p = n.prop("reg");
        if (p == null) {
            r.fail(c, n, "missing or empty reg property");
            return;
        }
        final long ownSlave = 1L << 30;
        final long tenBit = 1L << 31;
        long reg = cellAt(p.value(), 0) & ~ownSlave;
        String expected = Long.toHexString(reg);
        if (!n.unitName().equals(expected)) {
            r.fail(c, n, "I2C bus unit address format error, expected \"" + expected + "\"");
        }
        int idx = 0;
        for (int len = p.value().length(); len > 0; len -= 4) {
            reg = cellAt(p.value(), idx++) & ~ownSlave;
            if ((reg & tenBit) != 0 && (reg & ~tenBit) > 0x3ff) {
                r.failProp(c, n, p, "I2C address must be less than 10-bits, got \"0x"
                        + Long.toHexString(reg) + "\"");
            } else if (reg > 0x7f) {
                r.failProp(c, n, p, "I2C address must be less than 7-bits, got \"0x"
                        + Long.toHexString(reg) + "\". Set I2C_TEN_BIT_ADDRESS for 10 bit"
                        + " addresses or fix the property");
            }
        }
    }

    static void spiBusBridge(DtcCheckRun r, int c, NodeInfo n) {
        int spiAddrCells = 1;
        if (n.nameIs("spi")) {
            r.setBus(n, Bus.SPI);
        } else {
            // a bus whose children use spi-* properties, even if not named "spi"
            if (nodeAddrCells(n) != 1 || nodeSizeCells(n) != 0) {
                return;
            }
            outer:
            for (NodeInfo k : n.children) {
                for (Property p : k.props()) {
                    if (p.name().startsWith("spi-")) {
                        r.setBus(n, Bus.SPI);
                        break outer;
                    }
                }
            }
            if (n.bus == Bus.SPI && n.prop("reg") != null) {
                r.fail(c, n, "node name for SPI buses should be 'spi'");
            }
        }
        if (n.bus != Bus.SPI || n.children.isEmpty()) {
            return;
        }
        if (n.prop("spi-slave") != null) {
            spiAddrCells = 0;
        }
        if (nodeAddrCells(n) != spiAddrCells) {
            r.fail(c, n, "incorrect #address-cells for SPI bus");
        }
        if (nodeSizeCells(n) != 0) {
            r.fail(c, n, "incorrect #size-cells for SPI bus");
        }
    }

    static void spiBusReg(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.SPI) {
            return;
        }
        if (n.parent.prop("spi-slave") != null) {
            return;
        }
        Property p = n.prop("reg");
        if (p == null) {
            r.fail(c, n, "missing or empty reg property");
            return;
        }
        String expected = Long.toHexString(cellAt(p.value(), 0));
        if (!n.unitName().equals(expected)) {
            r.fail(c, n, "SPI bus unit address format error, expected \"" + expected + "\"");
        }
    }

    static void avoidDefaultAddrSize(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null) {
            return;
        }
        if (n.prop("reg") == null && n.prop("ranges") == null) {
            return;
        }
        if (n.parent.addrCells == -1) {
            r.fail(c, n, "Relying on default #address-cells value");
        }
        if (n.parent.sizeCells == -1) {
            r.fail(c, n, "Relying on default #size-cells value");
        }
    }

    static void avoidUnnecessaryAddrSize(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.addrCells < 0 || n.sizeCells < 0) {
            return;
        }
        if (n.prop("ranges") != null || n.children.isEmpty()) {
            return;
        }
        for (NodeInfo k : n.children) {
            if (k.prop("reg") != null) {
                return;
            }
        }
        r.fail(c, n, "unnecessary #address-cells/#size-cells without \"ranges\" or child \"reg\""
                + " property");
    }

    static void uniqueUnitAddress(DtcCheckRun r, int c, NodeInfo n) {
        boolean skipDisabled = (Boolean) data(c);
        if (n.addrCells < 0 || n.sizeCells < 0 || n.children.isEmpty()) {
            return;
        }
        if (!sharesUnitAddress(n.children, skipDisabled)) {
            return;
        }
        // for each child a, every earlier sibling b with the same unit address is reported
        Map<String, List<NodeInfo>> earlier = new HashMap<>();
        List<NodeInfo> kids = n.children;
        for (NodeInfo a : kids) {
            String addr = a.unitName();
            boolean aCounts = !(skipDisabled && isDisabled(a));
            if (!addr.isEmpty() && aCounts) {
                List<NodeInfo> same = earlier.get(addr);
                if (same != null) {
                    for (NodeInfo b : same) {
                        r.fail(c, b, "duplicate unit-address (also used in node " + a.path() + ")");
                    }
                }
            }
            if (!(skipDisabled && isDisabled(a))) {
                earlier.computeIfAbsent(addr, x -> new ArrayList<>()).add(a);
            }
        }
    }

    /**
     * Whether two counted children have the same non-empty unit address, which is when the
     * check below reports anything. Hashes the addresses in place in an open-addressed table
     * of child indices, so the usual all-distinct family costs no substrings, maps or lists.
     */
    private static boolean sharesUnitAddress(List<NodeInfo> kids, boolean skipDisabled) {
        int k = kids.size();
        if (k < 2) {
            return false;
        }
        int cap = Integer.highestOneBit(k) << 2;
        int[] table = new int[cap];
        for (int i = 0; i < k; i++) {
            NodeInfo a = kids.get(i);
            String an = a.name();
            int from = a.baseLen + 1;
            int len = an.length() - from;
            if (len <= 0 || (skipDisabled && isDisabled(a))) {
                continue;
            }
            int h = 0;
            for (int j = from; j < an.length(); j++) {
                h = 31 * h + an.charAt(j);
            }
            int slot = (h ^ (h >>> 16)) & (cap - 1);
            while (table[slot] != 0) {
                NodeInfo b = kids.get(table[slot] - 1);
                int bf = b.baseLen + 1;
                if (b.name().length() - bf == len && an.regionMatches(from, b.name(), bf, len)) {
                    return true;
                }
                slot = (slot + 1) & (cap - 1);
            }
            table[slot] = i + 1;
        }
        return false;
    }

    // ---- /chosen -------------------------------------------------------------------------

    static void obsoleteChosenInterruptController(DtcCheckRun r, int c, NodeInfo n) {
        if (n != r.root) {
            return;
        }
        NodeInfo chosen = r.nodeByPath("/chosen");
        if (chosen == null) {
            return;
        }
        Property p = chosen.prop("interrupt-controller");
        if (p != null) {
            r.failProp(c, n, p, "/chosen has obsolete \"interrupt-controller\" property");
        }
    }

    static void chosenNodeIsRoot(DtcCheckRun r, int c, NodeInfo n) {
        if (!n.name().equals("chosen")) {
            return;
        }
        if (n.parent != r.root) {
            r.fail(c, n, "chosen node must be at root node");
        }
    }

    static void chosenNodeBootargs(DtcCheckRun r, int c, NodeInfo n) {
        if (!n.name().equals("chosen")) {
            return;
        }
        if (n.prop("bootargs") != null) {
            r.isStringNamed(c, n, "bootargs");
        }
    }

    static void chosenNodeStdoutPath(DtcCheckRun r, int c, NodeInfo n) {
        if (!n.name().equals("chosen")) {
            return;
        }
        Property p = n.prop("stdout-path");
        if (p == null) {
            p = n.prop("linux,stdout-path");
            if (p == null) {
                return;
            }
            r.failProp(c, n, p, "Use 'stdout-path' instead");
        }
        r.isStringNamed(c, n, p.name());
    }

    // ---- phandle + arguments -------------------------------------------------------------

    private void propertyPhandleArgs(int c, NodeInfo n, Property p, String cellName,
                                     boolean optional) {
        Value v = p.value();
        int len = v.length();
        if (len % 4 != 0) {
            failProp(c, n, p, "property size (" + len + ") is invalid, expected multiple of 4");
            return;
        }
        int cellsize = 0;
        int steps = 0;
        for (int cell = 0; cell >= 0 && cell < len / 4; cell += cellsize + 1) {
            if (++steps > len / 4) {
                // a walk that visits more entries than there are cells has come back to one
                // (negative cell counts step backwards); dtc would repeat it forever
                abort(c, n, p, "the cell counts of its providers make the walk over " + p.name()
                        + " return to cell " + cell + " (dtc 1.6.1 loops forever)");
            }
            long ph = v.cellAt(cell * 4);
            if (!phandleIsValid(ph)) {
                // 0 and -1 skip optional entries; an overlay may point outside itself
                if (plugin) {
                    break;
                }
                cellsize = 0;
                continue;
            }
            if (!v.markers().isEmpty()) {
                boolean isRef = false;
                for (Marker m : v.markers()) {
                    if (m.type() == MarkerType.REF_PHANDLE && m.offset() == cell * 4) {
                        isRef = true;
                        break;
                    }
                }
                if (!isRef) {
                    failProp(c, n, p, "cell " + cell + " is not a phandle reference");
                }
            }
            NodeInfo provider = nodeByPhandle(ph);
            if (provider == null) {
                failProp(c, n, p, "Could not get phandle node for (cell " + cell + ")");
                break;
            }
            Property cellProp = provider.prop(cellName);
            if (cellProp != null) {
                cellsize = (int) propvalCell(c, n, cellProp, provider);
            } else if (optional) {
                cellsize = 0;
            } else {
                fail(c, n, "Missing property '" + cellName + "' in node " + provider.path()
                        + " or bad phandle (referred from " + p.name() + "[" + cell + "])");
                break;
            }
            if (cellsize == -1) {
                abort(c, n, p, "'" + cellName + "' of " + provider.path()
                        + " is 0xffffffff: the arguments never end (dtc 1.6.1 loops forever)");
            }
            long need = (long) (cell + cellsize + 1) * 4L;
            if (Long.compareUnsigned(len, need) < 0) {
                failProp(c, n, p, "property size (" + len + ") too small for cell size "
                        + cellsize);
            }
        }
    }

    static void providerCellsProperty(DtcCheckRun r, int c, NodeInfo n) {
        DtcCheckTable.Provider pr = (DtcCheckTable.Provider) data(c);
        Property p = n.prop(pr.propName());
        if (p != null) {
            r.propertyPhandleArgs(c, n, p, pr.cellName(), pr.optional());
        }
    }

    private static boolean propIsGpio(Property p) {
        return propIsGpio(p.name());
    }

    private static boolean propIsGpio(String name) {
        // the part after the last '-' (or the whole name) is "gpios" or "gpio": neither
        // contains a '-', so this is a suffix test, without cutting out the tail; the rarer
        // ",nr-gpios" exclusion is looked for only then
        return (name.equals("gpios") || name.equals("gpio")
                || name.endsWith("-gpios") || name.endsWith("-gpio"))
                && !name.contains(",nr-gpios");
    }

    static void gpiosProperty(DtcCheckRun r, int c, NodeInfo n) {
        if (n.prop("gpio-hog") != null) {
            return; // hogs carry a gpios property of their own kind
        }
        for (Property p : n.props()) {
            if (propIsGpio(p)) {
                r.propertyPhandleArgs(c, n, p, "#gpio-cells", false);
            }
        }
    }

    static void deprecatedGpioProperty(DtcCheckRun r, int c, NodeInfo n) {
        for (Property p : n.props()) {
            if (!propIsGpio(p)) {
                continue;
            }
            int at = p.name().indexOf("gpio");
            if (!p.name().substring(at).equals("gpio")) {
                continue;
            }
            r.failProp(c, n, p, "'[*-]gpio' is deprecated, use '[*-]gpios' instead");
        }
    }

    // ---- interrupts ----------------------------------------------------------------------

    private static boolean isInterruptProvider(NodeInfo n) {
        return n.prop("interrupt-controller") != null || n.prop("interrupt-map") != null;
    }

    static void interruptProvider(DtcCheckRun r, int c, NodeInfo n) {
        if (!isInterruptProvider(n)) {
            return;
        }
        if (n.prop("#interrupt-cells") == null) {
            r.fail(c, n, "Missing #interrupt-cells in interrupt provider");
        }
        if (n.prop("#address-cells") == null) {
            r.fail(c, n, "Missing #address-cells in interrupt provider");
        }
    }

    static void interruptsProperty(DtcCheckRun r, int c, NodeInfo n) {
        Property irq = n.prop("interrupts");
        if (irq == null) {
            return;
        }
        int len = irq.value().length();
        if (len % 4 != 0) {
            r.failProp(c, n, irq, "size (" + len + ") is invalid, expected multiple of 4");
        }
        NodeInfo irqNode = null;
        NodeInfo parent = n;
        Property prop = null;
        while (parent != null && prop == null) {
            if (parent != n && isInterruptProvider(parent)) {
                irqNode = parent;
                break;
            }
            prop = parent.prop("interrupt-parent");
            if (prop != null) {
                long ph = r.propvalCell(c, parent, prop, parent);
                if (!phandleIsValid(ph)) {
                    if (r.plugin) {
                        return; // an overlay may point outside itself
                    }
                    r.failProp(c, parent, prop, "Invalid phandle");
                    continue;
                }
                irqNode = r.nodeByPhandle(ph);
                if (irqNode == null) {
                    r.failProp(c, parent, prop, "Bad phandle");
                    return;
                }
                if (!isInterruptProvider(irqNode)) {
                    r.fail(c, irqNode, "Missing interrupt-controller or interrupt-map property");
                }
                break;
            }
            parent = parent.parent;
        }
        if (irqNode == null) {
            r.fail(c, n, "Missing interrupt-parent");
            return;
        }
        Property cellsProp = irqNode.prop("#interrupt-cells");
        if (cellsProp == null) {
            return; // interrupt_provider reports that
        }
        int irqCells = (int) r.propvalCell(c, n, cellsProp, irqNode);
        int unit = irqCells * 4;
        if (!isMultipleOf(len, unit)) {
            r.failProp(c, n, cellsProp, "size is (" + len + "), expected multiple of " + unit);
        }
    }

    // ---- aliases -------------------------------------------------------------------------

    static void aliasPaths(DtcCheckRun r, int c, NodeInfo n) {
        if (!n.name().equals("aliases")) {
            return;
        }
        for (Property p : n.props()) {
            if (p.name().equals("phandle") || p.name().equals("linux,phandle")) {
                continue;
            }
            String target = cString(p.value());
            if (target == null || r.nodeByPath(target) == null) {
                r.failProp(c, n, p, "aliases property is not a valid node ("
                        + (target == null ? "(null)" : target) + ")");
                continue;
            }
            if (strspn(p.name(), LOWER_DIGIT_DASH_SET) != p.name().length()) {
                r.fail(c, n, "aliases property name must include only lowercase and '-'");
            }
        }
    }

    // ---- graphs (ports and endpoints) ----------------------------------------------------

    static void graphNodes(DtcCheckRun r, int c, NodeInfo n) {
        for (NodeInfo k : n.children) {
            if (!(k.nameIs("endpoint") || k.prop("remote-endpoint") != null)) {
                continue;
            }
            if (n.parent == null) {
                r.abort(c, n, null, "the root node cannot be a graph port (dtc 1.6.1 crashes here)");
            }
            r.setBus(n, Bus.GRAPH_PORT);
            // a port's parent is either a "ports" node or the device itself
            if (n.parent.bus == null
                    && (n.parent.name().equals("ports") || n.prop("reg") != null)) {
                r.setBus(n.parent, Bus.GRAPH_PORTS);
            }
            break;
        }
    }

    static void graphChildAddress(DtcCheckRun r, int c, NodeInfo n) {
        if (n.bus != Bus.GRAPH_PORTS && n.bus != Bus.GRAPH_PORT) {
            return;
        }
        int cnt = 0;
        for (NodeInfo k : n.children) {
            Property p = k.prop("reg");
            if (p != null && r.propvalCell(c, k, p, k) != 0) {
                return; // a non-zero unit address needs the cells
            }
            cnt++;
        }
        if (cnt == 1 && n.addrCells != -1) {
            r.fail(c, n, "graph node has single child node '" + n.children.get(0).name()
                    + "', #address-cells/#size-cells are not necessary");
        }
    }

    private void graphReg(int c, NodeInfo n) {
        Property p = n.prop("reg");
        if (p == null) {
            return;
        }
        if (p.value().length() != 4) {
            fail(c, n, "graph node malformed 'reg' property");
            return;
        }
        String expected = Long.toHexString(p.value().cellAt(0));
        if (!n.unitName().equals(expected)) {
            fail(c, n, "graph node unit address error, expected \"" + expected + "\"");
        }
        if (n.parent.addrCells != 1) {
            failProp(c, n, n.prop("#address-cells"), "graph node '#address-cells' is "
                    + n.parent.addrCells + ", must be 1");
        }
        if (n.parent.sizeCells != 0) {
            failProp(c, n, n.prop("#size-cells"), "graph node '#size-cells' is "
                    + n.parent.sizeCells + ", must be 0");
        }
    }

    static void graphPort(DtcCheckRun r, int c, NodeInfo n) {
        if (n.bus != Bus.GRAPH_PORT) {
            return;
        }
        if (!n.nameIs("port")) {
            r.fail(c, n, "graph port node name should be 'port'");
        }
        r.graphReg(c, n);
    }

    private NodeInfo remoteEndpoint(int c, NodeInfo endpoint) {
        Property p = endpoint.prop("remote-endpoint");
        if (p == null) {
            return null;
        }
        long ph = propvalCell(c, endpoint, p, endpoint);
        if (!phandleIsValid(ph)) {
            return null; // an overlay may point outside itself
        }
        NodeInfo node = nodeByPhandle(ph);
        if (node == null) {
            failProp(c, endpoint, p, "graph phandle is not valid");
        }
        return node;
    }

    static void graphEndpoint(DtcCheckRun r, int c, NodeInfo n) {
        if (n.parent == null || n.parent.bus != Bus.GRAPH_PORT) {
            return;
        }
        if (!n.nameIs("endpoint")) {
            r.fail(c, n, "graph endpoint node name should be 'endpoint'");
        }
        r.graphReg(c, n);
        NodeInfo remote = r.remoteEndpoint(c, n);
        if (remote == null) {
            return;
        }
        if (r.remoteEndpoint(c, remote) != n) {
            r.fail(c, n, "graph connection to node '" + remote.path() + "' is not bidirectional");
        }
    }
}
