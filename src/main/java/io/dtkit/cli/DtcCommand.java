package io.dtkit.cli;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.CompileResult;
import io.dtkit.dts.DtsWriter;
import io.dtkit.dts.PhandleFormat;
import io.dtkit.dts.SourceFiles;
import io.dtkit.dts.YamlWriter;
import io.dtkit.fdt.AsmWriter;
import io.dtkit.fdt.DtbOptions;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.fdt.DtcBlobReader;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.FdtFormat;
import io.dtkit.fdt.FsReader;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.IoReasons;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.transform.TreeSorter;
import io.dtkit.validate.DtcChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;

/**
 * {@code dtkit dtc}: dtc 1.6.1's command line (same options, input/output format guessing,
 * messages and exit codes: 1 for unreadable or unparsable input, 2 for a tree with errors).
 *
 * <p>The arguments are read as dtc reads them, with GNU getopt_long's rules ({@link Getopt}):
 * clustered short options, long options shortened to any unambiguous prefix, operands anywhere,
 * numbers as C's {@code strtol} reads them, each option acted on in order (so an invalid
 * {@code -a}, {@code -H} or check name stops the run where dtc stops). Under picocli (tests)
 * the command only receives the words; from {@code main} and in a batch it runs without picocli
 * at all ({@link WordsCommand#run}).
 */
@Command(name = "dtc", description = "Compile and decompile device trees with dtc 1.6.1's options and output.")
public final class DtcCommand extends WordsCommand {

    /** What {@code dtc -v} prints: the release whose options and output this command follows. */
    static final String DTC_VERSION_LINE = "Version: DTC 1.6.1\n";

    /** One of dtc's options: short key, long name (null if none), argument label (null if none). */
    private record Opt(char key, String longName, String label, String help) {
    }

    /** In dtc's order, which is the order getopt lists the candidates of an ambiguous prefix in. */
    private static final List<Opt> OPTIONS = List.of(
            new Opt('q', "quiet", null, "-q suppresses warnings, -qq errors, -qqq all."),
            new Opt('I', "in-format", "FMT", "Input format: dts, dtb, fs."),
            new Opt('o', "out", "FILE", "Output file (default: standard output)."),
            new Opt('O', "out-format", "FMT", "Output format: dts, dtb, asm, yaml."),
            new Opt('V', "out-version", "N", "Blob version to write (default 17)."),
            new Opt('d', "out-dependency", "FILE", "Write a make dependency file."),
            new Opt('R', "reserve", "N", "Room for N more reserve map entries."),
            new Opt('S', "space", "BYTES", "Make the blob at least BYTES long."),
            new Opt('p', "pad", "BYTES", "Add BYTES of padding to the blob."),
            new Opt('a', "align", "BYTES", "Align the blob size to BYTES."),
            new Opt('b', "boot-cpu", "ID", "Set the physical boot CPU."),
            new Opt('f', "force", null, "Write output even if the tree has errors."),
            new Opt('i', "include", "DIR", "Add a search path for include files."),
            new Opt('s', "sort", null, "Sort nodes and properties before output."),
            new Opt('H', "phandle", "FMT", "Phandle properties: legacy, epapr, both."),
            new Opt('W', "warning", "CHECK", "Enable/disable a warning (no- prefix)."),
            new Opt('E', "error", "CHECK", "Enable/disable an error (no- prefix)."),
            new Opt('@', "symbols", null, "Generate a __symbols__ node."),
            new Opt('A', "auto-alias", null, "Add an alias for every label."),
            new Opt('T', "annotate", null, "Annotate DTS output with source positions (-T -T: full ranges)."),
            new Opt('h', "help", null, "Print this help and exit."),
            new Opt('v', "version", null, "Print the version and exit."),
            new Opt('D', null, "NAME[=VALUE]",
                    "Define a preprocessor macro (raw sources are preprocessed like cpp -x assembler-with-cpp)."),
            new Opt('U', null, "NAME", "Undefine a preprocessor macro."));

    private static final String SHORT_SPEC;
    private static final List<Getopt.LongOption> LONG_OPTIONS;

