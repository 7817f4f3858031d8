package io.dtkit.cli;

import io.dtkit.kdump.CrashPlanner;
import io.dtkit.kdump.Crashkernel;
import io.dtkit.kdump.Iomem;
import io.dtkit.kdump.KdumpException;
import io.dtkit.kdump.MemRange;
import io.dtkit.kdump.MemoryMap;
import io.dtkit.kdump.MemoryMapSvg;
import io.dtkit.kdump.Sizes;
import io.dtkit.kdump.TreeMemory;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtkit crashkernel}: crash-kernel reservation tools (issue 4, "crashkernel= planning"). */
@Command(name = "crashkernel", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Crash-kernel reservation tools.",
        subcommands = {CrashkernelCommand.PlanCommand.class})
public final class CrashkernelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code dtkit crashkernel plan}: where an arm64 kernel reserves the crash regions. */
    @Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Compute where an arm64 kernel reserves the crash regions for crashkernel=...",
                    "Prints /proc/iomem-style lines (or JSON) that dtkit kdump --iomem reads."})
    static final class PlanCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "CRASHKERNEL", arity = "0..1",
                description = "crashkernel= options, or a whole kernel command line (default: the DTB's /chosen/bootargs).")
        String cmdline;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--dtb", paramLabel = "FILE", description = "Memory map from a DTB (/memory, /memreserve/, /reserved-memory).")
            Path dtb;

            @Option(names = "--iomem", paramLabel = "FILE", description = "Memory map from an iomem listing (System RAM).")
            Path iomem;
        }

        @Option(names = "--dma-limit", paramLabel = "SIZE", defaultValue = "4G",
                description = "Top of low memory (default ${DEFAULT-VALUE}; 1G for Raspberry Pi 4 class SoCs).")
        String dmaLimit;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Output format (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--svg", paramLabel = "FILE", description = "Draw the memory map with the planned regions as SVG.")
        Path svg;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!format.equals("text") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text or json");
            }
            try {
                long dma = Sizes.parse("--dma-limit", dmaLimit);
                DeviceTree tree = source.dtb != null ? Trees.read(Trees.readInput(source.dtb)) : null;
                if (cmdline == null) {
                    Node chosen = tree == null ? null : tree.root().child("chosen");
                    Property args = chosen == null ? null : chosen.property("bootargs");
                    if (args == null || args.value().asString() == null) {
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "give CRASHKERNEL, or a --dtb whose /chosen/bootargs holds crashkernel=");
                    }
                    cmdline = args.value().asString();
                }
                MemoryMap map = tree != null ? TreeMemory.memoryMap(tree)
                        : MemoryMap.fromIomem(Iomem.parse(Trees.readText(source.iomem)));
                CrashPlanner.Plan plan = CrashPlanner.plan(Crashkernel.parse(cmdline), map, dma);
                out.print(format.equals("json") ? json(plan, dma) : text(plan, map));
                if (svg != null) {
                    AtomicFiles.write(svg, MemoryMapSvg.render(map, plan.iomemRegions(), null, plan.lowLimit())
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                return 0;
            } catch (KdumpException e) {
                spec.commandLine().getErr().println("dtkit crashkernel plan: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("dtkit crashkernel plan: cannot write "
                        + FdtFiles.writeFailure(e, svg));
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        private String json(CrashPlanner.Plan plan, long dma) {
            StringBuilder sb = new StringBuilder("{\n");
            sb.append("  \"crashkernel\": ").append(quote(cmdline)).append(",\n");
            sb.append("  \"dmaLimit\": \"").append(Sizes.hex(dma)).append("\",\n");
            sb.append("  \"lowLimit\": \"").append(Sizes.hex(plan.lowLimit())).append("\",\n");
            sb.append("  \"regions\": [");
            List<MemoryMap.Region> rs = plan.iomemRegions();
            for (int i = 0; i < rs.size(); i++) {
                MemRange r = rs.get(i).range();
                sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                        "    {\"name\": %s, \"start\": \"0x%x\", \"end\": \"0x%x\", \"size\": \"0x%x\", \"high\": %b}",
                        quote(rs.get(i).name()), r.base(), r.last(), r.size(),
                        Long.compareUnsigned(r.base(), plan.lowLimit()) >= 0));
            }
            sb.append("\n  ],\n  \"notes\": [");
            for (int i = 0; i < plan.notes().size(); i++) {
                sb.append(i == 0 ? "\n    " : ",\n    ").append(quote(plan.notes().get(i)));
            }
            sb.append("\n  ]\n}\n");
            return sb.toString();
        }

        /** iomem-style: each RAM bank, the crash regions nested in it, then the notes as comments. */
        private static String text(CrashPlanner.Plan plan, MemoryMap map) {
            StringBuilder sb = new StringBuilder();
            for (MemRange bank : map.ram()) {
                sb.append(iomemLine(0, bank, Iomem.SYSTEM_RAM));
                for (MemoryMap.Region r : plan.iomemRegions()) {
                    if (bank.contains(r.range())) {
                        sb.append(iomemLine(1, r.range(), r.name()));
                    }
                }
            }
            for (String n : plan.notes()) {
                sb.append("# ").append(n).append('\n');
            }
            return sb.toString();
        }

        private static String iomemLine(int depth, MemRange r, String name) {
            return "  ".repeat(depth) + String.format(Locale.ROOT, "%08x-%08x : %s\n", r.base(), r.last(), name);
        }

        private static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
    }
}
