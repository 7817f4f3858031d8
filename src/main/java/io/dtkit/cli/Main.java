package io.dtkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dtkit} command: a thin layer that parses arguments and hands over to the library. */
@Command(name = "dtkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Device-tree toolkit: compile, decompile, edit, prepare kdump DTBs, validate.",
        subcommands = {
                DtcCommand.class,
                KdumpCommand.class,
                CrashkernelCommand.class,
                ValidateCommand.class,
                GetCommand.class,
                PutCommand.class,
                DumpCommand.class,
                OverlayCommand.class,
                DtsEditCommand.class,
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
        return new CommandLine(new Main());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
