package io.dtkit.dts.cpp;

import io.dtkit.source.Diagnostic;

import java.nio.file.Path;
import java.util.List;

/**
 * The preprocessed output's bytes (with cpp-style line markers unless disabled), every file
 * read in the order first read (names as used in the markers, for dependency files), and the
 * warnings.
 */
public record PreprocessResult(byte[] bytes, List<Path> filesRead, List<Diagnostic> warnings) {
    public PreprocessResult {
        filesRead = List.copyOf(filesRead);
        warnings = List.copyOf(warnings);
    }

    /** The output as text, read as UTF-8 (a byte that is no UTF-8 survives only in {@link #bytes}). */
    public String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
