package io.dtkit.cli;

import io.dtkit.fdt.FdtError;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.edit.FdtBlob;
import io.dtkit.fdt.edit.FdtText;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code dtkit put}: writes properties and nodes into a blob file with the semantics, output
 * bytes and exit codes of dtc's fdtput: the blob is grown by exactly what fdtput asks for, edited
 * with libfdt's calls, packed, and written back (atomically).
 */
@Command(name = "put",
        description = "Write a property value or create/remove nodes in a device tree blob (like fdtput).")
public final class PutCommand extends WordsCommand {

    static final String USAGE = """
            Usage: write a property value to a device tree
            \tfdtput <options> <dt file> <node> <property> [<value>...]
            \tfdtput -c <options> <dt file> [<node>...]
            \tfdtput -r <options> <dt file> [<node>...]
            \tfdtput -d <options> <dt file> <node> [<property>...]

            The command line arguments are joined together into a single value.
            <type>\ts=string, i=int, u=unsigned, x=hex
            \tOptional modifier prefix:
            \t\thh or b=byte, h=2 byte, l=4 byte (default)

            Options: -[crdpt:vhV]
              -c, --create     Create nodes if they don't already exist
              -r, --remove     Delete nodes (and any subnodes) if they already exist
              -d, --delete     Delete properties if they already exist
              -p, --auto-path  Automatically create nodes as needed for the node path
              -t, --type <arg> Type of data
              -v, --verbose    Display each value decoded from command line
              -h, --help       Print this help and exit
              -V, --version    Print version and exit
            """;

    /** The key of --allow-override-block, which has no short form. */
    private static final char OVERRIDE = 1;

    /** fdtput's options in its order, and dtkit's own for a source input. */
    private static final ToolLine LINE = new ToolLine("fdtput", "crdpt:vhVi:", List.of(
            new Getopt.LongOption("create", false, 'c'),
            new Getopt.LongOption("remove", false, 'r'),
            new Getopt.LongOption("delete", false, 'd'),
            new Getopt.LongOption("auto-path", false, 'p'),
            new Getopt.LongOption("type", true, 't'),
            new Getopt.LongOption("verbose", false, 'v'),
            ToolLine.HELP,
            ToolLine.VERSION,
            new Getopt.LongOption("include", true, 'i'),
            new Getopt.LongOption("allow-override-block", false, OVERRIDE)), USAGE);

    private enum Oper { WRITE_PROP, CREATE_NODE, REMOVE_NODE, DELETE_PROP }

    private Oper oper;
    private FdtText.ValueType vt;
    private boolean autoPath;
    private boolean verbose;
    private List<Path> includeDirs;
    private boolean allowOverride;
    private List<String> args;
    private PrintWriter err;

    @Override
    int execute(PrintWriter out, PrintWriter err) {
        this.err = err;
        return ToolLine.run(out, err, () -> {
            readOptions(out);
            return run();
        });
    }

    private void readOptions(PrintWriter out) throws ToolLine.Exit {
        oper = Oper.WRITE_PROP;
        vt = FdtText.ValueType.DEFAULT;
        autoPath = false;
        verbose = false;
        includeDirs = new ArrayList<>();
        allowOverride = false;
        args = LINE.read(words, out, err, (key, v) -> {
            switch (key) {
                case 'c' -> oper = Oper.CREATE_NODE;
                case 'r' -> oper = Oper.REMOVE_NODE;
                case 'd' -> oper = Oper.DELETE_PROP;
                case 'p' -> autoPath = true;
                case 't' -> {
                    vt = FdtText.decodeType(v);
                    if (vt == null) {
                        throw LINE.usageError(err, "Invalid type string");
                    }
                }
                case 'v' -> verbose = true;
                case 'i' -> includeDirs.add(Path.of(v));
                case OVERRIDE -> allowOverride = true;
                default -> throw new IllegalStateException("option -" + (char) key);
            }
        });
    }

    private int run() {
        if (args.isEmpty()) {
            return FdtFiles.usageError(err, USAGE, "missing filename");
        }
        String file = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (oper == Oper.WRITE_PROP) {
            if (rest.isEmpty()) {
                return FdtFiles.usageError(err, USAGE, "missing node");
            }
            if (rest.size() < 2) {
                return FdtFiles.usageError(err, USAGE, "missing property");
            }
        }
        if (oper == Oper.DELETE_PROP && rest.isEmpty()) {
            return FdtFiles.usageError(err, USAGE, "missing node");
        }
        if (DtsSources.isSource(file)) {
            return DtsSourcePut.run(Path.of(file), includeDirs, allowOverride, oper.name(), autoPath, vt,
                    verbose, rest, err);
        }
        FdtFiles.Read r = FdtFiles.read(file, stdin);
        if (r.error() != null) {
            err.print("Couldn't open blob from '" + file + "': " + r.error() + "\n");
            return 1;
        }
        FdtBlob blob = FdtBlob.wrap(r.buffer());
        boolean ok = true;
        switch (oper) {
            case WRITE_PROP -> {
                if (autoPath && !createPaths(blob, rest.get(0))) {
                    return 1;
                }
                FdtText.Encoded enc = FdtText.encodeValue(vt, rest.subList(2, rest.size()), verbose);
                err.print(enc.trace());
                ok = storeKeyValue(blob, rest.get(0), rest.get(1), enc.value());
            }
            case CREATE_NODE -> {
                for (int i = 0; ok && i < rest.size(); i++) {
                    ok = autoPath ? createPaths(blob, rest.get(i)) : createNode(blob, rest.get(i));
                }
            }
            case REMOVE_NODE -> {
                for (int i = 0; ok && i < rest.size(); i++) {
                    ok = deleteNode(blob, rest.get(i));
                }
            }
            case DELETE_PROP -> {
                for (int i = 1; ok && i < rest.size(); i++) {
                    ok = deleteProp(blob, rest.get(0), rest.get(i));
                }
            }
            default -> throw new IllegalStateException();
        }
        if (!ok) {
            return 1;
        }
        try {
            blob.pack();
        } catch (FdtException e) {
            // fdtput ignores the result of fdt_pack and writes the blob as it stands
        }
        try {
            if (file.equals("-")) {
                stdout.write(blob.toByteArray());
                stdout.flush();
            } else {
                AtomicFiles.write(FileNames.output(file), blob.toByteArray());
            }
        } catch (IOException e) {
            err.print("Couldn't write blob to '" + file + "': " + IoReasons.of(e) + "\n");
            return 1;
        }
        return 0;
    }

