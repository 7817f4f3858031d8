package io.dtkit.cli;

import io.dtkit.fdt.edit.FdtText;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dtkit dump}: a tag-by-tag listing of a blob in the format of dtc's fdtdump. */
@Command(name = "dump", description = "Print a low-level listing of a device tree blob (like fdtdump).")
public final class DumpCommand extends WordsCommand {

    static final String USAGE = """
            Usage: fdtdump [options] <file>

            Options: -[dshV]
              -d, --debug   Dump debug information while decoding the file
              -s, --scan    Scan for an embedded fdt in file
              -h, --help    Print this help and exit
              -V, --version Print version and exit
            """;
    static final String BANNER = """

            **** fdtdump is a low-level debugging tool, not meant for general use.
            **** If you want to decompile a dtb, you probably want
            ****     dtc -I dtb -O dts <filename>

            """;

    private static final ToolLine LINE = new ToolLine("fdtdump", "dshV", List.of(
            new Getopt.LongOption("debug", false, 'd'),
            new Getopt.LongOption("scan", false, 's'),
            ToolLine.HELP,
            ToolLine.VERSION), USAGE);

    private boolean debug;
    private boolean scan;

    @Override
    int execute(PrintWriter out, PrintWriter err) {
        try {
            // fdtdump warns before it even reads its options. Like fdtdump's, messages go out
            // at once and the listing when the run ends (as C buffers it into a pipe)
            err.print(BANNER);
            err.flush();
            debug = false;
            scan = false;
            List<String> files = LINE.read(words, out, err, (key, v) -> {
                if (key == 'd') {
                    debug = true;
                } else if (key == 's') {
                    scan = true;
                } else {
                    throw new IllegalStateException("option -" + (char) key);
                }
            });
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
            int at = 0;
            if (scan) {
                FdtText.Scan found = FdtText.scan(r.buffer());
                if (debug) {
                    for (int skipped : found.skipped()) {
                        out.print(file + ": skipping fdt magic at offset " + hashHex(skipped) + "\n");
                    }
                }
                if (found.offset() < 0) {
                    err.print("FATAL ERROR: " + file + ": could not locate fdt magic\n");
                    err.flush();
                    return 1;
                }
                at = found.offset();
                out.print(file + ": found fdt at offset " + hashHex(at) + "\n");
            } else if (!FdtText.dumpHeaderValid(r.buffer())) {
                err.print("FATAL ERROR: " + file + ": header is not valid\n");
                return 1;
            }
            FdtText.Dump d = FdtText.dump(r.buffer(), at, debug);
            out.print(d.text());
            if (d.error() != null) {
                err.print(d.error() + "\n");
                err.flush();
                return d.error().contains("Unknown tag") ? 0 : 1;
            }
            return 0;
        } catch (ToolLine.Exit e) {
            return e.status;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** C's {@code %#tx}: "0" for zero, "0x..." otherwise. */
    private static String hashHex(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }
}
