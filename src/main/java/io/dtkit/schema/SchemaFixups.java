package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * dt-schema's rewrites of a binding schema before it is used (issue 5 item 1/3): a {@code select}
 * built from {@code compatible} or {@code $nodename}, the properties every node may carry
 * ({@code phandle}, {@code status}, {@code pinctrl-*}, ...), and the reshaping of property
 * schemas to the form the decoded values take (strings as arrays; in the older "every integer
 * is a matrix" generation of dt-schema also scalars and arrays as matrices). Works in place on
 * Jackson trees.
 */
final class SchemaFixups {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern INT_ARRAY_REF = Pattern.compile("int(8|16|32|64)-array");
    static final Pattern UNIT_TYPES = Pattern.compile("-(kBps|bits|percent|bp|m?hz|sec|ms|us|ns|ps|mm"
            + "|nanoamp|(micro-)?ohms|micro(amp|watt)(-hours)?|milliwatt|microvolt|picofarads"
            + "|(milli)?celsius|kelvin|kpascal)$");
    private static final java.util.Set<String> KNOWN_ARRAY_PROPS = java.util.Set.of(
            "assigned-clock-rates", "linux,keycodes", "max8997,pmic-buck1-dvs-voltage",
            "max8997,pmic-buck2-dvs-voltage", "max8997,pmic-buck5-dvs-voltage");
    private static final String[] SINGLE_KEYS = {"const", "enum", "pattern", "minimum", "maximum"};

    private final SchemaStyle style;

    SchemaFixups(SchemaStyle style) {
        this.style = style;
    }

    /** Rewrites a whole binding schema document. */
    void fixSchema(ObjectNode schema) {
        schema.remove("examples");
        schema.remove("maintainers");
        schema.remove("historical");
        addSelect(schema);
        fixSubSchema(schema, true);
    }

    // ---- select ------------------------------------------------------------------------------

    private static void addSelect(ObjectNode schema) {
        if (schema.has("select")) {
            return;
        }
        JsonNode props = schema.get("properties");
        if (!(props instanceof ObjectNode)) {
            schema.put("select", false);
            return;
        }
        JsonNode compat = props.get("compatible");
        if (compat != null) {
            TreeSet<String> names = new TreeSet<>(nodeCompatibles(compat));
            names.remove("syscon");
            names.remove("simple-mfd");
            if (!names.isEmpty()) {
                ObjectNode sel = F.objectNode();
                sel.putArray("required").add("compatible");
                ArrayNode en = sel.putObject("properties").putObject("compatible")
                        .putObject("contains").putArray("enum");
                names.forEach(en::add);
                schema.set("select", sel);
                return;
            }
        }
        JsonNode nn = props.get("$nodename");
        if (nn != null && !(nn.isBoolean() && nn.booleanValue())) {
            ObjectNode sel = F.objectNode();
            sel.putArray("required").add("$nodename");
            sel.putObject("properties").set("$nodename", nn.deepCopy());
            schema.set("select", sel);
            return;
        }
        schema.put("select", false);
    }

    /** Every string under {@code enum}, {@code const} and {@code pattern} of a compatible schema. */
    private static List<String> nodeCompatibles(JsonNode n) {
        List<String> out = new ArrayList<>();
        java.util.ArrayDeque<JsonNode> stack = new java.util.ArrayDeque<>();
        stack.push(n);
        while (!stack.isEmpty()) {
            JsonNode cur = stack.pop();
            if (cur.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = cur.fields(); it.hasNext(); ) {
                    var e = it.next();
                    JsonNode v = e.getValue();
                    switch (e.getKey()) {
                        case "enum" -> {
                            if (v.isArray() && v.size() > 0 && v.get(0).isTextual()) {
                                v.forEach(x -> out.add(x.asText()));
                            }
                        }
                        case "const", "pattern" -> out.add(v.asText());
                        default -> stack.push(v);
                    }
                }
            } else if (cur.isArray()) {
                cur.forEach(stack::push);
            }
        }
        return out;
    }

    // ---- node level --------------------------------------------------------------------------

    private void fixSubSchema(JsonNode node, boolean isProp) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        schema.remove("description");
        fixInterrupts(schema);
        if (isProp) {
            fixNodeProps(schema);
        }
        JsonNode ap = schema.get("additionalProperties");
        if (ap != null && ap.isBoolean() && ap.booleanValue()) {
            schema.remove("additionalProperties");
        }
        List<String> keys = new ArrayList<>();
        schema.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode v = schema.get(k);
            switch (k) {
                case "select", "if", "then", "else", "additionalProperties", "not" ->
                        fixSubSchema(v, false);
                case "allOf", "anyOf", "oneOf" -> {
                    if (v.isArray()) {
                        v.forEach(s -> fixSubSchema(s, true));
                    }
                }
                case "dependentRequired", "dependentSchemas", "dependencies", "properties",
                     "patternProperties", "$defs" -> {
                    if (v instanceof ObjectNode props) {
                        List<String> names = new ArrayList<>();
                        props.fieldNames().forEachRemaining(names::add);
                        for (String p : names) {
                            walkProperties(p, props.get(p));
                            fixSubSchema(props.get(p), true);
                        }
                    }
                }
                default -> {
                }
            }
        }
        to201909(schema);
    }

    private static void fixInterrupts(ObjectNode schema) {
        if (!(schema.get("properties") instanceof ObjectNode props)) {
            return;
        }
        if ((props.has("interrupts") || props.has("interrupt-controller"))
                && !props.has("interrupt-parent")) {
            props.put("interrupt-parent", true);
        }
        if (!props.has("interrupts") || props.has("interrupts-extended")) {
            return;
        }
        props.set("interrupts-extended", props.get("interrupts").deepCopy());
        JsonNode req = schema.get("required");
        if (!(req instanceof ArrayNode reqs) || !contains(reqs, "interrupts")) {
            return;
        }
        ArrayNode either = F.arrayNode();
        either.addObject().putArray("required").add("interrupts");
        either.addObject().putArray("required").add("interrupts-extended");
        if (schema.has("oneOf")) {
            if (!schema.has("allOf")) {
                schema.putArray("allOf");
            }
            ((ArrayNode) schema.get("allOf")).addObject().set("oneOf", either);
        } else {
            schema.set("oneOf", either);
        }
        for (int i = 0; i < reqs.size(); i++) {
            if (reqs.get(i).asText().equals("interrupts")) {
                reqs.remove(i);
                break;
            }
        }
    }

    private static boolean contains(ArrayNode a, String s) {
        for (JsonNode x : a) {
            if (x.isTextual() && x.asText().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static void fixNodeProps(ObjectNode schema) {
        if (!schema.has("properties") && !schema.has("patternProperties")
                && !schema.has("unevaluatedProperties")) {
            return;
        }
        JsonNode ap = schema.get("additionalProperties");
        JsonNode up = schema.get("unevaluatedProperties");
        if ((ap != null && ap.isBoolean() && ap.booleanValue())
                || (up != null && up.isBoolean() && up.booleanValue())) {
            return;
        }
        if (!(schema.get("properties") instanceof ObjectNode)) {
            schema.putObject("properties");
        }
        ObjectNode props = (ObjectNode) schema.get("properties");
        for (String p : new String[] {"phandle", "status", "secure-status", "$nodename"}) {
            if (!props.has(p)) {
                props.put(p, true);
            }
        }
        List<String> keys = new ArrayList<>();
        props.fieldNames().forEachRemaining(keys::add);
        if (schema.get("patternProperties") instanceof ObjectNode pp) {
            pp.fieldNames().forEachRemaining(keys::add);
        }
        boolean hasPinctrl = keys.stream().anyMatch(k -> k.matches("^pinctrl-[0-9].*"));
        if (!hasPinctrl) {
            if (!props.has("pinctrl-names")) {
                props.put("pinctrl-names", true);
            }
            if (!(schema.get("patternProperties") instanceof ObjectNode)) {
                schema.putObject("patternProperties");
            }
            ((ObjectNode) schema.get("patternProperties")).put("pinctrl-[0-9]+", true);
        }
        if (keys.contains("clocks") && !keys.contains("assigned-clocks")) {
            props.put("assigned-clocks", true);
            props.put("assigned-clock-rates", true);
            props.put("assigned-clock-parents", true);
        }
    }

    // ---- property level ----------------------------------------------------------------------

    private void walkProperties(String propName, JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        for (String cond : new String[] {"allOf", "oneOf", "anyOf"}) {
            JsonNode l = schema.get(cond);
            if (l != null && l.isArray()) {
                l.forEach(s -> walkProperties(propName, s));
            }
        }
        if (schema.has("then")) {
            walkProperties(propName, schema.get("then"));
        }
        fixVals(propName, schema);
    }

    private void fixVals(String propName, ObjectNode schema) {
        schema.remove("description");
        if (style == SchemaStyle.LEGACY_MATRIX) {
            fixRegSchema(propName, schema);
            removeEmptyItems(schema);
            fixIntMatrix(propName, schema);
            fixIntArrayMinMaxToMatrix(propName, schema);
            fixIntArrayItemsToMatrix(propName, schema);
            fixStringToArray(schema);
            fixScalarToArray(schema);
        } else {
            removeEmptyItems(schema);
            fixStringToArray(schema);
        }
        fixItemsSize(schema);
        to201909(schema);
    }

    private static boolean valueIs(ObjectNode s, String key, boolean wantInt) {
        JsonNode v = s.get(key);
        if (v == null) {
            return false;
        }
        if (v.isArray()) {
            if (v.size() == 0) {
                return false;
            }
            v = v.get(0);
        }
        return wantInt ? v.isIntegralNumber() : v.isTextual();
    }

    private static boolean isIntSchema(JsonNode n) {
        if (!(n instanceof ObjectNode s)) {
            return false;
        }
        for (String k : new String[] {"const", "enum", "minimum", "maximum"}) {
            if (valueIs(s, k, true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStringSchema(JsonNode n) {
        if (!(n instanceof ObjectNode s)) {
            return false;
        }
        for (String k : new String[] {"const", "enum", "pattern"}) {
            if (valueIs(s, k, false)) {
                return true;
            }
        }
        return false;
    }

    static boolean isStringSchemaStatic(JsonNode n) {
        return isStringSchema(n);
    }

    private static ObjectNode extractSingle(ObjectNode s) {
        ObjectNode out = F.objectNode();
        for (String k : SINGLE_KEYS) {
            JsonNode v = s.remove(k);
            if (v != null) {
                out.set(k, v);
            }
        }
        return out;
    }

    private static void fixStringToArray(ObjectNode s) {
        if (!isStringSchema(s)) {
            return;
        }
        s.putArray("items").add(extractSingle(s));
    }

    private static void fixScalarToArray(ObjectNode s) {
        if (!isIntSchema(s)) {
            return;
        }
        ObjectNode inner = F.objectNode();
        inner.putArray("items").add(extractSingle(s));
        s.putArray("items").add(inner);
    }

    private static void fixRegSchema(String propName, ObjectNode s) {
        if (!propName.equals("reg")) {
            return;
        }
        ObjectNode item;
        JsonNode items = s.get("items");
        if (items != null) {
            JsonNode it = items.isArray() ? items.get(0) : items;
            if (!isIntSchema(it)) {
                return;
            }
            item = (ObjectNode) it;
        } else if (isIntSchema(s)) {
            item = s;
        } else {
            return;
        }
        ObjectNode inner = F.objectNode();
        inner.putArray("items").add(extractSingle(item));
        s.putArray("items").add(inner);
    }

    private static boolean isMatrixSchema(ObjectNode s) {
        JsonNode items = s.get("items");
        if (items == null) {
            return false;
        }
        if (items.isArray()) {
            for (JsonNode l : items) {
                if (l.has("items") || l.has("maxItems") || l.has("minItems")) {
                    return true;
                }
            }
            return false;
        }
        return items.has("items") || items.has("maxItems") || items.has("minItems");
    }

    private static void fixIntMatrix(String propName, ObjectNode s) {
        if (!isMatrixSchema(s)) {
            return;
        }
        int[] outer = PropertyTypes.arrayRange(s);
        int[] inner = PropertyTypes.arrayRange(s.path("items"));
        if (propName.equals("fsl,pins") || (outer[0] != outer[1] && inner[0] != inner[1])) {
            s.remove("items");
            s.remove("maxItems");
            s.remove("minItems");
            s.put("type", "array");
        }
    }

    private static boolean isIntArraySchema(String propName, ObjectNode s) {
        JsonNode allOf = s.get("allOf");
        if (allOf != null && allOf.isArray()) {
            for (JsonNode item : allOf) {
                if (item.has("items")) {
                    s = (ObjectNode) item;
                    continue;
                }
                if (item.has("$ref")) {
                    return INT_ARRAY_REF.matcher(item.get("$ref").asText()).find();
                }
            }
        }
        if (s.has("$ref")) {
            return INT_ARRAY_REF.matcher(s.get("$ref").asText()).find();
        } else if (UNIT_TYPES.matcher(propName).find() || KNOWN_ARRAY_PROPS.contains(propName)) {
            return true;
        }
        JsonNode items = s.get("items");
        return items != null && ((items.isArray() && items.size() > 0 && isIntSchema(items.get(0)))
                || (items.isObject() && isIntSchema(items)));
    }

    private void fixIntArrayMinMaxToMatrix(String propName, ObjectNode s) {
        if (!isIntArraySchema(propName, s)) {
            return;
        }
        JsonNode allOf = s.get("allOf");
        if (allOf != null && allOf.isArray()) {
            for (JsonNode item : allOf) {
                if (item.has("minItems") || item.has("maxItems")) {
                    s = (ObjectNode) item;
                    break;
                }
            }
        }
        if (s.has("items") && s.get("items").isArray()) {
            return;
        }
        if (isMatrixSchema(s)) {
            return;
        }
        JsonNode max = s.get("maxItems");
        if (max != null && max.isNumber() && max.asInt() == 1) {
            return;
        }
        ObjectNode tmp = F.objectNode();
        if (s.has("minItems")) {
            tmp.set("minItems", s.remove("minItems"));
        }
        if (s.has("maxItems")) {
            tmp.set("maxItems", s.remove("maxItems"));
        }
        if (tmp.isEmpty()) {
            return;
        }
        ArrayNode oneOf = s.putArray("oneOf");
        ObjectNode a = tmp.deepCopy();
        a.putObject("items").put("maxItems", 1);
        if (a.has("minItems") && a.get("minItems").asInt() == 1) {
            a.put("minItems", 2);
        }
        ObjectNode b = F.objectNode();
        b.putArray("items").add(tmp.deepCopy());
        oneOf.add(a);
        oneOf.add(b);
        oneOf.forEach(SchemaFixups::fixItemsSizeAny);
    }

    private static void fixIntArrayItemsToMatrix(String propName, ObjectNode s) {
        if (!isIntArraySchema(propName, s)) {
            return;
        }
        JsonNode allOf = s.get("allOf");
        if (allOf != null && allOf.isArray()) {
            for (JsonNode item : allOf) {
                if (item.has("items")) {
                    s = (ObjectNode) item;
                    break;
                }
            }
        }
        if (!s.has("items") || isMatrixSchema(s)) {
            return;
        }
        ObjectNode moved = F.objectNode();
        for (String k : new String[] {"items", "minItems", "maxItems", "uniqueItems", "default"}) {
            JsonNode v = s.remove(k);
            if (v != null) {
                moved.set(k, v);
            }
        }
        s.putArray("items").add(moved);
    }

    private static void removeEmptyItems(ObjectNode s) {
        JsonNode items = s.get("items");
        if (items == null) {
            return;
        }
        if (items instanceof ObjectNode o) {
            removeEmptyItems(o);
            return;
        }
        if (!items.isArray()) {
            return;
        }
        for (JsonNode item : items) {
            if (item instanceof ObjectNode o) {
                o.remove("description");
                removeEmptyItems(o);
                if (!o.isEmpty()) {
                    return;
                }
            } else {
                return;
            }
        }
        int n = items.size();
        if (!s.has("type")) {
            s.put("type", "array");
        }
        if (!s.has("maxItems")) {
            s.put("maxItems", n);
        }
        if (!s.has("minItems")) {
            s.put("minItems", n);
        }
        s.remove("items");
    }

    private static void fixItemsSizeAny(JsonNode n) {
        if (n.isArray()) {
            n.forEach(SchemaFixups::fixItemsSizeAny);
        } else if (n instanceof ObjectNode o) {
            fixItemsSize(o);
        }
    }

    private static void fixItemsSize(ObjectNode s) {
        s.remove("description");
        if (s.has("items")) {
            s.put("type", "array");
            JsonNode items = s.get("items");
            if (items.isArray()) {
                int c = items.size();
                if (!s.has("minItems")) {
                    s.put("minItems", c);
                }
                if (!s.has("maxItems")) {
                    s.put("maxItems", c);
                }
            }
            fixItemsSizeAny(items);
        } else if (s.has("maxItems") && !s.has("minItems")) {
            s.set("minItems", s.get("maxItems"));
        } else if (s.has("minItems") && !s.has("maxItems")) {
            s.set("maxItems", s.get("minItems"));
        }
    }

    /** {@code dependencies} became {@code dependentRequired} / {@code dependentSchemas}. */
    private static void to201909(ObjectNode s) {
        JsonNode dep = s.remove("dependencies");
        if (!(dep instanceof ObjectNode d)) {
            return;
        }
        d.fields().forEachRemaining(e -> {
            String key = e.getValue().isArray() ? "dependentRequired" : "dependentSchemas";
            if (!(s.get(key) instanceof ObjectNode)) {
                s.putObject(key);
            }
            ((ObjectNode) s.get(key)).set(e.getKey(), e.getValue());
        });
    }
}
