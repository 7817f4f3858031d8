package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dtkit get} and {@code dtkit put} on {@code .dts} sources, against the real tools:
 * get on a source prints what fdtget prints for the blob cpp+dtc make of it; put changes only
 * the edited statement, and the edited source compiles to the tree fdtput makes of the
 * original's blob.
 */
class DtsGetPutTest {

    @TempDir
    static Path tmp;

    /** Properties read per source and type; enough to meet every kind of value, few enough to stay quick. */
    static final int MAX_PAIRS = 8;

    static final AtomicInteger GETS = new AtomicInteger();
    static final AtomicInteger PUTS = new AtomicInteger();
    static final AtomicInteger REFUSED = new AtomicInteger();
    static final java.util.concurrent.atomic.AtomicLong EDITED_BYTES = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong UNTOUCHED_BYTES = new java.util.concurrent.atomic.AtomicLong();
    static final AtomicInteger OVERRIDES = new AtomicInteger();
    static final AtomicInteger PHANDLE_DROPPED = new AtomicInteger();

    static Path corpus() {
        return Shared.resolve("corpus/linux-arm64");
    }

    /** The small fixture, the source-editor fixtures, and every 15th corpus board (10 boards), with their include folders. */
    static Stream<Arguments> sources() throws IOException {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("fixture small", Path.of("fixtures/libfdt/small.dts").toAbsolutePath(), List.of()));
        Path edits = Path.of("fixtures/dtsedit").toAbsolutePath();
        try (Stream<Path> files = Files.list(edits)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith("_original.dts")) {
                    out.add(Arguments.of("fixture " + f.getFileName(), f, List.of(edits)));
                }
            }
        }
        int i = 0;
        for (String line : Files.readAllLines(corpus().resolve("manifest.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("name") || i++ % 15 != 0) {
                continue;
            }
            List<Path> dirs = new ArrayList<>();
            for (String d : f[2].split(" ")) {
                dirs.add(corpus().resolve(d));
            }
            out.add(Arguments.of(f[0], corpus().resolve(f[1]), dirs));
        }
        return out.stream();
    }

    @AfterAll
    static void counts() {
        System.out.println("DtsGetPutTest: " + GETS + " get comparisons, " + PUTS + " put edits checked, "
                + REFUSED + " put edits refused by the editor (" + OVERRIDES + " of them then done with --allow-override-block), "
                + PHANDLE_DROPPED + " edits that dropped a phandle dtc gives only to referenced nodes; "
                + EDITED_BYTES + " bytes edited, " + UNTOUCHED_BYTES + " bytes around them unchanged");
    }

    /** cpp (as the kernel build runs it) and dtc 1.6.1: the reference blob of a source. */
    static byte[] referenceBlob(Path source, List<Path> dirs, Path work) throws IOException {
        Path pre = work.resolve("pre.dts");
        List<String> cpp = new ArrayList<>(List.of("cpp", "-nostdinc", "-undef", "-D__DTS__",
                "-x", "assembler-with-cpp"));
        for (Path d : dirs) {
            cpp.add("-I");
            cpp.add(d.toString());
        }
        cpp.addAll(List.of("-o", pre.toString(), source.toString()));
        ReferenceTool.Result r = ReferenceTool.run(null, null, cpp.toArray(String[]::new));
        assertEquals(0, r.exit(), "cpp " + source + ": " + r.stderr());
        List<String> dtc = new ArrayList<>(List.of("dtc", "-q", "-I", "dts", "-O", "dtb"));
        for (Path d : dirs) {
            dtc.add("-i");
            dtc.add(d.toString());
        }
        dtc.add(pre.toString());
        r = ReferenceTool.run(null, null, dtc.toArray(String[]::new));
        assertEquals(0, r.exit(), "dtc " + source + ": " + r.stderr());
        return r.stdout();
    }

    static List<String> includeArgs(List<Path> dirs) {
        List<String> a = new ArrayList<>();
        for (Path d : dirs) {
            a.add("-i");
            a.add(d.toString());
        }
        return a;
    }

    static List<String> lines(ReferenceTool.Result r) {
        return r.out().lines().toList();
    }

    static String sortedText(Path dtb) throws IOException {
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", "-s", "-I", "dtb", "-O", "dts",
                dtb.toString());
        assertEquals(0, r.exit(), r.stderr());
        return r.out();
    }

    /** Sources for get: the source-editor fixtures differ in layout, not in values, so they are left to put. */
    static Stream<Arguments> getSources() throws IOException {
        return sources().filter(a -> !((String) a.get()[0]).endsWith("_original.dts"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getSources")
    void getOnSourceEqualsFdtgetOnCompiledBlob(String name, Path source, List<Path> dirs) throws IOException {
        ReferenceTool.require("cpp");
        ReferenceTool.require("fdtget");
        Path work = Files.createDirectories(tmp.resolve("get-" + name.replace(' ', '_')));
        Path dts = work.resolve(source.getFileName());
        Files.copy(source, dts, StandardCopyOption.REPLACE_EXISTING);
        Path dtb = work.resolve("ref.dtb");
        Files.write(dtb, referenceBlob(source, dirs, work));

        // -l and -p over the root and its children, then every property of those nodes
        List<String> nodes = new ArrayList<>(List.of("/"));
        for (String c : lines(ReferenceTool.run(null, null, "fdtget", "-l", dtb.toString(), "/"))) {
            nodes.add("/" + c);
        }
        compareGet(name, dts, dtb, dirs, List.of("-l"), nodes);
        compareGet(name, dts, dtb, dirs, List.of("-p"), nodes);
        List<String> pairs = new ArrayList<>();
        for (String n : nodes) {
            for (String p : lines(ReferenceTool.run(null, null, "fdtget", "-p", dtb.toString(), n))) {
                if (pairs.size() >= 2 * MAX_PAIRS) {
                    break;
                }
                pairs.add(n);
                pairs.add(p);
            }
        }
        pairs.addAll(List.of("/", "no-such-property", "/no-such-node", "x"));
        for (String t : new String[] {null, "s", "i", "u", "x", "hhx", "bu", "hx", "hi", "lx", "li"}) {
            List<String> opts = t == null ? List.of() : List.of("-t", t);
            // each pair alone, so one fdtget error does not hide the rest
            for (int i = 0; i < pairs.size(); i += 2) {
                compareGet(name, dts, dtb, dirs, opts, pairs.subList(i, i + 2));
            }
            List<String> withDefault = new ArrayList<>(opts);
            withDefault.addAll(List.of("-d", "dflt"));
            compareGet(name, dts, dtb, dirs, withDefault, pairs.subList(pairs.size() - 4, pairs.size()));
        }
    }

    private static void compareGet(String name, Path dts, Path dtb, List<Path> dirs, List<String> opts,
            List<String> rest) throws IOException {
        List<String> ref = new ArrayList<>(List.of("fdtget"));
        ref.addAll(opts);
        ref.add(dtb.toString());
        ref.addAll(rest);
        ReferenceTool.Result want = ReferenceTool.run(null, null, ref.toArray(String[]::new));
        List<String> mine = new ArrayList<>(List.of("get"));
        mine.addAll(includeArgs(dirs));
        mine.addAll(opts);
        mine.add(dts.toString());
        mine.addAll(rest);
        CliRun got = CliRun.of(mine.toArray(String[]::new));
        String what = name + " get " + opts + " " + rest;
        assertEquals(want.exit(), got.exit(), what + ": exit; " + got.err());
        assertEquals(want.out(), got.out(), what + ": output");
        assertEquals(want.stderr(), got.err(), what + ": errors");
        GETS.incrementAndGet();
    }

    /** fdtput argument lists; node and property names are chosen from the source's own tree. */
    static List<List<String>> putCases(Path dtb) throws IOException {
        List<List<String>> cases = new ArrayList<>();
        List<String> rootProps = lines(ReferenceTool.run(null, null, "fdtget", "-p", dtb.toString(), "/"));
        List<String> children = lines(ReferenceTool.run(null, null, "fdtget", "-l", dtb.toString(), "/"));
        for (String p : List.of("model", "compatible")) {
            if (rootProps.contains(p)) {
                cases.add(List.of("-ts", "/", p, "dtkit,new \"quoted\"", "second"));
                cases.add(List.of("-d", "/", p));
            }
        }
        cases.add(List.of("/", "dtkit-default", "1", "2", "48"));
        cases.add(List.of("-ts", "/", "dtkit-s", "a", "", "b\\c"));
        cases.add(List.of("-ti", "/", "dtkit-i", "4294967295", "077"));
        cases.add(List.of("-tu", "/", "dtkit-u", "4294967295", "12"));
        cases.add(List.of("-tx", "/", "dtkit-x", "deadbeef", "0x10"));
        cases.add(List.of("-thhx", "/", "dtkit-hh", "ff", "1", "7f"));
        cases.add(List.of("-tbi", "/", "dtkit-b", "255", "2"));
        cases.add(List.of("-thx", "/", "dtkit-h", "1234", "ab"));
        cases.add(List.of("-tlu", "/", "dtkit-l", "5"));
        cases.add(List.of("/", "dtkit-empty"));
        cases.add(List.of("-c", "/dtkit-node"));
        cases.add(List.of("-p", "/dtkit-a/b@1/c", "dtkit-p", "-ts", "deep"));
        cases.add(List.of("-cp", "/dtkit-x/y"));
        // the last children: boards add theirs after the SoC's, so more of these are theirs to edit
        for (String c : children.subList(Math.max(0, children.size() - 8), children.size())) {
            cases.add(List.of("-tx", "/" + c, "dtkit-child", "1", "2"));
            cases.add(List.of("-r", "/" + c));
            List<String> props = lines(ReferenceTool.run(null, null, "fdtget", "-p", dtb.toString(), "/" + c));
            if (!props.isEmpty()) {
                cases.add(List.of("-d", "/" + c, props.get(props.size() - 1)));
                cases.add(List.of("-ti", "/" + c, props.get(0), "7"));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void putOnSourceEditsOnlyTheStatementAndMatchesFdtput(String name, Path source, List<Path> dirs)
            throws Exception {
        ReferenceTool.require("cpp");
        ReferenceTool.require("fdtput");
        Path work = Files.createDirectories(tmp.resolve("put-" + name.replace(' ', '_')));
        Path dts = work.resolve(source.getFileName());
        byte[] original = Files.readAllBytes(source);
        Path dtb = work.resolve("ref.dtb");
        Files.write(dtb, referenceBlob(source, dirs, work));
        int done = 0;
        for (List<String> args : putCases(dtb)) {
            String what = name + " put " + args;
            Files.write(dts, original);
            CliRun got = put(dts, dirs, args, false);
            boolean override = false;
            if (got.exit() != 0) {
                // refused (defined in an include, label still referenced, ...): nothing written
                assertEquals(1, got.exit(), what + ": " + got.err());
                assertTrue(!got.err().isBlank(), what + ": a refusal says why");
                assertArrayEquals(original, Files.readAllBytes(dts), what + ": a refusal writes nothing");
                REFUSED.incrementAndGet();
                got = put(dts, dirs, args, true);
                if (got.exit() != 0) {
                    assertArrayEquals(original, Files.readAllBytes(dts), what + ": a refusal writes nothing");
                    continue;
                }
                override = true;
                what += " --allow-override-block";
            }
            byte[] edited = Files.readAllBytes(dts);
            if (override) {
                // an override block is appended: the file as it was stays its prefix
                assertArrayEquals(original, java.util.Arrays.copyOf(edited, original.length), what + ": prefix kept");
                OVERRIDES.incrementAndGet();
            } else {
                assertLocal(what, dts, original, edited, dirs, args);
            }

            Path fdt = work.resolve("fdtput.dtb");
            Files.copy(dtb, fdt, StandardCopyOption.REPLACE_EXISTING);
            List<String> ref = new ArrayList<>(List.of("fdtput", fdt.toString()));
            ref.addAll(args);
            ReferenceTool.Result r = ReferenceTool.run(null, null, ref.toArray(String[]::new));
            assertEquals(0, r.exit(), what + ": fdtput failed where dtkit did not: " + r.stderr());
            Path mineDtb = work.resolve("edited.dtb");
            Files.write(mineDtb, referenceBlob(dts, dirs, work));
            String want = sortedText(fdt);
            String have = sortedText(mineDtb);
            if (!want.equals(have) && phandles(have) < phandles(want)) {
                // dtc gives a phandle only to a referenced node: a deleted last reference drops it
                // (and renumbers later ones), which fdtput on the blob cannot know
                PHANDLE_DROPPED.incrementAndGet();
                continue;
            }
            assertEquals(want, have, what + ": compiled edit differs from fdtput's tree");
            PUTS.incrementAndGet();
            done++;
        }
        if (new String(original, StandardCharsets.ISO_8859_1).contains("{")) {
            assertTrue(done >= 5, name + ": only " + done + " edits went through");
        }
    }

    private static CliRun put(Path dts, List<Path> dirs, List<String> args, boolean override) {
        List<String> mine = new ArrayList<>(List.of("put"));
        mine.addAll(includeArgs(dirs));
        if (override) {
            mine.add("--allow-override-block");
        }
        mine.add(dts.toString());
        mine.addAll(args);
        return CliRun.of(mine.toArray(String[]::new));
    }

    private static long phandles(String dts) {
        return dts.lines().filter(l -> l.strip().startsWith("phandle = ")).count();
    }

    /**
     * The written file is the original with the editor's changes and nothing else, and every
     * change sits on lines that name the edited property or node.
     */
    private static void assertLocal(String what, Path dts, byte[] before, byte[] after, List<Path> dirs,
            List<String> args) throws Exception {
        String oper = "WRITE_PROP";
        boolean autoPath = false;
        io.dtkit.fdt.edit.FdtText.ValueType vt = io.dtkit.fdt.edit.FdtText.ValueType.DEFAULT;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-t")) {
                vt = io.dtkit.fdt.edit.FdtText.decodeType(a.substring(2));
            } else if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'c' -> oper = "CREATE_NODE";
                        case 'r' -> oper = "REMOVE_NODE";
                        case 'd' -> oper = "DELETE_PROP";
                        case 'p' -> autoPath = true;
                        default -> throw new AssertionError(a);
                    }
                }
            } else {
                rest.add(a);
            }
        }
        Path copy = dts.resolveSibling("replay-" + dts.getFileName());
        Files.write(copy, before);
        io.dtkit.dts.edit.DtsSourceEditor ed = DtsSourcePut.edit(copy, dirs, false, oper, autoPath, vt, false, rest,
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        List<io.dtkit.dts.edit.TextEdit> edits = ed.edits();
        assertTrue(!edits.isEmpty(), what + ": no change");
        java.util.Set<String> targets = new java.util.HashSet<>();
        for (String r : rest.subList(0, Math.min(rest.size(), oper.equals("WRITE_PROP") ? 2 : rest.size()))) {
            for (String part : r.split("/")) {
                if (!part.isEmpty()) {
                    targets.add(part);
                }
            }
        }
        if (oper.equals("WRITE_PROP") || oper.equals("DELETE_PROP")) {
            targets.retainAll(oper.equals("DELETE_PROP") ? rest.subList(1, rest.size())
                    : autoPath ? targets : List.of(rest.get(1)));
        }
        String text = new String(before, StandardCharsets.ISO_8859_1);
        for (io.dtkit.dts.edit.TextEdit e : edits) {
            assertEquals(e.removed(), text.substring(e.offset(), e.offset() + e.removed().length()),
                    what + ": edit bookkeeping");
            String next = text.substring(0, e.offset()) + e.inserted() + text.substring(e.offset() + e.removed().length());
            // the whole lines around the change, in the text where the change has content
            boolean deletion = e.inserted().isBlank();
            String file = deletion ? text : next;
            int from = file.lastIndexOf('\n', Math.max(0, e.offset() - 1)) + 1;
            int end = e.offset() + (deletion ? e.removed().length() : e.inserted().length());
            int to = file.indexOf('\n', Math.max(end, from));
            String span = file.substring(from, to < 0 ? file.length() : to);
            // a removed node also takes the &label blocks that add to it or its children
            boolean labelBlock = oper.equals("REMOVE_NODE") && deletion && e.removed().strip().startsWith("&");
            assertTrue(labelBlock || targets.stream().anyMatch(span::contains),
                    what + ": changed text '" + span + "' names none of " + targets);
            EDITED_BYTES.addAndGet(Math.max(e.removed().length(), e.inserted().length()));
            UNTOUCHED_BYTES.addAndGet(text.length() - e.removed().length());
            text = next;
        }
        assertEquals(text, new String(after, StandardCharsets.ISO_8859_1),
                what + ": the file written holds more than the edits");
    }

    @Test
    void refusalFromAnIncludeWritesNothingAndOverrideBlockPassesThrough() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("inc"));
        Files.writeString(dir.resolve("base.dtsi"), "/ {\n\tlabel0: dev {\n\t\tstatus = \"okay\";\n\t};\n};\n");
        String main = "/dts-v1/;\n#include \"base.dtsi\"\n/ {\n\tmodel = \"m\"; // keep\n};\n";
        Path dts = dir.resolve("board.dts");
        Files.writeString(dts, main);
        CliRun r = CliRun.of("put", "-ts", dts.toString(), "/dev", "status", "disabled");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("base.dtsi"), r.err());
        assertEquals(main, Files.readString(dts));

        r = CliRun.of("put", "--allow-override-block", "-ts", dts.toString(), "/dev", "status", "disabled");
        assertEquals(0, r.exit(), r.err());
        String edited = Files.readString(dts);
        assertTrue(edited.startsWith(main), edited);
        assertTrue(edited.contains("status = \"disabled\";"), edited);
        r = CliRun.of("get", dts.toString(), "/dev", "status");
        assertEquals("disabled\n", r.out(), r.err());
    }

    @Test
    void valuesAreWrittenAsDtcWouldPrintThem() throws IOException {
        Path dts = tmp.resolve("v.dts");
        Files.writeString(dts, "/dts-v1/;\n/ {\n};\n");
        assertEquals(0, CliRun.of("put", "-tx", dts.toString(), "/", "c", "ff", "10").exit());
        assertEquals(0, CliRun.of("put", "-thhx", dts.toString(), "/", "b", "ff", "1").exit());
        assertEquals(0, CliRun.of("put", "-ts", dts.toString(), "/", "s", "a", "b").exit());
        assertEquals(0, CliRun.of("put", dts.toString(), "/", "d", "7").exit());
        String text = Files.readString(dts);
        assertTrue(text.contains("c = <0xff 0x10>;"), text);
        assertTrue(text.contains("b = [ff 01];"), text);
        assertTrue(text.contains("s = \"a\", \"b\";"), text);
        assertTrue(text.contains("d = <0x7>;"), text);
    }

    @Test
    void sourceIsToldFromABlobByMagicNameAndTag() throws IOException {
        ReferenceTool.require("dtc");
        Path text = tmp.resolve("tree.txt");
        Files.writeString(text, "/dts-v1/;\n/ { a = \"b\"; };\n");
        CliRun r = CliRun.of("get", text.toString(), "/", "a");
        assertEquals("b\n", r.out(), r.err());
        // a blob named .dts is still a blob
        Path blob = tmp.resolve("blob.dts");
        assertEquals(0, ReferenceTool.run(null, null, "dtc", "-q", "-O", "dtb", "-o", blob.toString(),
                text.toString()).exit());
        r = CliRun.of("get", blob.toString(), "/", "a");
        assertEquals("b\n", r.out(), r.err());
        // other text keeps fdtget's answer for a bad blob
        Path junk = tmp.resolve("junk.txt");
        Files.writeString(junk, "hello\n");
        r = CliRun.of("get", junk.toString(), "/", "a");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("FDT_ERR_BADMAGIC"), r.err());
    }

    @Test
    void sourceThatDoesNotCompileIsAnErrorNotAStackTrace() throws IOException {
        Path dts = tmp.resolve("bad.dts");
        Files.writeString(dts, "/dts-v1/;\n/ { x = <1 ;\n");
        CliRun r = CliRun.of("get", dts.toString(), "/", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Couldn't compile source"), r.err());
        assertEquals("", r.out());
    }
}
