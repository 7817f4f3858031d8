package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The start-up path: a named subcommand is built alone, anything else gets every command. */
class MainTest {

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
