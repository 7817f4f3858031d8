package io.dtkit.dts.cpp;

import io.dtkit.source.SourceException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The C preprocessor for device-tree sources (C11 6.10, as GCC's
 * {@code cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp} behaves), so that raw kernel
 * sources compile without an external cpp.
 */
public final class Preprocessor {
    private Preprocessor() {
    }

    /**
     * Preprocesses {@code file}. Its name as given appears in line markers and in
     * {@code __FILE__}; it is resolved against {@link PreprocessOptions#workingDir()}.
     *
     * @throws SourceException with every error found (file and line of the original source),
     *                         e.g. a missing include, an unterminated {@code #if} or {@code #error}
     */
    public static PreprocessResult preprocess(Path file, PreprocessOptions o) throws SourceException {
        Path cwd = o.workingDir() != null ? o.workingDir() : Path.of("").toAbsolutePath();
        List<String> dirs = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path d : o.includeDirs()) {
            Path abs = cwd.resolve(d);
            if (!Files.isDirectory(abs)) {
                continue; // cpp ignores folders that do not exist
            }
            Path key;
            try {
                key = abs.toRealPath();
            } catch (java.io.IOException e) {
                key = abs.normalize();
            }
            if (seen.add(key)) {
                dirs.add(d.toString());
            }
        }
        Engine e = new Engine(dirs, cwd, o.lineMarkers(), o.maxIncludeDepth());
        e.defineBuiltins();
        e.predefine("__STDC__", "1");
        e.predefine("__STDC_HOSTED__", "1");
        e.predefine("__ASSEMBLER__", "1");
        e.predefine("__DTS__", "1");
        for (Map.Entry<String, String> d : o.defines().entrySet()) {
            e.commandLineDefine(d.getValue() == null ? d.getKey() : d.getKey() + "=" + d.getValue());
        }
        for (String u : o.undefines()) {
            e.commandLineUndefine(u);
        }
        String text = e.run(file.toString());
        List<Path> read = new ArrayList<>();
        for (String s : e.filesRead()) {
            read.add(Path.of(s));
        }
        return new PreprocessResult(text, read, e.warnings());
    }
}
