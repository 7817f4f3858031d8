package io.dtkit.cli;

import io.dtkit.fdt.edit.FdtBlob;
import io.dtkit.fdt.edit.FdtOverlay;
import io.dtkit.fdt.edit.FdtText;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dtkit overlay}: applies overlays to a base blob, byte for byte like dtc's fdtoverlay. */
@Command(name = "overlay", description = "Apply one or more overlays to a base device tree blob (like fdtoverlay).")
public final class OverlayCommand extends WordsCommand {

    static final String USAGE = """
            Usage: apply a number of overlays to a base blob
            \tfdtoverlay <options> [<overlay.dtbo> [<overlay.dtbo>]]

            <type>\ts=string, i=int, u=unsigned, x=hex
            \tOptional modifier prefix:
            \t\thh or b=byte, h=2 byte, l=4 byte (default)

            Options: -[i:o:vhV]
              -i, --input <arg>  Input base DT blob
              -o, --output <arg> Output DT blob
              -v, --verbose      Verbose messages
              -h, --help         Print this help and exit
              -V, --version      Print version and exit
            """;

    private static final ToolLine LINE = new ToolLine("fdtoverlay", "i:o:vhV", List.of(
            new Getopt.LongOption("input", true, 'i'),
            new Getopt.LongOption("output", true, 'o'),
            new Getopt.LongOption("verbose", false, 'v'),
            ToolLine.HELP,
            ToolLine.VERSION), USAGE);

    private String input;
    private String output;
    private boolean verbose;
    private List<String> overlays;

    @Override
    int execute(PrintWriter out, PrintWriter err) {
        return ToolLine.run(out, err, () -> {
            input = null;
            output = null;
            verbose = false;
            overlays = LINE.read(words, out, err, (key, v) -> {
                switch (key) {
                    case 'i' -> input = v;
                    case 'o' -> output = v;
                    case 'v' -> verbose = true;
                    default -> throw new IllegalStateException("option -" + (char) key);
                }
            });
            return run(out, err);
        });
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (input == null) {
            return FdtFiles.usageError(err, USAGE, "missing input file");
        }
        if (output == null) {
            return FdtFiles.usageError(err, USAGE, "missing output file");
        }
        if (overlays.isEmpty()) {
            return FdtFiles.usageError(err, USAGE, "missing overlay file(s)");
        }
        if (verbose) {
            out.print("input  = " + input + "\n");
            out.print("output = " + output + "\n");
            for (int i = 0; i < overlays.size(); i++) {
                out.print("overlay[" + i + "] = " + overlays.get(i) + "\n");
            }
        }
        FdtFiles.Read base = readBlob(err, input, "Base blob");
        if (base == null) {
            return 1;
        }
        List<byte[]> ovs = new ArrayList<>();
        for (String ov : overlays) {
            FdtFiles.Read r = readBlob(err, ov, "Overlay '" + ov + "'");
            if (r == null) {
                return 1;
            }
            ovs.add(r.buffer());
        }
        byte[] baseBlob = Arrays.copyOf(base.buffer(), (int) Math.min(base.buffer().length,
                Integer.toUnsignedLong(FdtBlob.wrap(base.buffer()).totalSize())));
        FdtOverlay.Result res = FdtOverlay.applyAll(baseBlob, ovs);
        if (res.error() != null) {
            if (res.copyFailed()) {
                err.print("\nFailed to make temporary copy: " + FdtText.strerror(res.error().error()) + "\n");
            } else {
                err.print("\nFailed to apply '" + overlays.get(res.failedOverlay()) + "': "
                        + FdtText.strerror(res.error().error()) + "\n");
            }
            return 1;
        }
        byte[] result = res.blob();
        try {
            AtomicFiles.write(FileNames.output(output), result);
        } catch (IOException e) {
            err.print("Couldn't write blob to '" + output + "': " + IoReasons.of(e) + "\n");
            err.print("\nFailed to write '" + output + "'\n");
            return 1;
        }
        return 0;
    }

    private FdtFiles.Read readBlob(PrintWriter err, String name, String what) {
        FdtFiles.Read r = FdtFiles.read(name, stdin);
        if (r.error() != null) {
            err.print("Couldn't open blob from '" + name + "': " + r.error() + "\n");
            err.print("\nFailed to read '" + name + "'\n");
            return null;
        }
        long total = Integer.toUnsignedLong(FdtBlob.wrap(Arrays.copyOf(r.buffer(), Math.min(r.buffer().length, 40)))
                .totalSize());
        if (total > r.buffer().length) {
            err.print("\n" + what + " is incomplete (" + r.buffer().length + " / " + total + " bytes read)\n");
            return null;
        }
        return r;
    }
}
