package io.dtkit.dts.cpp;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings for one preprocessor run, the equivalent of
 * {@code cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp -I DIR... -D ... -U ...}.
 *
 * @param includeDirs     folders searched for {@code #include}, in order (after the including
 *                        file's folder for the quoted form); names are used as given in markers
 * @param defines         {@code -D NAME[=VALUE]}: name (optionally with a parameter list) to
 *                        value; a null value means {@code 1}; applied in iteration order
 * @param undefines       {@code -U NAME}, applied after all defines
 * @param workingDir      folder that relative file names are resolved against (null: the
 *                        process's current folder); names in the output stay relative
 * @param lineMarkers     write cpp's {@code # LINE "FILE" FLAGS} markers (false acts like {@code -P})
 * @param maxIncludeDepth deepest nesting of included files, counting the main file (cpp: 200)
 */
public record PreprocessOptions(List<Path> includeDirs, Map<String, String> defines, List<String> undefines,
                                Path workingDir, boolean lineMarkers, int maxIncludeDepth) {

    /** cpp's default limit on include nesting. */
    public static final int DEFAULT_MAX_INCLUDE_DEPTH = 200;

    public PreprocessOptions {
        includeDirs = includeDirs == null ? List.of() : List.copyOf(includeDirs);
        defines = defines == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defines));
        undefines = undefines == null ? List.of() : List.copyOf(undefines);
        if (maxIncludeDepth <= 0) {
            maxIncludeDepth = DEFAULT_MAX_INCLUDE_DEPTH;
        }
    }

    /** Options with line markers, the current folder and the default include depth. */
    public PreprocessOptions(List<Path> includeDirs, Map<String, String> defines, List<String> undefines) {
        this(includeDirs, defines, undefines, null, true, DEFAULT_MAX_INCLUDE_DEPTH);
    }

    /** No include folders, no extra macros. */
    public static PreprocessOptions defaults() {
        return new PreprocessOptions(List.of(), Map.of(), List.of());
    }

    public PreprocessOptions withWorkingDir(Path dir) {
        return new PreprocessOptions(includeDirs, defines, undefines, dir, lineMarkers, maxIncludeDepth);
    }

    public PreprocessOptions withLineMarkers(boolean markers) {
        return new PreprocessOptions(includeDirs, defines, undefines, workingDir, markers, maxIncludeDepth);
    }

    public PreprocessOptions withMaxIncludeDepth(int depth) {
        return new PreprocessOptions(includeDirs, defines, undefines, workingDir, lineMarkers, depth);
    }
}
