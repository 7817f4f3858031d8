package io.dtkit.dts.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@code fixtures/dtsedit/NAME.ops} script on {@code NAME_original.dts}: the result
 * must equal the hand-written {@code NAME_expected.dts} byte for byte (or the edit must be
 * refused with the expected code, leaving the file alone), and cpp + dtc of original and
 * result must give DTBs that differ exactly by the {@code dtb} lines of the script.
 *
 * <p>Script lines (tab-separated): {@code option allowOverrideBlock}, {@code set ADDR PROP VALUE},
 * {@code delete ADDR PROP}, {@code delete-node ADDR}, {@code add-node PARENT NAME},
 * {@code error CODE} (the last edit must fail so), {@code dtb DIFFLINE} (see {@link DtbDiff#diff}),
 * {@code get ADDR PROP VALUE} (the value text read at that point; {@code \\n} and {@code \\t}
 * stand for newline and tab).
 */
class DtsEditFixtureTest {
    static final Path DIR = Path.of("fixtures/dtsedit");

    @TempDir
    Path tmp;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ops"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixture(String name) throws Exception {
        Path original = DIR.resolve(name + "_original.dts");
        byte[] before = Files.readAllBytes(original);
        List<String[]> ops = new ArrayList<>();
        List<String> dtbDiff = new ArrayList<>();
        String error = null;
        boolean override = false;
        for (String line : Files.readAllLines(DIR.resolve(name + ".ops"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            switch (f[0]) {
                case "option" -> override = true;
                case "error" -> error = f[1];
                case "dtb" -> dtbDiff.add(f[1]);
                default -> ops.add(f);
            }
        }
        DtsSourceEditor ed = DtsSourceEditor.of(original, before, List.of(DIR)).allowOverrideBlock(override);
        for (int i = 0; i < ops.size(); i++) {
            String[] op = ops.get(i);
            boolean last = i == ops.size() - 1;
            if (last && error != null) {
                DtsEditException e = assertThrows(DtsEditException.class, () -> run(ed, op), name);
                assertEquals(error, e.error().name(), name + ": " + e.getMessage());
                assertArrayEquals(before, ed.content(), name + ": refused edit changed the file");
                return;
            }
            run(ed, op);
        }
        byte[] after = ed.content();
        byte[] expected = Files.readAllBytes(DIR.resolve(name + "_expected.dts"));
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), new String(after, StandardCharsets.ISO_8859_1),
                name + ": edited text");
        Path edited = tmp.resolve(original.getFileName());
        Files.write(edited, after);
        byte[] a = DtbDiff.compile(original, List.of(DIR), DIR, tmp.resolve("a"));
        byte[] b = DtbDiff.compile(edited, List.of(DIR), DIR, tmp.resolve("b"));
        assertEquals(dtbDiff, DtbDiff.diff(a, b), name + ": DTB changes");
        assertTrue(!dtbDiff.isEmpty(), name + ": a fixture must state its DTB change");
    }

    private static void run(DtsSourceEditor ed, String[] op) throws DtsEditException {
        switch (op[0]) {
            case "set" -> ed.setProperty(op[1], op[2], op.length > 3 ? op[3] : "");
            case "delete" -> ed.deleteProperty(op[1], op[2]);
            case "delete-node" -> ed.deleteNode(op[1]);
            case "add-node" -> ed.addNode(op[1], op[2]);
            case "get" -> assertEquals(op[3].replace("\\n", "\n").replace("\\t", "\t"), ed.getProperty(op[1], op[2]), "get " + op[1] + ":" + op[2]);
            default -> throw new IllegalArgumentException("unknown op " + op[0]);
        }
    }
}
