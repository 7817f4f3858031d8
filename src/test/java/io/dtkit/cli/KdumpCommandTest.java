package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dtkit kdump} against golden DTBs: the shared cases (goldens made with libfdt by the
 * shared data's authors) and this repository's own cases, whose goldens
 * {@code fixtures/kdump/gen-goldens.py} computes with pylibfdt in {@link #generate()}.
 */
class KdumpCommandTest {
    static final Path FIXTURES = Path.of("fixtures/kdump").toAbsolutePath();

    @TempDir
    static Path generated;

    @TempDir
    Path tmp;

    static CliRun dtkit(String... args) {
        return CliRun.dtkit(args);
    }

    static List<String[]> rows(Path tsv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows.subList(1, rows.size());
    }

    static Stream<Arguments> sharedCases() throws IOException {
        return rows(Shared.resolve("kdump/cases.tsv")).stream().map(r -> Arguments.of(r[0], r));
    }

    static Stream<Arguments> ownCases() throws IOException {
        return rows(FIXTURES.resolve("cases.tsv")).stream().map(r -> Arguments.of(r[0], r));
    }

    @BeforeAll
    static void generate() throws IOException {
        ReferenceTool.require("dtc");
        ReferenceTool.require("/usr/bin/python3");
        ReferenceTool.Result r = ReferenceTool.run(null, null, "/usr/bin/python3",
                FIXTURES.resolve("gen-goldens.py").toString(), FIXTURES.resolve("cases.tsv").toString(),
                Shared.dir().toString(), FIXTURES.toString(), generated.toString());
        assertEquals(0, r.exit(), "gen-goldens.py failed: " + r.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedCases")
    void sharedCase(String name, String[] row) throws IOException {
        Path kd = Shared.resolve("kdump");
        List<String> args = new ArrayList<>(List.of("kdump", "--dtb", kd.resolve(row[1]).toString(),
                "--iomem", kd.resolve(row[2]).toString(), "--elfcorehdr", row[3], "--kaslr-seed", row[5]));
        if (!row[4].equals("-")) {
            args.add("--bootargs");
            args.add(row[4]);
        }
        check(name, args, row[6], row[6].startsWith("refused") ? null : Files.readAllBytes(kd.resolve(row[6])), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownCases")
    void ownCase(String name, String[] row) throws IOException {
        List<String> args = new ArrayList<>(List.of("kdump", "--dtb", generated.resolve("inputs/" + name + ".dtb").toString(),
                "--elfcorehdr", row[3]));
        if (row[2].startsWith("iomem:")) {
            String[] kindRel = row[2].substring(6).split(":", 2);
            Path base = kindRel[0].equals("shared") ? Shared.dir() : FIXTURES;
            args.add("--iomem");
            args.add(base.resolve(kindRel[1]).toString());
        } else {
            for (String r : row[2].substring(6).split(";")) {
                args.add("--range");
                args.add(r);
            }
        }
        if (!row[4].equals("-")) {
            args.addAll(List.of("--bootargs", row[4]));
        }
        if (!row[5].equals("-")) {
            args.addAll(List.of("--append", row[5]));
        }
        if (!row[6].equals("-")) {
            args.addAll(List.of("--initrd", row[6]));
        }
        String seed = row[7];
        if (seed.startsWith("force:")) {
            args.add("--force-kaslr");
            seed = seed.substring(6);
        }
        args.addAll(List.of("--kaslr-seed", seed));
        String expect = row[8];
        Path golden = generated.resolve("expected/" + name + ".dtb");
        Path refused = generated.resolve("expected/" + name + ".refused");
        if (expect.startsWith("refused: ") && Files.exists(refused)) {
            assertEquals(expect.substring(9), Files.readString(refused), name + ": pylibfdt's run refused for another reason");
        }
        if (!expect.startsWith("refused")) {
            assertTrue(Files.exists(golden), name + ": pylibfdt's run refused: "
                    + (Files.exists(refused) ? Files.readString(refused) : "?"));
        }
        String warning = expect.startsWith("golden warning: ") ? expect.substring(16) : null;
        check(name, args, expect, expect.startsWith("refused") ? null : Files.readAllBytes(golden), warning);
    }

    private void check(String name, List<String> args, String expect, byte[] golden, String warning) throws IOException {
        Path out = tmp.resolve(name + ".out.dtb");
        args.add("-o");
        args.add(out.toString());
        CliRun run = dtkit(args.toArray(String[]::new));
        if (golden == null) {
            String word = expect.substring("refused: ".length());
            assertEquals(1, run.exit(), name + ": expected a refusal; stderr: " + run.err());
            assertTrue(run.err().contains("refused (" + word + ")"), name + ": reason '" + word + "' not named in: " + run.err());
            assertFalse(Files.exists(out), name + ": a refused run must write nothing");
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(0, s.count(), name + ": no temporary files left behind");
            }
            return;
        }
        assertEquals(0, run.exit(), name + ": " + run.err());
        assertArrayEquals(golden, Files.readAllBytes(out), name + ": bytes differ from the libfdt golden");
        if (warning != null) {
            assertTrue(run.err().contains("warning: ") && run.err().contains(warning), name + ": warning expected: " + run.err());
        } else {
            assertFalse(run.err().contains("warning"), name + ": unexpected warning: " + run.err());
        }
    }

    /**
     * Every corpus board through both dtkit and the pylibfdt generator: two crash regions below
     * 4 GiB (so every cells layout fits), alternately a new command line and an appended one.
     */
    @Test
    void wholeCorpusMatchesPylibfdt(@TempDir Path work) throws IOException {
        Path corpus = Shared.resolve("corpus/linux-arm64/expected");
        List<String> names;
        try (Stream<Path> s = Files.list(corpus)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dtb")).sorted().toList();
        }
        StringBuilder tsv = new StringBuilder("case\tinput\tregions\telfcorehdr\tbootargs\tappend\tinitrd\tkaslr_seed\texpect\n");
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            tsv.append(n.replace(".dtb", "")).append("\tshared:corpus/linux-arm64/expected/").append(n)
                    .append("\trange:0x30000000,0x8000000;0xa0000000,0x10000000\t0xafff0000,0x10000\t")
                    .append(i % 2 == 0 ? "console=ttyS0 reset_devices\t-" : "-\treset_devices maxcpus=1")
                    .append(i % 3 == 0 ? "\t0x48000000,0x49000000" : "\t-").append("\t0x0\tgolden\n");
        }
        Path cases = work.resolve("corpus.tsv");
        Files.writeString(cases, tsv);
        Path gen = work.resolve("gen");
        ReferenceTool.Result r = ReferenceTool.run(null, null, "/usr/bin/python3", FIXTURES.resolve("gen-goldens.py").toString(),
                cases.toString(), Shared.dir().toString(), FIXTURES.toString(), gen.toString());
        assertEquals(0, r.exit(), r.stderr());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String c = names.get(i).replace(".dtb", "");
            Path out = work.resolve(c + ".out");
            List<String> args = new ArrayList<>(List.of("kdump", "--dtb", corpus.resolve(names.get(i)).toString(),
                    "--range", "0x30000000,0x8000000", "--range", "0xa0000000,0x10000000", "--elfcorehdr", "0xafff0000,0x10000",
                    "--kaslr-seed", "0", "-o", out.toString()));
            args.addAll(i % 2 == 0 ? List.of("--bootargs", "console=ttyS0 reset_devices") : List.of("--append", "reset_devices maxcpus=1"));
            if (i % 3 == 0) {
                args.addAll(List.of("--initrd", "0x48000000,0x49000000"));
            }
            CliRun run = dtkit(args.toArray(String[]::new));
            if (run.exit() != 0 || !java.util.Arrays.equals(Files.readAllBytes(gen.resolve("expected/" + c + ".dtb")),
                    Files.readAllBytes(out))) {
                mismatches.add(c + " (exit " + run.exit() + " " + run.err().strip() + ")");
            }
        }
        assertEquals(150, names.size(), "corpus size");
        assertEquals(List.of(), mismatches, mismatches.size() + "/" + names.size() + " corpus DTBs differ");
    }

    @Test
    void randomSeedChangesOnlyTheSeedBytes() throws IOException {
        Path kd = Shared.resolve("kdump");
        byte[][] outs = new byte[2][];
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("random" + i + ".dtb");
            CliRun run = dtkit("kdump", "--dtb", kd.resolve("inputs/qemu-virt-8g.sysfs.dtb").toString(), "--iomem",
                    kd.resolve("inputs/iomem-qemu-virt-8g-high-low.txt").toString(), "--elfcorehdr", "0x23fff0000,0x10000",
                    "-o", out.toString());
            assertEquals(0, run.exit(), run.err());
            outs[i] = Files.readAllBytes(out);
        }
        byte[] golden = Files.readAllBytes(kd.resolve("expected/virt8g-high-low-keep-bootargs.dtb"));
        assertEquals(golden.length, outs[0].length);
        assertNotEquals(List.of(outs[0]), List.of(outs[1]));
        int diffs = 0;
        for (int i = 0; i < golden.length; i++) {
            if (outs[0][i] != golden[i] || outs[1][i] != golden[i]) {
                diffs++;
            }
        }
        assertTrue(diffs > 0 && diffs <= 8, "only the 8 seed bytes may differ from the zero-seed golden, found " + diffs);
    }

    /**
     * --plan feeds the planner's regions straight in: crashkernel=2G on the 8 GiB QEMU map gives
     * 0x1c0000000+2G high and 0xf0000000+256M low (see CrashkernelCommandTest), i.e. the same
     * regions as the kernel's iomem, so the bytes equal the shared golden.
     */
    @Test
    void planFeedsKdump() throws IOException {
        Path kd = Shared.resolve("kdump");
        Path out = tmp.resolve("plan.dtb");
        CliRun run = dtkit("kdump", "--dtb", kd.resolve("inputs/qemu-virt-8g.sysfs.dtb").toString(), "--plan", "crashkernel=2G",
                "--iomem", kd.resolve("inputs/iomem-qemu-virt-8g-high-low.txt").toString(), "--elfcorehdr", "0x23fff0000,0x10000",
                "--kaslr-seed", "zero", "-o", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertArrayEquals(Files.readAllBytes(kd.resolve("expected/virt8g-high-low-keep-bootargs.dtb")), Files.readAllBytes(out));
    }

    @Test
    void refusalLeavesAnExistingOutputAlone() throws IOException {
        Path kd = Shared.resolve("kdump");
        Path out = tmp.resolve("keep.dtb");
        Files.writeString(out, "previous");
        CliRun run = dtkit("kdump", "--dtb", kd.resolve("inputs/qemu-virt-8g.firmware.dtb").toString(), "--iomem",
                kd.resolve("inputs/iomem-qemu-virt-8g-high-low.txt").toString(), "--elfcorehdr", "0x23fff0000,0x10000",
                "-o", out.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("refused (kaslr-seed)"), run.err());
        assertEquals("previous", Files.readString(out));
    }

    /** An output that cannot be written is named with the system's reason, as a message, not a stack trace. */
    @Test
    void unwritableOutputsAreReportedByName() {
        Path kd = Shared.resolve("kdump");
        Path out = tmp.resolve("no-such-dir").resolve("dump.dtb");
        CliRun run = dtkit("kdump", "--dtb", kd.resolve("inputs/qemu-virt-8g.sysfs.dtb").toString(), "--iomem",
                kd.resolve("inputs/iomem-qemu-virt-8g-high-low.txt").toString(), "--elfcorehdr", "0x23fff0000,0x10000",
                "-o", out.toString());
        assertEquals(1, run.exit());
        assertEquals("dtkit kdump: cannot write " + out + ": No such file or directory\n", run.err());
        Path svg = tmp.resolve("no-such-dir").resolve("map.svg");
        run = dtkit("kdump", "--dtb", kd.resolve("inputs/qemu-virt-8g.sysfs.dtb").toString(), "--svg", svg.toString());
        assertEquals(1, run.exit());
        assertEquals("dtkit kdump: cannot write " + svg + ": No such file or directory\n", run.err());
        run = dtkit("crashkernel", "plan", "crashkernel=2G", "--iomem",
                kd.resolve("inputs/iomem-qemu-virt-8g-high-low.txt").toString(), "--svg", svg.toString());
        assertEquals(1, run.exit());
        assertEquals("dtkit crashkernel plan: cannot write " + svg + ": No such file or directory\n", run.err());
        assertFalse(Files.exists(tmp.resolve("no-such-dir")));
    }

    /** A .dts input is edited as source (see KdumpDtsCommandTest); asking for a blob from it is refused. */
    @Test
    void dtsInputIsRefusedWithTheReason() {
        CliRun run = dtkit("kdump", "--dtb", FIXTURES.resolve("board-2-2.dts").toString(), "--range", "0x1c0000000,0x80000000",
                "--elfcorehdr", "0x23fff0000,0x10000", "-o", tmp.resolve("x.dtb").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("DTS source editor"), run.err());
        assertFalse(Files.exists(tmp.resolve("x.dtb")));
    }

    @Test
    void missingElfcorehdrIsAUsageError() {
        CliRun run = dtkit("kdump", "--dtb", Shared.resolve("kdump/inputs/qemu-virt-2g.sysfs.dtb").toString(),
                "--range", "0xa0000000,0x20000000", "-o", tmp.resolve("x.dtb").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--elfcorehdr"), run.err());
    }
}
