package io.dtkit.cli;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.CompileResult;
import io.dtkit.dts.SourceFiles;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.fdt.FdtFormat;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.validate.DtcChecks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Device-tree source given to the blob tools ({@code get}, {@code put}): how such a file is
 * told from a blob, and how it is compiled in memory the way {@code dtkit dtc} compiles it.
 */
final class DtsSources {
    private DtsSources() {
    }

    /**
     * True when {@code name} is a readable file that is source rather than a blob: it does not
     * start with the FDT magic and is either named {@code .dts}/{@code .dtsi} or is text (no NUL
     * byte) holding the {@code /dts-v1/} tag, so a damaged blob or stray file still gets the blob
     * tools' own error.
     */
    static boolean isSource(String name) {
        if (name.equals("-")) {
            return false;
        }
        Path p;
        try {
            p = FileNames.input(name);
        } catch (IOException e) {
            return false; // the blob reader reports the name
        }
        if (!Files.isRegularFile(p)) {
            return false;
        }
        byte[] data;
        try {
            data = Files.readAllBytes(p);
        } catch (IOException e) {
            return false;
        }
        if (data.length >= 4 && ((data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8
                | (data[3] & 0xff)) == FdtFormat.FDT_MAGIC) {
            return false;
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".dts") || lower.endsWith(".dtsi")) {
            return true;
        }
        for (byte b : data) {
            if (b == 0) {
                return false;
            }
        }
        return new String(data, StandardCharsets.ISO_8859_1).contains("/dts-v1/");
    }

    /** A compiled blob, or null when the source did not compile (the reasons were printed to {@code err}). */
    static byte[] compile(Path file, List<Path> includeDirs, PrintWriter err) {
        CompileOptions options = CompileOptions.defaults().withIncludeDirs(includeDirs);
        try {
            CompileResult result = SourceFiles.compile(file, options, Map.of(), List.of());
            if (result.diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
                report(err, result.diagnostics());
                return null;
            }
            return DtbWriter.write(result.tree());
        } catch (SourceException e) {
            report(err, e.diagnostics());
            return null;
        }
    }

    /**
     * Why the source {@code file} would no longer compile with {@code edited} as its content
     * (the first error, as {@code dtkit dtc} reports it, checks included), when it compiles as it
     * is now; null when the edited source compiles, and also when the file as it is does not
     * compile either (the edit is then not to blame: a header folder not given, say).
     */
    static String breaks(Path file, byte[] edited, List<Path> includeDirs) {
        String after = firstError(edited, file, includeDirs);
        if (after == null) {
            return null;
        }
        byte[] before;
        try {
            before = Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
        return firstError(before, file, includeDirs) == null ? after : null;
    }

    /** The first error of compiling {@code source} as the file {@code file}, or null. */
    private static String firstError(byte[] source, Path file, List<Path> includeDirs) {
        CompileOptions options = CompileOptions.defaults().withIncludeDirs(includeDirs);
        List<Diagnostic> found;
        try {
            CompileResult result = SourceFiles.compile(source, file.toString(), options, Map.of(), List.of());
            found = result.diagnostics();
            if (found.stream().noneMatch(d -> d.severity() == Severity.ERROR)) {
                found = DtcChecks.check(DtcCommand.withoutGeneratedNodes(result.tree(), false),
                        DtcChecks.Config.defaults(), file.toString(), List.of()).diagnostics();
            }
        } catch (SourceException e) {
            found = e.diagnostics();
        }
        return found.stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::render)
                .findFirst().orElse(null);
    }

    private static void report(PrintWriter err, List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.severity() == Severity.ERROR) {
                err.print(d.render() + "\n");
            }
        }
        err.print("Couldn't compile source\n");
    }
}
