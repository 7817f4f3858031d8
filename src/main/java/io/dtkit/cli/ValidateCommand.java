package io.dtkit.cli;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.DtsCompiler;
import io.dtkit.model.DeviceTree;
import io.dtkit.schema.SchemaLoadException;
import io.dtkit.schema.SchemaSet;
import io.dtkit.validate.CheckLevels;
import io.dtkit.validate.Report;
import io.dtkit.validate.ReportWriter;
import io.dtkit.validate.ValidateOptions;
import io.dtkit.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dtkit validate}: checks DTB files against dt-schema bindings and the /chosen checks
 * (issue 5 item 5). Exit code 0 when no error was found, 1 when some input has errors,
 * 2 for bad usage, unusable schemas or an input that cannot be read.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Validate device trees (DTB or DTS files, or folders of them) against dt-schema "
                + "bindings and the /chosen checks.",
            "Processed schemas are kept in $DTKIT_CACHE_DIR (default: $XDG_CACHE_HOME/dtkit or "
                + "~/.cache/dtkit) for the next run; DTKIT_CACHE_DIR= (empty) turns that off.",
            "Exit code: 0 no errors, 1 errors found, 2 bad usage or unreadable input."})
public final class ValidateCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR",
            description = "DTB or DTS files, or folders searched recursively (see --match).")
    List<Path> inputs;

    @Option(names = "--schemas", paramLabel = "DIR",
            description = "Use the dt-schema bindings under DIR (repeatable) instead of the bundled ones.")
    List<Path> schemaDirs = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "TEXT",
            description = "Use only schema files whose path contains TEXT (dt-validate -l).")
    String limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: text, json, junit or sarif (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-W", "--warning"}, paramLabel = "CHECK",
            description = "Report CHECK as a warning; no-CHECK turns its warning off (as dtc -W).")
    List<String> warn = new ArrayList<>();

    @Option(names = {"-E", "--error"}, paramLabel = "CHECK",
            description = "Report CHECK as an error; no-CHECK drops its error level (as dtc -E).")
    List<String> error = new ArrayList<>();

    @Option(names = "--dma-limit", paramLabel = "BYTES", defaultValue = "0x100000000",
            description = "Top of the low crash-kernel region (default: ${DEFAULT-VALUE}).")
    String dmaLimit;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files validated at once (default: number of processors).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--match", paramLabel = "GLOB", defaultValue = "*.dtb",
            description = "Which files of a folder to validate (default: ${DEFAULT-VALUE}; e.g. '*.{dtb,dts}').")
    String match;

    @Option(names = {"-i", "--include"}, paramLabel = "DIR",
            description = "Search DIR for /include/ and /incbin/ of DTS inputs (as dtc -i).")
    List<Path> includeDirs = new ArrayList<>();

    @Option(names = "--no-progress", description = "Never show the progress bar.")
    boolean noProgress;

    @Option(names = "--timing", hidden = true,
            description = "Print how long loading the schemas and validating took (for benchmarks).")
    boolean timing;

    @Option(names = "--repeat", hidden = true, defaultValue = "1",
            description = "Validate the inputs N times and report the last run (steady-state benchmarks).")
    int repeat;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs a plain command line (see {@link #readPlain}) without building picocli's model of
     * the command, which costs a single-file run about a fifth of its time; null when the
     * words are for picocli to read.
     */
    static Integer runAlone(List<String> words) {
        ValidateCommand c = readPlain(words);
        if (c == null) {
            return null;
        }
        return c.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /*
     * The options read without picocli. Each has its @Option above; MainTest checks that every
     * annotated name is here and that both readers give the same fields.
     */
    private static final java.util.Set<String> PLAIN_FLAGS = java.util.Set.of("--no-progress", "--timing");
    private static final java.util.Set<String> PLAIN_VALUES = java.util.Set.of("--schemas", "-l", "--limit",
            "--format", "-W", "--warning", "-E", "--error", "--dma-limit", "-j", "--jobs", "--match", "-i",
            "--include", "--repeat");
    private static final java.util.Set<String> PLAIN_REPEATABLE = java.util.Set.of("--schemas", "--warning",
            "--error", "--include");

    /**
     * The command as picocli would fill it from {@code words}, for the forms a script writes:
     * {@code --name VALUE}, {@code --name=VALUE}, {@code -l VALUE}, the flags, and the files;
     * each single-valued option at most once. Anything else (help, version, no file, a word or
     * value that starts with a dash, a repeated single-valued option, clustered or attached short
     * options, a number picocli would refuse, an {@code @file}) gives null, and picocli reads the
     * words instead.
     */
    static ValidateCommand readPlain(List<String> words) {
        ValidateCommand c = new ValidateCommand();
        // picocli's defaultValue attributes
        c.format = "text";
        c.dmaLimit = "0x100000000";
        c.match = "*.dtb";
        c.repeat = 1;
        c.inputs = new ArrayList<>();
        boolean plain;
        try {
            plain = PlainWords.read(words, PLAIN_FLAGS, PLAIN_VALUES, java.util.Map.of("-l", "--limit", "-W", "--warning",
                    "-E", "--error", "-j", "--jobs", "-i", "--include"), PLAIN_REPEATABLE, true, (key, value) -> {
                        if (key == null) {
                            c.inputs.add(Path.of(value));
                            return;
                        }
                        switch (key) {
                            case "--timing" -> c.timing = true;
                            case "--no-progress" -> c.noProgress = true;
                            case "--schemas" -> c.schemaDirs.add(Path.of(value));
                            case "--limit" -> c.limit = value;
                            case "--format" -> c.format = value;
                            case "--warning" -> c.warn.add(value);
                            case "--error" -> c.error.add(value);
                            case "--dma-limit" -> c.dmaLimit = value;
                            case "--jobs" -> c.jobs = plainInt(value);
                            case "--match" -> c.match = value;
                            case "--include" -> c.includeDirs.add(Path.of(value));
                            case "--repeat" -> c.repeat = plainInt(value);
                            default -> throw new IllegalStateException(key);
                        }
                    });
        } catch (NumberFormatException | java.nio.file.InvalidPathException e) {
            return null; // picocli says why
        }
        if (!plain) {
            return null;
        }
        return c.inputs.isEmpty() ? null : c;
    }

    /** A number as picocli takes an int: decimal digits with an optional sign, nothing else. */
    private static int plainInt(String v) {
        if (!v.matches("[+-]?[0-9]+")) {
            throw new NumberFormatException(v);
        }
        return Integer.parseInt(v);
    }

    int run(PrintWriter out, PrintWriter err) {
        ReportWriter.Format fmt;
        try {
            fmt = ReportWriter.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("dtkit validate: unknown format '" + format + "' (text, json, junit, sarif)");
            return 2;
        }
        CheckLevels levels = CheckLevels.defaults();
        try {
            for (String w : warn) {
                levels = levels.with(w, false);
            }
            for (String e : error) {
                levels = levels.with(e, true);
            }
        } catch (IllegalArgumentException e) {
            err.println("dtkit validate: " + e.getMessage() + "; known checks: "
                    + String.join(", ", levels.names()));
            return 2;
        }
        long dma;
        try {
            dma = Long.parseUnsignedLong(dmaLimit.startsWith("0x") || dmaLimit.startsWith("0X")
                    ? dmaLimit.substring(2) : dmaLimit, dmaLimit.toLowerCase(java.util.Locale.ROOT).startsWith("0x") ? 16 : 10);
        } catch (NumberFormatException e) {
            err.println("dtkit validate: --dma-limit '" + dmaLimit + "' is not a number");
            return 2;
        }
        if (jobs < 1) {
            err.println("dtkit validate: --jobs must be at least 1");
            return 2;
        }
        long t0 = System.nanoTime();
        // Loading schemas is mostly JVM warm-up; it runs beside the reading of the inputs.
        ValidateOptions options = new ValidateOptions(limit, dma, levels);
        ExecutorService loader = Executors.newSingleThreadExecutor(daemon("dtkit-schemas"));
        Path cache = cacheDir();
        Future<Validator> ready = loader.submit(() -> new Validator(
                schemaDirs.isEmpty() ? SchemaSet.bundled(cache) : SchemaSet.load(schemaDirs, cache), options));
        loader.shutdown();
        List<Path> files = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    java.nio.file.PathMatcher m = in.getFileSystem().getPathMatcher("glob:" + match);
                    s.filter(p -> m.matches(p.getFileName()))
                            .filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    reports.add(Report.unreadable(in.toString(), "cannot list folder: " + e.getMessage()));
                }
            } else {
                files.add(in);
            }
        }
        CompileOptions compile = CompileOptions.defaults().withIncludeDirs(includeDirs);
        // with the parser's stack, so that a source input's compile parses on the worker itself
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, files.size())),
                DtsCompiler.threadsWithParserStack("dtkit-validate"));
        try {
            List<Future<Object>> read = submitReads(pool, files, compile);
            Validator validator;
            try {
                validator = ready.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                err.println("dtkit validate: " + (c instanceof SchemaLoadException ? c.getMessage() : c.toString()));
                return 2;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 2;
            }
            long tLoad = System.nanoTime();
            for (String w : validator.schemaProblems()) {
                err.println(w);
            }
            if (validator.activeSchemas().isEmpty()) {
                err.println("dtkit validate: no schema file matches --limit '" + limit + "'");
                return 2;
            }
            for (int i = 1; i < repeat; i++) {
                validateAll(pool, validator, submitReads(pool, files, compile), files, err);
            }
            long t1 = repeat > 1 ? System.nanoTime() : tLoad;
            reports.addAll(validateAll(pool, validator, read.isEmpty() || repeat == 1 ? read
                    : submitReads(pool, files, compile), files, err));
            if (timing) {
                err.printf(java.util.Locale.ROOT, "timing: schemas %.1f ms, %d files %.1f ms%n",
                        (tLoad - t0) / 1e6, files.size(), (System.nanoTime() - t1) / 1e6);
            }
        } finally {
            pool.shutdownNow();
        }
        out.print(new ReportWriter(Version.VERSION).write(reports, fmt));
        out.flush();
        if (reports.stream().anyMatch(r -> r.failure() != null)) {
            return 2;
        }
        return reports.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
    }

    /**
     * Where processed schemas are kept between runs: {@code $DTKIT_CACHE_DIR} (empty: nowhere),
     * else {@code $XDG_CACHE_HOME/dtkit}, else {@code ~/.cache/dtkit}.
     */
    static Path cacheDir() {
        String dir = System.getenv("DTKIT_CACHE_DIR");
        if (dir != null) {
            return dir.isEmpty() ? null : Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "dtkit");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() ? null : Path.of(home, ".cache", "dtkit");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts reading every input; each future yields a DeviceTree or a failure text. */
    private static List<Future<Object>> submitReads(ExecutorService pool, List<Path> files,
                                                    CompileOptions compile) {
        List<Future<Object>> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(pool.submit(() -> {
                try {
                    return TreeInputs.read(f, compile);
                } catch (IOException e) {
                    return e.getMessage();
                }
            }));
        }
        return out;
    }

    private List<Report> validateAll(ExecutorService pool, Validator validator, List<Future<Object>> read,
                                     List<Path> files, PrintWriter err) {
        boolean progress = !noProgress && files.size() > 1 && System.console() != null;
        AtomicInteger done = new AtomicInteger();
        List<Future<Report>> futures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Future<Object> input = read.get(i);
            String name = files.get(i).toString();
            futures.add(pool.submit(() -> {
                Object tree = input.get();
                Report r = tree instanceof DeviceTree t ? validator.validate(t, name)
                        : Report.unreadable(name, (String) tree);
                int n = done.incrementAndGet();
                if (progress) {
                    synchronized (err) {
                        err.print(bar(n, files.size()));
                        err.flush();
                    }
                }
                return r;
            }));
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                reports.add(futures.get(i).get());
            } catch (ExecutionException e) {
                reports.add(Report.unreadable(files.get(i).toString(), "internal error: " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reports.add(Report.unreadable(files.get(i).toString(), "interrupted"));
            }
        }
        if (progress) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
        return reports;
    }

    private static String bar(int done, int total) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        return "\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total;
    }
}
