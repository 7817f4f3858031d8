package io.dtkit.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the {@code dtkit} command line in-process and captures exit code, stdout (as text and as
 * the bytes written) and stderr.
 */
record CliRun(int exit, String out, String err, byte[] outBytes) {
    static CliRun of(String... args) {
        return withInput(System.in, args);
    }

    /** As {@link #of}, with {@code in} as standard input. */
    static CliRun withInput(java.io.InputStream in, String... args) {
        // text and the bytes some commands write as they are go to one buffer, read as UTF-8
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(in, out);
        PrintWriter outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        cl.setOut(outText);
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        outText.flush();
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(), out.toByteArray());
    }

    /** The same as {@link #of}. */
    static CliRun dtkit(String... args) {
        return of(args);
    }
}
