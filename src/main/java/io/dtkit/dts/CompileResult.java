package io.dtkit.dts;

import io.dtkit.model.DeviceTree;
import io.dtkit.source.Diagnostic;
import java.util.List;

/**
 * A successfully compiled tree, the non-fatal diagnostics found on the way, and every file
 * read ({@code filesRead}: the main file, then {@code /include/}d and {@code /incbin/}ed files
 * in the order they were opened, named as dtc names them; what a {@code -d} dependency file lists).
 */
public record CompileResult(DeviceTree tree, List<Diagnostic> diagnostics, List<String> filesRead) {
    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
        filesRead = List.copyOf(filesRead);
    }

    public CompileResult(DeviceTree tree, List<Diagnostic> diagnostics) {
        this(tree, diagnostics, List.of());
    }
}
