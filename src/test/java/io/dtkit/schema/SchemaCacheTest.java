package io.dtkit.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processed-schema cache gives exactly what loading the files gives (schemas, JSON node
 * types included, warnings, style), is used only for the very same files, and any trouble
 * with it falls back to the files without a word.
 */
class SchemaCacheTest {
    @TempDir
    Path tmp;

    private static void assertSameSet(SchemaSet want, SchemaSet got) {
        assertEquals(want.style(), got.style());
        assertEquals(want.warnings(), got.warnings());
        assertEquals(want.schemas().size(), got.schemas().size());
        for (int i = 0; i < want.schemas().size(); i++) {
            DtSchema w = want.schemas().get(i);
            DtSchema g = got.schemas().get(i);
            assertEquals(w.id(), g.id());
            assertEquals(w.filename(), g.filename());
            // Jackson's equality tells an int node from a long or double node
            assertEquals(w.json(), g.json(), w.filename());
        }
    }

    private static List<Path> cacheFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
    }

    private void sameWithAndWithoutCache(List<Path> dirs) throws Exception {
        Path cache = tmp.resolve("cache");
        SchemaSet files = SchemaSet.load(dirs);
        SchemaSet first = SchemaSet.load(dirs, cache);
        assertEquals(1, cacheFiles(cache).size(), "the first load leaves one cache file");
        SchemaSet second = SchemaSet.load(dirs, cache);
        assertSameSet(files, first);
        assertSameSet(files, second);
    }

    @Test
    void projectSchemas() throws Exception {
        sameWithAndWithoutCache(List.of(Path.of("schemas"), Path.of("fixtures/validate/type-schemas")));
    }

    @Test
    void upstreamSchemas() throws Exception {
        sameWithAndWithoutCache(List.of(Shared.resolve("dt-schema-upstream/dtschema/schemas")));
    }

    @Test
    void bundledSchemas() throws Exception {
        Path cache = tmp.resolve("cache");
        SchemaSet first = SchemaSet.bundled(cache);
        SchemaSet second = SchemaSet.bundled(cache);
        assertSameSet(SchemaSet.bundled(), first);
        assertSameSet(SchemaSet.bundled(), second);
    }

    @Test
    void warningsOfSkippedFilesComeBackFromTheCache() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Files.copy(Path.of("schemas/types.yaml"), dir.resolve("a-types.yaml"));
        Files.copy(Path.of("schemas/chosen.yaml"), dir.resolve("b-chosen.yaml"));
        Files.copy(Path.of("schemas/chosen.yaml"), dir.resolve("c-chosen-again.yaml"));
        Files.writeString(dir.resolve("d-broken.yaml"), "a: [\n");
        Files.writeString(dir.resolve("e-no-id.yaml"), "title: no id\n");
        SchemaSet files = SchemaSet.load(List.of(dir));
        assertEquals(3, files.warnings().size(), files.warnings().toString());
        sameWithAndWithoutCache(List.of(dir));
    }

    @Test
    void theCacheIsWhatASecondLoadReads() throws Exception {
        Path cache = tmp.resolve("cache");
        List<Path> dirs = List.of(Path.of("schemas"));
        SchemaSet.load(dirs, cache);
        Path file = cacheFiles(cache).get(0);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"uint32\""), "types.yaml is in the cache");
        Files.writeString(file, text.replace("\"uint32\"", "\"uint32-from-cache\""));
        SchemaSet second = SchemaSet.load(dirs, cache);
        assertTrue(second.schemas().stream().anyMatch(s -> s.json().toString().contains("uint32-from-cache")),
                "a matching cache entry is used as it is");
    }

    @Test
    void changedBytesAreNotTakenFromTheCache() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Path chosen = dir.resolve("chosen.yaml");
        Files.copy(Path.of("schemas/types.yaml"), dir.resolve("types.yaml"));
        Files.copy(Path.of("schemas/chosen.yaml"), chosen);
        Path cache = tmp.resolve("cache");
        SchemaSet before = SchemaSet.load(List.of(dir), cache);
        // same length, same modification time: only the bytes tell
        FileTime mtime = Files.getLastModifiedTime(chosen);
        String text = Files.readString(chosen, StandardCharsets.UTF_8);
        assertTrue(text.contains("title: The /chosen node"));
        Files.writeString(chosen, text.replace("title: The /chosen node", "title: The /chosen nods"));
        Files.setLastModifiedTime(chosen, mtime);
        SchemaSet after = SchemaSet.load(List.of(dir), cache);
        assertSameSet(SchemaSet.load(List.of(dir)), after);
        assertNotEquals(before.schemas().get(0).json(), after.schemas().get(0).json());
    }

    @Test
    void aDamagedCacheIsIgnoredAndReplaced() throws Exception {
        Path cache = tmp.resolve("cache");
        List<Path> dirs = List.of(Path.of("schemas"));
        SchemaSet.load(dirs, cache);
        Path file = cacheFiles(cache).get(0);
        Files.writeString(file, "{\"format\": 1, \"key\": ");
        assertSameSet(SchemaSet.load(dirs), SchemaSet.load(dirs, cache));
        assertTrue(Files.readString(file).length() > 100, "rewritten whole");
        assertSameSet(SchemaSet.load(dirs), SchemaSet.load(dirs, cache));
    }

    @Test
    void anUnusableCacheFolderIsIgnored() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
        List<Path> dirs = List.of(Path.of("schemas"));
        assertSameSet(SchemaSet.load(dirs), SchemaSet.load(dirs, notADir));
        assertSameSet(SchemaSet.load(dirs), SchemaSet.load(dirs, notADir.resolve("below")));
    }
}
