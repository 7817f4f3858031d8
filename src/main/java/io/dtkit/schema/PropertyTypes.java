package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The type of each property name, gathered from every loaded schema the way dt-schema does it
 * (issue 5 item 2): the {@code types.yaml} definition a property refers to, {@code boolean} as a
 * flag, implicit string arrays, plus the matrix dimensions that let a flat cell list be cut
 * into rows. Pattern properties count only when their pattern has some fixed text.
 */
public final class PropertyTypes {
    private static final Pattern TYPE_RE = Pattern.compile(
            "(flag|u?int(8|16|32|64)(-(array|matrix))?|string(-array)?|phandle(-array)?|address)");
    private static final Pattern YAML_REF = Pattern.compile("\\.yaml#?$");
    private static final Pattern FIXED_TEXT = Pattern.compile("[0-9a-zA-F-]{3}");

    /** One type seen for a property: type name, matrix dimensions or {@code null}. */
    record Entry(String type, int[][] dim, List<String> ids, Pattern regex) {
    }

    private final Map<String, List<Entry>> props;
    private final Map<String, List<Entry>> patternProps;
    private final Map<String, List<String>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private PropertyTypes(Map<String, List<Entry>> props, Map<String, List<Entry>> patternProps) {
        this.props = props;
        this.patternProps = patternProps;
    }

