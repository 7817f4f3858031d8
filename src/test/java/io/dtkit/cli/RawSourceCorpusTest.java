package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel-build drop-in: every corpus board compiled from its raw source by {@code dtkit dtc}
 * alone (built-in preprocessor, {@code -i} as the include path for {@code #include} and
 * {@code /include/}) gives the blob that cpp followed by dtc 1.6.1 gave; and the make-based
 * fixture builds boards both ways and compares them.
 */
class RawSourceCorpusTest {

    @TempDir
    static Path tmp;

    static Path corpus() {
        return Shared.resolve("corpus/linux-arm64");
    }

    static Stream<Arguments> boards() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus().resolve("manifest.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("name")) {
                continue;
            }
            out.add(Arguments.of(f[0], f[1], List.of(f[2].split(" "))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void rawSourceGivesTheKernelBuildsBlob(String name, String source, List<String> includeDirs)
            throws IOException {
        Path c = corpus();
        Path out = tmp.resolve(name + ".dtb");
        List<String> args = new ArrayList<>(List.of("dtc", "-q", "-O", "dtb", "-b", "0"));
        for (String d : includeDirs) {
            args.add("-i");
            args.add(c.resolve(d).toString());
        }
        args.addAll(List.of("-o", out.toString(), c.resolve(source).toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), name + ": " + r.err());
        assertArrayEquals(Files.readAllBytes(c.resolve("expected/" + name + ".dtb")), Files.readAllBytes(out),
                name + ": blob differs from the kernel build's");
    }

    @Test
    void makeFixtureBuildsBoardsWithCppAndDtcAndWithDtkitAlike() throws IOException {
        ReferenceTool.require("make");
        ReferenceTool.require("cpp");
        ReferenceTool.require("dtc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String dtkit = java + " -cp " + System.getProperty("java.class.path") + " io.dtkit.cli.Main";
        Path outDir = tmp.resolve("kbuild");
        ReferenceTool.Result r = ReferenceTool.run(Path.of("fixtures/kbuild").toAbsolutePath(), null,
                "make", "-s", "CORPUS=" + corpus(), "DTKIT=" + dtkit, "OUT=" + outDir);
        assertEquals(0, r.exit(), r.out() + r.stderr());
        long same = r.out().lines().filter(l -> l.startsWith("same: ")).count();
        assertEquals(3, same, r.out());
        String deps = Files.readString(outDir.resolve("dtkit/arm64__arm__juno.d"));
        assertTrue(deps.contains("include/dt-bindings/interrupt-controller/arm-gic.h"), deps);
        assertTrue(deps.contains("juno-base.dtsi"), deps);
    }
}
