package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.dtkit.fdt.DtbWriter;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test on damaged input: the fixtures, mutated with a fixed seed (characters
 * and DTS fragments inserted or deleted), compiled by dtkit and by dtc. Verdicts, blob bytes
 * and every diagnostic line must agree, and dtkit must never fail with anything but a
 * {@link SourceException}.
 */
class DtsMutationTest {
    private static final String PIECES = "{}[]<>();:=,&/\\\"'#@-+*%!~?|^ \n\tabcxyz0189/delete-node/ "
            + "/bits/ 16 /plugin/; &{/a} &l l: 0x /omit-if-no-ref/ /delete-property/ &a &b &n a: b: n: "
            + "phandle = <1>; linux,phandle name = \"x\"; &{/alpha/beta} c: { d { }; }; /memreserve/ 1 2; ";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void mutatedFixturesBehaveLikeDtc(long seed) throws IOException {
        ReferenceTool.require("dtc");
        List<Path> sources;
        try (Stream<Path> s = Files.list(DtsFixtureTest.DIR)) {
            sources = s.filter(p -> p.toString().endsWith(".dts")).sorted().toList();
        }
        for (Path p : sources) {
            Files.copy(p, tmp.resolve(p.getFileName()));
        }
        for (String aux : List.of("include-child.dtsi", "include-props.dtsi", "incbin.bin")) {
            Files.copy(DtsFixtureTest.DIR.resolve(aux), tmp.resolve(aux));
        }
        Random rnd = new Random(seed);
        Path in = tmp.resolve("mutant.dts");
        List<String> problems = new ArrayList<>();
        for (int it = 0; it < 100; it++) {
            Path from = sources.get(rnd.nextInt(sources.size()));
            StringBuilder sb = new StringBuilder(Files.readString(from, StandardCharsets.ISO_8859_1));
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int pos = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        if (sb.length() > 0) {
                            sb.deleteCharAt(pos);
                        }
                    }
                    case 1 -> {
                        int a = rnd.nextInt(PIECES.length());
                        sb.insert(pos, PIECES, a, Math.min(PIECES.length(), a + 1 + rnd.nextInt(8)));
                    }
                    default -> sb.delete(pos, Math.min(sb.length(), pos + rnd.nextInt(10)));
                }
            }
            Files.writeString(in, sb, StandardCharsets.ISO_8859_1);
            String label = "mutant " + it + " of " + from.getFileName() + ":\n" + sb;
            ReferenceTool.Result ref = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dtb",
                    "-o", "-", in.toString());
            try {
                CompileResult r = DtsCompiler.compile(in, CompileOptions.defaults());
                if (ref.exit() != 0) {
                    problems.add(label + "\ndtc failed, dtkit compiled it: " + ref.stderr());
                } else {
                    assertArrayEquals(ref.stdout(), DtbWriter.write(r.tree()), label);
                }
            } catch (SourceException e) {
                String ours = e.diagnostics().stream().flatMap(d -> java.util.Arrays.stream(d.render().split("\n")))
                        .filter(l -> !l.isBlank()).collect(Collectors.joining("\n"));
                if (ref.exit() == 0) {
                    problems.add(label + "\ndtc compiled it, dtkit failed: " + ours);
                    continue;
                }
                String theirs = String.join("\n", DtsFixtureTest.dtcDiagnostics(ref.stderr()));
                if (!theirs.equals(ours)) {
                    problems.add(label + "\ndtc:   " + theirs + "\ndtkit: " + ours);
                }
            } catch (RuntimeException e) {
                fail(label + "\nunexpected " + e, e);
            }
        }
        assertEquals(List.of(), problems, "seed " + seed);
    }
}
