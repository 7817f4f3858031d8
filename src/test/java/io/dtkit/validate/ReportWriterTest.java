package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.dtkit.schema.SchemaSet;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Output formats: each format's rendering of a fixed set of reports equals a golden file
 * written by hand from the format's description; SARIF output validates against the SARIF
 * 2.1.0 JSON schema; JUnit XML parses and its counts match the reports.
 */
class ReportWriterTest {
    static List<Report> sample() {
        return List.of(
                Report.of("boards/a.dtb", List.of(
                        new Diagnostic(Severity.ERROR, "chosen.yaml", null, "/chosen", "linux,usable-memory-range",
                                "must have at most 2 items but found 3"),
                        new Diagnostic(Severity.WARNING, "chosen_node_bootargs", new Span("board.dts", 12, 3, 12, 20),
                                "/chosen", "bootargs", "property is not a string"))),
                Report.of("boards/b.dtb", List.of()),
                Report.of("boards/c.dtb", List.of(
                        new Diagnostic(Severity.WARNING, "chosen_node_stdout_path", null, "/chosen", "linux,stdout-path",
                                "Use 'stdout-path' instead"))),
                Report.unreadable("boards/d.dtb", "not a valid DTB: bad magic"));
    }

    static String golden(ReportWriter.Format f) {
        return switch (f) {
            case TEXT -> "report.txt";
            case JSON -> "report.json";
            case JUNIT -> "report.junit.xml";
            case SARIF -> "report.sarif.json";
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReportWriter.Format.class)
    void matchesGolden(ReportWriter.Format f) throws IOException {
        String want = Files.readString(Blobs.fixtures().resolve("golden").resolve(golden(f)));
        assertEquals(want, new ReportWriter("9.9.9").write(sample(), f), golden(f));
    }

    static Schema sarifSchema() throws IOException {
        try (InputStream in = ReportWriterTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
            SchemaRegistry reg = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
            return reg.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    com.networknt.schema.InputFormat.JSON);
        }
    }

    @Test
    void sarifValidatesAgainstTheSarifSchema() throws IOException {
        Schema schema = sarifSchema();
        String sample = new ReportWriter("9.9.9").write(sample(), ReportWriter.Format.SARIF);
        assertEquals(List.of(), schema.validate(new ObjectMapper().readTree(sample)).stream().map(Object::toString).toList());
        // and output from real validations of the fixtures
        Validator v = new Validator(SchemaSet.bundled(), ValidateOptions.defaults());
        List<Report> reports = new ArrayList<>();
        for (Path dts : ChosenFixturesTest.fixtures().toList()) {
            reports.add(v.validate(Blobs.read(Blobs.compile(dts)), dts.getFileName().toString()));
        }
        String real = new ReportWriter("0.1.0").write(reports, ReportWriter.Format.SARIF);
        JsonNode tree = new ObjectMapper().readTree(real);
        assertEquals(List.of(), schema.validate(tree).stream().map(Object::toString).toList());
        long diags = reports.stream().mapToLong(r -> r.diagnostics().size()).sum();
        assertTrue(diags > 5, "fixtures gave " + diags + " diagnostics");
        assertEquals(diags, tree.at("/runs/0/results").size());
    }

    @Test
    void sarifSchemaRejectsBrokenOutput() throws IOException {
        // guards against a schema that accepts anything
        JsonNode broken = new ObjectMapper().readTree("{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}");
        assertTrue(!sarifSchema().validate(broken).isEmpty());
    }

    @Test
    void junitParsesAndCountsMatch() throws Exception {
        String xml = new ReportWriter("9.9.9").write(sample(), ReportWriter.Format.JUNIT);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals(4, doc.getElementsByTagName("testcase").getLength());
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals(String.valueOf(doc.getElementsByTagName("failure").getLength()), suite.getAttribute("failures"));
        assertEquals(String.valueOf(doc.getElementsByTagName("error").getLength()), suite.getAttribute("errors"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
    }

    @Test
    void junitEscapesMarkupInMessages() throws Exception {
        List<Report> rs = List.of(Report.of("a<&>\"b.dtb", List.of(new Diagnostic(Severity.ERROR, "x", null, "/", "p",
                "bad <tag> & \"quote\" \u0001"))));
        String xml = new ReportWriter("1").write(rs, ReportWriter.Format.JUNIT);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals("a<&>\"b.dtb", ((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name"));
        assertTrue(doc.getElementsByTagName("failure").item(0).getTextContent().contains("bad <tag> & \"quote\""));
    }
}
