package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Schema files as dtkit leaves them after loading and fixing them up, kept in a cache folder
 * so that a later run over the same files skips YAML parsing and the fix-ups (most of the
 * cost of loading, and all of SnakeYAML's start-up). One JSON file per list of schema
 * folders; it records a digest of every file's path and bytes and of the classes that do the
 * fix-ups, and is used only when that digest matches exactly. Anything unexpected while
 * reading or writing it means "no cache": the schemas are then loaded from their files.
 */
final class SchemaCache {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String key;

    private SchemaCache(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    /** One input of a schema set: how warnings name it, its file name, and its bytes (null if unreadable). */
    record Source(String shown, String filename, byte[] bytes) {
    }

    /**
     * The cache entry for {@code sources} (in load order) under {@code dir}; {@code kind} tells
     * apart the inputs that name the file, e.g. the schema folders as given.
     */
    static SchemaCache of(Path dir, String kind, List<Source> sources) {
        Digest names = new Digest();
        Digest all = new Digest();
        names.update(kind);
        all.update("dtkit schema cache " + FORMAT);
        all.update(kind);
        all.update(codeFingerprint());
        for (Source s : sources) {
            all.update(s.shown());
            all.update(s.filename());
            if (s.bytes() == null) {
                all.update("unreadable");
            } else {
                all.update(Integer.toString(s.bytes().length));
                all.update(s.bytes());
            }
        }
        return new SchemaCache(dir.resolve("schemas-" + names.hex() + ".json"), all.hex());
    }

    /** The cached schema set, or null when there is none for exactly these inputs. */
    SchemaSet read() {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root.path("format").asInt() != FORMAT || !key.equals(root.path("key").asText())) {
                return null;
            }
            SchemaStyle style = SchemaStyle.valueOf(root.get("style").asText());
            List<String> warnings = new ArrayList<>();
            for (JsonNode w : root.get("warnings")) {
                warnings.add(w.textValue());
            }
            List<DtSchema> schemas = new ArrayList<>();
            for (JsonNode s : root.get("schemas")) {
                schemas.add(new DtSchema(s.get("id").textValue(), s.get("filename").textValue(),
                        (ObjectNode) s.get("json")));
            }
            return SchemaSet.restore(schemas, warnings, style);
        } catch (IOException | RuntimeException e) {
            // none yet, or unreadable, or not what this version writes
            return null;
        }
    }

    /** Keeps {@code set} for the next run; a file another run is writing at once is replaced whole. */
    void write(SchemaSet set) {
        Path tmp = null;
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("key", key);
            root.put("style", set.style().name());
            ArrayNode ws = root.putArray("warnings");
            set.warnings().forEach(ws::add);
            ArrayNode ss = root.putArray("schemas");
            for (DtSchema s : set.schemas()) {
                ObjectNode o = ss.addObject();
                o.put("id", s.id());
                o.put("filename", s.filename());
                o.set("json", s.json());
            }
            byte[] bytes = JSON.writeValueAsBytes(root);
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "schemas-", ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only means the next run parses the files again
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // left behind in the cache folder; harmless
                }
            }
        }
    }

    /** The bytes of the classes whose code shapes the cached schemas: new code, new entries. */
    private static String codeFingerprint() {
        Digest d = new Digest();
        for (Class<?> c : List.of(SchemaSet.class, SchemaFixups.class, SchemaCache.class)) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                if (in == null) {
                    throw new IllegalStateException("class file of " + c.getName() + " not found");
                }
                d.update(in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the class file of " + c.getName(), e);
            }
        }
        return d.hex();
    }

    /** Two checksums over the same length-prefixed pieces. */
    private static final class Digest {
        private final CRC32C a = new CRC32C();
        private final CRC32 b = new CRC32();

        void update(byte[] bytes) {
            a.update(bytes, 0, bytes.length);
            b.update(bytes, 0, bytes.length);
        }

        void update(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            update(bytes);
        }

        String hex() {
            // (a | 1 << 32) keeps the leading zeros of each 32-bit value
            return Long.toHexString(a.getValue() | 1L << 32).substring(1)
                    + Long.toHexString(b.getValue() | 1L << 32).substring(1);
        }
    }
}