    /** Gathers the types from the (already fixed-up) schemas, keyed by their {@code $id}. */
    static PropertyTypes extract(List<DtSchema> schemas, SchemaStyle style) {
        Map<String, List<Entry>> all = new LinkedHashMap<>();
        for (DtSchema s : schemas) {
            extractSubschema(all, s.id(), s.json(), style);
        }
        all.remove("^[a-z][a-z0-9\\-]*$");
        all.remove("^[a-zA-Z][a-zA-Z0-9\\-_]{0,63}$");
        all.remove("^.*$");
        all.remove(".*");
        Map<String, List<Entry>> props = new HashMap<>();
        Map<String, List<Entry>> pats = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            List<Entry> l = new ArrayList<>();
            for (Entry t : e.getValue()) {
                if (t.type() != null && !t.type().equals("node")) {
                    l.add(t);
                }
            }
            if (l.isEmpty()) {
                continue;
            }
            if (l.get(0).regex() != null) {
                if (FIXED_TEXT.matcher(e.getKey()).find()) {
                    pats.put(e.getKey(), l);
                }
            } else {
                props.put(e.getKey(), l);
            }
        }
        return new PropertyTypes(props, pats);
    }

    /** The type names known for {@code name} (without {@code node}), possibly several. */
    public List<String> typesOf(String name) {
        return cache.computeIfAbsent(name, this::lookup);
    }

    private List<String> lookup(String name) {
        List<String> types = new ArrayList<>();
        List<Entry> l = props.get(name);
        if (l != null) {
            for (Entry e : l) {
                types.add(e.type());
            }
        }
        if (types.isEmpty()) {
            for (List<Entry> v : patternProps.values()) {
                Entry e = v.get(0);
                if (!types.contains(e.type()) && e.regex().matcher(name).find()) {
                    types.add(e.type());
                }
            }
        }
        return List.copyOf(types);
    }

    /** The matrix dimensions {@code {{outerMin, outerMax}, {innerMin, innerMax}}}, or null. */
    public int[][] dimOf(String name) {
        List<Entry> l = props.get(name);
        if (l != null) {
            for (Entry e : l) {
                if (e.dim() != null) {
                    return e.dim();
                }
            }
        }
        for (List<Entry> v : patternProps.values()) {
            Entry e = v.get(0);
            if (e.dim() != null && e.regex().matcher(name).find()) {
                return e.dim();
            }
        }
        return null;
    }

    private static void extractSubschema(Map<String, List<Entry>> props, String id, JsonNode sub,
                                         SchemaStyle style) {
        // Property schemas nest (a node property holding a node schema); an explicit work list
        // keeps deep schemas off the Java stack.
        java.util.ArrayDeque<JsonNode> work = new java.util.ArrayDeque<>();
        work.push(sub);
        while (!work.isEmpty()) {
            JsonNode s = work.pop();
            if (!s.isObject()) {
                continue;
            }
            if (s.has("additionalProperties")) {
                work.push(s.get("additionalProperties"));
            }
            for (String k : new String[] {"properties", "patternProperties"}) {
                JsonNode m = s.get(k);
                if (m != null && m.isObject()) {
                    boolean pattern = k.equals("patternProperties");
                    m.fields().forEachRemaining(e ->
                            extractProp(props, id, e.getKey(), e.getValue(), pattern, style, work));
                }
            }
        }
    }

    private static void extractProp(Map<String, List<Entry>> props, String id, String name,
                                    JsonNode sub, boolean pattern, SchemaStyle style,
                                    java.util.ArrayDeque<JsonNode> work) {
        if (!sub.isObject() || name.startsWith("$")) {
            return;
        }
        props.computeIfAbsent(name, k -> new ArrayList<>());
        if (sub.has("properties") || sub.has("patternProperties") || sub.has("additionalProperties")) {
            work.push(sub);
        }
        for (String k : new String[] {"allOf", "oneOf", "anyOf"}) {
            JsonNode l = sub.get(k);
            if (l != null && l.isArray()) {
                for (JsonNode v : l) {
                    extractProp(props, id, name, v, pattern, style, work);
                }
            }
        }
        String type = null;
        JsonNode ref = sub.get("$ref");
        Matcher m = ref != null && ref.isTextual() ? TYPE_RE.matcher(ref.asText()) : null;
        if ("object".equals(sub.path("type").asText(null))) {
            type = "node";
        } else if (m != null && m.find()
                && (style == SchemaStyle.MODERN || !m.group(0).equals("address"))) {
            type = m.group(0);
        } else if ("boolean".equals(sub.path("type").asText(null))) {
            type = "flag";
        } else if (sub.has("items")) {
            JsonNode items = sub.get("items");
            if ((items.isArray() && items.size() > 0 && SchemaFixups.isStringSchemaStatic(items.get(0)))
                    || (items.isObject() && SchemaFixups.isStringSchemaStatic(items))) {
                type = "string-array";
            } else if (SchemaFixups.UNIT_TYPES.matcher(name).find()) {
                type = "uint32-matrix";
            }
        } else if (ref != null && ref.isTextual() && YAML_REF.matcher(ref.asText()).find()) {
            type = "node";
        }
        Pattern regex = null;
        if (pattern) {
            try {
                regex = Pattern.compile(name);
            } catch (PatternSyntaxException e) {
                return;
            }
        }
        List<Entry> list = props.get(name);
        if (type == null) {
            if (list.isEmpty()) {
                list.add(new Entry(null, null, new ArrayList<>(List.of(id)), regex));
            }
            return;
        }
        int[][] dim = null;
        if (type.equals("phandle-array") || type.endsWith("-matrix") || type.equals("address")) {
            dim = new int[][] {arrayRange(sub), arrayRange(sub.path("items"))};
        }
        Entry fresh = new Entry(type, dim, new ArrayList<>(List.of(id)), regex);
        Entry dup = null;
        for (int i = 0; i < list.size(); i++) {
            Entry p = list.get(i);
            if (p.type() == null) {
                dup = p;
                break;
            }
            boolean pMatrix = p.type().equals("phandle-array") || p.type().endsWith("-matrix");
            if (dim != null && !(dim[0][0] == 0 && dim[0][1] == 0 && dim[1][0] == 0 && dim[1][1] == 0)
                    && pMatrix) {
                if (p.dim() == null) {
                    list.set(i, new Entry(p.type(), dim, p.ids(), p.regex()));
                } else if (!java.util.Arrays.deepEquals(p.dim(), dim)) {
                    list.set(i, new Entry(p.type(), mergeDim(p.dim(), dim), p.ids(), p.regex()));
                }
                return;
            }
            if (p.type().startsWith(type)) {
                if (!p.ids().contains(id)) {
                    p.ids().add(id);
                }
                return;
            } else if (type.contains(p.type())) {
                fresh.ids().addAll(p.ids());
                dup = p;
                break;
            }
        }
        if (dup != null) {
            list.remove(dup);
        }
        list.add(fresh);
    }

    private static int[][] mergeDim(int[][] a, int[][] b) {
        int[][] d = new int[2][];
        for (int i = 0; i < 2; i++) {
            if (a[i][0] == 0 && a[i][1] == 0) {
                d[i] = b[i];
            } else if (b[i][0] == 0 && b[i][1] == 0) {
                d[i] = a[i];
            } else {
                d[i] = new int[] {Math.min(Math.min(a[i][0], a[i][1]), Math.min(b[i][0], b[i][1])),
                    Math.max(Math.max(a[i][0], a[i][1]), Math.max(b[i][0], b[i][1]))};
            }
        }
        return d;
    }

    /** dt-schema's {@code (min, max)} item count of an array schema; {@code (0, 0)} = unknown. */
    static int[] arrayRange(JsonNode s) {
        if (s.isArray()) {
            if (s.size() != 1) {
                return new int[] {0, 0};
            }
            s = s.get(0);
        }
        if (!s.isObject()) {
            return new int[] {1, 0};
        }
        JsonNode items = s.get("items");
        if (items != null && items.isArray()) {
            int max = items.size();
            return new int[] {s.path("minItems").asInt(max), max};
        }
        int min = s.path("minItems").asInt(1);
        int max = s.has("maxItems") ? s.get("maxItems").asInt() : s.path("minItems").asInt(0);
        return new int[] {min, max};
    }
}
