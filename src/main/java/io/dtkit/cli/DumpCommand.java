package io.dtkit.cli;

import io.dtkit.fdt.edit.FdtText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtkit dump}: a tag-by-tag listing of a blob in the format of dtc's fdtdump. */
@Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print a low-level listing of a device tree blob (like fdtdump).")
public final class DumpCommand extends ByteStreams implements Callable<Integer> {

    static final String USAGE = """
            Usage: fdtdump [options] <file>

            Options: -[dshV]
              -d, --debug   Dump debug information while decoding the file
              -h, --help    Print this help and exit
              -V, --version Print version and exit
            """;
    static final String BANNER = """

            **** fdtdump is a low-level debugging tool, not meant for general use.
            **** If you want to decompile a dtb, you probably want
            ****     dtc -I dtb -O dts <filename>

            """;

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--debug"}, description = "Dump debug information while decoding the file")
    boolean debug;

    @Parameters(paramLabel = "FILE", description = "<file>")
    List<String> files = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            err.print(BANNER);
            if (files.size() != 1) {
                return FdtFiles.usageError(err, USAGE, "missing input filename");
            }
            String file = files.get(0);
            FdtFiles.Read r = FdtFiles.read(file, stdin);
            if (r.error() != null) {
                err.print("Couldn't open blob from '" + file + "': " + r.error() + "\n");
                err.print("FATAL ERROR: could not read: " + file + "\n");
                return 1;
            }
            if (!FdtText.dumpHeaderValid(r.buffer())) {
                err.print("FATAL ERROR: " + file + ": header is not valid\n");
                return 1;
            }
            FdtText.Dump d = FdtText.dump(r.buffer(), debug);
            out.print(d.text());
            out.flush();
            if (d.error() != null) {
                err.print(d.error() + "\n");
                return d.error().contains("Unknown tag") ? 0 : 1;
            }
            return 0;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
