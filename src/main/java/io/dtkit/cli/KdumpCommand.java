package io.dtkit.cli;

import io.dtkit.kdump.CrashPlanner;
import io.dtkit.kdump.Crashkernel;
import io.dtkit.kdump.Explain;
import io.dtkit.kdump.Iomem;
import io.dtkit.kdump.KdumpException;
import io.dtkit.kdump.KdumpPreparer;
import io.dtkit.kdump.KdumpSourcePreparer;
import io.dtkit.kdump.MemRange;
import io.dtkit.kdump.MemoryMap;
import io.dtkit.kdump.MemoryMapSvg;
import io.dtkit.kdump.Refusal;
import io.dtkit.kdump.Sizes;
import io.dtkit.kdump.TreeMemory;
import io.dtkit.model.DeviceTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtkit kdump}: writes the dump kernel's DTB the way kexec-tools does (issue 4). */
@Command(name = "kdump", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Write the dump (crash) kernel's DTB the way kexec-tools prepares it on arm64:",
                "bootargs, kaslr-seed, linux,elfcorehdr and linux,usable-memory-range (high range first, low last).",
                "Refusals exit with 1, name the reason and write nothing."},
        subcommands = {KdumpCommand.ExplainCommand.class})
public final class KdumpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dtb", paramLabel = "FILE",
            description = "Input DTB, or a folder laid out like /proc/device-tree (default /sys/firmware/fdt, then /proc/device-tree).")
    Path dtb;

    @Option(names = "--iomem", paramLabel = "FILE", description = "iomem listing with \"Crash kernel\" entries (default /proc/iomem).")
    Path iomem;

    @Option(names = "--range", paramLabel = "BASE,SIZE", description = "A crash region (once or twice) instead of --iomem.")
    List<String> ranges = new ArrayList<>();

    @Option(names = "--plan", paramLabel = "CRASHKERNEL",
            description = "Compute the crash regions from crashkernel=... and the memory map (of --iomem if given, else of the DTB).")
    String plan;

    @Option(names = "--dma-limit", paramLabel = "SIZE", defaultValue = "4G",
            description = "DMA limit for --plan, --explain and --svg (default ${DEFAULT-VALUE}; 1G for Raspberry Pi 4 class SoCs).")
    String dmaLimit = "4G";

    @Option(names = "--elfcorehdr", paramLabel = "BASE,SIZE", description = "Where the ELF core header lies.")
    String elfcorehdr;

    @Option(names = "--bootargs", paramLabel = "TEXT", description = "Replace /chosen/bootargs.")
    String bootargs;

    @Option(names = "--append", paramLabel = "TEXT", description = "Add to the existing bootargs, after a space.")
    String append;

    @Option(names = "--initrd", paramLabel = "START,END", description = "Set linux,initrd-start/end (64-bit).")
    String initrd;

    @Option(names = "--kaslr-seed", paramLabel = "random|zero|VALUE", defaultValue = "random",
            description = "New kaslr-seed, written when the input has a wiped 8-byte one (default ${DEFAULT-VALUE}, from a secure source).")
    String kaslrSeed = "random";

    @Option(names = "--force-kaslr", description = "Overwrite a non-zero kaslr-seed instead of refusing.")
    boolean forceKaslr;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output DTB (or DTS for a .dts input), written atomically.")
    Path output;

    @Option(names = {"-i", "--include"}, paramLabel = "DIR",
            description = "For a .dts input: where its #include and /include/ files are (after its own folder); repeatable.")
    List<Path> includeDirs = new ArrayList<>();

    @Option(names = "--explain", description = "Print what old and current dump kernels treat as usable memory"
            + " (for OUT when writing one, else for the input).")
    boolean explain;

    @Option(names = "--svg", paramLabel = "FILE", description = "Draw the physical memory map as SVG.")
    Path svg;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs a plain command line without picocli, whose model (built by reflection over the
     * annotations above) is a large part of a boot-time run; see {@link #readPlain}. Null when
     * the words need picocli: help, version, {@code explain}, anything {@code readPlain} does
     * not take, and a usage mistake found while running (each is found before anything is
     * written, so picocli's run starts from the same state and reports it).
     */
    static Integer runAlone(List<String> words) {
        KdumpCommand c = readPlain(words);
        if (c == null) {
            return null;
        }
        try {
            return c.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (UsageMistake e) {
            return null;
        }
    }

    /** A usage mistake found by a run without picocli; picocli's run reports it. */
    private static final class UsageMistake extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageMistake() {
            super(null, null, false, false);
        }
    }

    private RuntimeException usage(String message) {
        return spec == null ? new UsageMistake() : new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /*
     * The options read without picocli. Each has its @Option above; MainTest checks that every
     * annotated name is here and that both readers give the same fields.
     */
    private static final java.util.Set<String> PLAIN_FLAGS = java.util.Set.of("--force-kaslr", "--explain");
    private static final java.util.Set<String> PLAIN_VALUES = java.util.Set.of("--dtb", "--iomem", "--range",
            "--plan", "--dma-limit", "--elfcorehdr", "--bootargs", "--append", "--initrd", "--kaslr-seed", "-o",
            "--output", "--svg", "-i", "--include");

    /**
     * The command as picocli would fill it from {@code words}, for the forms a script writes:
     * {@code --name VALUE}, {@code --name=VALUE}, {@code -o VALUE} and the two flags, each
     * single-valued option at most once. Anything else (help, version, a word that is no option,
     * a value that starts with a dash, a repeated option, clustered short options, an
     * {@code @file}) gives null, and picocli reads the words instead.
     */
    static KdumpCommand readPlain(List<String> words) {
        KdumpCommand c = new KdumpCommand();
        boolean plain = PlainWords.read(words, PLAIN_FLAGS, PLAIN_VALUES, Map.of("-o", "--output", "-i", "--include"),
                java.util.Set.of("--range", "--include"), false, (key, value) -> {
                    switch (key) {
                        case "--explain" -> c.explain = true;
                        case "--force-kaslr" -> c.forceKaslr = true;
                        case "--dtb" -> c.dtb = Path.of(value);
                        case "--iomem" -> c.iomem = Path.of(value);
                        case "--range" -> c.ranges.add(value);
                        case "--plan" -> c.plan = value;
                        case "--dma-limit" -> c.dmaLimit = value;
                        case "--elfcorehdr" -> c.elfcorehdr = value;
                        case "--bootargs" -> c.bootargs = value;
                        case "--append" -> c.append = value;
                        case "--initrd" -> c.initrd = value;
                        case "--kaslr-seed" -> c.kaslrSeed = value;
                        case "--output" -> c.output = Path.of(value);
                        case "--svg" -> c.svg = Path.of(value);
                        case "--include" -> c.includeDirs.add(Path.of(value));
                        default -> throw new IllegalStateException(key);
                    }
                });
        return plain ? c : null;
    }

    private int run(PrintWriter out, PrintWriter err) {
        try {
            long dma = Sizes.parse("--dma-limit", dmaLimit);
            if (dtb != null && dtb.getFileName() != null && dtb.getFileName().toString().endsWith(".dts")) {
                return source(dma, err);
            }
            byte[] input = Trees.readInput(dtb);
            boolean writing = output != null;
            if (!writing) {
                if (!explain && svg == null) {
                    throw usage("nothing to do: give -o OUT (and --elfcorehdr), --explain or --svg");
                }
                DeviceTree tree = Trees.read(input);
                if (explain) {
                    out.print(Explain.of(tree, dma).render());
                }
                if (svg != null) {
                    Explain e = Explain.of(tree, dma);
                    writeSvg(TreeMemory.memoryMap(tree), regionsFromTree(e), e.elfcorehdr(), e.lowLimit());
                }
                out.flush();
                return 0;
            }
            if (elfcorehdr == null) {
                throw usage("--elfcorehdr BASE,SIZE is required with -o");
            }
            List<MemRange> regions = regions(input, dma, err);
            KdumpPreparer.Request req = new KdumpPreparer.Request(regions, MemRange.parse("--elfcorehdr", elfcorehdr),
                    bootargs, append, initrd == null ? null : startEnd(initrd), seed(), forceKaslr);
            KdumpPreparer.Result result = KdumpPreparer.prepare(input, req);
            for (String w : result.warnings()) {
                err.println("dtkit kdump: warning: " + w);
            }
            AtomicFiles.write(output, result.dtb());
            if (explain || svg != null) {
                DeviceTree tree = Trees.read(result.dtb());
                Explain e = Explain.of(tree, dma);
                if (explain) {
                    out.print(e.render());
                }
                if (svg != null) {
                    writeSvg(TreeMemory.memoryMap(tree), regionsFromTree(e), e.elfcorehdr(), e.lowLimit());
                }
            }
            out.flush();
            err.flush();
            return 0;
        } catch (KdumpException e) {
            err.println("dtkit kdump: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("dtkit kdump: cannot write " + FdtFiles.writeFailure(e, output));
            err.flush();
            return 1;
        }
    }

    /**
     * A .dts input: the same properties are set by editing the source, keeping every other byte
     * of it (see {@link KdumpSourcePreparer}); the result goes to OUT.
     */
    private int source(long dma, PrintWriter err) throws KdumpException, IOException {
        if (explain || svg != null) {
            throw usage("--explain and --svg read a DTB; compile the source first");
        }
        if (output == null || elfcorehdr == null) {
            throw usage("-o OUT and --elfcorehdr BASE,SIZE are required with a .dts input");
        }
        if (plan != null && iomem == null) {
            throw usage("--plan with a .dts input needs --iomem");
        }
        if (output.getFileName() != null && output.getFileName().toString().endsWith(".dtb")) {
            throw new KdumpException(Refusal.SYNTAX, "a .dts input is edited as source by the DTS source editor:"
                    + " give an OUT ending in .dts, then compile it (dtkit dtc) for a DTB");
        }
        io.dtkit.dts.edit.DtsSourceEditor ed;
        try {
            ed = io.dtkit.dts.edit.DtsSourceEditor.open(dtb, includeDirs);
        } catch (io.dtkit.dts.edit.DtsEditException e) {
            throw new KdumpException(Refusal.SYNTAX, e, "%s", e.getMessage());
        }
        List<MemRange> regions = regions(null, dma, err);
        KdumpPreparer.Request req = new KdumpPreparer.Request(regions, MemRange.parse("--elfcorehdr", elfcorehdr),
                bootargs, append, initrd == null ? null : startEnd(initrd), seed(), forceKaslr);
        KdumpSourcePreparer.Result result = KdumpSourcePreparer.prepare(ed, req);
        for (String w : result.warnings()) {
            err.println("dtkit kdump: warning: " + w);
        }
        AtomicFiles.write(output, result.source());
        err.flush();
        return 0;
    }

    private List<MemRange> regions(byte[] input, long dma, PrintWriter err) throws KdumpException, IOException {
        if (!ranges.isEmpty() && (plan != null || iomem != null)) {
            throw usage("--range excludes --plan and --iomem");
        }
        if (!ranges.isEmpty()) {
            List<MemRange> rs = new ArrayList<>();
            for (String r : ranges) {
                rs.add(MemRange.parse("--range", r));
            }
            // taken like an iomem listing: ascending, so the written order is high first, low last
            rs.sort(null);
            return rs;
        }
        if (plan != null) {
            // the memory map comes from --iomem (its System RAM) when given, else from the DTB
            MemoryMap map = iomem != null ? MemoryMap.fromIomem(Iomem.parse(Trees.readText(iomem)))
                    : TreeMemory.memoryMap(Trees.read(input));
            CrashPlanner.Plan p = CrashPlanner.plan(Crashkernel.parse(plan), map, dma);
            for (String n : p.notes()) {
                err.println("dtkit kdump: plan: " + n);
            }
            return p.crashRegions();
        }
        Path file = iomem == null ? Path.of("/proc/iomem") : iomem;
        return Iomem.parse(Trees.readText(file)).crashRegions();
    }

    private static List<MemoryMap.Region> regionsFromTree(Explain e) {
        List<MemoryMap.Region> out = new ArrayList<>();
        // kexec-tools writes the main region first and the low one second
        for (int i = 0; i < Math.min(2, e.ranges().size()); i++) {
            out.add(new MemoryMap.Region(i == 1 ? Iomem.CRASH_KERNEL + " (low)" : Iomem.CRASH_KERNEL, e.ranges().get(i)));
        }
        return out;
    }

    private void writeSvg(MemoryMap map, List<MemoryMap.Region> crash, MemRange elf, long lowLimit) throws IOException {
        AtomicFiles.write(svg, MemoryMapSvg.render(map, crash, elf, lowLimit).getBytes(StandardCharsets.UTF_8));
    }

    private LongSupplier seed() throws KdumpException {
        switch (kaslrSeed) {
            case "random":
                return KdumpCommand::randomSeed;
            case "zero":
                return () -> 0L;
            default:
                long v = Sizes.parse("--kaslr-seed", kaslrSeed);
                return () -> v;
        }
    }

    /**
     * Eight bytes of the kernel's random pool, as kexec-tools takes them with getrandom():
     * read from /dev/urandom, which never blocks once the pool is ready. Setting up a
     * {@link SecureRandom} instead cost about 20 ms of a 0.3 s boot-time run; it remains the
     * fallback where /dev/urandom cannot be read.
     */
    private static long randomSeed() {
        try (InputStream in = Files.newInputStream(URANDOM)) {
            byte[] b = in.readNBytes(Long.BYTES);
            if (b.length == Long.BYTES) {
                long v = 0;
                for (byte x : b) {
                    v = v << 8 | (x & 0xff);
                }
                return v;
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the Java source
        }
        return new SecureRandom().nextLong();
    }

    private static final Path URANDOM = Path.of("/dev/urandom");

    private static long[] startEnd(String text) throws KdumpException {
        String[] p = text.split(",", -1);
        if (p.length != 2) {
            throw new KdumpException(Refusal.SYNTAX, "--initrd: expected START,END, found '%s'", text);
        }
        return new long[] {Sizes.parse("--initrd", p[0]), Sizes.parse("--initrd", p[1])};
    }

    /** {@code dtkit kdump explain FILE}: the explain report for a DTB. */
    @Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print what an old dump kernel (first range only) and a current one (up to two)"
                    + " treat as usable memory, with warnings.")
    static final class ExplainCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "FILE", description = "The DTB to explain.")
        Path file;

        @Option(names = "--dma-limit", paramLabel = "SIZE", defaultValue = "4G", description = "DMA limit (default ${DEFAULT-VALUE}).")
        String dmaLimit;

        @Override
        public Integer call() {
            try {
                Explain e = Explain.of(Trees.read(Trees.readInput(file)), Sizes.parse("--dma-limit", dmaLimit));
                spec.commandLine().getOut().print(e.render());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (KdumpException e) {
                spec.commandLine().getErr().println("dtkit kdump explain: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }
}
