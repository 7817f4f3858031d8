package io.dtkit.cli;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.CompileResult;
import io.dtkit.dts.DtsWriter;
import io.dtkit.dts.YamlWriter;
import io.dtkit.dts.PhandleFormat;
import io.dtkit.dts.SourceFiles;
import io.dtkit.fdt.AsmWriter;
import io.dtkit.fdt.DtbOptions;
import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.FsReader;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.validate.DtcChecks;
import io.dtkit.source.Diagnostic;
import io.dtkit.source.Severity;
import io.dtkit.source.SourceException;
import io.dtkit.transform.TreeSorter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dtkit dtc}: dtc 1.6.1's command line (same options, input/output format guessing,
 * messages and exit codes: 1 for unreadable or unparsable input, 2 for a tree with errors).
 * {@code -v}/{@code --version} and {@code -h}/{@code --help} replace picocli's standard
 * options because dtc's {@code -V} is the blob version.
 */
@Command(name = "dtc", versionProvider = Version.class, sortOptions = false,
        description = "Compile and decompile device trees with dtc 1.6.1's options and output.")
public final class DtcCommand extends ByteStreams implements Callable<Integer> {

    @Spec
    CommandSpec spec;


    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-q", "--quiet"}, description = "-q suppresses warnings, -qq errors, -qqq all.")
    boolean[] quiet = new boolean[0];

    @Option(names = {"-I", "--in-format"}, paramLabel = "FMT", description = "Input format: dts, dtb, fs.")
    String inFormat;

    @Option(names = {"-O", "--out-format"}, paramLabel = "FMT", description = "Output format: dts, dtb, asm, yaml.")
    String outFormat;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Output file (default: standard output).")
    String outName = "-";

    @Option(names = {"-V", "--out-version"}, paramLabel = "N", description = "Blob version to write (default 17).")
    int outVersion = 17;

    @Option(names = {"-d", "--out-dependency"}, paramLabel = "FILE", description = "Write a make dependency file.")
    Path depFile;

    @Option(names = {"-R", "--reserve"}, paramLabel = "N", description = "Room for N more reserve map entries.")
    String reserve = "0";

    @Option(names = {"-S", "--space"}, paramLabel = "BYTES", description = "Make the blob at least BYTES long.")
    String space = "0";

    @Option(names = {"-p", "--pad"}, paramLabel = "BYTES", description = "Add BYTES of padding to the blob.")
    String pad = "0";

    @Option(names = {"-a", "--align"}, paramLabel = "BYTES", description = "Align the blob size to BYTES.")
    String align = "0";

    @Option(names = {"-b", "--boot-cpu"}, paramLabel = "ID", description = "Set the physical boot CPU.")
    String bootCpu;

    @Option(names = {"-f", "--force"}, description = "Write output even if the tree has errors.")
    boolean force;

    @Option(names = {"-i", "--include"}, paramLabel = "DIR", description = "Add a search path for include files.")
    List<Path> includeDirs = new ArrayList<>();

    @Option(names = {"-T", "--annotate"}, description = "Annotate DTS output with source positions (-T -T: full ranges).")
    boolean[] annotate = new boolean[0];

    @Option(names = {"-s", "--sort"}, description = "Sort nodes and properties before output.")
    boolean sort;

    @Option(names = {"-H", "--phandle"}, paramLabel = "FMT", description = "Phandle properties: legacy, epapr, both.")
    String phandle;

    @Option(names = {"-W", "--warning"}, paramLabel = "CHECK", description = "Enable/disable a warning (no- prefix).")
    List<String> warnings = new ArrayList<>();

    @Option(names = {"-E", "--error"}, paramLabel = "CHECK", description = "Enable/disable an error (no- prefix).")
    List<String> errors = new ArrayList<>();

    @Option(names = {"-@", "--symbols"}, description = "Generate a __symbols__ node.")
    boolean symbols;

    @Option(names = {"-A", "--auto-alias"}, description = "Add an alias for every label.")
    boolean autoAlias;

    @Option(names = {"-D"}, paramLabel = "NAME[=VALUE]",
            description = "Define a preprocessor macro (raw sources are preprocessed like cpp -x assembler-with-cpp).")
    List<String> defines = new ArrayList<>();

