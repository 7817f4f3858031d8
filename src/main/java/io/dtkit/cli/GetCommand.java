package io.dtkit.cli;

import io.dtkit.fdt.FdtError;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.FdtFormat;
import io.dtkit.fdt.edit.FdtBlob;
import io.dtkit.fdt.edit.FdtText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dtkit get}: reads property values from a blob with the output and exit codes of dtc's fdtget. */
@Command(name = "get", description = "Read values of properties from a device tree blob (like fdtget).")
public final class GetCommand extends WordsCommand {

    static final String USAGE = """
            Usage: read values from device tree
            \tfdtget <options> <dt file> [<node> <property>]...
            \tfdtget -p <options> <dt file> [<node> ]...

            Each value is printed on a new line.
            <type>\ts=string, i=int, u=unsigned, x=hex
            \tOptional modifier prefix:
            \t\thh or b=byte, h=2 byte, l=4 byte (default)

            Options: -[t:pld:hV]
              -t, --type <arg>    Type of data
              -p, --properties    List properties for each node
              -l, --list          List subnodes for each node
              -d, --default <arg> Default value to display when the property is missing
              -h, --help          Print this help and exit
              -V, --version       Print version and exit
            """;
    private static final int MAX_LEVEL = 32;

    /** fdtget's options in its order, and dtkit's -i for a source input. */
    private static final ToolLine LINE = new ToolLine("fdtget", "t:pld:hVi:", List.of(
            new Getopt.LongOption("type", true, 't'),
            new Getopt.LongOption("properties", false, 'p'),
            new Getopt.LongOption("list", false, 'l'),
            new Getopt.LongOption("default", true, 'd'),
            ToolLine.HELP,
            ToolLine.VERSION,
            new Getopt.LongOption("include", true, 'i')), USAGE);

    private enum Mode { SHOW, LIST_PROPS, LIST_SUBNODES }

    private Mode mode;
    private FdtText.ValueType vt;
    private String defaultValue;
    private List<java.nio.file.Path> includeDirs;
    private List<String> args;

    @Override
    int execute(PrintWriter out, PrintWriter err) {
        try {
            return ToolLine.run(out, err, () -> {
                readOptions(out, err);
                return run(out, err);
            });
        } finally {
            writeAtEnd(listing.toByteArray());
        }
    }

    /*
     * What fdtget prints on standard output, as bytes: names are the blob's bytes, whatever their
     * encoding. It goes out when the run ends ({@link #writeAtEnd}).
     */
    private final java.io.ByteArrayOutputStream listing = new java.io.ByteArrayOutputStream();

