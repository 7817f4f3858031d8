package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.Blobs;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dtkit overlay against fdtoverlay: the fixtures in {@code fixtures/overlay/} are compiled with
 * {@code dtc -@}, applied by both tools to the same base, and must give the same bytes, messages
 * and exit code.
 */
class OverlayCliTest {
    static final Path FIXTURES = Path.of("fixtures/overlay");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void compile() throws Exception {
        ReferenceTool.require("dtc");
        try (Stream<Path> s = Files.list(FIXTURES)) {
            for (Path dts : s.filter(p -> p.toString().endsWith(".dts")).toList()) {
                String name = dts.getFileName().toString().replace(".dts", "");
                String ext = name.equals("base") ? ".dtb" : ".dtbo";
                // the hand-written __fixups__ fixture is compiled as is (-@ would add its own)
                String sym = name.startsWith("fixup-past") ? "-q" : "-@";
                ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", sym, "-I", "dts", "-O", "dtb",
                        "-o", tmp.resolve(name + ext).toString(), dts.toAbsolutePath().toString());
                assertEquals(0, r.exit(), dts + ": " + r.stderr());
            }
        }
        // a value larger than fdtoverlay's 64 KiB growth step: the work buffer must grow twice (bytes are
        // space separated: dtc parses one long hex run in quadratic time)
        StringBuilder big = new StringBuilder("/dts-v1/;\n/plugin/;\n&{/chosen} {\n\tblob = [");
        for (int i = 0; i < 70000; i++) {
            big.append(String.format("%02x ", i & 0xff));
        }
        big.append("];\n};\n&soc { bigdev: big { x = <1>; }; };\n");
        Path bigDts = tmp.resolve("big.dts");
        Files.writeString(bigDts, big);
        assertEquals(0, ReferenceTool.run(null, null, "dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o",
                tmp.resolve("big.dtbo").toString(), bigDts.toString()).exit());
        compileBytesCase();
    }

    /**
     * Names that are no UTF-8, which libfdt neither checks nor changes: a base node "nod\u00e9"
     * (also in the path its label's symbol holds) and an overlay property "pro\u00fe" merged
     * into it through that label and through a target path naming it. dtc writes no such names,
     * so they are put into the compiled blobs byte for byte.
     */
    private static void compileBytesCase() throws Exception {
        Path base = tmp.resolve("bytes-base.dts");
        Files.writeString(base, "/dts-v1/;\n/ { nodQ { lbl: inner { }; }; };\n");
        Path ov = tmp.resolve("bytes.dts");
        Files.writeString(ov, "/dts-v1/;\n/plugin/;\n&lbl { proQ = <1>; kid { proQ; }; };\n"
                + "&{/nodQ} { proQ = \"v\"; };\n");
        for (Path p : List.of(base, ov)) {
            Path out = tmp.resolve(p.getFileName().toString().replace(".dts", p == base ? ".dtb" : ".dtbo"));
            assertEquals(0, ReferenceTool.run(null, null, "dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o",
                    out.toString(), p.toString()).exit());
            byte[] b = Files.readAllBytes(out);
            b = Blobs.replaced(b, "nodQ", "nod\u00e9", true);
            if (p == ov) {
                b = Blobs.replaced(b, "proQ", "pro\u00fe", true);
            }
            Files.write(out, b);
        }
    }

    static Stream<List<String>> cases() {
        return Stream.of(
                List.of("base.dtb", "fixups-and-local.dtbo"),
                List.of("base.dtb", "target-path.dtbo"),
                List.of("base.dtb", "phandles-only.dtbo"),
                List.of("base.dtb", "fixups-and-local.dtbo", "second.dtbo"),
                List.of("base.dtb", "fixups-and-local.dtbo", "second.dtbo", "target-path.dtbo", "phandles-only.dtbo"),
                List.of("base.dtb", "target-path.dtbo", "target-path.dtbo"),
                List.of("base.dtb", "big.dtbo"),
                List.of("base.dtb", "big.dtbo", "fixups-and-local.dtbo"),
                List.of("base.dtb", "second.dtbo"),
                List.of("base.dtb", "missing-label-fail.dtbo"),
                List.of("base.dtb", "bad-target-fail.dtbo"),
                List.of("base.dtb", "target-path.dtbo", "bad-target-fail.dtbo"),
                List.of("$corpus", "target-path.dtbo"),
                List.of("$corpus", "fixups-and-local.dtbo"),
                List.of("$kdump", "target-path.dtbo", "big.dtbo"),
                List.of("base.dtb", "fixup-past-value-fail.dtbo"),
                List.of("base.dtb", "nonexistent.dtbo"),
                List.of("bytes-base.dtb", "bytes.dtbo"));
    }

    private static String resolve(String name) {
        return switch (name) {
            case "$corpus" -> Shared.resolve("corpus/linux-arm64/expected/arm64__allwinner__sun50i-a64-bananapi-m64.dtb")
                    .toString();
            case "$kdump" -> Shared.resolve("kdump/inputs/qemu-virt-8g.sysfs.dtb").toString();
            default -> tmp.resolve(name).toString();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void overlayMatchesFdtoverlay(List<String> files) throws Exception {
        Path refOut = tmp.resolve("ref-out.dtb");
        Path myOut = tmp.resolve("my-out.dtb");
        Files.deleteIfExists(refOut);
        Files.deleteIfExists(myOut);
        List<String> ovs = new ArrayList<>();
        for (String f : files.subList(1, files.size())) {
            ovs.add(resolve(f));
        }
        List<String> ref = new ArrayList<>(List.of("fdtoverlay", "-i", resolve(files.get(0)), "-o", refOut.toString()));
        ref.addAll(ovs);
        List<String> mine = new ArrayList<>(List.of("overlay", "-i", resolve(files.get(0)), "-o", myOut.toString()));
        mine.addAll(ovs);
        ReferenceTool.Result r = ReferenceTool.run(null, null, ref.toArray(String[]::new));
        CliRun got = CliRun.of(mine.toArray(String[]::new));
        assertEquals(r.stderr(), got.err(), files + ": stderr");
        assertEquals(r.out(), got.out(), files + ": stdout");
        assertEquals(r.exit(), got.exit(), files + ": exit code");
        assertEquals(Files.exists(refOut), Files.exists(myOut), files + ": output written");
        if (Files.exists(refOut)) {
            assertArrayEquals(Files.readAllBytes(refOut), Files.readAllBytes(myOut), files + ": output bytes");
        }
    }
}
