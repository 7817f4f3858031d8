package io.dtkit.kdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtkit.dts.edit.DtbDiff;
import io.dtkit.dts.edit.DtsSourceEditor;
import io.dtkit.testsupport.Shared;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kdump on a DTS source: the edited source, compiled by cpp + dtc, must hold exactly the tree
 * that the blob path ({@link KdumpPreparer}, checked against libfdt elsewhere) makes from the
 * compiled original; the source itself keeps every byte it had.
 */
class KdumpSourcePreparerTest {
    static final Path FIX = Path.of("fixtures/dtsedit");

    @TempDir
    Path tmp;

    private static KdumpPreparer.Request request(List<MemRange> regions, MemRange elf, String bootargs, String append,
                                                 long[] initrd) {
        return new KdumpPreparer.Request(regions, elf, bootargs, append, initrd, () -> 0x1234L, false);
    }

    @Test
    void fixtureBoardMatchesHandWrittenSourceAndTheBlobPath() throws Exception {
        Path src = FIX.resolve("kdump-board_original.dts");
        KdumpPreparer.Request req = request(
                List.of(new MemRange(0xe0000000L, 0x10000000L), new MemRange(0x890000000L, 0x10000000L)),
                new MemRange(0x89f000000L, 0x10000), "console=ttyS0 maxcpus=1", "reset_devices",
                new long[] {0x8a0000000L, 0x8a1000000L});
        // --append needs the existing bootargs; the board has none, so bootargs + append are joined
        KdumpSourcePreparer.Result r = KdumpSourcePreparer.prepare(DtsSourceEditor.open(src, List.of(FIX)), req);
        assertEquals(Files.readString(FIX.resolve("kdump-board_expected.dts")), new String(r.source(), StandardCharsets.UTF_8));
        sameTreeAsBlobPath(src, r.source(), req, List.of(FIX), FIX);
    }

    @Test
    void refusalsMatchTheBlobPath() throws Exception {
        Path src = FIX.resolve("kdump-board_original.dts");
        MemRange elf = new MemRange(0xe0000000L, 0x1000);
        KdumpPreparer.Request three = request(List.of(new MemRange(0x1000, 0x1000), new MemRange(0x3000, 0x1000),
                new MemRange(0x5000, 0x1000)), elf, null, null, null);
        assertEquals(Refusal.MORE_THAN_TWO, assertThrows(KdumpException.class,
                () -> KdumpSourcePreparer.prepare(DtsSourceEditor.open(src, List.of(FIX)), three)).reason());
        KdumpPreparer.Request overlap = request(List.of(new MemRange(0x1000, 0x2000), new MemRange(0x2000, 0x1000)),
                elf, null, null, null);
        assertEquals(Refusal.OVERLAP, assertThrows(KdumpException.class,
                () -> KdumpSourcePreparer.prepare(DtsSourceEditor.open(src, List.of(FIX)), overlap)).reason());
        Path small = tmp.resolve("small.dts");
        Files.writeString(small, "/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tchosen {\n"
                + "\t\tkaslr-seed = /bits/ 64 <0x55>;\n\t};\n};\n");
        KdumpPreparer.Request high = request(List.of(new MemRange(0x100000000L, 0x1000)), elf, null, null, null);
        assertEquals(Refusal.CELLS, assertThrows(KdumpException.class,
                () -> KdumpSourcePreparer.prepare(DtsSourceEditor.open(small, List.of()), high)).reason());
        KdumpPreparer.Request ok = request(List.of(new MemRange(0xe0000000L, 0x10000000L)), elf, null, null, null);
        assertEquals(Refusal.KASLR_SEED, assertThrows(KdumpException.class,
                () -> KdumpSourcePreparer.prepare(DtsSourceEditor.open(small, List.of()), ok)).reason());
        Path noChosen = tmp.resolve("nochosen.dts");
        Files.writeString(noChosen, "/dts-v1/;\n/ {\n};\n");
        assertEquals(Refusal.NO_CHOSEN, assertThrows(KdumpException.class,
                () -> KdumpSourcePreparer.prepare(DtsSourceEditor.open(noChosen, List.of()), ok)).reason());
    }

