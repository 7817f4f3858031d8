package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.schema.SchemaSet;
import io.dtkit.schema.TypeDecoder;
import io.dtkit.source.Diagnostic;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verdict agreement with dt-validate: with the schema folder the installed dt-validate uses
 * and {@code -l chosen}, dtkit must flag exactly the corpus DTBs and properties dt-validate
 * flags. dt-validate runs once over all files (it is slow to start) and its answer is kept.
 */
class DtValidateAgreementTest {
    private static Map<String, TreeSet<String>> reference;
    private static Validator validator;

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(Shared.resolve("corpus/linux-arm64/expected"))) {
            return s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList().stream();
        }
    }

    /** dt-validate's verdicts: file name -> flagged "node:property" (or "node:" for node-level). */
    private static synchronized Map<String, TreeSet<String>> reference() throws IOException {
        if (reference != null) {
            return reference;
        }
        List<String> cmd = new ArrayList<>(List.of("dt-validate", "-l", "chosen"));
        corpus().forEach(p -> cmd.add(p.toString()));
        ReferenceTool.Result r = ReferenceTool.run(null, null, cmd.toArray(String[]::new));
        Map<String, TreeSet<String>> m = new HashMap<>();
        // "FILE: NODENAME: [path elements:] message" ; the property is the first path element,
        // or for node-level messages the quoted name the message is about.
        Pattern line = Pattern.compile("^(/\\S+\\.dtb): ([^:]+): (.*)$");
        Pattern pathEl = Pattern.compile("^([^\\s:']+):(?:\\d+:)* (.*)$");
        Pattern quoted = Pattern.compile("'([^']+)'");
        List<String> stray = new ArrayList<>();
        for (String l : (r.out() + "\n" + r.stderr()).split("\n")) {
            if (l.isBlank() || l.startsWith("\t")) {
                continue;
            }
            Matcher lm = line.matcher(l);
            if (!lm.matches()) {
                stray.add(l);
                continue;
            }
            String file = Path.of(lm.group(1)).getFileName().toString();
            String rest = lm.group(3);
            Matcher pm = pathEl.matcher(rest);
            TreeSet<String> flagged = m.computeIfAbsent(file, k -> new TreeSet<>());
            if (pm.matches()) {
                flagged.add(lm.group(2) + ":" + pm.group(1));
            } else if (rest.contains(" do not match any of the regexes") || rest.contains(" were unexpected")) {
                // one message names every offending property
                Matcher qm = quoted.matcher(rest.split(" do not match| were unexpected")[0]);
                while (qm.find()) {
                    flagged.add(lm.group(2) + ":" + qm.group(1));
                }
            } else {
                Matcher qm = quoted.matcher(rest);
                flagged.add(lm.group(2) + ":" + (qm.find() ? qm.group(1) : ""));
            }
        }
        assertTrue(stray.isEmpty(), "dt-validate lines not tied to a file: " + stray);
        reference = m;
        return m;
    }

    private static synchronized Validator validator() throws IOException {
        if (validator == null) {
            Path dir = io.dtkit.testsupport.DtSchemaInstall.schemas();
            SchemaSet set = SchemaSet.load(List.of(dir));
            assertEquals(io.dtkit.schema.SchemaStyle.LEGACY_MATRIX, set.style(), "Debian's dt-schema generation");
            validator = new Validator(set, ValidateOptions.defaults().withLimit("chosen"));
            assertEquals(1, validator.activeSchemas().size());
            assertTrue(validator.activeSchemas().get(0).filename().startsWith(dir.toString()));
        }
        return validator;
    }

    @org.junit.jupiter.api.Test
    void referenceFlagsTheKnownCase() throws IOException {
        ReferenceTool.require("dt-validate");
        // the 2017 exynos7 board still uses the deprecated linux,stdout-path
        assertEquals(new TreeSet<>(List.of("chosen:linux,stdout-path")),
                reference().get("arm64__exynos__exynos7-espresso.dtb"));
    }

    /**
     * As many schema errors as dt-validate reports on one property: a /chosen string holding
     * cells (four empty strings to the schema) is too long twice (the property's limit and its
     * type's) and has repeated items once, however many items repeat.
     */
    @org.junit.jupiter.api.Test
    void asManyErrorsAsDtValidateForOneProperty(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        ReferenceTool.require("dt-validate");
        Path src = tmp.resolve("cells.dts");
        java.nio.file.Files.writeString(src, "/dts-v1/;\n/ {\n\tcompatible = \"x\";\n\t#address-cells = <1>;\n"
                + "\t#size-cells = <1>;\n\tchosen {\n\t\tstdout-path = <1>;\n\t};\n};\n");
        Path dtb = tmp.resolve("cells.dtb");
        assertEquals(0, ReferenceTool.run(null, null, "dtc", "-q", "-O", "dtb", "-o", dtb.toString(),
                src.toString()).exit());
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dt-validate", "-l", "chosen", dtb.toString());
        long want = java.util.Arrays.stream((r.out() + "\n" + r.stderr()).split("\n"))
                .filter(l -> l.startsWith(dtb + ": chosen: stdout-path: ")).count();
        assertEquals(3, want, r.out() + r.stderr());
        Report rep = validator().validate(Blobs.read(dtb), dtb.toString());
        long got = rep.diagnostics().stream().filter(d -> d.check() != null && d.check().endsWith(".yaml")
                && "stdout-path".equals(d.property())).count();
        assertEquals(want, got, rep.diagnostics().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sameVerdictAsDtValidate(Path dtb) throws IOException {
        ReferenceTool.require("dt-validate");
        TreeSet<String> want = reference().getOrDefault(dtb.getFileName().toString(), new TreeSet<>());
        Report rep = validator().validate(Blobs.read(dtb), dtb.toString());
        TreeSet<String> got = new TreeSet<>();
        for (Diagnostic d : rep.diagnostics()) {
            boolean schema = d.check() != null && d.check().endsWith(".yaml");
            if (schema || TypeDecoder.CHECK_SIZE.equals(d.check())) {
                String path = d.nodePath();
                String node = path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
                got.add(node + ":" + (d.property() == null ? "" : d.property()));
            }
        }
        assertEquals(want, got, dtb.getFileName().toString());
    }
}
