package io.dtkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command that reads its own command line, word for word, as the C tool it follows does
 * (dtc, fdtget, fdtput, fdtdump, fdtoverlay read theirs with getopt_long). Picocli only hands
 * it the words, so it can also run without picocli ({@link #run}): from {@code main}, where
 * picocli's set-up would be a large part of a one-file run, and for each line of a batch.
 */
abstract class WordsCommand extends ByteStreams implements Callable<Integer> {

    private CommandSpec spec;

    /** Every word after the command's name, untouched. */
    @Unmatched
    List<String> words = new ArrayList<>();

    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        // "--" and "@file" are the words' business: getopt sees them as they are
        spec.parser().endOfOptionsDelimiter("\0").expandAtFiles(false);
    }

    @Override
    public final Integer call() {
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the command on {@link #words}, with text going to {@code out} and {@code err}; the exit status. */
    abstract int execute(PrintWriter out, PrintWriter err);

    /**
     * Writes what the C tool prints on standard output as its run ends (its buffered output
     * reaching a pipe after any message), byte for byte; a closed standard output is not an
     * error there either.
     */
    void writeAtEnd(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        try {
            stdout.write(bytes);
            stdout.flush();
        } catch (java.io.IOException e) {
            // nothing more to say on it
        }
    }

    /** The commands of this kind, by name. */
    private static Supplier<WordsCommand> named(String name) {
        return switch (name) {
            case "dtc" -> DtcCommand::new;
            case "get" -> GetCommand::new;
            case "put" -> PutCommand::new;
            case "dump" -> DumpCommand::new;
            case "overlay" -> OverlayCommand::new;
            default -> null;
        };
    }

    /** Whether {@code name} is a command of this kind. */
    static boolean isOne(String name) {
        return named(name) != null;
    }

    /**
     * Runs the command {@code name} on {@code words} without picocli, with the given byte
     * streams and text writers.
     */
    static int run(String name, List<String> words, InputStream in, OutputStream out, PrintWriter outText,
                   PrintWriter errText) {
        WordsCommand c = named(name).get();
        c.useStreams(in, out);
        c.words.addAll(words);
        return c.execute(outText, errText);
    }
}
