package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a device tree into the JSON that dt-schema validates (issue 5 item 2): one object per
 * node holding its properties and child nodes, each property decoded from raw bytes by the
 * type the loaded schemas give its name, as dt-validate's blob reader does. Integers keep their
 * cell width ({@link SizedInt}). A value whose length does not fit its type gets a diagnostic
 * (check {@code property_size}) and is kept in the nearest shape that fits.
 */
public final class TypeDecoder {
    /** Check name of the diagnostic for a value whose length does not fit its type. */
    public static final String CHECK_SIZE = "property_size";
    /** Check name of the diagnostic for a flag (boolean) property that carries a value. */
    public static final String CHECK_FLAG = "property_flag_value";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final java.util.Map<String, Integer> TYPE_WIDTH = java.util.Map.of(
            "uint8", 1, "int8", 1, "uint16", 2, "int16", 2, "uint32", 4, "int32", 4,
            "uint64", 8, "int64", 8);
    /** Properties cut by their parent's cells (see fixAddresses), not the root's. */
    private static final java.util.Set<String> ADDRESS_CELL_PROPS = java.util.Set.of("reg", "ranges", "dma-ranges");

    private final PropertyTypes types;
    private final SchemaStyle style;
    private final java.util.Map<String, Integer> quickWidth = new java.util.concurrent.ConcurrentHashMap<>();

    public TypeDecoder(SchemaSet set) {
        this(set.types(), set.style());
    }

    public TypeDecoder(PropertyTypes types, SchemaStyle style) {
        this.types = types;
        this.style = style;
    }

    /**
     * One node of the tree, in document order (pre-order). Its JSON object (properties decoded,
     * child nodes included as nested objects, as dt-validate sees a node) is built on first use.
     */
    public final class DecodedNode {
        private final DecodedNode parent;
        private String path;
        private final String name;
        private final Node node;
        private final boolean disabled;
        private final int ac;
        private final int sc;
        private final List<DecodedNode> children = new ArrayList<>();
        private ObjectNode json;
        private final DecodedTree owner;

        DecodedNode(DecodedTree owner, DecodedNode parent, String name, Node node, boolean disabled,
                    int ac, int sc) {
            this.owner = owner;
            this.parent = parent;
            this.name = name;
            this.node = node;
            this.disabled = disabled;
            this.ac = ac;
            this.sc = sc;
        }

        /** The absolute path, computed on first use (deep trees would make eager paths quadratic). */
        public String path() {
            if (path == null) {
                if (parent == null) {
                    path = "/";
                } else {
                    Deque<String> parts = new ArrayDeque<>();
                    for (DecodedNode d = this; d.parent != null; d = d.parent) {
                        parts.push(d.node.name());
                    }
                    path = "/" + String.join("/", parts);
                }
            }
            return path;
        }

        /** The node name as dt-validate gives it: {@code /} for the root, else with unit address. */
        public String name() {
            return name;
        }

        public Node node() {
            return node;
        }

        /** True when this node or the nearest ancestor with a status says "disabled". */
        public boolean disabled() {
            return disabled;
        }

        /** Decodes just the named properties into a fresh object (for cheap select tests). */
        public ObjectNode partial(java.util.Collection<String> names) {
            ObjectNode o = F.objectNode();
            for (String n : names) {
                Property p = node.property(n);
                if (p != null) {
                    o.set(n, fixAddresses(n, decodeProperty(name, this::path, p, owner.rootAc, owner.rootSc,
                            new ArrayList<>()), ac, sc, node));
                }
            }
            return o;
        }

