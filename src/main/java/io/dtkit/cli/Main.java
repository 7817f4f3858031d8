package io.dtkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
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
        return new CommandLine(new Main(), factory(in, out));
    }

    /**
     * Builds a command line for running {@code args}: when the first argument names a
     * subcommand, only that subcommand is built under a plain {@code dtkit} parent, because
     * picocli builds each command's model by reflection and that is most of the start-up
     * time of a short run. Anything else gets the full command line.
     */
    public static CommandLine commandLineFor(String[] args, InputStream in, OutputStream out) {
        CommandLine.IFactory factory = factory(in, out);
        if (args.length > 0) {
            Command top = Main.class.getAnnotation(Command.class);
            for (Class<?> c : top.subcommands()) {
                Command sub = c.getAnnotation(Command.class);
                if (sub != null && sub.name().equals(args[0])) {
                    CommandLine.Model.CommandSpec parent = CommandLine.Model.CommandSpec.create()
                            .name(top.name());
                    CommandLine cl = new CommandLine(parent, factory);
                    cl.addSubcommand(sub.name(), new CommandLine(c, factory));
                    return cl;
                }
            }
        }
        return new CommandLine(new Main(), factory);
    }

    private static CommandLine.IFactory factory(InputStream in, OutputStream out) {
        CommandLine.IFactory base = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = base.create(cls);
                if (made instanceof ByteStreams b) {
                    b.useStreams(in, out);
                }
                return made;
            }
        };
    }

    public static void main(String[] args) {
        String refused = Arguments.refusal(args);
        if (refused != null) {
            System.err.println(refused);
            System.exit(2);
        }
        System.exit(run(args));
    }

    /** Runs {@code args} as {@code main} does and returns the exit code. */
    static int run(String[] args) {
        if (args.length > 0 && WordsCommand.isOne(args[0])) {
            // dtc and the blob tools read their own command lines: no picocli set-up
            return WordsCommand.run(args[0], java.util.Arrays.asList(args).subList(1, args.length), System.in,
                    System.out, new PrintWriter(System.out, true), new PrintWriter(new ByteTextWriter(System.err), true));
        }
        if (args.length > 0 && args[0].equals("batch")) {
            Integer done = BatchCommand.runAlone(java.util.Arrays.asList(args).subList(1, args.length));
            if (done != null) {
                return done;
            }
        }
        if (args.length > 0 && args[0].equals("validate")) {
            Integer done = ValidateCommand.runAlone(java.util.Arrays.asList(args).subList(1, args.length));
            if (done != null) {
                return done;
            }
        }
        if (args.length > 0 && args[0].equals("kdump")) {
            Integer done = KdumpCommand.runAlone(java.util.Arrays.asList(args).subList(1, args.length));
            if (done != null) {
                return done;
            }
        }
        return commandLineFor(args, System.in, System.out).execute(args);
    }
}
