package io.dtkit.cli;

import io.dtkit.fdt.edit.FdtText;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        StringBuilder listing = new StringBuilder();
        try {
            return ToolLine.run(out, err, () -> list(out, err, listing));
        } finally {
            // one character per byte: the names are the blob's bytes
            writeAtEnd(listing.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private int list(PrintWriter out, PrintWriter err, StringBuilder listing) throws ToolLine.Exit {
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
        // the names in the listing are the blob's bytes, shown as they are; the file name
        // is the argument's bytes
        String fileBytes = new String(file.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        int at = 0;
        if (scan) {
            FdtText.Scan found = FdtText.scan(r.buffer());
            if (debug) {
                for (int skipped : found.skipped()) {
                    listing.append(fileBytes).append(": skipping fdt magic at offset ").append(hashHex(skipped))
                            .append('\n');
                }
            }
            if (found.offset() < 0) {
                err.print("FATAL ERROR: " + file + ": could not locate fdt magic\n");
                err.flush();
                return 1;
            }
            at = found.offset();
            listing.append(fileBytes).append(": found fdt at offset ").append(hashHex(at)).append('\n');
        } else if (!FdtText.dumpHeaderValid(r.buffer())) {
            err.print("FATAL ERROR: " + file + ": header is not valid\n");
            return 1;
        }
        FdtText.Dump d = FdtText.dump(r.buffer(), at, debug);
        listing.append(d.text());
        if (d.error() != null) {
            err.print(d.error() + "\n");
            err.flush();
            return d.error().contains("Unknown tag") ? 0 : 1;
        }
        return 0;
    }

    /** C's {@code %#tx}: "0" for zero, "0x..." otherwise. */
    private static String hashHex(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }
}
