package io.dtkit.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.serialization.BasicNodeReader;
import com.networknt.schema.serialization.NodeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A set of dt-schema bindings ready for validation (issue 5 items 1-3): YAML loaded, dt-schema's
 * fix-ups applied, property types gathered, and each schema compiled by the JSON Schema engine
 * (networknt, draft 2019-09 plus dt-schema's {@code typeSize}). {@code $ref}s between the
 * files resolve through their {@code $id}s, never over the network.
 */
public final class SchemaSet {
    /** The names of the schema files shipped with dtkit, in resource folder {@code bundled/}. */
    public static final List<String> BUNDLED = List.of("chosen.yaml", "types.yaml");
    private static final String DIALECT_ID = "https://dtkit.io/dt-schema-dialect";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<DtSchema> schemas;
    private final List<String> warnings;
    private final SchemaStyle style;
    private final PropertyTypes types;
    private final SchemaRegistry registry;
    private final Map<String, DtSchema> byId;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private SchemaSet(List<DtSchema> schemas, List<String> warnings, SchemaStyle style) {
        this.schemas = List.copyOf(schemas);
        this.warnings = List.copyOf(warnings);
        this.style = style;
        this.types = PropertyTypes.extract(schemas, style);
        Map<String, DtSchema> byId = new HashMap<>();
        for (DtSchema s : schemas) {
            byId.put(stripHash(s.id()), s);
        }
        this.byId = byId;
        Dialect dialect = Dialect.builder(DIALECT_ID, Dialects.getDraft201909())
                .keyword(new TypeSizeKeyword()).build();
        this.registry = SchemaRegistry.withDefaultDialect(dialect,
                b -> b.schemas(this::jsonText).nodeReader(new JsonFirst()));
    }

    /**
     * The engine picks a parser by the document's IRI, and dt-schema's IRIs end in
     * {@code .yaml}; but the documents it gets from {@link #jsonText} are JSON, which the JSON
     * parser reads several times faster than SnakeYAML (and without loading it). Text that is
     * not JSON still goes to the engine's own reader.
     */
    private static final class JsonFirst implements NodeReader {
        private final NodeReader fallback = BasicNodeReader.getInstance();

        @Override
        public JsonNode readTree(String content, InputFormat format) throws IOException {
            if (content.startsWith("{")) {
                try {
                    return JSON.readTree(content);
                } catch (JsonProcessingException e) {
                    // not JSON after all: the engine's reader decides
                }
            }
            return fallback.readTree(content, format);
        }

        @Override
        public JsonNode readTree(InputStream in, InputFormat format) throws IOException {
            byte[] bytes = in.readAllBytes();
            if (bytes.length > 0 && bytes[0] == '{') {
                try {
                    return JSON.readTree(bytes);
                } catch (JsonProcessingException e) {
                    // not JSON after all: the engine's reader decides
                }
            }
            return fallback.readTree(new java.io.ByteArrayInputStream(bytes), format);
        }
    }

    /** The schemas shipped with dtkit ({@code schemas/} in the source tree). */
    public static SchemaSet bundled() throws SchemaLoadException {
        return bundled(null);
    }

    /**
     * The schemas shipped with dtkit, kept processed under {@code cacheDir} between runs (see
     * {@link #load(List, Path)}); {@code null} for no cache.
     */
    public static SchemaSet bundled(Path cacheDir) throws SchemaLoadException {
        List<SchemaCache.Source> sources = new ArrayList<>();
        for (String name : BUNDLED) {
            try (InputStream in = SchemaSet.class.getResourceAsStream("bundled/" + name)) {
                if (in == null) {
                    throw new SchemaLoadException("bundled schema " + name + " missing from the build");
                }
                sources.add(new SchemaCache.Source("schemas/" + name, "schemas/" + name, in.readAllBytes()));
            } catch (IOException e) {
                throw new SchemaLoadException("cannot read bundled schema " + name + ": " + e.getMessage(), e);
            }
        }
        return cached(cacheDir, "bundled", sources);
    }

    /**
     * Every {@code *.yaml} under the given folders (recursively, sorted), as dt-validate loads a
     * schema folder. Files that do not parse or have no {@code $id} are skipped with a warning;
     * a later file with an {@code $id} already seen is skipped too.
     */
    public static SchemaSet load(List<Path> dirs) throws SchemaLoadException {
        return load(dirs, null);
    }

    /**
     * As {@link #load(List)}, reusing what an earlier load of the very same files (same paths,
     * same bytes) left under {@code cacheDir}, and leaving it there for the next run; {@code null}
     * for no cache. The result is the same either way.
     */
    public static SchemaSet load(List<Path> dirs, Path cacheDir) throws SchemaLoadException {
        List<SchemaCache.Source> sources = new ArrayList<>();
        StringBuilder kind = new StringBuilder("folders");
        for (Path dir : dirs) {
            kind.append('\0').append(dir.toAbsolutePath().normalize());
            if (!Files.isDirectory(dir)) {
                throw new SchemaLoadException("schema folder " + dir + " does not exist");
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                        .filter(Files::isRegularFile).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                throw new SchemaLoadException("cannot list schema folder " + dir + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new SchemaLoadException("no schema found in " + dir);
            }
            for (Path f : files) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (IOException e) {
                    bytes = null;
                }
                sources.add(new SchemaCache.Source(f.toString(), f.toAbsolutePath().normalize().toString(), bytes));
            }
        }
        return cached(cacheDir, kind.toString(), sources);
    }

    /** The set from the cache when it holds these sources, else parsed and built (and cached). */
    private static SchemaSet cached(Path cacheDir, String kind, List<SchemaCache.Source> sources) {
        SchemaCache cache = null;
        if (cacheDir != null) {
            try {
                cache = SchemaCache.of(cacheDir, kind, sources);
            } catch (RuntimeException e) {
                cache = null;
            }
        }
        SchemaSet set = cache == null ? null : cache.read();
        if (set != null) {
            return set;
        }
        List<Loaded> docs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (SchemaCache.Source s : sources) {
            try {
                if (s.bytes() == null) {
                    throw new IOException("unreadable");
                }
                docs.add(new Loaded(s.filename(), parse(s.bytes())));
            } catch (IOException e) {
                warnings.add(s.shown() + ": ignoring, error parsing file");
            }
        }
        set = build(docs, warnings);
        if (cache != null) {
            cache.write(set);
        }
        return set;
    }

    /** A set made from schemas already fixed up (read back from the cache). */
    static SchemaSet restore(List<DtSchema> schemas, List<String> warnings, SchemaStyle style) {
        return new SchemaSet(schemas, warnings, style);
    }

    /** Building a YAML mapper is costly; one serves every file (it is thread-safe), made on first use. */
    private static final class Yaml {
        static final YAMLMapper MAPPER = new YAMLMapper();
    }

    private record Loaded(String filename, JsonNode json) {
    }

    private static JsonNode parse(byte[] bytes) throws IOException {
        return Yaml.MAPPER.readTree(bytes);
    }

    private static SchemaSet build(List<Loaded> docs, List<String> warnings) {
        SchemaStyle style = SchemaStyle.MODERN;
        for (Loaded d : docs) {
            if (d.json().path("$id").asText("").endsWith("schemas/types.yaml#")) {
                JsonNode u32 = d.json().path("definitions").path("uint32");
                style = "integer".equals(u32.path("type").asText(null))
                        ? SchemaStyle.MODERN : SchemaStyle.LEGACY_MATRIX;
            }
        }
        SchemaFixups fixups = new SchemaFixups(style);
        Map<String, DtSchema> byId = new LinkedHashMap<>();
        for (Loaded d : docs) {
            if (!(d.json() instanceof ObjectNode o) || !o.path("$id").isTextual()) {
                warnings.add(d.filename() + ": ignoring, not a schema (no $id)");
                continue;
            }
            String id = o.get("$id").asText();
            if (byId.containsKey(id)) {
                warnings.add(d.filename() + ": duplicate '$id' value '" + id + "'");
                continue;
            }
            // The dialect is ours (2019-09 + typeSize); dt-schema's meta-schemas are not loaded.
            o.remove("$schema");
            fixups.fixSchema(o);
            o.put("type", "object");
            byId.put(id, new DtSchema(id, d.filename(), o));
        }
        return new SchemaSet(new ArrayList<>(byId.values()), warnings, style);
    }

    /** The engine asks for a schema document by IRI; only referenced documents are serialised. */
    private String jsonText(String iri) {
        DtSchema s = byId.get(stripHash(iri));
        if (s == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(s.json());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripHash(String iri) {
        return iri.endsWith("#") ? iri.substring(0, iri.length() - 1) : iri;
    }

    public List<DtSchema> schemas() {
        return schemas;
    }

    /** Problems met while loading (skipped files, duplicate ids), in dt-validate's words. */
    public List<String> warnings() {
        return warnings;
    }

    public SchemaStyle style() {
        return style;
    }

    public PropertyTypes types() {
        return types;
    }

    /** The schemas whose file path contains {@code text} (dt-validate {@code -l}); all if null. */
    public List<DtSchema> limited(String text) {
        if (text == null || text.isEmpty()) {
            return schemas;
        }
        List<DtSchema> out = new ArrayList<>();
        for (DtSchema s : schemas) {
            if (s.filename().contains(text)) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The compiled whole schema. */
    public Schema compiled(DtSchema s) {
        return compiled.computeIfAbsent(s.id(),
                id -> registry.getSchema(SchemaLocation.of(stripHash(id))));
    }

    /**
     * The compiled {@code select} schema, or {@code null} when {@code select} is a boolean
     * (then {@link #selectConstant} tells the answer).
     */
    public Schema compiledSelect(DtSchema s) {
        JsonNode sel = s.json().get("select");
        if (sel == null || sel.isBoolean()) {
            return null;
        }
        return compiled.computeIfAbsent(s.id() + " select",
                id -> registry.getSchema(SchemaLocation.of(stripHash(s.id()) + "#/select")));
    }

    /** {@code select: true/false} as a constant; {@code false} when there is no select. */
    public static boolean selectConstant(DtSchema s) {
        JsonNode sel = s.json().get("select");
        return sel != null && sel.isBoolean() && sel.booleanValue();
    }
}
