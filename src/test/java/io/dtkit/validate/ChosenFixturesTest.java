package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.schema.SchemaSet;
import io.dtkit.source.Diagnostic;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled chosen schema and the /chosen checks on small fixtures: each {@code bad-*.dts}
 * lists the exact diagnostics it must produce in {@code // expect:} lines, each
 * {@code good-*.dts} must validate clean; the kdump outputs in the shared data must be clean.
 */
class ChosenFixturesTest {
    static Validator validator;

    @BeforeAll
    static void load() throws IOException {
        validator = new Validator(SchemaSet.bundled(), ValidateOptions.defaults());
    }

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(Blobs.fixtures())) {
            return s.filter(p -> p.toString().endsWith(".dts"))
                    .filter(p -> p.getFileName().toString().startsWith("good-")
                            || p.getFileName().toString().startsWith("bad-"))
                    .filter(p -> !p.getFileName().toString().startsWith("bad-dtc-"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureGivesExactlyTheExpectedDiagnostics(Path dts) throws IOException {
        ReferenceTool.require("dtc");
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(dts)) {
            if (line.startsWith("// expect: ")) {
                expected.add(line.substring("// expect: ".length()));
            }
        }
        String name = dts.getFileName().toString();
        assertEquals(name.startsWith("bad-"), !expected.isEmpty(), name + ": bad-* fixtures need expect lines");
        Report r = validator.validate(Blobs.read(Blobs.compile(dts)), name);
        List<String> got = r.diagnostics().stream().map(Diagnostic::render).toList();
        assertEquals(expected, got, name);
    }

    @Test
    void dtcChosenChecksMatchDtc() throws IOException {
        Path dts = Blobs.fixtures().resolve("bad-dtc-chosen-checks.dts");
        ReferenceTool.Result dtc = ReferenceTool.run(null, null, "dtc", "-I", "dts", "-O", "dtb", "-o", "/dev/null", dts.toString());
        List<String> want = new ArrayList<>();
        for (String line : dtc.stderr().split("\n")) {
            int w = line.indexOf("Warning (chosen_");
            if (w >= 0) {
                want.add(line.substring(w));
            }
        }
        assertFalse(want.isEmpty(), "dtc printed no chosen warnings:\n" + dtc.stderr());
        Report r = validator.validate(Blobs.read(Blobs.compile(dts)), "x");
        List<String> got = r.diagnostics().stream()
                .filter(d -> ChosenChecks.DTC_CHECKS.contains(d.check()))
                .map(Diagnostic::render).toList();
        assertEquals(want, got);
    }

    @Test
    void switchesChangeLevels() throws IOException {
        Path dts = Blobs.fixtures().resolve("bad-dtc-chosen-checks.dts");
        var tree = Blobs.read(Blobs.compile(dts));
        CheckLevels levels = CheckLevels.defaults().with("chosen_node_bootargs", true)
                .with("no-chosen_node_stdout_path", false);
        Report r = new Validator(SchemaSet.bundled(), new ValidateOptions(null, ChosenChecks.DEFAULT_DMA_LIMIT, levels))
                .validate(tree, "x");
        List<String> got = r.diagnostics().stream().filter(d -> ChosenChecks.DTC_CHECKS.contains(d.check()))
                .map(Diagnostic::render).toList();
        assertEquals(List.of(
                "Warning (chosen_node_is_root): /firmware/chosen: chosen node must be at root node",
                "Warning (chosen_node_is_root): /loader/chosen: chosen node must be at root node",
                "ERROR (chosen_node_bootargs): /chosen:bootargs: property is not a string",
                "ERROR (chosen_node_bootargs): /firmware/chosen:bootargs: property is not a string"), got);
        var off = CheckLevels.defaults().with("no-chosen_usable_memory_overlap", true);
        assertEquals(null, off.severity("chosen_usable_memory_overlap", null));
    }

    @Test
    void lowerDmaLimitFlagsTheLowRange() throws IOException {
        var tree = Blobs.read(Blobs.compile(Blobs.fixtures().resolve("good-two-ranges.dts")));
        Report r = new Validator(SchemaSet.bundled(), new ValidateOptions(null, 0x40000000L, CheckLevels.defaults()))
                .validate(tree, "x");
        assertEquals(List.of("ERROR (chosen_usable_memory_order): /chosen:linux,usable-memory-range: the last of two "
                + "entries must be the low region below the DMA limit 0x40000000, but entry 1 is 0x60000000..0x68000000"),
                r.diagnostics().stream().map(Diagnostic::render).toList());
    }

    static Stream<Path> kdumpOutputs() throws IOException {
        try (Stream<Path> s = Files.list(Shared.resolve("kdump/expected"))) {
            return s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kdumpOutputs")
    void kdumpOutputsValidateClean(Path dtb) throws IOException {
        Report r = validator.validate(Blobs.read(dtb), dtb.getFileName().toString());
        assertTrue(r.clean(), dtb.getFileName() + ": " + r.diagnostics().stream().map(Diagnostic::render).toList());
        assertTrue(Blobs.read(dtb).root().child("chosen").property("linux,usable-memory-range") != null,
                dtb.getFileName() + " has no usable-memory-range");
    }
}
