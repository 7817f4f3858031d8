package io.dtkit.dts;

import io.dtkit.dts.cpp.PreprocessOptions;
import io.dtkit.dts.cpp.PreprocessResult;
import io.dtkit.dts.cpp.Preprocessor;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Compiles device-tree source the way a kernel build feeds it to dtc, without an external
 * preprocessor: a raw source (one with {@code #include}, {@code #define}, ... or compiled with
 * macros given) goes through the built-in preprocessor first, with the compiler's include
 * folders as its include path; plain sources and cpp output (line markers only) go to the
 * compiler unchanged.
 */
public final class SourceFiles {
    private SourceFiles() {
    }

    /** Compiles the file; {@code defines} maps names to values (null: 1), {@code undefines} follow. */
    public static CompileResult compile(Path file, CompileOptions options, Map<String, String> defines,
                                        List<String> undefines) throws SourceException {
        ByteBuffer raw;
        try {
            raw = SourceReader.load(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "No such file or directory");
        } catch (IOException e) {
            throw unreadable(file, e.getMessage());
        }
        boolean plain = defines.isEmpty() && undefines.isEmpty() && !hasDirectives(raw, file);
        if (plain) {
            // compiled from the bytes just loaded: a large source is neither read nor copied twice
            return DtsCompiler.compile(raw, file, options);
        }
        raw = null; // the preprocessor reads the file itself: drop this copy
        PreprocessResult pre = Preprocessor.preprocess(file, preprocessOptions(options, defines, undefines));
        return compilePreprocessed(pre, file.toString(), options);
    }

    /**
     * The directive pre-scan. A mapped source is scanned on a thread of its own: a file cut
     * short under the mapping faults, and the JVM raises that in the reading thread at some
     * later point, which must not be the caller's. The file's size then tells what happened.
     */
    static boolean hasDirectives(ByteBuffer raw, Path file) throws SourceException {
        ByteSource text = SourceReader.fromBuffer(raw, file.toString());
        if (raw.hasArray()) {
            return Preprocessor.hasDirectives(text);
        }
        boolean[] found = new boolean[1];
        Throwable[] failed = new Throwable[1];
        Thread scan = new Thread(() -> found[0] = Preprocessor.hasDirectives(text), "directive-scan");
        scan.setUncaughtExceptionHandler((t, e) -> failed[0] = e);
        scan.start();
        DtsCompiler.awaitEnd(scan);
        DtsCompiler.throwIfShrunk(raw, file);
        if (failed[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failed[0] instanceof Error e) {
            throw e;
        }
        return found[0];
    }

    /** Compiles source text (e.g. standard input) named {@code name} in positions. */
    public static CompileResult compile(String text, String name, CompileOptions options,
                                        Map<String, String> defines, List<String> undefines)
            throws SourceException {
        if (!needsPreprocessing(text, defines, undefines)) {
            return DtsCompiler.compile(text, name, options);
        }
        PreprocessResult pre = Preprocessor.preprocess(name, text, preprocessOptions(options, defines, undefines));
        return compilePreprocessed(pre, name, options);
    }

    private static boolean needsPreprocessing(String text, Map<String, String> defines, List<String> undefines) {
        return !defines.isEmpty() || !undefines.isEmpty() || Preprocessor.hasDirectives(text);
    }

    private static PreprocessOptions preprocessOptions(CompileOptions options, Map<String, String> defines,
                                                       List<String> undefines) {
        return new PreprocessOptions(options.includeDirs(), defines, undefines);
    }

    /** The compiled result with the preprocessor's warnings first and every file read once. */
    private static CompileResult compilePreprocessed(PreprocessResult pre, String name, CompileOptions options)
            throws SourceException {
        CompileResult r = DtsCompiler.compile(pre.text(), name, options);
        List<Diagnostic> diagnostics = new ArrayList<>(pre.warnings());
        diagnostics.addAll(r.diagnostics());
        LinkedHashSet<String> files = new LinkedHashSet<>();
        pre.filesRead().forEach(p -> files.add(p.toString()));
        files.addAll(r.filesRead());
        return new CompileResult(r.tree(), diagnostics, List.copyOf(files));
    }

    private static SourceException unreadable(Path file, String reason) {
        return DtsCompiler.unreadable("Couldn't open \"" + file + "\": " + reason);
    }
}