    private void report(String where, FdtError e) {
        reportError(err, where, e);
    }

    /** fdtput's error line; it prints the name with a field width of one, so an empty one shows as a space. */
    static void reportError(PrintWriter err, String where, FdtError e) {
        GetCommand.reportError(err, where.isEmpty() ? " " : where, e);
    }

    private static int tagAlign(int x) {
        return (x + 3) & ~3;
    }

    private static int strlen(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** fdtput's realloc_fdt: enlarge the buffer and reopen the blob in it; failures are ignored as in fdtput. */
    private static void grow(FdtBlob blob, int delta) {
        try {
            blob.openIntoSelf(blob.totalSize() + delta);
        } catch (FdtException e) {
            // fdtput does not check fdt_open_into here; the next libfdt call reports the problem
        }
    }

    /** fdtput's realloc_node: room for a begin tag, the name (fdtput passes the rest of the path) and an end tag. */
    private static void growForNode(FdtBlob blob, String name) {
        grow(blob, 4 + tagAlign(strlen(name) + 1) + 4);
    }

    private boolean storeKeyValue(FdtBlob blob, String nodeName, String property, byte[] value) {
        int node;
        try {
            node = blob.pathOffset(nodeName);
        } catch (FdtException e) {
            report(nodeName, e.error());
            return false;
        }
        try {
            try {
                blob.setprop(node, property, value);
            } catch (FdtException e) {
                if (e.error() != FdtError.NOSPACE) {
                    throw e;
                }
                // fdtput's realloc_property: header and name when the property is new, plus the value growth
                int delta = 0;
                int oldlen = blob.getpropLength(node, property);
                if (oldlen < 0) {
                    delta = 12 + strlen(property) + 1;
                }
                if (value.length > oldlen) {
                    delta += tagAlign(value.length) - tagAlign(oldlen);
                }
                grow(blob, delta);
                blob.setprop(node, property, value);
            }
        } catch (FdtException e) {
            report(property, e.error());
            return false;
        }
        return true;
    }

    /** fdtput -p: creates every missing node along the path, one component at a time. */
    private boolean createPaths(FdtBlob blob, String inPath) {
        int p = 0;
        int n = inPath.length();
        while (p < n && inPath.charAt(p) == '/') {
            p++;
        }
        int offset = 0;
        int sep = p;
        while (sep < n) {
            sep = inPath.indexOf('/', p);
            if (sep < 0) {
                sep = n;
            }
            String comp = inPath.substring(p, sep);
            int node;
            try {
                node = blob.subnodeOffset(offset, comp);
            } catch (FdtException e) {
                if (e.error() == FdtError.NOTFOUND) {
                    growForNode(blob, inPath.substring(p));
                    try {
                        node = blob.addSubnode(offset, comp);
                    } catch (FdtException e2) {
                        report(comp, e2.error());
                        return false;
                    }
                } else {
                    report(comp, e.error());
                    return false;
                }
            }
            p = sep + 1;
            offset = node;
        }
        return true;
    }

    private boolean createNode(FdtBlob blob, String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        if (slash < 0) {
            report(nodeName, FdtError.BADPATH);
            return false;
        }
        String parent = nodeName.substring(0, slash);
        String name = nodeName.substring(slash + 1);
        growForNode(blob, name);
        int node = 0;
        if (slash > 0) {
            try {
                node = blob.pathOffset(parent);
            } catch (FdtException e) {
                report(parent, e.error());
                return false;
            }
        }
        try {
            blob.addSubnode(node, name);
        } catch (FdtException e) {
            report(name, e.error());
            return false;
        }
        return true;
    }

    private boolean deleteNode(FdtBlob blob, String nodeName) {
        try {
            blob.delNode(blob.pathOffset(nodeName));
            return true;
        } catch (FdtException e) {
            report(nodeName, e.error());
            return false;
        }
    }

    private boolean deleteProp(FdtBlob blob, String nodeName, String prop) {
        try {
            blob.delprop(blob.pathOffset(nodeName), prop);
            return true;
        } catch (FdtException e) {
            report(nodeName, e.error());
            return false;
        }
    }
}
