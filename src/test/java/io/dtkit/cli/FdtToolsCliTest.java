package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.fdt.edit.FdtBlob;
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
import org.junit.jupiter.params.provider.MethodSource;

/** dtkit get/put/dump against dtc's fdtget/fdtput/fdtdump run on the same inputs. */
class FdtToolsCliTest {
    static final String[] TYPES = {null, "s", "i", "u", "x", "hhi", "hhu", "hhx", "bx", "bi", "hi", "hu", "hx",
        "li", "lu", "lx"};

    @TempDir
    Path tmp;

    static Stream<String> sampleDtbs() {
        return Stream.of(
                "corpus/linux-arm64/expected/arm64__allwinner__sun50i-a64-bananapi-m64.dtb",
                "corpus/linux-arm64/expected/arm64__mediatek__mt7622-rfb1.dtb",
                "corpus/linux-arm64/expected/arm64__realtek__rtd1295-mele-v9.dtb",
                "corpus/linux-arm64/expected/arm64__exynos__exynos5433-tm2.dtb",
                "kdump/inputs/qemu-virt-8g.sysfs.dtb",
                "kdump/inputs/board-32bit-cells.dtb");
    }

    static Stream<Path> allDtbs() throws IOException {
        Path shared = Path.of(System.getProperty("dtkit.shared", "../shared"));
        if (!Files.isDirectory(shared)) {
            return Stream.of(Shared.resolve("corpus"));
        }
        List<Path> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(shared.resolve("corpus/linux-arm64/expected"))) {
            s.filter(p -> p.toString().endsWith(".dtb")).sorted().forEach(l::add);
        }
        try (Stream<Path> s = Files.list(shared.resolve("kdump/inputs"))) {
            s.filter(p -> p.toString().endsWith(".dtb")).sorted().forEach(l::add);
        }
        return l.stream();
    }

    private static void assertSame(ReferenceTool.Result ref, CliRun got, String what) {
        assertEquals(ref.out(), got.out(), what + ": stdout");
        assertEquals(ref.stderr(), got.err(), what + ": stderr");
        assertEquals(ref.exit(), got.exit(), what + ": exit code");
    }

    /** Every node path and, per node, up to a few property names (input selection only). */
    private static List<String[]> nodesAndProps(Path dtb, int propsPerNode) throws Exception {
        FdtBlob b = FdtBlob.open(Files.readAllBytes(dtb));
        List<String[]> out = new ArrayList<>();
        int[] depth = {0};
        for (int n = 0; n >= 0 && depth[0] >= 0; n = b.nextNodeOffset(n, depth)) {
            if (depth[0] < 0) {
                break;
            }
            String path = b.getPath(n);
            int k = 0;
            for (int p = b.firstPropertyOffset(n); p >= 0 && k < propsPerNode; p = b.nextPropertyOffset(p), k++) {
                out.add(new String[] {path, b.propertyName(p)});
            }
            if (k == 0) {
                out.add(new String[] {path, null});
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleDtbs")
    void getMatchesFdtgetForEveryType(String rel) throws Exception {
        Path dtb = Shared.resolve(rel);
        List<String[]> items = nodesAndProps(dtb, 3);
        int step = Math.max(1, items.size() / 6);
        List<List<String>> runs = new ArrayList<>();
        for (String t : TYPES) {
            for (int i = 0; i < items.size(); i += step) {
                String[] it = items.get(i);
                if (it[1] == null) {
                    continue;
                }
                List<String> args = new ArrayList<>();
                if (t != null) {
                    args.add("-t" + t);
                }
                args.addAll(List.of(dtb.toString(), it[0], it[1]));
                runs.add(args);
            }
        }
        List<ReferenceTool.Result> refs = batch("fdtget", runs);
        for (int i = 0; i < runs.size(); i++) {
            List<String> mine = new ArrayList<>(List.of("get"));
            mine.addAll(runs.get(i));
            assertSame(refs.get(i), CliRun.of(mine.toArray(String[]::new)), rel + " " + runs.get(i));
        }
    }

    /**
     * Runs many invocations of a reference tool through one shell (one process start from the
     * JVM instead of hundreds) and returns each one's output, errors and exit code.
     */
    private List<ReferenceTool.Result> batch(String tool, List<List<String>> runs) throws Exception {
        ReferenceTool.require(tool);
        Path dir = Files.createTempDirectory(tmp, "batch");
        StringBuilder sh = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            sh.append(tool);
            for (String a : runs.get(i)) {
                sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            sh.append(" >").append(i).append(".out 2>").append(i).append(".err; echo $? >").append(i).append(".rc\n");
        }
        Files.writeString(dir.resolve("run.sh"), sh);
        ReferenceTool.Result r = ReferenceTool.run(dir, null, "sh", "run.sh");
        assertEquals(0, r.exit(), r.stderr());
        List<ReferenceTool.Result> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            out.add(new ReferenceTool.Result(Integer.parseInt(Files.readString(dir.resolve(i + ".rc")).strip()),
                    Files.readAllBytes(dir.resolve(i + ".out")), Files.readString(dir.resolve(i + ".err"))));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleDtbs")
    void listPropertiesAndSubnodesMatchFdtget(String rel) throws Exception {
        Path dtb = Shared.resolve(rel);
        List<String> nodes = new ArrayList<>();
        for (String[] it : nodesAndProps(dtb, 1)) {
            nodes.add(it[0]);
        }
        for (String flag : new String[] {"-p", "-l"}) {
            List<String> args = new ArrayList<>(List.of(flag, dtb.toString()));
            args.addAll(nodes);
            List<String> ref = new ArrayList<>(List.of("fdtget"));
            ref.addAll(args);
            List<String> mine = new ArrayList<>(List.of("get"));
            mine.addAll(args);
            assertSame(ReferenceTool.run(null, null, ref.toArray(String[]::new)),
                    CliRun.of(mine.toArray(String[]::new)), rel + " " + flag);
        }
    }

    @Test
    void getErrorsMatchFdtget() throws Exception {
        String dtb = Shared.resolve("corpus/linux-arm64/expected/arm64__allwinner__sun50i-a64-bananapi-m64.dtb").toString();
        Path junk = tmp.resolve("junk.bin");
        Files.writeString(junk, "not a device tree at all, just some text\n");
        Path trunc = tmp.resolve("trunc.dtb");
        Files.write(trunc, java.util.Arrays.copyOf(Files.readAllBytes(Path.of(dtb)), 2000));
        String[][] cases = {
            {dtb, "/nope", "model"},
            {dtb, "/", "nope"},
            {"-d", "dflt", dtb, "/nope", "model", "/", "nope", "/", "model"},
            {dtb, "/"},
            {dtb},
            {"-tz", dtb, "/", "model"},
            {"-thx", dtb, "/", "compatible"},
            {"-ts", dtb, "/", "interrupt-parent"},
            {"-ts", dtb, "/cpus/cpu@0", "reg"},
            {tmp.resolve("missing.dtb").toString(), "/", "model"},
            {junk.toString(), "/", "model"},
            {dtb, "serial0", "compatible"},
            {dtb, "serial0/", "status"},
            {dtb, "nosuchalias", "status"},
            {dtb, "/", "model", "/chosen", "stdout-path", "/cpus", "#size-cells"},
        };
        for (String[] c : cases) {
            String[] ref = new String[c.length + 1];
            String[] mine = new String[c.length + 1];
            ref[0] = "fdtget";
            mine[0] = "get";
            System.arraycopy(c, 0, ref, 1, c.length);
            System.arraycopy(c, 0, mine, 1, c.length);
            assertSame(ReferenceTool.run(null, null, ref), CliRun.of(mine), String.join(" ", c));
        }
        // fdtget reads past the end of its buffer here (undefined behaviour); dtkit refuses clearly
        CliRun t = CliRun.of("get", trunc.toString(), "/", "model");
        assertEquals(1, t.exit());
        assertEquals("Error at '/': FDT_ERR_TRUNCATED\n", t.err());
    }

    /** fdtput cases: arguments after the file name. */
    static Stream<List<String>> putCases() {
        return Stream.of(
                List.of("/", "model", "-ts", "A new model name"),
                List.of("/", "model", "-ts", "a", "b", "c"),
                List.of("/", "newprop", "1", "2", "3"),
                List.of("/", "newprop", "-tx", "deadbeef", "0x10", "zz"),
                List.of("/", "newprop", "-ti", "0x10", "010", "12"),
                List.of("/", "newprop", "-tu", "4294967295", "99999999999"),
                List.of("/", "newprop", "4294967295", "2147483648"),
                List.of("/", "bytes", "-tbx", "12", "ab", "ff", "100"),
                List.of("/", "bytes", "-thhi", "1", "2", "3"),
                List.of("/", "shorts", "-thx", "1234", "abcd", "7f"),
                List.of("/", "shorts", "-thu", "1", "65535"),
                List.of("/", "longs", "-tlx", "1", "ffffffff"),
                List.of("/", "empty"),
                List.of("/chosen", "bootargs", "-ts", "console=ttyS0,115200 earlycon"),
                List.of("/chosen", "stdout-path", "-ts", "x"),
                List.of("-v", "/", "v", "-tx", "1", "2"),
                List.of("-v", "/", "v", "-ts", "one", "two"),
                List.of("-v", "/", "v", "-tbu", "1", "300"),
                List.of("-p", "/a/b/c", "prop", "1"),
                List.of("-p", "/chosen/x", "prop", "-ts", "y"),
                List.of("-p", "/a//b/", "prop", "1"),
                List.of("-c", "/newnode"),
                List.of("-c", "/newnode", "/newnode/child", "/other"),
                List.of("-c", "/chosen"),
                List.of("-c", "/missing/child"),
                List.of("-c", "noslash"),
                List.of("-c", "-p", "/x/y/z", "/x/w"),
                List.of("-c", "-p", "/chosen"),
                List.of("-r", "/chosen"),
                List.of("-r", "/chosen", "/chosen"),
                List.of("-r", "/"),
                List.of("-d", "/", "model", "compatible"),
                List.of("-d", "/", "nope"),
                List.of("-d", "/nope", "model"),
                List.of("-d", "/"),
                List.of("/nope", "x", "1"),
                List.of("/"),
                List.of(),
                List.of("-tq", "/", "x", "1"),
                List.of("serial0", "x", "1"),
                // an empty name in a message: fdtput's format pads it to one column
                List.of("-r", "/chosen", ""),
                List.of("-c", ""),
                List.of("-d", "", "model"),
                List.of("", "x", "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("putCases")
    void putMatchesFdtput(List<String> args) throws Exception {
        for (String rel : new String[] {
            "corpus/linux-arm64/expected/arm64__allwinner__sun50i-a64-bananapi-m64.dtb",
            "kdump/inputs/qemu-virt-8g.sysfs.dtb",
            "kdump/inputs/qemu-virt-8g.firmware.dtb"}) {
            if (args.stream().anyMatch(a -> a.matches("-th[iux]")) && rel.contains("firmware")) {
                // fdtput writes only the low byte of a 2-byte item; the other byte is whatever its
                // heap held (0 for small blobs, leftovers for this 1 MiB one); dtkit writes 0
                continue;
            }
            byte[] input = Files.readAllBytes(Shared.resolve(rel));
            Path a = tmp.resolve("ref.dtb");
            Path b = tmp.resolve("mine.dtb");
            Files.write(a, input);
            Files.write(b, input);
            List<String> ref = new ArrayList<>(List.of("fdtput", a.toString()));
            ref.addAll(args);
            List<String> mine = new ArrayList<>(List.of("put", b.toString()));
            mine.addAll(args);
            ReferenceTool.Result r = ReferenceTool.run(null, null, ref.toArray(String[]::new));
            CliRun got = CliRun.of(mine.toArray(String[]::new));
            if (args.isEmpty() || args.contains("-tq") || args.equals(List.of("/"))) {
                // usage errors: same exit code and error line; the usage text is dtkit's own copy
                assertEquals(r.exit(), got.exit(), rel + " " + args);
                assertEquals(lastLine(r.stderr()), lastLine(got.err()), rel + " " + args);
            } else {
                assertSame(r, got, rel + " " + args);
            }
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), rel + " " + args + ": output blob");
        }
    }

    private static String lastLine(String s) {
        String[] l = s.strip().split("\n");
        return l[l.length - 1];
    }

    @Test
    void putGrowsV16AndPaddedInputsLikeFdtput() throws Exception {
        ReferenceTool.require("dtc");
        Path dts = Path.of("fixtures/libfdt/small.dts").toAbsolutePath();
        for (String[] opts : new String[][] {{"-V", "16"}, {"-p", "64", "-R", "2", "-b", "3"}, {"-V", "17"}}) {
            Path src = tmp.resolve("in.dtb");
            List<String> cmd = new ArrayList<>(List.of("dtc", "-q", "-O", "dtb", "-o", src.toString()));
            cmd.addAll(List.of(opts));
            cmd.add(dts.toString());
            assertEquals(0, ReferenceTool.run(null, null, cmd.toArray(String[]::new)).exit());
            for (List<String> args : List.of(List.of("-c", "/soc/serial@3000"), List.of("/", "x", "1"),
                    List.of("-p", "/q/r", "s", "-ts", "t"), List.of("-r", "/soc"), List.of("-d", "/", "compatible"),
                    List.of("/chosen", "bootargs", "-ts", "a"))) {
                Path a = tmp.resolve("a.dtb");
                Path b = tmp.resolve("b.dtb");
                Files.copy(src, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(src, b, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                List<String> ref = new ArrayList<>(List.of("fdtput", a.toString()));
                ref.addAll(args);
                List<String> mine = new ArrayList<>(List.of("put", b.toString()));
                mine.addAll(args);
                assertSame(ReferenceTool.run(null, null, ref.toArray(String[]::new)),
                        CliRun.of(mine.toArray(String[]::new)), List.of(opts) + " " + args);
                assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), List.of(opts) + " " + args);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allDtbs")
    void dumpMatchesFdtdump(Path dtb) throws Exception {
        ReferenceTool.Result r = ReferenceTool.run(null, null, "fdtdump", dtb.toString());
        assertSame(r, CliRun.of("dump", dtb.toString()), dtb.getFileName().toString());
    }

    @Test
    void dumpDebugAndBrokenInputsMatchFdtdump() throws Exception {
        Path dtb = Shared.resolve("kdump/inputs/qemu-virt-2g.sysfs.dtb");
        byte[] good = Files.readAllBytes(dtb);
        List<Path> inputs = new ArrayList<>(List.of(dtb));
        int[][] pokes = {{4, 0x100000}, {8, 0x100000}, {20, 18}, {12, 0x100000}, {20, 3}, {20, 1}, {20, 15}};
        for (int[] p : pokes) {
            byte[] c = good.clone();
            java.nio.ByteBuffer.wrap(c).putInt(p[0], p[1]);
            Path f = tmp.resolve("poke-" + p[0] + "-" + p[1] + ".dtb");
            Files.write(f, c);
            inputs.add(f);
        }
        Path trunc = tmp.resolve("trunc.dtb");
        Files.write(trunc, java.util.Arrays.copyOf(good, 3000));
        inputs.add(trunc);
        Path junk = tmp.resolve("junk.txt");
        Files.writeString(junk, "hello");
        inputs.add(junk);
        inputs.add(tmp.resolve("missing.dtb"));
        for (Path f : inputs) {
            for (boolean debug : new boolean[] {false, true}) {
                ReferenceTool.Result r = debug ? ReferenceTool.run(null, null, "fdtdump", "-d", f.toString())
                        : ReferenceTool.run(null, null, "fdtdump", f.toString());
                CliRun got = debug ? CliRun.of("dump", "-d", f.toString()) : CliRun.of("dump", f.toString());
                assertSame(r, got, f.getFileName() + (debug ? " -d" : ""));
            }
        }
        assertTrue(inputs.size() > 5);
    }
}
