package io.dtkit.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * The command line of a blob tool as dtc's fdtget, fdtput, fdtdump and fdtoverlay read theirs:
 * {@code getopt_long} (see {@link Getopt}) with their shared {@code -h} (usage on standard
 * output, exit 0), {@code -V} (dtc's version line, exit 0) and, for a mistake, getopt's message,
 * the usage on standard error, {@code Error: unknown option} and exit 1.
 */
final class ToolLine {
    /** The run ends with this exit status; whatever it had to say is already printed. */
    static final class Exit extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Exit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** A tool's run, which may end early with an {@link Exit}. */
    interface Body {
        int run() throws Exit;
    }

    /** Runs {@code body}: an {@link Exit} ends it with its status; both writers are flushed after. */
    static int run(PrintWriter out, PrintWriter err, Body body) {
        try {
            return body.run();
        } catch (Exit e) {
            return e.status;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Takes one option of the tool's own, in command-line order. */
    interface Options {
        void take(int key, String value) throws Exit;
    }

    private final String program;
    private final String shortSpec;
    private final List<Getopt.LongOption> longs;
    private final String usage;

    /**
     * @param program   the name getopt's messages start with (the tool's)
     * @param shortSpec getopt's short options, including {@code h} and {@code V}
     * @param usage     the usage text, printed for {@code -h} and before an error
     */
    ToolLine(String program, String shortSpec, List<Getopt.LongOption> longs, String usage) {
        this.program = program;
        this.shortSpec = shortSpec;
        this.longs = longs;
        this.usage = usage;
    }

    /** Reads {@code words}, handing the tool's own options to {@code options}; returns the operands. */
    List<String> read(List<String> words, PrintWriter out, PrintWriter err, Options options) throws Exit {
        Getopt g = new Getopt(program, shortSpec, longs, words, System.getenv("POSIXLY_CORRECT") != null);
        try {
            for (int key = g.next(); key >= 0; key = g.next()) {
                switch (key) {
                    case 'h' -> {
                        out.print(usage);
                        out.flush();
                        throw new Exit(0);
                    }
                    case 'V' -> {
                        out.print(DtcCommand.DTC_VERSION_LINE);
                        out.flush();
                        throw new Exit(0);
                    }
                    default -> options.take(key, g.value());
                }
            }
        } catch (Getopt.Mistake m) {
            err.println(m.getMessage());
            throw usageError(err, "unknown option");
        }
        return g.operands();
    }

    /** The tool's {@code usage(message)}: usage and {@code Error: message} on standard error, exit 1. */
    Exit usageError(PrintWriter err, String message) {
        return new Exit(FdtFiles.usageError(err, usage, message));
    }

    /** The common tail of every tool's long options. */
    static final Getopt.LongOption HELP = new Getopt.LongOption("help", false, 'h');
    static final Getopt.LongOption VERSION = new Getopt.LongOption("version", false, 'V');
}