    static {
        StringBuilder spec = new StringBuilder();
        List<Getopt.LongOption> longs = new ArrayList<>();
        for (Opt o : OPTIONS) {
            spec.append(o.key());
            if (o.label() != null) {
                spec.append(':');
            }
            if (o.longName() != null) {
                longs.add(new Getopt.LongOption(o.longName(), o.label() != null, o.key()));
            }
        }
        SHORT_SPEC = spec.toString();
        LONG_OPTIONS = List.copyOf(longs);
    }

    // the options as dtc keeps them, set by readOptions
    private int quiet;
    private String inFormat;
    private String outFormat;
    private String outName;
    private int outVersion;
    private String depFile;
    private int reserve;
    private int space;
    private int pad;
    private int align;
    private Long bootCpu;
    private boolean force;
    private List<Path> includeDirs;
    private int annotate;
    private boolean sort;
    private PhandleFormat phandleFormat;
    private DtcChecks.Config checkConfig;
    private boolean symbols;
    private boolean autoAlias;
    private List<String> defines;
    private List<String> undefines;
    private String input;

    /**
     * Reads {@link #words} as dtc's {@code main} does. Returns an exit code when the options
     * themselves end the run (help, version, a mistake), else null.
     */
    private Integer readOptions(PrintWriter out, PrintWriter err) throws Fatal {
        quiet = 0;
        inFormat = null;
        outFormat = null;
        outName = "-";
        outVersion = FdtFormat.DEFAULT_VERSION;
        depFile = null;
        reserve = 0;
        space = 0;
        pad = 0;
        align = 0;
        bootCpu = null;
        force = false;
        includeDirs = new ArrayList<>();
        annotate = 0;
        sort = false;
        phandleFormat = PhandleFormat.EPAPR;
        checkConfig = DtcChecks.Config.defaults();
        symbols = false;
        autoAlias = false;
        defines = new ArrayList<>();
        undefines = new ArrayList<>();
        Getopt g = new Getopt("dtc", SHORT_SPEC, LONG_OPTIONS, words, System.getenv("POSIXLY_CORRECT") != null);
        try {
            for (int key = g.next(); key >= 0; key = g.next()) {
                String v = g.value();
                switch (key) {
                    case 'q' -> quiet++;
                    case 'I' -> inFormat = v;
                    case 'O' -> outFormat = v;
                    case 'o' -> outName = v;
                    case 'V' -> outVersion = (int) Getopt.strtoll(v);
                    case 'd' -> depFile = v;
                    case 'R' -> reserve = (int) Getopt.strtoll(v);
                    case 'S' -> space = (int) Getopt.strtoll(v);
                    case 'p' -> pad = (int) Getopt.strtoll(v);
                    case 'a' -> {
                        align = (int) Getopt.strtoll(v);
                        if (align <= 0 || Integer.bitCount(align) != 1) {
                            throw new Fatal(1, "FATAL ERROR: Invalid argument \"" + align + "\" to -a option");
                        }
                    }
                    case 'b' -> {
                        // -1, dtc's "not given", leaves the boot CPU to the tree
                        long id = Getopt.strtoll(v);
                        bootCpu = id == -1 ? null : id & 0xffffffffL;
                    }
                    case 'f' -> force = true;
                    case 'i' -> includeDirs.add(Path.of(v));
                    case 's' -> sort = true;
                    case 'H' -> phandleFormat = switch (v) {
                        case "legacy" -> PhandleFormat.LEGACY;
                        case "epapr" -> PhandleFormat.EPAPR;
                        case "both" -> PhandleFormat.BOTH;
                        default -> throw new Fatal(1, "FATAL ERROR: Invalid argument \"" + v + "\" to -H option");
                    };
                    case 'W', 'E' -> {
                        try {
                            checkConfig = key == 'W' ? checkConfig.warning(v) : checkConfig.error(v);
                        } catch (IllegalArgumentException e) {
                            throw new Fatal(1, "FATAL ERROR: " + e.getMessage());
                        }
                    }
                    case '@' -> symbols = true;
                    case 'A' -> autoAlias = true;
                    case 'T' -> annotate++;
                    case 'h' -> {
                        out.print(usage());
                        out.flush();
                        return 0;
                    }
                    case 'v' -> {
                        // dtc's own line: build scripts read the version from it (U-Boot takes
                        // its last word, Zephyr matches "Version: DTC x.y.z"); dtkit's own
                        // version is what `dtkit --version` prints
                        out.print(DTC_VERSION_LINE);
                        out.flush();
                        return 0;
                    }
                    case 'D' -> defines.add(v);
                    case 'U' -> undefines.add(v);
                    default -> throw new IllegalStateException("option -" + (char) key + " not handled");
                }
            }
        } catch (Getopt.Mistake m) {
            err.println(m.getMessage());
            return FdtFiles.usageError(err, usage(), "unknown option");
        } catch (java.nio.file.InvalidPathException e) {
            throw new Fatal(1, "FATAL ERROR: " + e.getMessage());
        }
        List<String> operands = g.operands();
        if (operands.size() > 1) {
            return FdtFiles.usageError(err, usage(), "missing files");
        }
        input = operands.isEmpty() ? "-" : operands.get(0);
        checkConfig = checkConfig.quiet(quiet);
        return null;
    }

