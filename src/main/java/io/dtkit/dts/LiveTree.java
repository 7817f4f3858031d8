package io.dtkit.dts;

import io.dtkit.model.MarkerType;
import io.dtkit.source.Span;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The mutable tree the compiler builds, shaped like dtc's so that merges, deletions and
 * revivals behave the same: deleted properties, nodes and labels stay in their lists, flagged,
 * and a later definition of the same name brings them back in place.
 */
final class LiveTree {
    private LiveTree() {
    }

    /** Lists this long get a name index; shorter ones are scanned. */
    private static final int INDEX_AT = 8;

    /** A label with dtc's deleted flag. */
    static final class Lbl {
        final String name;
        boolean deleted;

        Lbl(String name) {
            this.name = name;
        }
    }

    /** One marker of a value (dtc's {@code struct marker}); immutable, so it can be shared. */
    static final class Mark {
        final int offset;
        final MarkerType type;
        final String ref;

        Mark(int offset, MarkerType type, String ref) {
            this.offset = offset;
            this.type = type;
            this.ref = ref;
        }

        /* the type marker that starts nearly every value, one per type */
        private static final Mark[] LEADING = new Mark[MarkerType.values().length];

        static {
            for (MarkerType t : MarkerType.values()) {
                LEADING[t.ordinal()] = new Mark(0, t, null);
            }
        }

        static Mark of(int offset, MarkerType type, String ref) {
            return offset == 0 && ref == null ? LEADING[type.ordinal()] : new Mark(offset, type, ref);
        }
    }

    /**
     * A growable value: bytes plus markers (dtc's {@code struct data}). The markers are the
     * value's own list, not an object of their own: a large source has millions of values.
     * Almost every value has exactly one marker, so the first is held in a field and an array
     * appears only for the rest.
     */
    static final class Data extends AbstractList<Mark> implements RandomAccess {
        byte[] val;
        int len;
        private Mark first;
        private Mark[] rest;
        private int size;

        Data() {
            val = EMPTY_BYTES;
        }

        /** The markers in offset order. */
        List<Mark> marks() {
            return this;
        }

        @Override
        public Mark get(int i) {
            Objects.checkIndex(i, size);
            return i == 0 ? first : rest[i - 1];
        }

        @Override
        public Mark set(int i, Mark m) {
            Mark old = get(i);
            if (i == 0) {
                first = m;
            } else {
                rest[i - 1] = m;
            }
            return old;
        }

        @Override
        public boolean add(Mark m) {
            if (size == 0) {
                first = m;
            } else {
                if (rest == null) {
                    rest = new Mark[2];
                } else if (size - 1 == rest.length) {
                    rest = Arrays.copyOf(rest, rest.length * 2);
                }
                rest[size - 1] = m;
            }
            size++;
            modCount++;
            return true;
        }

        @Override
        public int size() {
            return size;
        }

        /* a value is itself, not equal to another with the same markers */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        private static final byte[] EMPTY_BYTES = new byte[0];

        private void grow(int extra) {
            int need = len + extra;
            if (need > val.length) {
                val = Arrays.copyOf(val, Math.max(need, Math.max(8, val.length * 2)));
            }
        }

        Data mark(MarkerType type, String ref) {
            add(Mark.of(len, type, ref));
            return this;
        }

        Data append(byte[] b, int off, int n) {
            grow(n);
            System.arraycopy(b, off, val, len, n);
            len += n;
            return this;
        }

        Data appendByte(int b) {
            grow(1);
            val[len++] = (byte) b;
            return this;
        }

