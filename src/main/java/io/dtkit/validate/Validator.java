package io.dtkit.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Property;
import io.dtkit.schema.DtSchema;
import io.dtkit.schema.SchemaSet;
import io.dtkit.schema.TypeDecoder;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates device trees against dt-schema bindings plus the /chosen checks (issue 5 items 3-4).
 * Nodes are matched to schemas as dt-validate does: a schema applies to a node when the node
 * passes the schema's {@code select} (given, or made from its {@code compatible} or
 * {@code $nodename}). Thread-safe: one instance serves many files in parallel.
 */
public final class Validator {
    private final SchemaSet set;
    private final ValidateOptions options;
    private final List<DtSchema> active;
    private final List<Active> selecting;
    private final TypeDecoder decoder;
    private final List<String> schemaProblems = new ArrayList<>();
    private final boolean prefilter;

    /**
     * An active schema with what matching a node against it needs, worked out once: the
     * compiled schema and select, the property names a select of dt-schema's usual shape
     * looks at (null for other selects) with its remembered answers, the properties its
     * select requires (a node lacking one is not selected, so the engine need not be asked),
     * and, for a select that only asks for one node name, that name.
     */
    private record Active(DtSchema schema, Schema compiled, Schema select, Set<String> names,
                          List<String> required, Map<String, Boolean> memo, String onlyName) {
    }

    public Validator(SchemaSet set, ValidateOptions options) {
        this(set, options, true);
    }

    /**
     * {@code prefilter} false asks the engine about every node, even one lacking a property
     * the select requires or whose name alone decides (for tests that check the shortcuts
     * change nothing).
     */
    Validator(SchemaSet set, ValidateOptions options, boolean prefilter) {
        this.prefilter = prefilter;
        this.set = set;
        this.options = options;
        this.decoder = new TypeDecoder(set);
        schemaProblems.addAll(set.warnings());
        List<DtSchema> usable = new ArrayList<>();
        List<Active> selecting = new ArrayList<>();
        for (DtSchema s : set.limited(options.limit())) {
            Schema whole;
            Schema sel;
            try {
                // validators are built lazily inside the engine; build them now, before
                // several threads share the schema
                whole = set.compiled(s);
                whole.initializeValidators();
                sel = set.compiledSelect(s);
                if (sel != null) {
                    sel.initializeValidators();
                }
            } catch (RuntimeException e) {
                // a schema the engine cannot compile (e.g. a regex Java does not accept) is
                // skipped, as dt-validate skips schemas with errors, and said so
                schemaProblems.add(s.filename() + ": ignoring, error in schema: " + e.getMessage());
                continue;
            }
            usable.add(s);
            JsonNode selectJson = s.json().get("select");
            Set<String> names = namesOf(selectJson);
            selecting.add(new Active(s, whole, sel, names, requiredOf(selectJson),
                    names == null ? null : new ConcurrentHashMap<>(), onlyNameOf(selectJson)));
        }
        this.active = List.copyOf(usable);
        this.selecting = List.copyOf(selecting);
    }

    /** Schema files left out (unparsable, duplicate id, not compilable), one line each. */
    public List<String> schemaProblems() {
        return List.copyOf(schemaProblems);
    }

    /** The schemas in use after {@code --limit}. */
    public List<DtSchema> activeSchemas() {
        return active;
    }

    /** For each active schema in order, whether its select accepts the node. */
    List<Boolean> selection(TypeDecoder.DecodedNode n) {
        List<Boolean> out = new ArrayList<>(selecting.size());
        for (Active a : selecting) {
            out.add(selects(a, n));
        }
        return out;
    }

    /** The decoder this validator reads trees with. */
    TypeDecoder decoder() {
        return decoder;
    }

