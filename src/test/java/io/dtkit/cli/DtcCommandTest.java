package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dtkit dtc} against the installed dtc: the same arguments give the same exit code,
 * the same output bytes and the same messages (with dtc's output name swapped for ours).
 */
class DtcCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, byte[] out, String err) {
    }

    private Run dtkit(Path dir, Path outFile, String... args) throws IOException {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        List<String> full = new ArrayList<>(List.of("dtc"));
        full.addAll(List.of(args));
        int exit = cl.execute(full.toArray(String[]::new));
        byte[] out = Files.exists(outFile) ? Files.readAllBytes(outFile) : null;
        return new Run(exit, out, err.toString());
    }

    private Run dtc(Path dir, Path outFile, String... args) throws IOException {
        List<String> full = new ArrayList<>(List.of("dtc"));
        full.addAll(List.of(args));
        ReferenceTool.Result r = ReferenceTool.run(dir, null, full.toArray(String[]::new));
        byte[] out = Files.exists(outFile) ? Files.readAllBytes(outFile) : null;
        return new Run(r.exit(), out, r.stderr());
    }

    private static final String BOARD = """
            /dts-v1/;
            /memreserve/ 0x10000000 0x4000;
            / {
            \tmodel = "test";
            \t#address-cells = <1>;
            \t#size-cells = <1>;
            \tcpus { #address-cells = <1>; #size-cells = <0>; cpu@1 { reg = <1>; device_type = "cpu"; }; };
            \tintc: intc@1000 { reg = <0x1000 0x100>; interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };
            \tdev@2000 { reg = <0x2000 0x10>; interrupt-parent = <&intc>; interrupts = <5>; path = &intc; };
            };
            """;

    static Stream<Arguments> argumentSets() {
        return Stream.of(
                Arguments.of("default-format", List.of("-q")),
                Arguments.of("dtb-explicit", List.of("-q", "-I", "dts", "-O", "dtb")),
                Arguments.of("dts-out", List.of("-q", "-O", "dts")),
                Arguments.of("padding", List.of("-q", "-O", "dtb", "-p", "64")),
                Arguments.of("space", List.of("-q", "-O", "dtb", "-S", "0x1000")),
                Arguments.of("align-reserve", List.of("-q", "-O", "dtb", "-a", "16", "-R", "3")),
                Arguments.of("version16", List.of("-q", "-O", "dtb", "-V", "16")),
                Arguments.of("boot-cpu", List.of("-q", "-O", "dtb", "-b", "7")),
                Arguments.of("legacy-phandles", List.of("-q", "-O", "dtb", "-H", "legacy")),
                Arguments.of("both-phandles", List.of("-q", "-O", "dtb", "-H", "both")),
                Arguments.of("symbols", List.of("-q", "-O", "dtb", "-@")),
                Arguments.of("sorted-dts", List.of("-q", "-O", "dts", "-s")),
                Arguments.of("warnings-shown", List.of("-O", "dtb")),
                Arguments.of("warning-disabled", List.of("-O", "dtb", "-W", "no-interrupt_provider")),
                Arguments.of("warning-as-error", List.of("-O", "dtb", "-E", "interrupt_provider")),
                Arguments.of("warning-as-error-forced", List.of("-O", "dtb", "-E", "interrupt_provider", "-f")));
    }

    /** Runs both compilers on {@code src} with {@code options}: same exit code, bytes and messages. */
    private void sameAsDtc(String name, List<String> options, Path src) throws IOException {
        Both b = compileBoth(src, options.toArray(String[]::new));
        Run k = b.ours();
        Run d = b.theirs();
        assertEquals(d.exit(), k.exit(), name + ": exit code; dtkit said " + k.err());
        assertArrayEquals(d.out(), k.out(), name + ": output bytes");
        assertEquals(d.err().replace(THEIRS, OURS), k.err(), name + ": messages");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("argumentSets")
    void sameBytesAsDtc(String name, List<String> options) throws IOException {
        Path src = tmp.resolve("board.dts");
        Files.writeString(src, BOARD);
        sameAsDtc(name, options, src);
    }

    /**
     * The board grown past 4 MiB, for the options that act on the whole blob and for checks
     * failing on a larger tree; extra nodes come in groups of 500 siblings (dtc's parser runs
     * out of stack near 10,000). At this size the source is mapped rather than read, and the
     * blob is made on a second thread while the checks run.
     */
    private static String largeBoard() {
        StringBuilder sb = new StringBuilder(BOARD.substring(0, BOARD.lastIndexOf("};")));
        for (int g = 0; sb.length() < (4 << 20) + 4096; g++) {
            sb.append("\tbus").append(g).append(" { #address-cells = <1>; #size-cells = <1>; ranges;\n");
            for (int i = 0; i < 500; i++) {
                sb.append("\t\tnode@").append(Integer.toHexString(i * 16)).append(" { reg = <0x")
                        .append(Integer.toHexString(i * 16)).append(" 0x10>; compatible = \"x,y\"; };\n");
            }
            sb.append("\t};\n");
        }
        return sb.append("};\n").toString();
    }

    static Stream<Arguments> largeArgumentSets() {
        return Stream.of(
                Arguments.of("default", List.of("-q", "-O", "dtb")),
                Arguments.of("boot-cpu", List.of("-q", "-O", "dtb", "-b", "7")),
                Arguments.of("sorted", List.of("-q", "-O", "dtb", "-s")),
                Arguments.of("both-phandles-padded", List.of("-q", "-O", "dtb", "-H", "both", "-p", "64")),
                Arguments.of("warning-as-error", List.of("-O", "dtb", "-E", "interrupt_provider")),
                Arguments.of("warning-as-error-forced", List.of("-O", "dtb", "-E", "interrupt_provider", "-f")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largeArgumentSets")
    void largeSourceSameBytesAsDtc(String name, List<String> options) throws IOException {
        Path src = tmp.resolve("large.dts");
        Files.writeString(src, largeBoard());
        assertTrue(Files.size(src) > 4 << 20);
        sameAsDtc(name, options, src);
    }

    /** A source that deletes its root: dtc writes a blob with no node, YAML with no document node. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dtb", "asm", "yaml", "dts"})
    void deletedRootLikeDtc(String format) throws IOException {
        Path src = tmp.resolve("gone.dts");
        Files.writeString(src, "/dts-v1/;\n/memreserve/ 0x1000 0x100;\n/ { l: a { p = <&l>; }; };\n"
                + "/delete-node/ &{/};\n");
        sameAsDtc("deleted root, -O " + format, List.of("-q", "-@", "-O", format), src);
    }

    @Test
    void decompilesBlobByMagicWithoutFormatOptions() throws IOException {
        Path src = tmp.resolve("board.dts");
        Files.writeString(src, BOARD);
        Path blob = tmp.resolve("board.dtb");
        assertEquals(0, dtc(tmp, blob, "-q", "-o", blob.toString(), src.toString()).exit());
        Path renamed = tmp.resolve("board.bin");
        Files.copy(blob, renamed);
        Path ours = tmp.resolve("ours.txt");
        Path theirs = tmp.resolve("theirs.txt");
        Run k = dtkit(tmp, ours, "-q", "-o", ours.toString(), renamed.toString());
        Run d = dtc(tmp, theirs, "-q", "-o", theirs.toString(), renamed.toString());
        assertEquals(d.exit(), k.exit());
        assertEquals(new String(d.out(), StandardCharsets.ISO_8859_1), new String(k.out(), StandardCharsets.ISO_8859_1));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("syntax", "/dts-v1/;\n/ { a = <1 2;\n};\n"),
                Arguments.of("unresolved-reference", "/dts-v1/;\n/ { a = <&nope>; };\n"),
                Arguments.of("duplicate-property", "/dts-v1/;\n/ { a = <1>; a = <2>; };\n"),
                Arguments.of("division-by-zero", "/dts-v1/;\n/ { a = <(1/0)>; };\n"),
                Arguments.of("bad-octal", "/dts-v1/;\n/ { a = <08>; };\n"),
                Arguments.of("stray-character", "/dts-v1/;\n/ { a = <1>; ` };\n"),
                Arguments.of("missing-include", "/dts-v1/;\n/include/ \"nothere.dtsi\"\n/ { };\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failsLikeDtcAndLeavesOutputAlone(String name, String text) throws IOException {
        Path src = tmp.resolve(name + ".dts");
        Files.writeString(src, text);
        Path ours = tmp.resolve("ours.dtb");
        Path theirs = tmp.resolve("theirs.dtb");
        Files.write(ours, new byte[] {1, 2, 3});
        Run k = dtkit(tmp, ours, "-o", ours.toString(), src.toString());
        Run d = dtc(tmp, theirs, "-o", theirs.toString(), src.toString());
        assertEquals(d.exit(), k.exit(), name + ": exit code; dtkit said " + k.err());
        assertArrayEquals(new byte[] {1, 2, 3}, k.out(), name + ": the old output must survive a failed run");
        assertEquals(d.err().replace(theirs.toString(), ours.toString()), k.err(), name + ": messages");
        assertFalse(k.err().contains("Exception"), name + ": no stack trace");
    }

    @Test
    void dependencyFileListsEveryFileReadLikeDtc() throws IOException {
        Path inc = Files.createDirectories(tmp.resolve("inc"));
        Files.writeString(inc.resolve("part.dtsi"), "/ { x = <1>; };\n");
        Files.write(tmp.resolve("data.bin"), new byte[] {1, 2, 3, 4});
        Path src = tmp.resolve("main.dts");
        Files.writeString(src, "/dts-v1/;\n/include/ \"part.dtsi\"\n/ { b = /incbin/(\"data.bin\"); };\n");
        Path ours = tmp.resolve("ours.dtb");
        Path theirs = tmp.resolve("theirs.dtb");
        Path oursDep = tmp.resolve("ours.d");
        Path theirsDep = tmp.resolve("theirs.d");
        Run k = dtkit(tmp, ours, "-q", "-i", inc.toString(), "-d", oursDep.toString(), "-o", ours.toString(), src.toString());
        Run d = dtc(tmp, theirs, "-q", "-i", inc.toString(), "-d", theirsDep.toString(), "-o", theirs.toString(), src.toString());
        assertEquals(0, d.exit());
        assertEquals(0, k.exit(), k.err());
        assertEquals(Files.readString(theirsDep).replace(theirs.toString(), ours.toString()), Files.readString(oursDep));
    }

    @Test
    void paddingAndMinimumSizeTogetherAreRefusedLikeDtc() throws IOException {
        Path src = tmp.resolve("b.dts");
        Files.writeString(src, BOARD);
        Path ours = tmp.resolve("o.dtb");
        Path theirs = tmp.resolve("t.dtb");
        Run k = dtkit(tmp, ours, "-q", "-p", "10", "-S", "100", "-o", ours.toString(), src.toString());
        Run d = dtc(tmp, theirs, "-q", "-p", "10", "-S", "100", "-o", theirs.toString(), src.toString());
        assertEquals(d.exit(), k.exit());
        assertEquals(d.err(), k.err());
        assertFalse(Files.exists(ours));
    }

    /** One source compiled by dtkit and by dtc with the same options, each to its own output. */
    private record Both(Run ours, Run theirs) {
    }

    /* output names without an extension, so that dtc guesses no format from them */
    private static final String OURS = "ours.out";
    private static final String THEIRS = "theirs.out";

    private Both compileBoth(Path src, String... options) throws IOException {
        Path ours = tmp.resolve(OURS);
        Path theirs = tmp.resolve(THEIRS);
        Files.deleteIfExists(ours);
        Files.deleteIfExists(theirs);
        List<String> k = new ArrayList<>(List.of(options));
        k.addAll(List.of("-o", ours.toString(), src.toString()));
        List<String> d = new ArrayList<>(List.of(options));
        d.addAll(List.of("-o", theirs.toString(), src.toString()));
        return new Both(dtkit(tmp, ours, k.toArray(String[]::new)), dtc(tmp, theirs, d.toArray(String[]::new)));
    }

    /**
     * Command lines as dtc's getopt_long reads them: clusters, attached arguments, shortened
     * long options, operands anywhere, "--", numbers as strtol reads them, and the first
     * mistake ending the run. "@OUT" and "@SRC" stand for the output and source paths. After a
     * mistake both print a usage text in their own words, so only the first line (getopt's
     * message or dtc's), the last ("Error: ...") and the exit code are compared.
     */
    static Stream<Arguments> commandLines() {
        return Stream.of(
                List.of("-qqq", "-O", "dtb", "-o", "@OUT", "@SRC"),
                List.of("@SRC", "-qO", "dtb", "-o", "@OUT"),
                List.of("-Odtb", "-qo@OUT", "@SRC"),
                List.of("--out-form", "dtb", "--out=@OUT", "--qu", "@SRC"),
                List.of("-q", "-o", "@OUT", "--", "@SRC"),
                List.of("-q", "--out-", "@OUT", "@SRC"),
                List.of("-q", "--out-=dtb", "@SRC"),
                List.of("-q", "--forc=1", "@SRC"),
                List.of("-q", "--bogus", "@SRC"),
                List.of("-q", "-Z", "@SRC"),
                List.of("-q", "-o"),
                List.of("-q", "--out"),
                List.of("-q", "-o", "@OUT", "@SRC", "@SRC"),
                List.of("-q", "-O", "dtb", "-p", "abc", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-p", "12abc", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-p", "-16", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-S", "0x", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-S", "0x200", "-p", "-1", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-R", "-1", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-a", "abc", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-a", "3", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-a", "0x100000000", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-a", "0x40", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-b", "abc", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-b", "-1", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-b", "0x100000003", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-V", "abc", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-V", "16x", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dts", "-V", "99", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "asm", "-V", "99", "-o", "@OUT", "@SRC"),
                List.of("-q", "-a", "3", "-Z", "@SRC"),
                List.of("-q", "-Z", "-a", "3", "@SRC"),
                List.of("-q", "-W", "bogus", "--bogus", "@SRC"),
                List.of("-q", "-H", "x", "-o", "@OUT", "@SRC"),
                List.of("-O", "dtb", "-E", "no-bogus", "-o", "@OUT", "@SRC"),
                List.of("-q", "-O", "dtb", "-o", "/nonexistent-dir/out.dtb", "@SRC")
        ).map(a -> Arguments.of(String.join(" ", a), a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void commandLineReadAsDtcReadsIt(String name, List<String> words) throws IOException {
        Path src = tmp.resolve("board.dts");
        Files.writeString(src, BOARD);
        Path ours = tmp.resolve(OURS);
        Path theirs = tmp.resolve(THEIRS);
        Files.deleteIfExists(ours);
        Files.deleteIfExists(theirs);
        Run k = dtkit(tmp, ours, fill(words, ours, src));
        Run d = dtc(tmp, theirs, fill(words, theirs, src));
        assertEquals(d.exit(), k.exit(), name + ": exit code; dtkit said " + k.err());
        if (d.exit() == 0) {
            assertArrayEquals(d.out(), k.out(), name + ": output bytes");
        } else {
            // dtc may have opened (and emptied) its output before failing; a failed run of
            // dtkit writes nothing
            assertNull(k.out(), name + ": no output from a failed run");
        }
        String dErr = d.err().replace(THEIRS, OURS).replace("Usage: dtc [options]", "Usage: dtkit dtc [options]");
        if (dErr.contains("Usage: dtkit dtc [options]")) {
            assertTrue(k.err().contains("Usage: dtkit dtc [options]"), name + ": usage printed; dtkit said " + k.err());
            assertTrue(k.out() == null, name + ": no output");
            assertEquals(firstLine(dErr), firstLine(k.err()), name + ": first message");
            assertEquals(lastLine(dErr), lastLine(k.err()), name + ": closing message");
        } else {
            assertEquals(dErr, k.err(), name + ": messages");
        }
    }

    private static String[] fill(List<String> words, Path out, Path src) {
        return words.stream().map(w -> w.replace("@OUT", out.toString()).replace("@SRC", src.toString()))
                .toArray(String[]::new);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void versionAndHelpEndTheRunWhereDtcWouldReadThem() throws IOException {
        Path src = tmp.resolve("board.dts");
        Files.writeString(src, BOARD);
        Path ours = tmp.resolve(OURS);
        // dtc acts on -v as soon as it reads it: a mistake after it is never seen
        Run v = dtkit(tmp, ours, "-v", "-Z", src.toString());
        assertEquals(0, v.exit());
        assertEquals("", v.err());
        Run d = dtc(tmp, ours, "-v", "-Z", src.toString());
        assertEquals(0, d.exit());
        // the same line on standard output, which build scripts parse for the version
        assertEquals(ReferenceTool.run(tmp, null, "dtc", "--version").out(), CliRun.dtkit("dtc", "--version").out());
        // and one before it ends the run first
        assertEquals(1, dtkit(tmp, ours, "-Z", "-v", src.toString()).exit());
        assertEquals(1, dtc(tmp, ours, "-Z", "-v", src.toString()).exit());
        Run h = dtkit(tmp, ours, "--he");
        assertEquals(0, h.exit());
        assertEquals("", h.err());
        assertFalse(Files.exists(ours));
    }

    @Test
    void includingADirectoryEndsAsDtcsScannerDoes() throws IOException {
        Files.createDirectories(tmp.resolve("parts"));
        Path src = tmp.resolve("b.dts");
        // a parser error is printed before the scanner gives up
        Files.writeString(src, "/dts-v1/;\n/ { a = /bits/ 8 <300>; };\n/include/ \"parts/\"\n");
        for (String q : new String[] {"-q", "-qq"}) {
            Both b = compileBoth(src, q);
            assertEquals(2, b.theirs().exit(), b.theirs().err());
            assertEquals(b.theirs().exit(), b.ours().exit());
            assertEquals(b.theirs().err(), b.ours().err());
            assertNull(b.ours().out(), "no output written");
        }
    }

    @Test
    void quietLevelsSilenceOnlyTheChecksLikeDtc() throws IOException {
        Path src = tmp.resolve("q.dts");
        // a parser error that lets the parse go on, then a syntax error
        Files.writeString(src, "/dts-v1/;\n/ { a = /bits/ 8 <300>; b = <1> x; };\n");
        Path missing = tmp.resolve("m.dts");
        Files.writeString(missing, "/dts-v1/;\n/include/ \"nothere.dtsi\"\n");
        Path checked = tmp.resolve("c.dts");
        Files.writeString(checked, "/dts-v1/;\n/ { a; a; };\n");
        for (Path in : List.of(src, missing, checked)) {
            for (String q : new String[] {"-q", "-qq"}) {
                Both b = compileBoth(in, q);
                assertEquals(b.theirs().exit(), b.ours().exit(), in + " " + q);
                assertEquals(b.theirs().err(), b.ours().err(), in + " " + q);
            }
        }
    }

    @Test
    void aLabelThatAliasesAlreadyHasIsReportedWhateverTheQuietLevel() throws IOException {
        Path src = tmp.resolve("a.dts");
        Files.writeString(src, "/dts-v1/;\n/ { aliases { foo = \"/x\"; }; foo: x { }; };\n");
        for (String q : new String[] {"-A", "-qA"}) {
            Both b = compileBoth(src, q);
            assertEquals(0, b.theirs().exit(), b.theirs().err());
            assertEquals(0, b.ours().exit(), b.ours().err());
            // dtc writes the warning without a line end; dtkit ends the line
            assertEquals("WARNING: label foo already exists in /aliases", b.theirs().err());
            assertEquals(b.theirs().err() + "\n", b.ours().err());
            assertArrayEquals(b.theirs().out(), b.ours().out());
        }
    }

    @Test
    void unknownOutputFormatIsRefused() throws IOException {
        Path src = tmp.resolve("b.dts");
        Files.writeString(src, BOARD);
        Path ours = tmp.resolve("o");
        Run k = dtkit(tmp, ours, "-q", "-O", "nonsense", "-o", ours.toString(), src.toString());
        assertEquals(1, k.exit());
        assertFalse(Files.exists(ours));
    }
}
