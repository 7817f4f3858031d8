package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The start-up path: {@code dtc} runs without picocli, another named subcommand is built alone,
 * anything else gets every command.
 */
class MainTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    /** Main.run with System.err captured: exit code and messages. */
    private static Object[] runMain(String... args) {
        java.io.PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.ISO_8859_1));
            int exit = Main.run(args);
            return new Object[] {exit, err.toString(java.nio.charset.StandardCharsets.ISO_8859_1)};
        } finally {
            System.setErr(saved);
        }
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
}
