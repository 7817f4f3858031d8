package io.dtkit.cli;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.SourceFiles;
import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.FdtException;
import io.dtkit.model.DeviceTree;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a command-line input into a device tree (issue 5 item 5): a blob (recognised by its
 * magic, whatever its name) through the blob reader, anything else as device-tree source
 * through the compiler, whose trees carry source positions for the diagnostics.
 */
final class TreeInputs {
    private static final int FDT_MAGIC = 0xd00dfeed;

    private TreeInputs() {
    }

    static DeviceTree read(Path f, CompileOptions options) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new IOException("cannot read: " + e.getMessage(), e);
        }
        if (bytes.length >= 4 && java.nio.ByteBuffer.wrap(bytes).getInt(0) == FDT_MAGIC) {
            try {
                return DtbReader.read(bytes);
            } catch (FdtException e) {
                throw new IOException("not a valid DTB: " + e.getMessage(), e);
            }
        }
        String name = f.getFileName().toString();
        if (!(name.endsWith(".dts") || name.endsWith(".dtsi"))) {
            throw new IOException("not a DTB (no FDT magic) and not a .dts file");
        }
        try {
            // raw sources with #include and macros are preprocessed, as dtkit dtc does
            return SourceFiles.compile(f, options, java.util.Map.of(), List.of()).tree();
        } catch (SourceException e) {
            List<Diagnostic> ds = e.diagnostics();
            String first = ds.stream().limit(3).map(Diagnostic::render).collect(Collectors.joining("; "));
            throw new IOException("does not compile: " + (first.isEmpty() ? e.getMessage() : first)
                    + (ds.size() > 3 ? " (and " + (ds.size() - 3) + " more)" : ""), e);
        }
    }
}