    private static String usage() {
        StringBuilder w = new StringBuilder("Usage: dtkit dtc [options] <input file>\n\n")
                .append("Compile and decompile device trees with dtc 1.6.1's options and output.\n\nOptions:\n");
        for (Opt o : OPTIONS) {
            int lineStart = w.length();
            w.append("  -").append(o.key());
            if (o.longName() != null) {
                w.append(", --").append(o.longName());
            }
            if (o.label() != null) {
                w.append(' ').append(o.label());
            }
            while (w.length() - lineStart < 30) {
                w.append(' ');
            }
            w.append(' ').append(o.help()).append('\n');
        }
        return w.toString();
    }

    /** Raised to end the run with dtc's message and exit code. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;
        final int exit;

        Fatal(int exit, String message) {
            super(message, null, false, false);
            this.exit = exit;
        }
    }

    @Override
    int execute(PrintWriter out, PrintWriter err) {
        try {
            Integer done = readOptions(out, err);
            if (done != null) {
                return done;
            }
            return run(err);
        } catch (Fatal f) {
            if (f.getMessage() != null) {
                err.println(f.getMessage());
            }
            err.flush();
            return f.exit;
        } catch (RuntimeException e) {
            err.println("FATAL ERROR: internal error: " + e);
            err.flush();
            return 1;
        }
    }

    private int run(PrintWriter err) throws Fatal {
        DtbOptions blobOptions = blobOptions();
        if (depFile != null) {
            // dtc opens its dependency file before it reads anything, so it fails first
            try {
                AtomicFiles.checkWritable(FileNames.output(depFile));
            } catch (IOException e) {
                throw new Fatal(1, "FATAL ERROR: Couldn't open dependency file " + depFile + ": " + IoReasons.of(e));
            }
        }
        int quietLevel = quiet;
        String inform = inFormat != null ? inFormat : guessInputFormat(input);
        String outform = outFormat != null ? outFormat : guessOutputFormat(outName, inform);
        if (annotate > 0 && (!inform.equals("dts") || !outform.equals("dts"))) {
            throw new Fatal(1, "FATAL ERROR: --annotate requires -I dts -O dts");
        }

        DeviceTree tree;
        List<Diagnostic> found = new ArrayList<>();
        List<String> filesRead = List.of();
        switch (inform) {
            case "dts" -> {
                CompileOptions options = CompileOptions.defaults()
                        .withIncludeDirs(includeDirs)
                        .withPhandleFormat(phandleFormat)
                        .withSymbols(symbols)
                        .withAutoLabelAliases(autoAlias)
                        .withBootCpuid(blobOptions.bootCpuid())
                        .withForce(force);
                try {
                    CompileResult result = input.equals("-")
                            ? SourceFiles.compile(readStdin(), "<stdin>", options, macros(), undefines)
                            : SourceFiles.compile(sourcePath(input), options, macros(), undefines);
                    tree = result.tree();
                    found.addAll(result.diagnostics());
                    filesRead = result.filesRead();
                } catch (SourceException e) {
                    report(err, e.diagnostics(), quietLevel);
                    throw new Fatal(exitFor(e.diagnostics()), fatalLine(e.diagnostics()));
                }
            }
            case "dtb" -> {
                tree = readBlob(input, err);
                filesRead = List.of(input);
            }
            case "fs" -> tree = readFolder(input, err);
            default -> throw new Fatal(1, "FATAL ERROR: Unknown input format \"" + inform + "\"");
        }
        DtcChecks.Config config = checkConfig;
        String fallback = outName.equals("-") ? "<stdout>" : outName;
        // A large source's blob is made on a second thread while dtc's checks run: it depends
        // only on the compiled tree, which the checks leave as it is for source input.
        FutureTask<byte[]> earlyBlob = null;
        if (inform.equals("dts") && outform.equals("dtb") && DtbOptions.isKnownVersion(outVersion)
                && blobDuringChecks(input)) {
            DeviceTree compiled = tree;
            earlyBlob = new FutureTask<>(() -> DtbWriter.write(forOutput(compiled, blobOptions), blobOptions));
            Thread writer = new Thread(earlyBlob, "dtb-writer");
            writer.setDaemon(true);
            writer.start();
        }
        boolean compileErrors = found.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        DtcChecks.Result checked = compileErrors
                // forced past a failed check: dtc runs no check after the first that fails
                ? new DtcChecks.Result(List.of(), true, tree)
                : DtcChecks.check(withoutGeneratedNodes(tree, inform), config, fallback, List.of());
        found.addAll(checked.diagnostics());
        report(err, found, quietLevel);
        String verdict = DtcChecks.verdict(checked, force, quietLevel);
        if (checked.hasErrors() && !force) {
            throw new Fatal(DtcChecks.ERROR_EXIT, verdict);
        }
        if (verdict != null) {
            err.println(verdict);
            err.flush();
        }
        if (!inform.equals("dts")) {
            // checks drop name properties that repeat the node name; sources had that done by the compiler
            tree = checked.tree();
        }

        tree = forOutput(tree, blobOptions);
        byte[] out = switch (outform) {
            case "dtb" -> {
                checkVersion();
                yield earlyBlob != null ? result(earlyBlob) : DtbWriter.write(tree, blobOptions);
            }
            case "dts" -> DtsWriter.write(tree, annotate, annotate == 0 ? null : annotationBase())
                    .getBytes(StandardCharsets.ISO_8859_1);
            case "asm" -> {
                checkVersion();
                yield AsmWriter.write(tree, blobOptions).getBytes(StandardCharsets.ISO_8859_1);
            }
            case "yaml" -> {
                if (!inform.equals("dts")) {
                    throw new Fatal(1, "FATAL ERROR: YAML output format requires dts input format");
                }
                yield yaml(tree);
            }
            default -> throw new Fatal(1, "FATAL ERROR: Unknown output format \"" + outform + "\"");
        };
        writeOutput(out);
        if (depFile != null) {
            writeDependencies(filesRead);
        }
        return 0;
    }

    /** The tree as it is written: with the boot CPU given on the command line, sorted if asked. */
    private DeviceTree forOutput(DeviceTree tree, DtbOptions blobOptions) {
        DeviceTree t = blobOptions.bootCpuid() != null ? tree.withBootCpuidPhys(blobOptions.bootCpuid()) : tree;
        return sort ? TreeSorter.sort(t) : t;
    }