    /** Every problem of {@code tree}, named {@code file} in the report. */
    public Report validate(DeviceTree tree, String file) {
        List<Diagnostic> raw = new ArrayList<>();
        TypeDecoder.DecodedTree decoded = decoder.decode(tree);
        raw.addAll(decoded.problems());
        // A value that could not be decoded by its type reaches the schema in a stand-in shape;
        // what the schema says about that shape would only repeat the decoding problem.
        Set<String> undecodable = new HashSet<>();
        for (Diagnostic d : decoded.problems()) {
            undecodable.add(d.nodePath() + ":" + d.property());
        }
        for (TypeDecoder.DecodedNode n : decoded.nodes()) {
            for (Active a : selecting) {
                if (!selects(a, n)) {
                    continue;
                }
                DtSchema s = a.schema();
                // dt-validate adds the node name just before matching, as a one-item list
                n.json().putArray("$nodename").add(n.name());
                List<Error> errors;
                try {
                    errors = a.compiled().validate(n.json());
                } catch (RuntimeException | StackOverflowError e) {
                    // a schema that recurses with the tree can exhaust the engine's stack on
                    // very deep input; report it on the node rather than fail the whole run
                    raw.add(new Diagnostic(Severity.ERROR, s.shortName(), n.node().span(), n.path(), null,
                            "schema engine failed on this node: " + e));
                    continue;
                }
                Set<String> uniqueSeen = new HashSet<>();
                for (Error e : errors) {
                    // the engine reports uniqueItems once per repeated item, jsonschema (and so
                    // dt-validate) once per array
                    if ("uniqueItems".equals(e.getKeyword())
                            && !uniqueSeen.add(e.getInstanceLocation() + " " + e.getEvaluationPath())) {
                        continue;
                    }
                    String msg = e.getMessage();
                    if (n.disabled() && msg.contains("required property")) {
                        continue;
                    }
                    String prop = firstSegment(e);
                    if (prop != null && undecodable.contains(n.path() + ":" + prop)) {
                        continue;
                    }
                    raw.add(new Diagnostic(Severity.ERROR, s.shortName(), spanOf(n, prop), n.path(),
                            prop, stripLocation(msg)));
                }
            }
        }
        raw.addAll(ChosenChecks.check(tree, options.dmaLimit()));
        List<Diagnostic> out = new ArrayList<>(raw.size());
        for (Diagnostic d : raw) {
            Severity sev = options.levels().severity(d.check(), d.severity());
            if (sev != null) {
                out.add(sev == d.severity() ? d
                        : new Diagnostic(sev, d.check(), d.span(), d.nodePath(), d.property(), d.message()));
            }
        }
        return Report.of(file, out);
    }

    /**
     * Whether the schema's select accepts the node. A select that only looks at some named
     * properties is run on an object holding just those (and its answer remembered per
     * distinct object), so that most nodes are never decoded in full; the engine decides.
     */
    private boolean selects(Active a, TypeDecoder.DecodedNode n) {
        try {
            return selectsOrThrows(a, n);
        } catch (RuntimeException | StackOverflowError e) {
            return false;
        }
    }

    private boolean selectsOrThrows(Active a, TypeDecoder.DecodedNode n) {
        Schema sel = a.select();
        if (sel == null) {
            return SchemaSet.selectConstant(a.schema());
        }
        if (prefilter && a.onlyName() != null) {
            return a.onlyName().equals(n.name());
        }
        Set<String> names = a.names();
        for (String r : prefilter ? a.required() : List.<String>of()) {
            // the instance below holds the node's properties and, for a select of another
            // shape, its child nodes as well
            if (n.node().property(r) == null && (names != null || n.node().child(r) == null)) {
                return false;
            }
        }
        if (names == null) {
            ObjectNode inst = n.json();
            inst.putArray("$nodename").add(n.name());
            return accepts(sel, inst);
        }
        // The decoded instance is a function of the node name and the raw bytes of the named
        // properties, so those make the memo key; the JSON is built only on a miss.
        StringBuilder key = new StringBuilder(n.name());
        for (String name : names) {
            Property p = n.node().property(name);
            key.append('\0').append(name);
            if (p != null) {
                key.append('=').append(new String(p.value().bytes(), StandardCharsets.ISO_8859_1));
            }
        }
        Map<String, Boolean> memo = a.memo();
        String k = key.toString();
        Boolean hit = memo.get(k);
        if (hit == null) {
            ObjectNode inst = n.partial(names);
            inst.putArray("$nodename").add(n.name());
            hit = accepts(sel, inst);
            if (memo.size() < 100_000) {
                memo.put(k, hit);
            }
        }
        return hit;
    }

