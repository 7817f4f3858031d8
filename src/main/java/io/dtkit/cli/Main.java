package io.dtkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dtkit} command: a thin layer that parses arguments and hands over to the library. */
@Command(name = "dtkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Device-tree toolkit: compile, decompile, edit, prepare kdump DTBs, validate.",
        subcommands = {
                DtcCommand.class,
                KdumpCommand.class,
                CrashkernelCommand.class,
                BatchCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Builds the command line with every subcommand, for {@code main} and for tests. */
    public static CommandLine commandLine() {
        return commandLine(System.in, System.out);
    }

    /**
     * Builds the command line with every subcommand reading raw bytes from {@code in} and
     * writing them to {@code out} (the text writers are still set with {@code setOut}/{@code setErr}).
     */
    public static CommandLine commandLine(InputStream in, OutputStream out) {
        CommandLine.IFactory base = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = base.create(cls);
                if (made instanceof ByteStreams b) {
                    b.useStreams(in, out);
                }
                return made;
            }
        };
        return new CommandLine(new Main(), factory);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
