package io.dtkit.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.Span;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders validation reports (issue 5 item 5): dtc-like text, a JSON document, JUnit XML (one
 * test case per input; errors fail it, warnings go to its output) and SARIF 2.1.0 (one result
 * per diagnostic, the check name as rule id). Pure: returns text, touches no stream.
 */
public final class ReportWriter {
    /** The output formats of {@code dtkit validate --format}. */
    public enum Format { TEXT, JSON, JUNIT, SARIF }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private final String toolVersion;

    public ReportWriter(String toolVersion) {
        this.toolVersion = toolVersion;
    }

    public String write(List<Report> reports, Format format) {
        return switch (format) {
            case TEXT -> text(reports);
            case JSON -> json(reports);
            case JUNIT -> junit(reports);
            case SARIF -> sarif(reports);
        };
    }

    /** One diagnostic as dtc prints it, the input file standing in for a missing position. */
    public static String textLine(String file, Diagnostic d) {
        String line = d.render();
        return d.span() == null ? file + ": " + line : line;
    }

    private static String text(List<Report> reports) {
        StringBuilder sb = new StringBuilder();
        for (Report r : reports) {
            if (r.failure() != null) {
                sb.append(r.file()).append(": ERROR: ").append(r.failure()).append('\n');
            }
            for (Diagnostic d : r.diagnostics()) {
                sb.append(textLine(r.file(), d)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String status(Report r) {
        if (r.failure() != null) {
            return "unreadable";
        }
        if (r.errors() > 0) {
            return "violations";
        }
        return r.warnings() > 0 ? "warnings" : "clean";
    }

    private String json(List<Report> reports) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "dtkit");
        root.put("version", toolVersion);
        ArrayNode files = root.putArray("files");
        long errors = 0;
        long warnings = 0;
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (String s : new String[] {"clean", "warnings", "violations", "unreadable"}) {
            byStatus.put(s, 0);
        }
        Map<String, String> countName = Map.of("clean", "clean", "warnings", "withWarnings",
                "violations", "withViolations", "unreadable", "unreadable");
        for (Report r : reports) {
            ObjectNode f = files.addObject();
            f.put("file", r.file());
            f.put("status", status(r));
            byStatus.merge(status(r), 1, Integer::sum);
            if (r.failure() != null) {
                f.put("failure", r.failure());
            }
            ArrayNode ds = f.putArray("diagnostics");
            for (Diagnostic d : r.diagnostics()) {
                ObjectNode o = ds.addObject();
                o.put("severity", d.severity() == Severity.ERROR ? "error" : "warning");
                o.put("check", d.check());
                o.put("node", d.nodePath());
                o.put("property", d.property());
                o.put("message", d.message());
                Span s = d.span();
                if (s != null) {
                    ObjectNode at = o.putObject("position");
                    at.put("file", s.file());
                    at.put("line", s.firstLine());
                    at.put("column", s.firstColumn());
                } else {
                    o.putNull("position");
                }
            }
            errors += r.errors();
            warnings += r.warnings();
        }
        ObjectNode sum = root.putObject("summary");
        sum.put("files", reports.size());
        byStatus.forEach((k, v) -> sum.put(countName.get(k), v));
        sum.put("errors", errors);
        sum.put("warnings", warnings);
        return pretty(root);
    }

    private static String pretty(ObjectNode root) {
        // "key": value, two-space indent, empty containers as [] and {}
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(pp).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String junit(List<Report> reports) {
        int failures = 0;
        int errs = 0;
        for (Report r : reports) {
            if (r.failure() != null) {
                errs++;
            } else if (r.errors() > 0) {
                failures++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        String counts = " tests=\"" + reports.size() + "\" failures=\"" + failures + "\" errors=\"" + errs + "\"";
        sb.append("<testsuites name=\"dtkit validate\"").append(counts).append(">\n");
        sb.append("  <testsuite name=\"dtkit validate\"").append(counts).append(" skipped=\"0\">\n");
        for (Report r : reports) {
            sb.append("    <testcase classname=\"dtkit.validate\" name=\"").append(xml(r.file())).append('"');
            StringBuilder body = new StringBuilder();
            if (r.failure() != null) {
                body.append("      <error type=\"unreadable\" message=\"").append(xml(r.failure()))
                        .append("\"/>\n");
            } else {
                StringBuilder lines = new StringBuilder();
                for (Diagnostic d : r.diagnostics()) {
                    lines.append(textLine(r.file(), d)).append('\n');
                }
                if (r.errors() > 0) {
                    body.append("      <failure type=\"violations\" message=\"").append(r.errors())
                            .append(r.errors() == 1 ? " error" : " errors").append(", ")
                            .append(r.warnings()).append(r.warnings() == 1 ? " warning" : " warnings")
                            .append("\">").append(xml(lines.toString())).append("</failure>\n");
                } else if (lines.length() > 0) {
                    body.append("      <system-out>").append(xml(lines.toString())).append("</system-out>\n");
                }
            }
            if (body.length() == 0) {
                sb.append("/>\n");
            } else {
                sb.append(">\n").append(body).append("    </testcase>\n");
            }
        }
        sb.append("  </testsuite>\n</testsuites>\n");
        return sb.toString();
    }

    private static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> {
                    // XML 1.0 cannot carry most control characters, even escaped
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private String sarif(List<Report> reports) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "dtkit");
        driver.put("version", toolVersion);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (Report r : reports) {
            for (Diagnostic d : r.diagnostics()) {
                String id = d.check() == null ? "dtkit" : d.check();
                if (!ruleIndex.containsKey(id)) {
                    ruleIndex.put(id, ruleIndex.size());
                    ObjectNode rule = rules.addObject();
                    rule.put("id", id);
                    rule.putObject("shortDescription").put("text", ruleText(id));
                }
            }
        }
        ArrayNode results = run.putArray("results");
        for (Report r : reports) {
            for (Diagnostic d : r.diagnostics()) {
                String id = d.check() == null ? "dtkit" : d.check();
                ObjectNode res = results.addObject();
                res.put("ruleId", id);
                res.put("ruleIndex", ruleIndex.get(id));
                res.put("level", d.severity() == Severity.ERROR ? "error" : "warning");
                StringBuilder msg = new StringBuilder();
                if (d.nodePath() != null) {
                    msg.append(d.nodePath());
                    if (d.property() != null) {
                        msg.append(':').append(d.property());
                    }
                    msg.append(": ");
                }
                res.putObject("message").put("text", msg + d.message());
                ObjectNode loc = res.putArray("locations").addObject();
                ObjectNode phys = loc.putObject("physicalLocation");
                Span s = d.span();
                phys.putObject("artifactLocation").put("uri", uri(s != null ? s.file() : r.file()));
                if (s != null && s.firstLine() >= 1) {
                    ObjectNode region = phys.putObject("region");
                    region.put("startLine", s.firstLine());
                    if (s.firstColumn() >= 1) {
                        region.put("startColumn", s.firstColumn());
                    }
                }
                if (d.nodePath() != null) {
                    ObjectNode logical = loc.putArray("logicalLocations").addObject();
                    logical.put("fullyQualifiedName",
                            d.property() == null ? d.nodePath() : d.nodePath() + ":" + d.property());
                    logical.put("kind", d.property() == null ? "object" : "member");
                }
            }
        }
        ObjectNode inv = run.putArray("invocations").addObject();
        boolean ok = reports.stream().allMatch(r -> r.failure() == null);
        inv.put("executionSuccessful", ok);
        if (!ok) {
            ArrayNode notes = inv.putArray("toolExecutionNotifications");
            for (Report r : reports) {
                if (r.failure() != null) {
                    ObjectNode n = notes.addObject();
                    n.put("level", "error");
                    n.putObject("message").put("text", r.file() + ": " + r.failure());
                    n.putArray("locations").addObject().putObject("physicalLocation")
                            .putObject("artifactLocation").put("uri", uri(r.file()));
                }
            }
        }
        return pretty(root);
    }

    /** A URI for a file name as given: relative stays relative, absolute becomes file:// (SARIF wants URIs). */
    private static String uri(String file) {
        StringBuilder sb = new StringBuilder();
        if (file.startsWith("/")) {
            sb.append("file://");
        }
        for (char c : file.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 0x80 || "/._-~,@+".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return sb.toString();
    }

    private static String ruleText(String id) {
        return switch (id) {
            case ChosenChecks.IS_ROOT -> "/chosen must be a child of the root node (dtc check).";
            case ChosenChecks.BOOTARGS -> "/chosen bootargs must be a string (dtc check).";
            case ChosenChecks.STDOUT_PATH -> "/chosen stdout-path must be a string named stdout-path (dtc check).";
            case ChosenChecks.RANGE_OVERLAP -> "linux,usable-memory-range entries must not overlap.";
            case ChosenChecks.RANGE_ORDER -> "With two usable-memory ranges the low one (below the DMA limit) comes last.";
            case ChosenChecks.RANGE_IN_MEMORY -> "Each usable-memory range must lie inside /memory.";
            case ChosenChecks.STDOUT_RESOLVES -> "stdout-path must name an existing node or alias.";
            case io.dtkit.schema.TypeDecoder.CHECK_SIZE -> "The property length must fit its schema type.";
            case io.dtkit.schema.TypeDecoder.CHECK_FLAG -> "A boolean property must be empty.";
            default -> "Violations of the dt-schema binding " + id + ".";
        };
    }
}