        /** The node's full JSON object, built once; children share their own objects. */
        public ObjectNode json() {
            if (json != null) {
                return json;
            }
            Deque<DecodedNode> work = new ArrayDeque<>();
            Deque<ObjectNode> parents = new ArrayDeque<>();
            work.push(this);
            parents.push(F.objectNode()); // placeholder parent for this node
            while (!work.isEmpty()) {
                DecodedNode d = work.pop();
                ObjectNode parent = parents.pop();
                if (d.json == null) {
                    ObjectNode o = F.objectNode();
                    for (Property p : d.node.properties()) {
                        o.set(p.name(), fixAddresses(p.name(), decodeProperty(d.name, d::path, p,
                                owner.rootAc, owner.rootSc, new ArrayList<>()), d.ac, d.sc, d.node));
                    }
                    d.json = o;
                    for (int i = d.children.size() - 1; i >= 0; i--) {
                        work.push(d.children.get(i));
                        parents.push(o);
                    }
                }
                parent.set(d.node.name(), d.json);
            }
            return json;
        }
    }

    /** The tree's nodes (skipping {@code __*__} nodes) and the decoding problems of every property. */
    public final class DecodedTree {
        private final List<DecodedNode> nodes = new ArrayList<>();
        private final List<Diagnostic> problems = new ArrayList<>();
        private final int rootAc;
        private final int rootSc;

        DecodedTree(int rootAc, int rootSc) {
            this.rootAc = rootAc;
            this.rootSc = rootSc;
        }

        public List<DecodedNode> nodes() {
            return nodes;
        }

        public List<Diagnostic> problems() {
            return problems;
        }

        /** The root node's JSON (the whole tree). */
        public ObjectNode root() {
            return nodes.get(0).json();
        }
    }

