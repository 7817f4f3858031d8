package io.dtkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layers hold: a package imports only packages of the layers above it, never a
 * sibling on its own layer (source; model; dts · fdt · transform; schema · kdump; validate; cli).
 */
class ArchitectureTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "source", Set.of(),
            "model", Set.of("source"),
            "dts", Set.of("source", "model"),
            "fdt", Set.of("source", "model"),
            "transform", Set.of("source", "model"),
            "schema", Set.of("source", "model", "dts", "fdt", "transform"),
            "kdump", Set.of("source", "model", "dts", "fdt", "transform"),
            "validate", Set.of("source", "model", "dts", "fdt", "transform", "schema", "kdump"),
            "cli", Set.of("source", "model", "dts", "fdt", "transform", "schema", "kdump", "validate"));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.dtkit\\.([a-z]+)", Pattern.MULTILINE);

    @Test
    void packagesImportOnlyLayersAboveThem() throws IOException {
        Path root = Path.of("src/main/java/io/dtkit");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String top = root.relativize(f).getName(0).toString();
                Set<String> allowed = ALLOWED.get(top);
                if (allowed == null) {
                    violations.add(f + ": package io.dtkit." + top + " has no place in the layers");
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(top) && !allowed.contains(used)) {
                        violations.add(f + " imports io.dtkit." + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