    @Option(names = {"-U"}, paramLabel = "NAME", description = "Undefine a preprocessor macro.")
    List<String> undefines = new ArrayList<>();

    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT", description = "Input file (default: standard input).")
    String input = "-";

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
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(err);
        } catch (Fatal f) {
            if (f.getMessage() != null) {
                err.println(f.getMessage());
            }
            err.flush();
            return f.exit;
        }
    }

    private int run(PrintWriter err) throws Fatal {
        int quietLevel = quiet.length;
        String inform = inFormat != null ? inFormat : guessInputFormat(input);
        String outform = outFormat != null ? outFormat : guessOutputFormat(outName, inform);
        if (annotate.length > 0 && (!inform.equals("dts") || !outform.equals("dts"))) {
            throw new Fatal(1, "FATAL ERROR: --annotate requires -I dts -O dts");
        }
        DtbOptions blobOptions = blobOptions();
        PhandleFormat phandleFormat = phandleFormat();

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
                            : SourceFiles.compile(Path.of(input), options, macros(), undefines);
                    tree = result.tree();
                    found.addAll(result.diagnostics());
                    filesRead = result.filesRead();
                } catch (SourceException e) {
                    report(err, e.diagnostics(), quietLevel);
                    throw new Fatal(exitFor(e.diagnostics()), fatalLine(e.diagnostics()));
                }
            }
            case "dtb" -> {
                tree = readBlob(input);
                filesRead = List.of(input);
            }
            case "fs" -> tree = readFolder(input, err, quietLevel);
            default -> throw new Fatal(1, "FATAL ERROR: Unknown input format \"" + inform + "\"");
        }
        DtcChecks.Config config;
        try {
            config = checkConfig();
        } catch (IllegalArgumentException e) {
            throw new Fatal(1, "FATAL ERROR: " + e.getMessage());
        }
        String fallback = outName.equals("-") ? "<stdout>" : outName;
        // A large source's blob is made on a second thread while dtc's checks run: it depends
        // only on the compiled tree, which the checks leave as it is for source input.
        FutureTask<byte[]> earlyBlob = null;
        if (inform.equals("dts") && outform.equals("dtb") && blobDuringChecks(input)) {
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
            case "dtb" -> earlyBlob != null ? result(earlyBlob) : DtbWriter.write(tree, blobOptions);
            case "dts" -> DtsWriter.write(tree, annotate.length, annotate.length == 0 ? null : annotationBase())
                    .getBytes(StandardCharsets.ISO_8859_1);
            case "asm" -> AsmWriter.write(tree, blobOptions).getBytes(StandardCharsets.ISO_8859_1);
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

    private DtcChecks.Config checkConfig() {
        DtcChecks.Config c = DtcChecks.Config.defaults().quiet(quiet.length);
        // dtc applies -W and -E in command-line order; picocli keeps each list's order, and
        // the two only interact for the same check name, which is rare enough to accept
        for (String w : warnings) {
            c = c.warning(w);
        }
        for (String e : errors) {
            c = c.error(e);
        }
        return c;
    }

    /**
     * The tree as dtc checks it: before the compiler added {@code __symbols__} ({@code -@}) and
     * an overlay's {@code __fixups__} / {@code __local_fixups__}.
     */
    private DeviceTree withoutGeneratedNodes(DeviceTree tree, String inform) {
        if (!inform.equals("dts")) {
            return tree;
        }
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
        if (last != null && last.span() == null && last.check() == null) {
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
            if (d.span() == null && d.check() == null && d.severity() == Severity.ERROR) {
                err.println("FATAL ERROR: " + d.message());
            } else {
                err.println(d.render());
            }
        }
        err.flush();
    }

    private DeviceTree readBlob(String name) throws Fatal {
        byte[] blob;
        try {
            blob = name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open \"" + name + "\": " + FdtFiles.reason(e));
        }
        try {
            return DtbReader.read(blob);
        } catch (FdtException e) {
            throw new Fatal(1, "FATAL ERROR: " + name + ": " + e.getMessage());
        }
    }

    private static DeviceTree readFolder(String name, PrintWriter err, int quietLevel) throws Fatal {
        try {
            return FsReader.read(Path.of(name), w -> {
                if (quietLevel < 1) {
                    err.println("WARNING: " + w);
                }
            });
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't opendir() \"" + name + "\": " + FdtFiles.reason(e));
        }
    }

    private String readStdin() throws Fatal {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
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
            AtomicFiles.write(Path.of(outName), out);
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open \"" + outName + "\": " + FdtFiles.reason(e));
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
            AtomicFiles.write(depFile, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new Fatal(1, "FATAL ERROR: Couldn't open dependency file " + depFile + ": " + FdtFiles.reason(e));
        }
    }

    private DtbOptions blobOptions() throws Fatal {
        try {
            int minSize = (int) parseNumber(space, "-S");
            int padding = (int) parseNumber(pad, "-p");
            if (minSize != 0 && padding != 0) {
                throw new IllegalArgumentException("Can't set both -p and -S");
            }
            return new DtbOptions(outVersion, (int) parseNumber(reserve, "-R"), minSize, padding,
                    (int) parseNumber(align, "-a"),
                    bootCpu == null ? null : parseNumber(bootCpu, "-b"));
        } catch (IllegalArgumentException e) {
            throw new Fatal(1, "FATAL ERROR: " + e.getMessage());
        }
    }

    private PhandleFormat phandleFormat() throws Fatal {
        if (phandle == null) {
            return PhandleFormat.EPAPR;
        }
        return switch (phandle) {
            case "legacy" -> PhandleFormat.LEGACY;
            case "epapr" -> PhandleFormat.EPAPR;
            case "both" -> PhandleFormat.BOTH;
            default -> throw new Fatal(1, "FATAL ERROR: Invalid argument \"" + phandle + "\" to -H option");
        };
    }

    /** strtol with base 0, as dtc reads its numeric options. */
    static long parseNumber(String text, String option) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.length() > 1 && t.startsWith("0")) {
                return Long.parseUnsignedLong(t.substring(1), 8);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid argument \"" + text + "\" to " + option + " option");
        }
    }

    /** dtc's guess: a directory is fs, the FDT magic is dtb, then the file name, else dts. */
    static String guessInputFormat(String name) {
        if (name.equals("-")) {
            return "dts";
        }
        Path p = Path.of(name);
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
