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

    private static final java.util.Set<String> DIRECTIVES = java.util.Set.of("define", "undef", "include",
            "include_next", "import", "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif",
            "line", "error", "warning", "pragma", "ident", "sccs", "assert", "unassert");

    /**
     * Whether {@code text} contains a preprocessing directive (a line starting with {@code #}
     * and a directive name, comments and line splices taken into account). Text that cpp has
     * already processed has none: its {@code # 12 "file" 1} markers are not directives here,
     * and neither are property lines such as {@code #address-cells = <1>;}.
     */
    public static boolean hasDirectives(String text) {
        Lexer lx = new Lexer(text, "<text>", (f, l, c, m) -> { });
        boolean afterHash = false;
        for (Tok t = lx.next(false, false, false); t != null; t = lx.next(false, false, false)) {
            if (afterHash && !t.has(Tok.BOL) && t.type == TokType.NAME && DIRECTIVES.contains(t.text)) {
                return true;
            }
            afterHash = t.has(Tok.BOL) && t.type == TokType.HASH;
        }
        return false;
    }

    /**
     * Preprocesses {@code file}. Its name as given appears in line markers and in
     * {@code __FILE__}; it is resolved against {@link PreprocessOptions#workingDir()}.
     *
     * @throws SourceException with every error found (file and line of the original source),
     *                         e.g. a missing include, an unterminated {@code #if} or {@code #error}
     */
    public static PreprocessResult preprocess(Path file, PreprocessOptions o) throws SourceException {
        return run(file.toString(), null, o);
    }

    /**
     * Preprocesses {@code text} that did not come from a file (standard input, an editor
     * buffer). {@code name} stands for it in line markers and {@code __FILE__}; quoted
     * includes are looked up first in the folder part of {@code name} (none: the working
     * folder), then in the include folders.
     */
    public static PreprocessResult preprocess(String name, String text, PreprocessOptions o) throws SourceException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return run(name, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), o);
    }

    private static PreprocessResult run(String name, String content, PreprocessOptions o) throws SourceException {
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
        String text = e.run(name, content);
        List<Path> read = new ArrayList<>();
        for (String s : e.filesRead()) {
            read.add(Path.of(s));
        }
        return new PreprocessResult(text, read, e.warnings());
    }
}
