package io.dtkit.dts.cpp;

import io.dtkit.testsupport.ReferenceTool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Shared helpers: fixture discovery, cpp invocation and the matching dtkit options. */
final class CppFixtures {
    static final Path DIR = Path.of("fixtures/cpp").toAbsolutePath();
    private static final Pattern ARGS = Pattern.compile("cpp-args:\\s*(.*?)\\s*\\*/");

    private CppFixtures() {
    }

    static Stream<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dts")).sorted()
                    .toList().stream();
        }
    }

    /** Extra cpp arguments named in the fixture's {@code cpp-args:} comment. */
    static List<String> extraArgs(Path file) throws IOException {
        Matcher m = ARGS.matcher(Files.readString(file));
        List<String> out = new ArrayList<>();
        if (m.find()) {
            for (String a : m.group(1).split("\\s+")) {
                if (!a.isEmpty()) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The kernel's cpp command line for {@code name}, run in {@code dir}. */
    static ReferenceTool.Result cpp(Path dir, String name, boolean markers, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("cpp", "-nostdinc", "-undef", "-D__DTS__", "-x",
                "assembler-with-cpp"));
        if (!markers) {
            cmd.add("-P");
        }
        cmd.addAll(extra);
        cmd.add(name);
        return ReferenceTool.run(dir, null, cmd.toArray(new String[0]));
    }

    /** The dtkit options equivalent to the cpp arguments. */
    static PreprocessOptions options(Path dir, boolean markers, List<String> extra) {
        List<Path> inc = new ArrayList<>();
        Map<String, String> defs = new LinkedHashMap<>();
        List<String> undefs = new ArrayList<>();
        for (int i = 0; i < extra.size(); i++) {
            String a = extra.get(i);
            if (a.equals("-I")) {
                inc.add(Path.of(extra.get(++i)));
            } else if (a.startsWith("-I")) {
                inc.add(Path.of(a.substring(2)));
            } else if (a.startsWith("-D")) {
                String d = a.substring(2);
                int eq = d.indexOf('=');
                defs.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? null : d.substring(eq + 1));
            } else if (a.startsWith("-U")) {
                undefs.add(a.substring(2));
            }
        }
        return new PreprocessOptions(inc, defs, undefs, dir, markers, PreprocessOptions.DEFAULT_MAX_INCLUDE_DEPTH);
    }
}