    /**
     * The X of a select that, once fixed up, reads exactly {@code required: [$nodename]},
     * {@code properties: {$nodename: {items: [{const: X}], type: array, minItems: 1,
     * maxItems: 1}}} (the last three optional): on the instance {@code {$nodename: [name]}}
     * that holds exactly when the name is X. Null for any other select.
     */
    private static String onlyNameOf(JsonNode select) {
        if (select == null || !select.isObject() || select.size() != 2
                || !(select.get("required") instanceof ArrayNode req) || req.size() != 1
                || !"$nodename".equals(req.get(0).textValue())
                || !(select.get("properties") instanceof ObjectNode props) || props.size() != 1
                || !(props.get("$nodename") instanceof ObjectNode nn)) {
            return null;
        }
        String name = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = nn.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "items" -> {
                    if (!(v instanceof ArrayNode items) || items.size() != 1
                            || !(items.get(0) instanceof ObjectNode only) || only.size() != 1
                            || only.get("const") == null || !only.get("const").isTextual()) {
                        return null;
                    }
                    name = only.get("const").textValue();
                }
                case "type" -> {
                    if (!"array".equals(v.textValue())) {
                        return null;
                    }
                }
                case "minItems", "maxItems" -> {
                    if (!v.isIntegralNumber() || v.longValue() != 1) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return name;
    }

    /** The names a select object lists under {@code required}, but {@code $nodename}. */
    private static List<String> requiredOf(JsonNode select) {
        if (select == null || !select.isObject() || !(select.get("required") instanceof ArrayNode req)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode r : req) {
            if (!r.isTextual()) {
                return List.of();
            }
            if (!r.asText().equals("$nodename")) {
                out.add(r.asText());
            }
        }
        return List.copyOf(out);
    }

    /** A yes/no run of the engine: no error messages are built, the first failure stops it. */
    private static boolean accepts(Schema sel, JsonNode instance) {
        return sel.validate(instance, OutputFormat.BOOLEAN);
    }

    /**
     * The property names a select can look at, when it is an object made only of
     * {@code required} and {@code properties} (the shape dt-schema generates); else null.
     */
    private static Set<String> namesOf(JsonNode select) {
        if (select == null || !select.isObject()) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = select.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals("required")) {
                select.get(k).forEach(x -> names.add(x.asText()));
            } else if (k.equals("properties")) {
                select.get(k).fieldNames().forEachRemaining(names::add);
            } else {
                return null;
            }
        }
        names.remove("$nodename");
        return names;
    }

    /** Where the source defined the property (or else the node); null for blobs. */
    private static io.dtkit.source.Span spanOf(TypeDecoder.DecodedNode n, String prop) {
        if (prop != null) {
            var p = n.node().property(prop);
            if (p != null && p.span() != null) {
                return p.span();
            }
            var c = n.node().child(prop);
            if (c != null && c.span() != null) {
                return c.span();
            }
        }
        return n.node().span();
    }

    private static String firstSegment(Error e) {
        // a missing dependent property is what needs fixing, so it names the problem (as in
        // dt-validate's "'x' is a dependency of 'y'")
        if ("dependentRequired".equals(e.getKeyword()) && e.getArguments() != null
                && e.getArguments().length > 0 && (e.getInstanceLocation() == null
                || e.getInstanceLocation().getNameCount() == 0)) {
            return String.valueOf(e.getArguments()[0]);
        }
        var loc = e.getInstanceLocation();
        if (loc != null && loc.getNameCount() > 0) {
            Object el = loc.getElement(0);
            if (el instanceof String s) {
                return s;
            }
        }
        // errors about the node itself (e.g. additionalProperties) name the property themselves
        if (e.getProperty() != null) {
            return e.getProperty();
        }
        return null;
    }

    /** networknt prefixes messages with the instance location; the diagnostic has it apart. */
    private static String stripLocation(String msg) {
        if (msg.startsWith("$")) {
            int colon = msg.indexOf(": ");
            if (colon > 0) {
                return msg.substring(colon + 2);
            }
        }
        return msg;
    }
}