    @Test
    void wipedSeedIsReplacedLikeTheBlobPath() throws Exception {
        Path small = tmp.resolve("seed.dts");
        Files.writeString(small, "/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tchosen {\n"
                + "\t\tbootargs = \"console=ttyAMA0\";\n\t\tkaslr-seed = <0x0 0x0>;\n\t};\n};\n");
        KdumpPreparer.Request req = request(List.of(new MemRange(0xe0000000L, 0x10000000L)),
                new MemRange(0xef000000L, 0x1000), null, "nr_cpus=1", null);
        KdumpSourcePreparer.Result r = KdumpSourcePreparer.prepare(DtsSourceEditor.open(small, List.of()), req);
        assertEquals("/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tchosen {\n"
                + "\t\tbootargs = \"console=ttyAMA0 nr_cpus=1\";\n\t\tkaslr-seed = /bits/ 64 <0x1234>;\n"
                + "\t\tlinux,elfcorehdr = <0xef000000 0x1000>;\n"
                + "\t\tlinux,usable-memory-range = <0xe0000000 0x10000000>;\n\t};\n};\n",
                new String(r.source(), StandardCharsets.UTF_8));
        sameTreeAsBlobPath(small, r.source(), req, List.of(tmp), tmp);
    }

    record Board(String name, Path source, List<Path> cppDirs, Path dtcDir) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Board> boards() throws Exception {
        Path root = Shared.resolve("corpus/linux-arm64");
        List<String> lines = Files.readAllLines(root.resolve("manifest.tsv"));
        List<Board> out = new ArrayList<>();
        for (int i = 5; i < lines.size(); i += 12) {
            String[] f = lines.get(i).split("\t");
            List<Path> dirs = new ArrayList<>();
            for (String d : f[2].split(" ")) {
                dirs.add(root.resolve(d));
            }
            out.add(new Board(f[0], root.resolve(f[1]), dirs, root.resolve(f[3])));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void corpusBoardsMatchTheBlobPath(Board b) throws Exception {
        List<Path> incl = new ArrayList<>(b.cppDirs());
        incl.add(b.dtcDir());
        DtsSourceEditor ed = DtsSourceEditor.open(b.source(), incl);
        long ac = ed.findProperty("/", "#address-cells").isPresent() ? ed.findCell("/", "#address-cells").orElse(0) : 1;
        List<MemRange> regions = ac == 2
                ? List.of(new MemRange(0xc0000000L, 0x10000000L), new MemRange(0x880000000L, 0x20000000L))
                : List.of(new MemRange(0xc0000000L, 0x10000000L));
        KdumpPreparer.Request req = request(regions, new MemRange(0xcf000000L, 0x10000),
                "console=ttyS0,115200 maxcpus=1", null, null);
        KdumpSourcePreparer.Result r = KdumpSourcePreparer.prepare(ed, req);
        sameTreeAsBlobPath(b.source(), r.source(), req, b.cppDirs(), b.dtcDir());
    }

    private void sameTreeAsBlobPath(Path original, byte[] edited, KdumpPreparer.Request req, List<Path> cppDirs,
                                    Path dtcDir) throws Exception {
        byte[] dtb0 = DtbDiff.compile(original, cppDirs, dtcDir, tmp.resolve("a"));
        byte[] viaBlob = KdumpPreparer.prepare(dtb0, req).dtb();
        Path copy = Files.createDirectories(tmp.resolve("edited")).resolve(original.getFileName());
        Files.write(copy, edited);
        byte[] viaSource = DtbDiff.compile(copy, cppDirs, dtcDir, tmp.resolve("b"));
        assertEquals(List.of(), DtbDiff.diff(viaBlob, viaSource), original + ": source path vs blob path");
    }
}