    private void line(String text) {
        line(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void line(byte[] text) {
        listing.writeBytes(text);
        listing.write('\n');
    }

    private void readOptions(PrintWriter out, PrintWriter err) throws ToolLine.Exit {
        mode = Mode.SHOW;
        vt = FdtText.ValueType.DEFAULT;
        defaultValue = null;
        includeDirs = new ArrayList<>();
        args = LINE.read(words, out, err, (key, v) -> {
            switch (key) {
                case 't' -> {
                    vt = FdtText.decodeType(v);
                    if (vt == null) {
                        throw LINE.usageError(err, "invalid type string");
                    }
                }
                case 'p' -> mode = Mode.LIST_PROPS;
                case 'l' -> mode = Mode.LIST_SUBNODES;
                case 'd' -> defaultValue = v;
                case 'i' -> includeDirs.add(java.nio.file.Path.of(v));
                default -> throw new IllegalStateException("option -" + (char) key);
            }
        });
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (args.isEmpty()) {
            return FdtFiles.usageError(err, USAGE, "missing filename");
        }
        String file = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (rest.isEmpty()) {
            return 0;
        }
        int perStep = mode == Mode.SHOW ? 2 : 1;
        if (perStep == 2 && rest.size() % 2 != 0) {
            return FdtFiles.usageError(err, USAGE, "must have an even number of arguments");
        }
        FdtBlob blob;
        if (DtsSources.isSource(file)) {
            // a source answers from the blob dtc would make of it
            byte[] compiled = DtsSources.compile(java.nio.file.Path.of(file), includeDirs, err);
            if (compiled == null) {
                return 1;
            }
            blob = FdtBlob.wrap(compiled);
        } else {
            FdtFiles.Read r = FdtFiles.read(file, stdin);
            if (r.error() != null) {
                err.print("Couldn't open blob from '" + file + "': " + r.error() + "\n");
                return 1;
            }
            blob = FdtBlob.wrap(r.buffer());
        }
        for (int i = 0; i + perStep <= rest.size(); i += perStep) {
            int node;
            try {
                node = blob.pathOffset(rest.get(i));
            } catch (FdtException e) {
                if (defaultValue != null) {
                    line(defaultValue);
                    continue;
                }
                reportError(err, rest.get(i), e.error());
                return 1;
            }
            if (!showItem(blob, vt, node, perStep == 2 ? rest.get(i + 1) : null, out, err)) {
                return 1;
            }
        }
        return 0;
    }

    private boolean showItem(FdtBlob blob, FdtText.ValueType vt, int node, String property, PrintWriter out,
            PrintWriter err) {
        switch (mode) {
            case LIST_PROPS:
                return listProperties(blob, node);
            case LIST_SUBNODES:
                return listSubnodes(blob, node);
            default:
                break;
        }
        byte[] value;
        FdtError failure = FdtError.NOTFOUND;
        try {
            value = blob.getprop(node, property);
        } catch (FdtException e) {
            value = null;
            failure = e.error();
        }
        if (value != null) {
            FdtText.Shown s = FdtText.showData(vt, value);
            if (s.error() != null) {
                err.print(s.error() + "\n");
                return false;
            }
            line(s.text());
            return true;
        }
        if (defaultValue != null) {
            line(defaultValue);
            return true;
        }
        reportError(err, property, failure);
        return false;
    }

    private boolean listProperties(FdtBlob blob, int node) {
        try {
            for (int p = blob.firstPropertyOffset(node); p >= 0; p = blob.nextPropertyOffset(p)) {
                try {
                    line(blob.propertyNameBytes(p));
                } catch (FdtException e) {
                    // fdtget prints nothing for a name it cannot read and goes on
                }
            }
            return true;
        } catch (FdtException e) {
            return false;
        }
    }

    /** fdtget's tag walk: prints the names of direct children, gives up past 32 levels. */
    private boolean listSubnodes(FdtBlob blob, int node) {
        int level = 0;
        int depth = 1;
        while (level >= 0) {
            int[] t = blob.nextTagAt(node);
            switch (t[0]) {
                case FdtFormat.FDT_BEGIN_NODE -> {
                    if (level <= depth && level == 1) {
                        byte[] name;
                        try {
                            name = blob.getNameBytes(node);
                            if (name.length == 0) {
                                name = new byte[] {'/'};
                            }
                        } catch (FdtException e) {
                            name = "/* NULL pointer error */".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        }
                        line(name);
                    }
                    level++;
                    if (level >= MAX_LEVEL) {
                        line("Nested too deep, aborting.");
                        return false;
                    }
                }
                case FdtFormat.FDT_END_NODE -> {
                    level--;
                    if (level == 0) {
                        level = -1;
                    }
                }
                case FdtFormat.FDT_END -> {
                    return false;
                }
                case FdtFormat.FDT_PROP -> {
                }
                default -> {
                    // fdtget's walk knows no NOP tag and stops at it
                    if (level <= depth) {
                        line("Unknown tag 0x" + String.format("%08X", t[0]));
                    }
                    return false;
                }
            }
            node = t[1];
        }
        return true;
    }

    static void reportError(PrintWriter err, String where, FdtError e) {
        err.print("Error at '" + where + "': " + FdtText.strerror(e) + "\n");
    }
}
