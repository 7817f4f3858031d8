package io.dtkit.dts.cpp;

import io.dtkit.source.Diagnostic;

import java.nio.file.Path;
import java.util.List;

/**
 * The preprocessed text (with cpp-style line markers unless disabled) as UTF-8 text and as the
 * bytes it is made of (a byte that is no UTF-8 survives only there), every file read in the
 * order first read (names as used in the markers, for dependency files), and the warnings.
 */
public record PreprocessResult(String text, byte[] bytes, List<Path> filesRead, List<Diagnostic> warnings) {
    public PreprocessResult {
        filesRead = List.copyOf(filesRead);
        warnings = List.copyOf(warnings);
    }
}
