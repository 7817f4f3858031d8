package io.dtkit.dts;

import io.dtkit.dts.cpp.PreprocessOptions;
import io.dtkit.dts.cpp.PreprocessResult;
import io.dtkit.dts.cpp.Preprocessor;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.IoReasons;
import io.dtkit.source.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
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
        DtsCompiler.refuseFolder(file);
        ByteBuffer raw;
        try {
            raw = SourceReader.load(file);
        } catch (IOException e) {
            throw unreadable(file, IoReasons.of(e));
        }
        boolean macros = !defines.isEmpty() || !undefines.isEmpty();
        if (!macros && !raw.hasArray()) {
            // A mapped (large) source is compiled while its directive scan runs on the other
            // thread: such sources are nearly always generated and plain, and the scan of one
            // took a tenth of a second per 24 MB. The compile counts only if the scan finds no
            // directive; otherwise it was wasted work and the source is preprocessed.
            DirectiveScan scan = new DirectiveScan(raw, file);
            CompileResult r = null;
            SourceException failed = null;
            try {
                r = DtsCompiler.compile(raw, file, options);
            } catch (SourceException e) {
                failed = e;
            } finally {
                scan.await();
            }
            if (!scan.found()) {
                if (failed != null) {
                    throw failed;
                }
                return r;
            }
        } else if (!macros && !Preprocessor.hasDirectives(SourceReader.fromBuffer(raw, file.toString()))) {
            // compiled from the bytes just loaded, not read again
            return DtsCompiler.compile(raw, file, options);
        }
        raw = null; // the preprocessor reads the file itself: drop this copy
        PreprocessResult pre = Preprocessor.preprocess(file, preprocessOptions(options, defines, undefines));
        return compilePreprocessed(pre, file.toString(), options);
    }

    /**
     * The directive pre-scan of a mapped source, on a thread of its own: a file cut short under
     * the mapping faults, and the JVM raises that in the reading thread at some later point,
     * which must not be the caller's. The file's size then tells what happened.
     */
    static final class DirectiveScan {
        private final ByteBuffer raw;
        private final Path file;
        private final Thread thread;
        private volatile boolean found;
        private volatile Throwable failed;
        private boolean awaited;

        DirectiveScan(ByteBuffer raw, Path file) {
            this.raw = raw;
            this.file = file;
            ByteSource text = SourceReader.fromBuffer(raw, file.toString());
            thread = new Thread(() -> found = Preprocessor.hasDirectives(text), "directive-scan");
            thread.setUncaughtExceptionHandler((t, e) -> failed = e);
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for the scan; a file that shrank meanwhile, or a failure of the scan, is thrown. */
        void await() throws SourceException {
            if (awaited) {
                return;
            }
            awaited = true;
            DtsCompiler.awaitEnd(thread);
            DtsCompiler.throwIfShrunk(raw, file);
            if (failed instanceof RuntimeException e) {
                throw e;
            }
            if (failed instanceof Error e) {
                throw e;
            }
        }

        /** Whether the source has a directive; waits for the scan first. */
        boolean found() throws SourceException {
            await();
            return found;
        }
    }

    /** Compiles source text (e.g. standard input) named {@code name} in positions. */
    public static CompileResult compile(String text, String name, CompileOptions options,
                                        Map<String, String> defines, List<String> undefines)
            throws SourceException {
        return compile(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), name, options, defines, undefines);
    }

    /**
     * Compiles the bytes of a source that is no file (standard input), named {@code name} in
     * positions; every byte reaches the tree as it is, as from a file.
     */
    public static CompileResult compile(byte[] bytes, String name, CompileOptions options,
                                        Map<String, String> defines, List<String> undefines)
            throws SourceException {
        if (defines.isEmpty() && undefines.isEmpty()
                && !Preprocessor.hasDirectives(SourceReader.fromBytes(bytes, name))) {
            return DtsCompiler.compile(bytes, name, options);
        }
        PreprocessResult pre = Preprocessor.preprocess(name, bytes, preprocessOptions(options, defines, undefines));
        return compilePreprocessed(pre, name, options);
    }

    private static PreprocessOptions preprocessOptions(CompileOptions options, Map<String, String> defines,
                                                       List<String> undefines) {
        return new PreprocessOptions(options.includeDirs(), defines, undefines);
    }

    /** The compiled result with the preprocessor's warnings first and every file read once. */
    private static CompileResult compilePreprocessed(PreprocessResult pre, String name, CompileOptions options)
            throws SourceException {
        CompileResult r = DtsCompiler.compile(pre.bytes(), name, options);
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
