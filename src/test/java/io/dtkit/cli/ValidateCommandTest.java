package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dtkit validate}: exit codes, input handling and formats, through picocli. */
class ValidateCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static boolean haveReader() {
        try {
            Class.forName("io.dtkit.fdt.DtbReader");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    Path dtb(String fixture) throws IOException {
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dtb",
                Path.of("fixtures/validate", fixture + ".dts").toString());
        Path p = tmp.resolve(fixture + ".dtb");
        Files.write(p, r.stdout());
        return p;
    }

    @Test
    void badUsageExitsTwo() throws IOException {
        Path f = tmp.resolve("x.dtb");
        Files.write(f, new byte[] {1, 2, 3, 4});
        assertEquals(2, run("validate", "--format", "xml", f.toString()).exit());
        Run unknownCheck = run("validate", "-W", "no-such_check", f.toString());
        assertEquals(2, unknownCheck.exit());
        assertTrue(unknownCheck.err().contains("Unknown check name \"such_check\""), unknownCheck.err());
        assertEquals(2, run("validate", "--limit", "no-such-schema", f.toString()).exit());
        assertEquals(2, run("validate", "--schemas", tmp.resolve("none").toString(), f.toString()).exit());
        assertEquals(2, run("validate").exit());
    }

    @Test
    void unreadableInputExitsTwoAndNamesTheFile() throws IOException {
        Path junk = tmp.resolve("junk.dtb");
        Files.writeString(junk, "not a blob");
        Run r = run("validate", junk.toString(), tmp.resolve("missing.dtb").toString());
        assertEquals(2, r.exit());
        assertTrue(r.out().contains(junk + ": ERROR: not a DTB"), r.out());
        assertTrue(r.out().contains("missing.dtb: ERROR: cannot read"), r.out());
    }

    @Test
    void exitCodesFollowTheFindings() throws IOException {
        assumeTrue(haveReader(), "blob reader not in this build");
        Path good = dtb("good-two-ranges");
        Path bad = dtb("bad-overlap");
        Run clean = run("validate", good.toString());
        assertEquals(0, clean.exit(), clean.out() + clean.err());
        assertEquals("", clean.out());
        Run dirty = run("validate", good.toString(), bad.toString());
        assertEquals(1, dirty.exit());
        assertTrue(dirty.out().startsWith(bad + ": ERROR (chosen_usable_memory_overlap): /chosen:linux,usable-memory-range: "),
                dirty.out());
        Run json = run("validate", "--format", "json", "-j", "2", tmp.toString());
        assertEquals(1, json.exit());
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertEquals(2, tree.at("/summary/files").asInt());
        assertEquals(1, tree.at("/summary/withViolations").asInt());
        assertEquals(2, tree.at("/summary/errors").asInt());
        Run off = run("validate", "-E", "no-chosen_usable_memory_overlap", "-E", "no-chosen_usable_memory_order", bad.toString());
        assertEquals(0, off.exit(), off.out());
    }

    @Test
    void dtsInputsCarrySourcePositionsThroughCppLineMarkers() throws IOException {
        Path dts = Path.of("fixtures/validate/src-cpp-markers.dts");
        ReferenceTool.Result dtc = ReferenceTool.run(null, null, "dtc", "-I", "dts", "-O", "dtb", "-o", "/dev/null", dts.toString());
        String dtcLine = dtc.stderr().lines().filter(l -> l.contains("chosen_node_bootargs")).findFirst().orElseThrow();
        Run r = run("validate", dts.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains(dtcLine), "dtc: " + dtcLine + "\nours: " + r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("board-chosen.dtsi:40.3-")
                && l.contains(": ERROR (chosen_usable_memory_overlap): /chosen:linux,usable-memory-range: ")), r.out());
        Run sarif = run("validate", "--format", "sarif", dts.toString());
        JsonNode loc = null;
        for (JsonNode res : new ObjectMapper().readTree(sarif.out()).at("/runs/0/results")) {
            if (res.path("ruleId").asText().equals("chosen_usable_memory_overlap")) {
                loc = res.at("/locations/0/physicalLocation");
            }
        }
        assertEquals("board-chosen.dtsi", loc.at("/artifactLocation/uri").asText());
        assertEquals(40, loc.at("/region/startLine").asInt());
    }

    @Test
    void upstreamSchemaFolderWorksAndNoProgressBarWithoutATerminal() throws IOException {
        Path good = dtb("good-two-ranges");
        Path bad = dtb("bad-three-ranges");
        Run r = run("validate", "--schemas", Shared.resolve("dt-schema-upstream/dtschema/schemas").toString(),
                "-l", "chosen", good.toString(), bad.toString());
        // upstream's chosen binding takes a single usable-memory range: both files fail there
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(2, r.out().lines().filter(l -> l.contains("(chosen.yaml): /chosen:linux,usable-memory-range: ")).count(),
                r.out());
        assertTrue(!r.err().contains("\r"), "progress bar written without a terminal: " + r.err());
    }

    @Test
    void corpusWithDebianSchemasAndLimitChosen() throws IOException {
        assumeTrue(haveReader(), "blob reader not in this build");
        Path schemas = io.dtkit.testsupport.DtSchemaInstall.schemas();
        Run r = run("validate", "--schemas", schemas.toString(), "--limit", "chosen", "-j", "4",
                Shared.resolve("corpus/linux-arm64/expected").toString());
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.out().lines().filter(l -> l.contains("(chosen.yaml)")).toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).contains("exynos7-espresso.dtb: ERROR (chosen.yaml): /chosen:linux,stdout-path: "), lines.get(0));
    }
}