    /**
     * Walks {@code tree} and collects the decoding problems of every property; the JSON of a
     * node is built only when asked for.
     */
    public DecodedTree decode(DeviceTree tree) {
        Node root = tree.root();
        DecodedTree dt = new DecodedTree(cells(root, "#address-cells", 2), cells(root, "#size-cells", 1));
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, null, 2, 1, false));
        while (!stack.isEmpty()) {
            visit(dt, stack.pop(), stack);
        }
        return dt;
    }

    private record Frame(Node node, DecodedNode parent, int ac, int sc, boolean disabled) {
    }

    /**
     * One node: its status, its cells and the problems of its properties. (A method of its own
     * so that the JIT compiles it after a few hundred nodes rather than waiting for the loop
     * over a whole tree.) The first property of a name counts, as in {@link Node#property},
     * whose name index is not built here: most nodes are looked up no further.
     */
    private void visit(DecodedTree dt, Frame f, Deque<Frame> stack) {
        Node n = f.node();
        String name = n.name().isEmpty() ? "/" : n.name();
        Property status = null;
        Property addressCells = null;
        Property sizeCells = null;
        List<Property> props = n.properties();
        int count = props.size();
        for (int i = 0; i < count; i++) {
            Property p = props.get(i);
            String pn = p.name();
            if (pn.startsWith("#")) {
                if (addressCells == null && pn.equals("#address-cells")) {
                    addressCells = p;
                } else if (sizeCells == null && pn.equals("#size-cells")) {
                    sizeCells = p;
                }
            } else if (status == null && pn.equals("status")) {
                status = p;
            }
        }
        boolean disabled = f.disabled();
        if (status != null && status.value().length() > 0) {
            disabled = saysDisabled(status.value());
        }
        DecodedNode d = new DecodedNode(dt, f.parent(), name, n, disabled, f.ac(), f.sc());
        if (!name.equals("__fixups__") && !name.equals("aliases")) {
            for (int i = 0; i < count; i++) {
                Property p = props.get(i);
                if (p.value().length() > 0 && !fitsItsType(p)) {
                    decodeProperty(name, d::path, p, dt.rootAc, dt.rootSc, dt.problems);
                }
            }
        }
        dt.nodes.add(d);
        if (f.parent() != null) {
            f.parent().children.add(d);
        }
        int ac = addressCells != null ? cellsOf(addressCells, f.ac()) : f.ac();
        int sc = sizeCells != null ? cellsOf(sizeCells, f.sc()) : f.sc();
        List<Node> kids = n.children();
        for (int i = kids.size() - 1; i >= 0; i--) {
            Node c = kids.get(i);
            if (c.name().startsWith("__")) {
                continue;
            }
            stack.push(new Frame(c, d, ac, sc, disabled));
        }
    }

    /**
     * Whether the value certainly decodes without a problem, judged from its length and its
     * name's types alone (the answer per name is kept): no type or a string type never has a
     * problem, a single fixed-width type has none when the length is a multiple of the width.
     */
    private boolean fitsItsType(Property p) {
        int width = quickWidth.computeIfAbsent(p.name(), this::quickWidthOf);
        return width < 0 || (width > 0 && p.value().length() % width == 0);
    }

    /** -1: never a problem; 0: decode to find out; else the width the length must be a multiple of. */
    private int quickWidthOf(String name) {
        List<String> ts = types.typesOf(name);
        if (ts.isEmpty() || (ts.size() == 1 && ts.get(0).startsWith("string"))) {
            return -1;
        }
        if (ts.size() == 1 && !ts.get(0).equals("flag") && !ts.get(0).equals("address")
                && !ts.get(0).equals("node")) {
            return widthOf(baseOf(ts.get(0)));
        }
        return 0;
    }

    /** The status strings contain "disabled" (NUL-separated, the last NUL dropped). */
    private static boolean saysDisabled(Value v) {
        int end = v.length() - 1;
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || v.byteAt(i) == 0) {
                if (i - start == DISABLED.length) {
                    boolean same = true;
                    for (int j = 0; j < DISABLED.length && same; j++) {
                        same = v.byteAt(start + j) == DISABLED[j];
                    }
                    if (same) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static final byte[] DISABLED = "disabled".getBytes(StandardCharsets.ISO_8859_1);

    private static int cellsOf(Property p, int dflt) {
        return p.value().length() < 4 ? dflt : (int) p.value().cellAt(0);
    }

    private static String baseOf(String fmt) {
        return fmt.contains("-") ? fmt.substring(0, fmt.indexOf('-')) : fmt;
    }

    private static int cells(Node n, String prop, int dflt) {
        Property p = n.property(prop);
        if (p == null || p.value().length() < 4) {
            return dflt;
        }
        return (int) p.value().cellAt(0);
    }

    // ---- one property ------------------------------------------------------------------------

    /**
     * Decodes one property of node {@code nodeName} (at {@code path}, used in diagnostics) the
     * way dt-validate does, with the root node's cells for {@code address} values.
     */
    public JsonNode decodeProperty(String nodeName, String path, Property p, int rootAc, int rootSc,
                                   List<Diagnostic> problems) {
        return decodeProperty(nodeName, () -> path, p, rootAc, rootSc, problems);
    }

    private JsonNode decodeProperty(String nodeName, Supplier<String> path, Property p, int rootAc,
                                    int rootSc, List<Diagnostic> problems) {
        Value v = p.value();
        byte[] data = v.bytes();
        if (data.length == 0) {
            return BooleanNode.TRUE;
        }
        if (nodeName.equals("__fixups__") || nodeName.equals("aliases")) {
            return strings(data);
        }
        List<String> ts = new ArrayList<>(types.typesOf(p.name()));
        ts.remove("node");
        String fmt = null;
        if (ts.size() > 1) {
            if (ts.contains("string") || ts.contains("string-array")) {
                ArrayNode s = bytesToStrings(data);
                if (s != null) {
                    return s;
                }
                List<String> rest = new ArrayList<>(ts);
                rest.remove("string");
                rest.remove("string-array");
                if (rest.isEmpty()) {
                    return BinaryNode.valueOf(data);
                }
                fmt = rest.get(0);
            } else if (ts.contains("flag")) {
                List<String> rest = new ArrayList<>(ts);
                rest.remove("flag");
                fmt = rest.get(0);
            } else if (style == SchemaStyle.MODERN) {
                // Current dt-schema types a property such as clock-frequency as "uint32 or
                // uint64": the width that makes the value a single integer decides.
                for (String t : ts) {
                    if (!t.contains("-") && TYPE_WIDTH.containsKey(t) && TYPE_WIDTH.get(t) == data.length) {
                        fmt = t;
                        break;
                    }
                }
            }
        } else if (ts.size() == 1) {
            fmt = ts.get(0);
        }
        if (fmt == null) {
            String s = printableString(data);
            if (s != null) {
                ArrayNode a = F.arrayNode();
                a.add(s);
                return a;
            }
            if (data.length % 4 != 0) {
                return BinaryNode.valueOf(data);
            }
            fmt = style == SchemaStyle.MODERN && data.length == 4 ? "uint32" : "uint32-array";
        }
        if (fmt.startsWith("string")) {
            return strings(data);
        }
        if (fmt.equals("flag")) {
            problems.add(new Diagnostic(Severity.ERROR, CHECK_FLAG, p.span(), path.get(), p.name(),
                    "boolean property with a value of " + data.length + " bytes"));
            return BinaryNode.valueOf(data);
        }
        String base = baseOf(fmt);
        if (fmt.equals("address") && style == SchemaStyle.MODERN && !ADDRESS_CELL_PROPS.contains(p.name())) {
            return addressRows(path, p, data, rootAc, rootSc, problems);
        }
        int width = widthOf(base);
        boolean signed = base.startsWith("int");
        List<JsonNode> ints;
        if (data.length % width != 0) {
            problems.add(new Diagnostic(Severity.ERROR, CHECK_SIZE, p.span(), path.get(), p.name(),
                    "size (" + data.length + ") error for type " + fmt + ": not a multiple of "
                            + width + " bytes"));
            if (data.length == 4 || data.length == 2 || data.length == 1) {
                ints = unpack(data, data.length, false);
            } else {
                return BinaryNode.valueOf(data);
            }
        } else {
            ints = unpack(data, width, signed);
        }
        if (fmt.equals("phandle")) {
            return rows(ints, ints.size());
        }
        boolean matrix = fmt.endsWith("-matrix") || fmt.equals("phandle-array") || fmt.equals("address");
        if (matrix) {
            int[][] dim = types.dimOf(p.name());
            if (dim != null) {
                return rows(ints, stride(ints.size(), dim));
            }
            return rows(ints, ints.size());
        }
        if (style == SchemaStyle.LEGACY_MATRIX) {
            return rows(ints, ints.size());
        }
        if (fmt.endsWith("-array") || ints.size() != 1) {
            ArrayNode a = F.arrayNode();
            ints.forEach(a::add);
            return a;
        }
        return ints.get(0);
    }

    /** (address, size) rows sized by the root node's cells, for the {@code address} type. */
    private JsonNode addressRows(Supplier<String> path, Property p, byte[] data, int ac, int sc,
                                 List<Diagnostic> problems) {
        List<JsonNode> ints;
        if (data.length % 4 != 0) {
            problems.add(new Diagnostic(Severity.ERROR, CHECK_SIZE, p.span(), path.get(), p.name(),
                    "size (" + data.length + ") error for type address: not a multiple of 4 bytes"));
            return BinaryNode.valueOf(data);
        }
        ints = unpack(data, 4, false);
        int entry = ac + sc;
        if (entry == 0 || ints.size() % entry != 0) {
            problems.add(new Diagnostic(Severity.ERROR, CHECK_SIZE, p.span(), path.get(), p.name(),
                    "size (" + data.length + ") error for type address: not a whole number of "
                            + (entry * 4) + "-byte entries (root #address-cells = " + ac
                            + ", #size-cells = " + sc + ")"));
            return rows(ints, ints.size());
        }
        return rows(ints, entry);
    }

    private static int stride(int len, int[][] dim) {
        int stride;
        if (Math.max(dim[1][0], dim[1][1]) > 0 && dim[1][0] == dim[1][1]) {
            stride = dim[1][1];
        } else if (Math.max(dim[0][0], dim[0][1]) > 0 && dim[0][0] == dim[0][1]) {
            stride = len / dim[0][1];
            if (len % dim[0][1] != 0) {
                stride = len;
            }
        } else {
            stride = 0;
            if (Math.min(dim[1][0], dim[1][1]) != 0) {
                int match = 0;
                for (int d = dim[1][0]; d <= dim[1][1]; d++) {
                    if (len % d == 0) {
                        match++;
                        stride = d;
                    }
                }
                if (match != 1) {
                    stride = 0;
                }
            }
            if (stride == 0) {
                stride = len;
            }
        }
        return stride <= 0 ? len : stride;
    }

    private static ArrayNode rows(List<JsonNode> ints, int stride) {
        ArrayNode out = F.arrayNode();
        if (stride <= 0) {
            stride = Math.max(1, ints.size());
        }
        for (int i = 0; i < ints.size(); i += stride) {
            ArrayNode row = out.addArray();
            for (int j = i; j < Math.min(ints.size(), i + stride); j++) {
                row.add(ints.get(j));
            }
        }
        return out;
    }

    private static int widthOf(String base) {
        return switch (base) {
            case "int8", "uint8" -> 1;
            case "int16", "uint16" -> 2;
            case "int64", "uint64" -> 8;
            default -> 4;
        };
    }

    private static List<JsonNode> unpack(byte[] d, int width, boolean signed) {
        List<JsonNode> out = new ArrayList<>(d.length / width);
        for (int i = 0; i + width <= d.length; i += width) {
            long v = 0;
            for (int j = 0; j < width; j++) {
                v = (v << 8) | (d[i + j] & 0xff);
            }
            if (signed && width < 8) {
                int shift = 64 - width * 8;
                v = (v << shift) >> shift;
            }
            out.add(SizedInt.of(v, width * 8, !signed && width == 8));
        }
        return out;
    }

    /** reg / ranges / dma-ranges cut into entries by the cells in force, as dt-validate does. */
    private static JsonNode fixAddresses(String name, JsonNode v, int ac, int sc, Node n) {
        int stride;
        if (name.equals("reg")) {
            stride = ac + sc;
        } else if (name.equals("ranges") || name.equals("dma-ranges")) {
            stride = ac + cells(n, "#address-cells", 0) + cells(n, "#size-cells", 0);
        } else {
            return v;
        }
        if (!v.isArray() || v.size() == 0 || stride <= 0) {
            return v;
        }
        List<JsonNode> flat = new ArrayList<>();
        for (JsonNode row : v) {
            if (row.isArray()) {
                row.forEach(flat::add);
            } else {
                flat.add(row);
            }
        }
        return rows(flat, stride);
    }

    private static ArrayNode strings(byte[] data) {
        String s = new String(data, 0, data.length - 1, StandardCharsets.ISO_8859_1);
        ArrayNode a = F.arrayNode();
        for (String part : s.split("\0", -1)) {
            a.add(part);
        }
        return a;
    }

    /** dt-schema's test for "this is a list of printable strings". */
    private static ArrayNode bytesToStrings(byte[] data) {
        if (data[data.length - 1] != 0) {
            return null;
        }
        for (byte b : data) {
            if (b < 0) {
                return null;
            }
        }
        ArrayNode a = strings(data);
        for (JsonNode s : a) {
            if (!printable(s.asText())) {
                return null;
            }
        }
        return a;
    }

    private static String printableString(byte[] data) {
        for (byte b : data) {
            if (b < 0) {
                return null;
            }
        }
        if (data[data.length - 1] != 0) {
            return null;
        }
        String s = new String(data, 0, data.length - 1, StandardCharsets.US_ASCII);
        return printable(s) ? s : null;
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
