package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The start-up path: dtc and the blob tools run without picocli, and so does a plain kdump
 * command line; another named subcommand is built alone; anything else gets every command.
 */
class MainTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    /** Main.run with System.err captured: exit code and messages. */
    private static Object[] runMain(String... args) {
        Object[] r = runMainCapturing(args);
        return new Object[] {r[0], r[2]};
    }

    private static Object[] runPicocli(String... args) {
        var cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Object[] {exit, err.toString()};
    }

    @Test
    void dtcAloneDoesWhatDtcUnderPicocliDoes() throws Exception {
        java.nio.file.Path src = tmp.resolve("b.dts");
        java.nio.file.Files.writeString(src, "/dts-v1/;\n/ { a = <1>; n { b = <&nowhere>; }; };\n");
        java.nio.file.Path good = tmp.resolve("good.dts");
        java.nio.file.Files.writeString(good, "/dts-v1/;\n/ { model = \"m\"; #address-cells = <1>; node@1 { }; };\n");
        java.nio.file.Path alone = tmp.resolve("alone.dtb");
        java.nio.file.Path viaPicocli = tmp.resolve("picocli.dtb");
        Object[] a = runMain("dtc", "-O", "dtb", "-o", alone.toString(), good.toString());
        Object[] p = runPicocli("dtc", "-O", "dtb", "-o", viaPicocli.toString(), good.toString());
        assertEquals(p[0], a[0]);
        assertEquals(p[1], a[1]);
        assertTrue(!a[1].toString().isEmpty(), "the board's warnings are printed");
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(viaPicocli),
                java.nio.file.Files.readAllBytes(alone));
        for (String[] args : new String[][] {
                {"dtc", "-O", "dtb", "-o", tmp.resolve("x.dtb").toString(), src.toString()},
                {"dtc", "--bogus", src.toString()},
                {"dtc", "-a", "3", src.toString()}}) {
            a = runMain(args);
            p = runPicocli(args);
            assertEquals(p[0], a[0], String.join(" ", args));
            assertEquals(p[1], a[1], String.join(" ", args));
        }
    }

    @Test
    void buildsOnlyTheNamedSubcommand() {
        var cl = Main.commandLineFor(new String[] {"dtc", "-h"}, InputStream.nullInputStream(),
                new ByteArrayOutputStream());
        assertEquals(java.util.Set.of("dtc"), cl.getSubcommands().keySet());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("dtc", "-h"));
        assertTrue(out.toString().startsWith("Usage: dtkit dtc "), out.toString());
    }

    @Test
    void otherArgumentsGetEveryCommand() {
        var full = Main.commandLine();
        for (String[] args : new String[][] {{}, {"--help"}, {"nosuch"}}) {
            var cl = Main.commandLineFor(args, InputStream.nullInputStream(), new ByteArrayOutputStream());
            assertEquals(full.getSubcommands().keySet(), cl.getSubcommands().keySet(), String.join(" ", args));
        }
        assertTrue(full.getSubcommands().containsKey("batch"));
    }

    /** Every option and parameter field of a command, by name, as the two readers leave it. */
    private static java.util.Map<String, Object> fields(Object c) throws IllegalAccessException {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        for (java.lang.reflect.Field f : c.getClass().getDeclaredFields()) {
            if (f.isAnnotationPresent(picocli.CommandLine.Option.class)
                    || f.isAnnotationPresent(picocli.CommandLine.Parameters.class)) {
                f.setAccessible(true);
                m.put(f.getName(), f.get(c));
            }
        }
        return m;
    }

    private static java.util.Map<String, Object> kdumpFields(KdumpCommand c) throws IllegalAccessException {
        return fields(c);
    }

    private static ValidateCommand validateByPicocli(java.util.List<String> words) {
        ValidateCommand c = new ValidateCommand();
        new picocli.CommandLine(c).parseArgs(words.toArray(String[]::new));
        return c;
    }

    @Test
    void validateReadsEveryOptionWithoutPicocliAsPicocliDoes() throws Exception {
        int names = 0;
        for (java.lang.reflect.Field f : ValidateCommand.class.getDeclaredFields()) {
            picocli.CommandLine.Option o = f.getAnnotation(picocli.CommandLine.Option.class);
            if (o == null || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            for (String name : o.names()) {
                java.util.List<String> words = f.getType() == boolean.class ? java.util.List.of(name, "a.dtb")
                        : java.util.List.of(name, "7", "a.dtb");
                ValidateCommand plain = ValidateCommand.readPlain(words);
                org.junit.jupiter.api.Assertions.assertNotNull(plain, name);
                assertEquals(fields(validateByPicocli(words)), fields(plain), name);
                names++;
            }
        }
        assertEquals(17, names, "options of validate");
        for (String line : new String[] {
                "a.dtb",
                "a.dtb b.dtb dir",
                "--schemas s1 --schemas=s2 -l chosen a.dtb", "--limit=x a.dtb",
                "--format json --no-progress -W no-a -W b -E c --error=d --warning=e a.dtb",
                "-j 3 --dma-limit 1G --match *.dts -i inc -i inc2 --include=i3 --timing --repeat 20 a b",
                "-j +4 a", "-j 010 a", "--repeat=-1 a", "--format= a", "a --format junit b"}) {
            java.util.List<String> words = java.util.List.of(line.split(" "));
            ValidateCommand plain = ValidateCommand.readPlain(words);
            org.junit.jupiter.api.Assertions.assertNotNull(plain, line);
            assertEquals(fields(validateByPicocli(words)), fields(plain), line);
        }
        // left to picocli: help, version, no file, repeats, dash values, clusters, bad numbers, @files
        for (String line : new String[] {"", "-h a", "--help", "-V", "--version", "--no-progress", "-l x -l y a",
                "--limit a --limit=b c", "-l -x a", "-lchosen a", "-l=chosen a", "--timing=true a", "@args",
                "a @args", "--bogus a", "a --", "-", "-j x a", "-j 0x10 a", "-j 99999999999 a", "--limit",
                "-j", "--no-progress --no-progress a"}) {
            java.util.List<String> words = line.isEmpty() ? java.util.List.of() : java.util.List.of(line.split(" "));
            assertEquals(null, ValidateCommand.readPlain(words), line);
        }
    }

    private static KdumpCommand kdumpByPicocli(java.util.List<String> words) {
        KdumpCommand c = new KdumpCommand();
        new picocli.CommandLine(c).parseArgs(words.toArray(String[]::new));
        return c;
    }

    @Test
    void kdumpReadsEveryOptionWithoutPicocliAsPicocliDoes() throws Exception {
        int names = 0;
        for (java.lang.reflect.Field f : KdumpCommand.class.getDeclaredFields()) {
            picocli.CommandLine.Option o = f.getAnnotation(picocli.CommandLine.Option.class);
            if (o == null) {
                continue;
            }
            for (String name : o.names()) {
                java.util.List<String> words = f.getType() == boolean.class ? java.util.List.of(name)
                        : java.util.List.of(name, "0x1000,0x2000");
                KdumpCommand plain = KdumpCommand.readPlain(words);
                org.junit.jupiter.api.Assertions.assertNotNull(plain, name);
                assertEquals(kdumpFields(kdumpByPicocli(words)), kdumpFields(plain), name);
                names++;
            }
        }
        assertEquals(17, names, "options of kdump");
        for (String line : new String[] {
                "",
                "--dtb a.dtb --iomem iomem.txt --elfcorehdr 0x23fff0000,0x10000 -o out.dtb",
                "--dtb=a.dtb --iomem=io --elfcorehdr=1,2 --output=o --append=x=y --bootargs= --kaslr-seed zero",
                "--range 0x1000,0x1000 --range=0x8000,0x1000 -i inc -i inc2 --include=i3 --force-kaslr --explain",
                "--plan crashkernel=2G --dma-limit 1G --initrd 1,2 --svg m.svg -o x"}) {
            java.util.List<String> words = line.isEmpty() ? java.util.List.of() : java.util.List.of(line.split(" "));
            KdumpCommand plain = KdumpCommand.readPlain(words);
            org.junit.jupiter.api.Assertions.assertNotNull(plain, line);
            assertEquals(kdumpFields(kdumpByPicocli(words)), kdumpFields(plain), line);
        }
        // left to picocli: help, version, the subcommand, repeats, dash values, clusters, @files, mistakes
        for (String line : new String[] {"-h", "--help", "-V", "--version", "explain x.dtb", "--explain --explain",
                "-o a -o b", "--dtb a --dtb=b", "-o -", "-oout.dtb", "-o=out.dtb", "--explain=true", "@args",
                "--append @x", "--bogus", "--dtb", "x.dtb", "--", "--dtb a -- b"}) {
            assertEquals(null, KdumpCommand.readPlain(java.util.List.of(line.split(" "))), line);
        }
    }

    @Test
    void batchReadsItsPlainCommandLinesWithoutPicocliAsPicocliDoes() {
        for (String line : new String[] {"", "cmds.txt", "-", "-j 3", "-j3 cmds.txt", "--jobs 1 -", "cmds.txt --jobs=12",
                "-j 0 x", "-j 010", "--jobs=007 -"}) {
            java.util.List<String> words = line.isEmpty() ? java.util.List.of() : java.util.List.of(line.split(" "));
            BatchCommand plain = BatchCommand.readPlain(words);
            org.junit.jupiter.api.Assertions.assertNotNull(plain, line);
            BatchCommand viaPicocli = new BatchCommand();
            new picocli.CommandLine(viaPicocli).parseArgs(words.toArray(String[]::new));
            assertEquals(viaPicocli.jobs, plain.jobs, line);
            assertEquals(viaPicocli.file, plain.file, line);
        }
        // left to picocli: help, version, repeats, a second file, values that are no number, @files, mistakes
        for (String line : new String[] {"-h", "--help", "-V", "--version", "-j 2 -j 3", "a b", "-j x", "-j", "-j=2",
                "--jobs", "-j -1", "-j 99999999999", "@args", "--", "-x", "--bogus", "-j 2 --jobs=2", "-h x"}) {
            assertEquals(null, BatchCommand.readPlain(java.util.List.of(line.split(" "))), line);
        }
    }

    @Test
    void batchAloneDoesWhatBatchUnderPicocliDoes() throws Exception {
        java.nio.file.Path list = tmp.resolve("cmds.txt");
        java.nio.file.Path dtb = tmp.resolve("a.dtb");
        assertEquals(0, Main.run(new String[] {"dtc", "-q", "-O", "dtb", "-o", dtb.toString(), "examples/virt-8g.dts"}));
        // the lines run side by side: none reads what another writes
        java.nio.file.Files.writeString(list, "dtc -q -O dtb -o " + tmp.resolve("b.dtb") + " examples/virt-8g.dts\n"
                + "dtc -q -O dtb -o " + tmp.resolve("c.dtb") + " no-such.dts\n" + "get " + dtb + " /chosen bootargs\n");
        for (String[] args : new String[][] {{"batch", list.toString()}, {"batch", "-j1", list.toString()},
                {"batch", "--jobs=0", list.toString()}, {"batch", tmp.resolve("none.txt").toString()}}) {
            Object[] a = runMainCapturing(args);
            Object[] p = capturing(() -> Main.commandLine().execute(args));
            assertEquals(p[0], a[0], String.join(" ", args));
            assertEquals(p[1], a[1], String.join(" ", args));
            assertEquals(p[2], a[2], String.join(" ", args));
        }
    }

    @Test
    void kdumpAloneDoesWhatKdumpUnderPicocliDoes() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("examples");
        java.nio.file.Path dtb = tmp.resolve("virt.dtb");
        assertEquals(0, Main.run(new String[] {"dtc", "-q", "-O", "dtb", "-o", dtb.toString(),
                dir.resolve("virt-8g.dts").toString()}));
        String iomem = dir.resolve("iomem-virt-8g.txt").toString();
        java.nio.file.Path alone = tmp.resolve("alone.dtb");
        java.nio.file.Path viaPicocli = tmp.resolve("picocli.dtb");
        String[] common = {"--dtb", dtb.toString(), "--iomem", iomem, "--elfcorehdr", "0x23fdf0000,0x10000",
                "--append", "reset_devices maxcpus=1", "--kaslr-seed", "zero", "-o"};
        Object[] a = runMain(concat(new String[] {"kdump"}, common, new String[] {alone.toString()}));
        Object[] p = runPicocli(concat(new String[] {"kdump"}, common, new String[] {viaPicocli.toString()}));
        assertEquals(0, a[0], a[1].toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(p, a);
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(viaPicocli),
                java.nio.file.Files.readAllBytes(alone));
        // usage mistakes found while running, a refusal and a missing folder: same status and messages
        for (String[] args : new String[][] {
                {"kdump", "--dtb", dtb.toString()},
                {"kdump", "--dtb", dtb.toString(), "-o", tmp.resolve("x.dtb").toString()},
                {"kdump", "--dtb", dtb.toString(), "--range", "1,2", "--iomem", iomem, "--elfcorehdr", "1,2",
                        "-o", tmp.resolve("x.dtb").toString()},
                {"kdump", "--dtb", dtb.toString(), "--range", "0x40000000,0", "--elfcorehdr", "1,2",
                        "-o", tmp.resolve("x.dtb").toString()},
                {"kdump", "--dtb", dtb.toString(), "--iomem", iomem, "--elfcorehdr", "0x23fdf0000,0x10000",
                        "-o", tmp.resolve("none").resolve("x.dtb").toString()}}) {
            a = runMain(args);
            p = runPicocli(args);
            assertEquals(p[0], a[0], String.join(" ", args));
            assertEquals(p[1], a[1], String.join(" ", args));
        }
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(tmp.resolve("x.dtb")));
    }

    @Test
    void validateAloneDoesWhatValidateUnderPicocliDoes() throws Exception {
        java.nio.file.Path dtb = tmp.resolve("virt.dtb");
        assertEquals(0, Main.run(new String[] {"dtc", "-q", "-O", "dtb", "-o", dtb.toString(), "examples/virt-8g.dts"}));
        String f = dtb.toString();
        for (String[] args : new String[][] {
                {"validate", "--no-progress", f},
                {"validate", "--format", "json", "--no-progress", f, f},
                {"validate", "--format=junit", "-l", "chosen", f},
                {"validate", "-l", "nosuch", f},
                {"validate", "--format", "bogus", f},
                {"validate", "-W", "no-nosuch", f},
                {"validate", "--dma-limit", "x", f},
                {"validate", "-j", "0", f},
                {"validate", tmp.resolve("none.dtb").toString()},
                {"validate", "--schemas", tmp.resolve("none").toString(), f}}) {
            Object[] a = runMainCapturing(args);
            Object[] p = capturing(() -> Main.commandLine().execute(args));
            org.junit.jupiter.api.Assertions.assertArrayEquals(p, a, String.join(" ", args));
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    /** Main.run with both System.out and System.err captured: exit code, output, messages. */
    private static Object[] runMainCapturing(String... args) {
        return capturing(() -> Main.run(args));
    }

    /** Runs {@code run} with System.out and System.err captured: exit code, output, messages. */
    private static Object[] capturing(java.util.function.IntSupplier run) {
        java.io.PrintStream savedOut = System.out;
        java.io.PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.ISO_8859_1));
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.ISO_8859_1));
            int exit = run.getAsInt();
            System.out.flush();
            return new Object[] {exit, out.toString(java.nio.charset.StandardCharsets.ISO_8859_1),
                err.toString(java.nio.charset.StandardCharsets.ISO_8859_1)};
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void blobToolsAloneDoWhatTheyDoUnderPicocli() throws Exception {
        java.nio.file.Path dtb = tmp.resolve("virt.dtb");
        assertEquals(0, Main.run(new String[] {"dtc", "-q", "-O", "dtb", "-o", dtb.toString(), "examples/virt-8g.dts"}));
        byte[] blob = java.nio.file.Files.readAllBytes(dtb);
        String f = dtb.toString();
        for (String[] args : new String[][] {
                {"get", "-tx", f, "/", "#address-cells"},
                {"get", "-p", f, "/chosen"},
                {"get", "-Z", f},
                {"put", "-ts", f, "/chosen", "bootargs", "x y"},
                {"put", "--cr", f, "/made"},
                {"dump", "-d", f},
                {"overlay", "-i", f},
                {"get", "-V"}}) {
            java.nio.file.Files.write(dtb, blob);
            Object[] a = runMainCapturing(args);
            byte[] afterMain = java.nio.file.Files.readAllBytes(dtb);
            java.nio.file.Files.write(dtb, blob);
            CliRun p = CliRun.dtkit(args);
            String what = String.join(" ", args);
            assertEquals(p.exit(), a[0], what);
            assertEquals(p.out(), a[1], what);
            assertEquals(p.err(), a[2], what);
            org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(dtb), afterMain, what);
        }
    }
}
