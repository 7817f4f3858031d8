package io.dtkit.cli;

import io.dtkit.dts.edit.DtsEditException;
import io.dtkit.dts.edit.DtsSourceEditor;
import io.dtkit.dts.edit.DtsValueText;
import io.dtkit.fdt.edit.FdtText;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code dtkit put} on a device-tree source: fdtput's operations carried out by the
 * format-preserving source editor, so only the edited statements change. Values are first
 * encoded exactly as fdtput encodes them, then written as DTS text that compiles to those
 * bytes: strings as {@code "a", "b"}, 4-byte items as hex cells {@code <0x..>} (as dtc prints
 * them, whatever base the words were given in), 1-byte items as {@code [..]} and 2-byte items as
 * {@code /bits/ 16 <0x..>}. All edits succeed or nothing is written.
 */
final class DtsSourcePut {
    private DtsSourcePut() {
    }

    static int run(Path file, List<Path> includeDirs, boolean allowOverride, String oper, boolean autoPath,
                   FdtText.ValueType vt, boolean verbose, List<String> rest, PrintWriter err) {
        try {
            DtsSourceEditor ed = edit(file, includeDirs, allowOverride, oper, autoPath, vt, verbose, rest, err);
            if (ed == null) {
                return 1;
            }
            byte[] edited = ed.content();
            String broken = DtsSources.breaks(file, edited, includeDirs);
            if (broken != null) {
                err.print(file + ": the edit would leave the source failing to compile, so nothing was written: "
                        + broken + "\n");
                return 1;
            }
            AtomicFiles.write(file, edited);
            return 0;
        } catch (DtsEditException e) {
            err.print(e.getMessage() + "\n");
            return 1;
        } catch (IOException e) {
            err.print("Couldn't write source to '" + file + "': " + IoReasons.of(e) + "\n");
            return 1;
        }
    }

    /** The editor with fdtput's operation applied (not yet written); null after a reported argument error. */
    static DtsSourceEditor edit(Path file, List<Path> includeDirs, boolean allowOverride, String oper,
            boolean autoPath, FdtText.ValueType vt, boolean verbose, List<String> rest, PrintWriter err)
            throws DtsEditException {
        DtsSourceEditor ed = DtsSourceEditor.open(file, includeDirs).allowOverrideBlock(allowOverride);
        switch (oper) {
            case "WRITE_PROP" -> {
                if (autoPath) {
                    createPath(ed, rest.get(0));
                }
                FdtText.Encoded enc = FdtText.encodeValue(vt, rest.subList(2, rest.size()), verbose);
                err.print(enc.trace());
                ed.setProperty(rest.get(0), rest.get(1), valueText(vt, enc.value()));
            }
            case "CREATE_NODE" -> {
                for (String path : rest) {
                    if (autoPath) {
                        createPath(ed, path);
                    } else {
                        int slash = path.lastIndexOf('/');
                        if (slash < 0) {
                            PutCommand.reportError(err, path, io.dtkit.fdt.FdtError.BADPATH);
                            return null;
                        }
                        ed.addNode(slash == 0 ? "/" : path.substring(0, slash), path.substring(slash + 1));
                    }
                }
            }
            case "REMOVE_NODE" -> {
                for (String path : rest) {
                    ed.deleteNode(path);
                }
            }
            default -> {
                for (int i = 1; i < rest.size(); i++) {
                    ed.deleteProperty(rest.get(0), rest.get(i));
                }
            }
        }
        return ed;
    }

    /** fdtput -p: every missing node along the path is added, outermost first. */
    private static void createPath(DtsSourceEditor ed, String path) throws DtsEditException {
        String parent = "/";
        for (String comp : path.split("/")) {
            if (comp.isEmpty()) {
                continue;
            }
            String child = parent.equals("/") ? "/" + comp : parent + "/" + comp;
            if (!ed.hasNode(child)) {
                ed.addNode(parent, comp);
            }
            parent = child;
        }
    }

    /** DTS text that compiles to exactly {@code value}, in the form that suits fdtput's type. */
    static String valueText(FdtText.ValueType vt, byte[] value) {
        if (value.length == 0) {
            return "";
        }
        if (vt.type() == 's') {
            List<String> parts = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < value.length; i++) {
                if (value[i] == 0) {
                    parts.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return DtsValueText.strings(parts);
        }
        int size = vt.size() == -1 ? 4 : vt.size();
        if (size == 1) {
            return DtsValueText.bytes(value);
        }
        if (size == 4) {
            long[] cells = new long[value.length / 4];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = Integer.toUnsignedLong(be(value, i * 4, 4));
            }
            return DtsValueText.cells(cells);
        }
        StringBuilder sb = new StringBuilder("/bits/ 16 <");
        for (int i = 0; i + 1 < value.length; i += 2) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "0x%x", be(value, i, 2)));
        }
        return sb.append('>').toString();
    }

    private static int be(byte[] b, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }
}
