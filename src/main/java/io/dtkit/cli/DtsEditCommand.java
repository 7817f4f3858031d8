package io.dtkit.cli;

import io.dtkit.dts.edit.DtsEditException;
import io.dtkit.dts.edit.DtsSourceEditor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dtkit dts-edit}: edits a {@code .dts} source in place, changing only the bytes of the
 * edited statements. Edits run in command-line order; if any is refused, nothing is written
 * and the exit status is 1.
 */
@Command(name = "dts-edit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false,
        description = {"Edit a DTS source file, keeping comments, includes, macros and layout.",
            "PATH is a node path (/soc/serial@1000), &label, &label/child, &{/path} or an alias."})
public final class DtsEditCommand extends ByteStreams implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.dts", description = "The source file to edit.")
    Path file;

    @Option(names = {"-i", "--include"}, paramLabel = "DIR",
            description = "Where to look for included files (after the file's own folder); repeatable.")
    List<Path> includeDirs = new ArrayList<>();

    @Option(names = "--allow-override-block",
            description = "When the definition lives only in an included file, append a "
                    + "'&label { ... };' override (or /delete-node/, /delete-property/) to FILE instead of refusing.")
    boolean allowOverride;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the result here ('-' for standard output) instead of replacing FILE.")
    String output;

    /** One edit; picocli keeps repeated groups in command-line order. */
    static final class Edit {
        @Option(names = "--set", required = true, paramLabel = "PATH:PROP=VALUE",
                description = "Set a property; VALUE is DTS text, e.g. '\"text\"' or '<0x0 0x1000>' (empty: a boolean property).")
        String set;

        @Option(names = "--delete", required = true, paramLabel = "PATH[:PROP]",
                description = "Delete a property, or a whole node.")
        String delete;

        @Option(names = "--add-node", required = true, paramLabel = "PATH",
                description = "Add an empty node (its parent must exist).")
        String addNode;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..*")
    List<Edit> edits = new ArrayList<>();

    private List<String[]> operations() {
        List<String[]> ops = new ArrayList<>();
        for (Edit e : edits) {
            if (e.set != null) {
                String arg = e.set;
                int eq = arg.indexOf('=');
                if (eq < 0) {
                    throw new ParameterException(spec.commandLine(), "--set needs PATH:PROP=VALUE, got '" + arg + "'");
                }
                String[] pp = pathAndProperty(arg.substring(0, eq), "--set");
                ops.add(new String[] {"set", pp[0], pp[1], arg.substring(eq + 1)});
            } else if (e.delete != null) {
                String arg = e.delete;
                if (arg.lastIndexOf(':') < 0) {
                    ops.add(new String[] {"delete-node", arg});
                } else {
                    String[] pp = pathAndProperty(arg, "--delete");
                    ops.add(new String[] {"delete", pp[0], pp[1]});
                }
            } else {
                String arg = e.addNode;
                int slash = arg.lastIndexOf('/');
                if (slash < 0 || slash == arg.length() - 1 || arg.startsWith("&{") && arg.endsWith("}")) {
                    throw new ParameterException(spec.commandLine(), "--add-node needs PARENT/NAME, got '" + arg + "'");
                }
                ops.add(new String[] {"add-node", slash == 0 ? "/" : arg.substring(0, slash), arg.substring(slash + 1)});
            }
        }
        return ops;
    }

    private String[] pathAndProperty(String s, String option) {
        int c = s.lastIndexOf(':');
        if (c <= 0 || c == s.length() - 1) {
            throw new ParameterException(spec.commandLine(), option + " needs PATH:PROP, got '" + s + "'");
        }
        return new String[] {s.substring(0, c), s.substring(c + 1)};
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String[]> ops = operations();
        if (ops.isEmpty()) {
            err.println("dtkit dts-edit: nothing to do (give --set, --delete or --add-node)");
            return 2;
        }
        try {
            DtsSourceEditor ed = DtsSourceEditor.open(file, includeDirs).allowOverrideBlock(allowOverride);
            for (String[] op : ops) {
                switch (op[0]) {
                    case "set" -> ed.setProperty(op[1], op[2], op[3]);
                    case "delete" -> ed.deleteProperty(op[1], op[2]);
                    case "delete-node" -> ed.deleteNode(op[1]);
                    default -> ed.addNode(op[1], op[2]);
                }
            }
            byte[] out = ed.content();
            String broken = DtsSources.breaks(file, out, includeDirs);
            if (broken != null) {
                err.println("dtkit dts-edit: the edits would leave " + file
                        + " failing to compile, so nothing was written: " + broken);
                return 1;
            }
            if ("-".equals(output)) {
                // the source's bytes as they are: one that is no UTF-8 must not change
                stdout.write(out);
                stdout.flush();
            } else {
                AtomicFiles.write(output == null ? file : FileNames.output(output), out);
            }
            return 0;
        } catch (DtsEditException e) {
            err.println("dtkit dts-edit: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("dtkit dts-edit: cannot write " + FdtFiles.writeFailure(e, output == null ? file : output));
            return 1;
        }
    }
}
