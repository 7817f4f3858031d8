package io.dtkit.dts;

import io.dtkit.model.DeviceTree;
import io.dtkit.source.Diagnostic;
import java.util.List;

/** A successfully compiled tree and the non-fatal diagnostics found on the way. */
public record CompileResult(DeviceTree tree, List<Diagnostic> diagnostics) {
    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
    }
}