        /** Big-endian integer of {@code bits} bits (8, 16, 32 or 64). */
        Data appendInt(long v, int bits) {
            int n = bits / 8;
            grow(n);
            for (int i = n - 1; i >= 0; i--) {
                val[len++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        /** Appends {@code other}'s bytes and markers (dtc's data_merge). */
        Data merge(Data other) {
            int base = len;
            append(other.val, 0, other.len);
            for (int i = 0; i < other.size; i++) {
                Mark m = other.get(i);
                add(Mark.of(m.offset + base, m.type, m.ref));
            }
            return this;
        }

        /** Inserts bytes at marker {@code mi}, shifting the markers listed after it. */
        void insertAt(int mi, byte[] b) {
            int at = get(mi).offset;
            grow(b.length);
            System.arraycopy(val, at, val, at + b.length, len - at);
            System.arraycopy(b, 0, val, at, b.length);
            len += b.length;
            for (int i = mi + 1; i < size; i++) {
                Mark m = get(i);
                set(i, new Mark(m.offset + b.length, m.type, m.ref));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(val, len);
        }

        long cell(int off) {
            return ((val[off] & 0xffL) << 24) | ((val[off + 1] & 0xffL) << 16)
                    | ((val[off + 2] & 0xffL) << 8) | (val[off + 3] & 0xffL);
        }

        void setCell(int off, long v) {
            val[off] = (byte) (v >>> 24);
            val[off + 1] = (byte) (v >>> 16);
            val[off + 2] = (byte) (v >>> 8);
            val[off + 3] = (byte) v;
        }
    }

    /** A property with dtc's deleted flag. */
    static final class LiveProp {
        final String name;
        Data val;
        /** Shared empty list until a label arrives: most properties never get one. */
        List<Lbl> labels = List.of();
        Span span;
        boolean deleted;

        LiveProp(String name, Data val, Span span) {
            this.name = name;
            this.val = val;
            this.span = span;
        }

        /** dtc's add_label on this property's list. */
        void addLabel(String label) {
            if (labels.isEmpty()) {
                labels = new ArrayList<>(1);
            }
            LiveTree.addLabel((ArrayList<Lbl>) labels, label);
        }
    }

    /** A node with dtc's flags; {@code labels} is kept in dtc's list order (newest first). */
    static final class LiveNode {
        String name;
        LiveNode parent;
        boolean deleted;
        final ArrayList<LiveProp> props = new ArrayList<>(4);
        final ArrayList<LiveNode> children = new ArrayList<>(2);
        final ArrayList<Lbl> labels = new ArrayList<>(0);
        ArrayList<Span> srcpos;
        long phandle;
        boolean omitIfUnused;
        boolean referenced;
        /** Set for the nodes that were live when paths were fixed (dtc's fill_fullpaths). */
        boolean pathed;

        /**
         * The node's full path, or {@code null} when it was deleted before paths were fixed.
         * Built on demand: storing every path would cost memory quadratic in the depth.
         */
        String fullpath() {
            if (!pathed) {
                return null;
            }
            if (parent == null) {
                return "/";
            }
            List<String> names = new ArrayList<>();
            for (LiveNode w = this; w.parent != null; w = w.parent) {
                names.add(w.name);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = names.size() - 1; i >= 0; i--) {
                sb.append('/').append(names.get(i));
            }
            return sb.toString();
        }
        private HashMap<String, LiveNode> childIndex;
        private HashMap<String, LiveProp> propIndex;

        LiveNode(Span span) {
            if (span != null) {
                srcpos = new ArrayList<>(1);
                srcpos.add(span);
            }
        }

        Span span() {
            return srcpos == null ? null : srcpos.get(0);
        }

        /** dtc's add_child: append. */
        void addChild(LiveNode c) {
            c.parent = this;
            children.add(c);
            if (childIndex != null) {
                childIndex.putIfAbsent(c.name, c);
            } else if (children.size() > INDEX_AT) {
                childIndex = new HashMap<>();
                for (LiveNode k : children) {
                    childIndex.putIfAbsent(k.name, k);
                }
            }
        }

        void addProp(LiveProp p) {
            props.add(p);
            if (propIndex != null) {
                propIndex.putIfAbsent(p.name, p);
            } else if (props.size() > INDEX_AT) {
                propIndex = new HashMap<>();
                for (LiveProp k : props) {
                    propIndex.putIfAbsent(k.name, k);
                }
            }
        }

        /** First child of that name, deleted or not. */
        LiveNode childWithDel(String n) {
            if (childIndex != null) {
                return childIndex.get(n);
            }
            for (LiveNode c : children) {
                if (c.name.equals(n)) {
                    return c;
                }
            }
            return null;
        }

        /** First live child of that name (dtc's get_subnode / path step). */
        LiveNode child(String n) {
            LiveNode c = childWithDel(n);
            if (c == null || !c.deleted) {
                return c;
            }
            for (LiveNode k : children) {
                if (!k.deleted && k.name.equals(n)) {
                    return k;
                }
            }
            return null;
        }

        LiveProp propWithDel(String n) {
            if (propIndex != null) {
                return propIndex.get(n);
            }
            for (LiveProp p : props) {
                if (p.name.equals(n)) {
                    return p;
                }
            }
            return null;
        }

        /** First live property of that name (dtc's get_property). */
        LiveProp prop(String n) {
            LiveProp p = propWithDel(n);
            if (p == null || !p.deleted) {
                return p;
            }
            for (LiveProp k : props) {
                if (!k.deleted && k.name.equals(n)) {
                    return k;
                }
            }
            return null;
        }

        /** Removes a property from the list for good (dtc's name_properties does this). */
        void removeProp(LiveProp p) {
            props.remove(p);
            if (propIndex != null) {
                propIndex = null;
                if (props.size() > INDEX_AT) {
                    propIndex = new HashMap<>();
                    for (LiveProp k : props) {
                        propIndex.putIfAbsent(k.name, k);
                    }
                }
            }
        }

        boolean hasLiveLabel(String l) {
            for (Lbl x : labels) {
                if (!x.deleted && x.name.equals(l)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** dtc's add_label: revive an existing one or put a new one at the head of the list. */
    static boolean addLabel(ArrayList<Lbl> labels, String name) {
        for (Lbl l : labels) {
            if (l.name.equals(name)) {
                l.deleted = false;
                return false;
            }
        }
        labels.add(0, new Lbl(name));
        return true;
    }

    /** dtc's delete_node: the node, its live descendants, their properties and labels. */
    static void deleteNode(LiveNode node) {
        Deque<LiveNode> stack = new ArrayDeque<>();
        stack.push(node);
        boolean first = true;
        while (!stack.isEmpty()) {
            LiveNode n = stack.pop();
            if (!first && n.deleted) {
                continue;
            }
            first = false;
            n.deleted = true;
            for (LiveNode c : n.children) {
                if (!c.deleted) {
                    stack.push(c);
                }
            }
            for (LiveProp p : n.props) {
                if (!p.deleted) {
                    p.deleted = true;
                    for (Lbl l : p.labels) {
                        l.deleted = true;
                    }
                }
            }
            for (Lbl l : n.labels) {
                l.deleted = true;
            }
        }
    }

    /** Live path lookup below {@code tree} (dtc's get_node_by_path). */
    static LiveNode byPath(LiveNode tree, String path) {
        LiveNode n = tree;
        int i = 0;
        int len = path.length();
        while (true) {
            if (i >= len) {
                return n.deleted ? null : n;
            }
            while (i < len && path.charAt(i) == '/') {
                i++;
            }
            if (i >= len) {
                // only slashes were left: dtc then looks for a child with an empty name, and
                // finds none ("//" and "/a//" name no node)
                return null;
            }
            int slash = path.indexOf('/', i);
            String part = slash < 0 ? path.substring(i) : path.substring(i, slash);
            LiveNode c = n.child(part);
            if (c == null) {
                return null;
            }
            if (slash < 0) {
                return c;
            }
            n = c;
            i = slash + 1;
        }
    }

    /** True when the node hangs under {@code root} with no deleted node on the way. */
    static boolean live(LiveNode n, LiveNode root) {
        for (LiveNode w = n; w != null; w = w.parent) {
            if (w.deleted) {
                return false;
            }
            if (w == root) {
                return true;
            }
        }
        return false;
    }

    /** Positions of {@code n} among siblings from the root down, to order nodes in pre-order. */
    static int[] order(LiveNode n) {
        List<Integer> idx = new ArrayList<>();
        for (LiveNode w = n; w.parent != null; w = w.parent) {
            idx.add(w.parent.children.indexOf(w));
        }
        int[] r = new int[idx.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = idx.get(r.length - 1 - i);
        }
        return r;
    }

    /** The node that comes first in pre-order. */
    static LiveNode first(List<LiveNode> nodes) {
        LiveNode best = null;
        int[] bo = null;
        for (LiveNode n : nodes) {
            int[] o = order(n);
            if (best == null || Arrays.compare(o, bo) < 0) {
                best = n;
                bo = o;
            }
        }
        return best;
    }

    /** Name-keyed registry of node labels, for lookups that must not scan the tree. */
    static final class LabelIndex {
        private final Map<String, Object> owners = new HashMap<>();

        /** Registers the label on {@code n}; false when the name was registered before. */
        @SuppressWarnings("unchecked")
        boolean add(String label, LiveNode n) {
            Object o = owners.putIfAbsent(label, n);
            if (o == null) {
                return true;
            }
            if (o instanceof LiveNode one) {
                if (one != n) {
                    List<LiveNode> l = new ArrayList<>(2);
                    l.add(one);
                    l.add(n);
                    owners.put(label, l);
                }
            } else {
                List<LiveNode> l = (List<LiveNode>) o;
                if (!l.contains(n)) {
                    l.add(n);
                }
            }
            return false;
        }

        boolean has(String label) {
            return owners.containsKey(label);
        }

        /** The first node in pre-order under {@code root} that carries the live label. */
        @SuppressWarnings("unchecked")
        LiveNode find(String label, LiveNode root) {
            Object o = owners.get(label);
            if (o == null) {
                return null;
            }
            if (o instanceof LiveNode one) {
                return one.hasLiveLabel(label) && live(one, root) ? one : null;
            }
            List<LiveNode> cands = new ArrayList<>();
            for (LiveNode n : (List<LiveNode>) o) {
                if (n.hasLiveLabel(label) && live(n, root)) {
                    cands.add(n);
                }
            }
            if (cands.isEmpty()) {
                return null;
            }
            return cands.size() == 1 ? cands.get(0) : first(cands);
        }
    }

    /** dtc's get_node_by_ref: {@code /}, a path, or a label. */
    static LiveNode byRef(LiveNode root, String ref, LabelIndex labels) {
        if (ref.equals("/")) {
            return root;
        }
        if (ref.startsWith("/")) {
            return byPath(root, ref);
        }
        int slash = ref.indexOf('/');
        LiveNode n = labels.find(slash < 0 ? ref : ref.substring(0, slash), root);
        if (n == null || slash < 0) {
            return n;
        }
        return byPath(n, ref.substring(slash + 1));
    }
}
