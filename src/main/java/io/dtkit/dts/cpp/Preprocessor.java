package io.dtkit.dts.cpp;

import io.dtkit.source.FileNameText;
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
     * and neither are property lines such as {@code #address-cells = <1>;}. A large plain
     * source given as {@link Latin1Text} is scanned in place, without a copy as a string.
     */
    public static boolean hasDirectives(CharSequence text) {
        if (!mayHaveDirective(text)) {
            return false;
        }
        return lexedHasDirectives(text.toString());
    }

    private static boolean lexedHasDirectives(String text) {
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
     * Cheap pre-scan for {@link #hasDirectives}: false only when no {@code #} in the text can be
     * followed by a directive name, so that a large plain source (whose {@code #address-cells}
     * properties are all that carry a hash) need not be lexed. Anything that the lexer could
     * read differently from this plain scan (a comment or line splice after the hash or inside
     * the name, odd white space, non-ASCII) sends the text to the full lexer.
     */
    private static boolean mayHaveDirective(CharSequence text) {
        int n = text.length();
        for (int h = indexOfHash(text, 0); h >= 0; h = indexOfHash(text, h + 1)) {
            int i = h + 1;
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n || text.charAt(i) == '\n') {
                continue;
            }
            char c = text.charAt(i);
            if (c == '/' || c == '\\' || c < 0x21 || c >= 0x80) {
                return true;
            }
            int s = i;
            while (i < n && isAsciiIdent(text.charAt(i))) {
                i++;
            }
            if (i < n) {
                char after = text.charAt(i);
                if (after == '\\' || after == '$' || after >= 0x80) {
                    return true;
                }
            }
            if (i > s && DIRECTIVES.contains(text.subSequence(s, i).toString())) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfHash(CharSequence text, int from) {
        if (text instanceof String str) {
            return str.indexOf('#', from);
        }
        if (text instanceof Latin1Text t) {
            return t.indexOf('#', from);
        }
        for (int i = from, n = text.length(); i < n; i++) {
            if (text.charAt(i) == '#') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAsciiIdent(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
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
        return preprocess(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), o);
    }

    /** As {@link #preprocess(String, String, PreprocessOptions)}, for the bytes of the text. */
    public static PreprocessResult preprocess(String name, byte[] bytes, PreprocessOptions o) throws SourceException {
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
                dirs.add(FileNameText.byteChars(d.toString()));
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
        // the engine works on bytes, one per char, names included
        byte[] bytes = e.run(FileNameText.byteChars(name), content).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        List<Path> read = new ArrayList<>();
        for (String s : e.filesRead()) {
            read.add(Path.of(FileNameText.ofByteChars(s)));
        }
        return new PreprocessResult(bytes, read, e.warnings());
    }
}
