package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dtkit.fdt.DtbWriter;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test over {@code fixtures/dts/*.dts}: each file is compiled by dtkit and by the
 * installed dtc ({@code -I dts -O dtb}, plus the options in a leading {@code // dtc-args:}
 * line). Both must agree on success or failure; on success the blobs must be identical; on
 * failure dtkit's rendered diagnostics must be the lines dtc printed.
 */
class DtsFixtureTest {
    static final Path DIR = Path.of("fixtures/dts");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dts")).sorted()
                    .toList().stream();
        }
    }

    static List<String> dtcArgs(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String first = lines.isEmpty() ? "" : lines.get(0);
        if (first.startsWith("// dtc-args:")) {
            return Arrays.asList(first.substring("// dtc-args:".length()).trim().split("\\s+"));
        }
        return List.of();
    }

    static CompileOptions options(List<String> args) {
        CompileOptions o = CompileOptions.defaults();
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "-@" -> o = o.withSymbols(true);
                case "-A" -> o = o.withAutoLabelAliases(true);
                case "-H" -> o = o.withPhandleFormat(PhandleFormat.valueOf(args.get(++i).toUpperCase()));
                case "-b" -> o = o.withBootCpuid(Long.decode(args.get(++i)));
                case "-i" -> dirs.add(Path.of(args.get(++i)));
                default -> throw new IllegalArgumentException("unsupported dtc option " + args.get(i));
            }
        }
        return o.withIncludeDirs(dirs);
    }

    /** dtc's stderr without the summary lines that only say it gave up. */
    static List<String> dtcDiagnostics(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.isBlank()
                    || line.equals("FATAL ERROR: Unable to parse input tree")
                    || line.equals("FATAL ERROR: Syntax error parsing input tree")
                    || line.startsWith("ERROR: Input tree has errors")) {
                continue;
            }
            if (line.startsWith("FATAL ERROR: ")) {
                line = line.substring("FATAL ".length());
            }
            if (line.startsWith("<stdout>: ")) {
                line = line.substring("<stdout>: ".length());
            }
            out.add(line);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sameAsDtc(String name) throws IOException {
        Path file = DIR.resolve(name);
        List<String> args = dtcArgs(file);
        List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "-"));
        cmd.addAll(args);
        cmd.add(file.toString());
        ReferenceTool.Result ref = ReferenceTool.run(null, null, cmd.toArray(String[]::new));
        boolean expectFailure = name.endsWith("-fail.dts") || name.startsWith("bad-");
        assertEquals(expectFailure, ref.exit() != 0, name + ": fixture name vs dtc's verdict\n" + ref.stderr());
        CompileResult r;
        try {
            r = DtsCompiler.compile(file, options(args));
        } catch (SourceException e) {
            List<String> ours = e.diagnostics().stream().flatMap(d -> java.util.Arrays.stream(d.render().split("\n")))
                    .filter(l -> !l.isBlank()).toList();
            if (ref.exit() == 0) {
                fail(name + ": dtc compiled it, dtkit failed:\n" + String.join("\n", ours));
            }
            assertEquals(dtcDiagnostics(ref.stderr()), ours, name + ": diagnostics");
            return;
        }
        assertTrue(ref.exit() == 0, name + ": dtc failed but dtkit compiled it:\n" + ref.stderr());
        assertArrayEquals(ref.stdout(), DtbWriter.write(r.tree()), name + ": blob bytes");
    }
}