    /*
     * Sources from 4 MiB (the launcher's threshold for large inputs) to 64 MiB have their blob
     * made during the checks: 100k nodes (24 MiB), five interleaved pairs, 4.28-4.45 s against
     * 4.38-5.03 s. Smaller ones gain nothing measurable (and batch already uses every core);
     * for 1M nodes (250 MiB) the blob's buffers and the checks' tables together no longer fit
     * beside the tree and a full collection followed (32.3 s against 27.7 s).
     */
    private static final long BLOB_DURING_CHECKS_FROM = 4L << 20;
    private static final long BLOB_DURING_CHECKS_BELOW = 64L << 20;

    private static boolean blobDuringChecks(String input) {
        if (input.equals("-")) {
            return false;
        }
        try {
            long size = Files.size(Path.of(input));
            return size >= BLOB_DURING_CHECKS_FROM && size < BLOB_DURING_CHECKS_BELOW;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The blob made on the second thread; its failure is thrown here, as if made here. */
    private static byte[] result(FutureTask<byte[]> blob) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return blob.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The name dtc shortens {@code -T} file names against (see {@link DtsWriter#annotationBase}). */
    private String annotationBase() {
        try {
            String text = input.equals("-") ? "" : Files.readString(Path.of(input), StandardCharsets.ISO_8859_1);
            return DtsWriter.annotationBase(text, input);
        } catch (IOException e) {
            return input;
        }
    }

    private static byte[] yaml(DeviceTree tree) throws Fatal {
        try {
            return YamlWriter.write(tree).getBytes(StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw new Fatal(1, "FATAL ERROR: " + e.getMessage());
        }
    }

    /**
     * The tree as dtc checks it: before the compiler added {@code __symbols__} ({@code -@}) and
     * an overlay's {@code __fixups__} / {@code __local_fixups__}.
     */
    private DeviceTree withoutGeneratedNodes(DeviceTree tree, String inform) {
        return inform.equals("dts") ? withoutGeneratedNodes(tree, symbols) : tree;
    }

    /**
     * A compiled tree as dtc's checks see it: without the nodes the compiler generates after them
     * ({@code __symbols__} with -@, a plugin's fixups).
     */
    static DeviceTree withoutGeneratedNodes(DeviceTree tree, boolean symbols) {
        Node root = tree.root();
        if (symbols) {
            root = root.withoutChild("__symbols__");
        }
        if (tree.plugin()) {
            root = root.withoutChild("__fixups__").withoutChild("__local_fixups__");
        }
        return root == tree.root() ? tree : tree.withRoot(root);
    }

    private static int exitFor(List<Diagnostic> diagnostics) {
        return scannerGaveUp(diagnostics) || diagnostics.stream().anyMatch(Diagnostic::fromCheck) ? 2 : 1;
    }

    /** Whether dtc's scanner gave up on an input it opened: its message is then all dtc prints. */
    private static boolean scannerGaveUp(List<Diagnostic> diagnostics) {
        return diagnostics.stream().anyMatch(d -> Diagnostic.PLAIN.equals(d.check()) && d.severity() == Severity.ERROR);
    }

    /** The closing line dtc prints when it gives up on a source file. */
    private static String fatalLine(List<Diagnostic> diagnostics) {
        if (scannerGaveUp(diagnostics)) {
            return null;
        }
        if (exitFor(diagnostics) == 2) {
            return "ERROR: Input tree has errors, aborting (use -f to force output)";
        }
        Diagnostic last = diagnostics.isEmpty() ? null : diagnostics.get(diagnostics.size() - 1);
        if (last != null && last.span() == null
                && (last.check() == null || Diagnostic.UNENDED.equals(last.check()))) {
            return null; // already printed as FATAL ERROR
        }
        // dtc gives up with "Unable to parse" when its grammar failed, and with "Syntax error
        // parsing" when the parse finished but values in it were bad (division by zero, ...)
        boolean grammarFailed = diagnostics.stream()
                .anyMatch(d -> d.check() == null && d.span() != null && d.message().equals("syntax error"));
        return grammarFailed ? "FATAL ERROR: Unable to parse input tree"
                : "FATAL ERROR: Syntax error parsing input tree";
    }

    /**
     * Prints diagnostics as dtc does, honouring {@code -q} levels, which quiet only the
     * checks' messages: errors of the parser and lexer and fatal ones are always printed.
     */
    static void report(PrintWriter err, List<Diagnostic> diagnostics, int quietLevel) {
        for (Diagnostic d : diagnostics) {
            if (d.fromCheck() && d.severity() == Severity.WARNING && quietLevel >= 1) {
                continue;
            }
            if (d.fromCheck() && d.severity() == Severity.ERROR && quietLevel >= 2) {
                continue;
            }
            if (d.fromCheck()) {
                d = d.withTreeTextAsBytes();
            }
            if (Diagnostic.UNENDED.equals(d.check())) {
                err.print("FATAL ERROR: " + d.message());
            } else if (d.span() == null && d.check() == null && d.severity() == Severity.ERROR) {
                err.println("FATAL ERROR: " + d.message());
            } else {
                err.println(d.render());
            }
        }
        err.flush();
    }

    /** The path of an input named on the command line, or dtc's error for a name it cannot open. */
    private static Path sourcePath(String name) throws Fatal {
        try {
            return FileNames.input(name);
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open \"" + name + "\": " + IoReasons.of(e));
        }
    }

    /** The blob read as dtc reads it; the warnings it prints while reading go out at once. */
    private DeviceTree readBlob(String name, PrintWriter err) throws Fatal {
        Path p = name.equals("-") ? null : sourcePath(name);
        try (InputStream in = p == null ? null : Files.newInputStream(p)) {
            return DtcBlobReader.read(p == null ? stdin : in, w -> {
                err.println(w);
                err.flush();
            });
        } catch (FdtException e) {
            throw new Fatal(1, "FATAL ERROR: " + e.detail());
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open \"" + name + "\": " + IoReasons.of(e));
        }
    }

    private static DeviceTree readFolder(String name, PrintWriter err) throws Fatal {
        try {
            // dtc prints these whatever -q says
            return FsReader.read(FileNames.input(name), w -> {
                err.println("WARNING: " + w);
                err.flush();
            });
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't opendir() \"" + name + "\": " + IoReasons.of(e));
        }
    }

    private byte[] readStdin() throws Fatal {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't read standard input: " + e.getMessage());
        }
    }

    private void writeOutput(byte[] out) throws Fatal {
        if (outName.equals("-")) {
            try {
                stdout.write(out);
                stdout.flush();
            } catch (IOException e) {
                throw new Fatal(1, "FATAL ERROR: Couldn't write output: " + e.getMessage());
            }
            return;
        }
        try {
            AtomicFiles.write(FileNames.output(outName), out);
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open output file " + outName + ": " + IoReasons.of(e));
        }
    }

    /** The {@code -D NAME[=VALUE]} options as the preprocessor takes them. */
    private Map<String, String> macros() {
        Map<String, String> macros = new LinkedHashMap<>();
        for (String d : defines) {
            int eq = d.indexOf('=');
            macros.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? null : d.substring(eq + 1));
        }
        return macros;
    }

    /** dtc's {@code -d} file: one make rule, the output depending on every source file read. */
    private void writeDependencies(List<String> files) throws Fatal {
        StringBuilder sb = new StringBuilder(outName).append(':');
        for (String f : files) {
            sb.append(' ').append(f);
        }
        sb.append('\n');
        try {
            // names are text (from the command line, or read from sources as UTF-8): their bytes are UTF-8
            AtomicFiles.write(FileNames.output(depFile), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open dependency file " + depFile + ": " + IoReasons.of(e));
        }
    }

    /**
     * The blob options as dtc applies them: sizes and reserve entries count only when positive;
     * an unknown version is refused only where a blob or assembly is written ({@link #checkVersion}).
     */
    private DtbOptions blobOptions() throws Fatal {
        if (space != 0 && pad != 0) {
            throw new Fatal(1, "FATAL ERROR: Can't set both -p and -S");
        }
        int version = DtbOptions.isKnownVersion(outVersion) ? outVersion : FdtFormat.DEFAULT_VERSION;
        return new DtbOptions(version, Math.max(reserve, 0), Math.max(space, 0), Math.max(pad, 0), align, bootCpu);
    }

    private void checkVersion() throws Fatal {
        if (!DtbOptions.isKnownVersion(outVersion)) {
            throw new Fatal(1, "FATAL ERROR: Unknown device tree blob version " + outVersion);
        }
    }

    /** dtc's guess: a directory is fs, the FDT magic is dtb, then the file name, else dts. */
    static String guessInputFormat(String name) {
        if (name.equals("-")) {
            return "dts";
        }
        Path p;
        try {
            p = FileNames.input(name);
        } catch (IOException e) {
            return "dts"; // the compiler reports the name
        }
        if (Files.isDirectory(p)) {
            return "fs";
        }
        if (!Files.isRegularFile(p)) {
            return "dts";
        }
        try (var in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4) {
                return "dts";
            }
            if ((magic[0] & 0xff) == 0xd0 && (magic[1] & 0xff) == 0x0d
                    && (magic[2] & 0xff) == 0xfe && (magic[3] & 0xff) == 0xed) {
                return "dtb";
            }
        } catch (IOException e) {
            return "dts";
        }
        String byName = typeByName(name);
        return byName != null ? byName : "dts";
    }

    static String guessOutputFormat(String outName, String inform) {
        String byName = typeByName(outName);
        if (byName != null) {
            return byName;
        }
        return inform.equals("dts") ? "dtb" : "dts";
    }

    private static String typeByName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        return switch (name.substring(dot).toLowerCase(Locale.ROOT)) {
            case ".dts" -> "dts";
            case ".yaml" -> "yaml"; // dtc guesses no name for asm: x.S gets a blob
            case ".dtb", ".dtbo" -> "dtb";
            default -> null;
        };
    }
}
