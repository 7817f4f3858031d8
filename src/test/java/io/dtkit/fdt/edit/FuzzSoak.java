package io.dtkit.fdt.edit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The long fuzz run: {@code FuzzSoak ITERATIONS [FIRST_SEED] [SHARED_DIR]}. Prints the number of
 * iterations, the time taken, the slowest iteration and every seed whose run raised anything but
 * FdtException (the mutated input is saved under target/fuzz-failures/).
 */
public final class FuzzSoak {
    private FuzzSoak() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        long first = args.length > 1 ? Long.parseLong(args[1]) : 0;
        Path shared = Path.of(args.length > 2 ? args[2] : System.getProperty("dtkit.shared", "../shared"));
        Path ovTmp = Files.createTempDirectory("fuzz-overlays");
        FuzzHarness h = new FuzzHarness(FuzzHarness.loadSeeds(shared, 150),
                FuzzHarness.compileOverlayFixtures(Path.of("fixtures/overlay"), ovTmp));
        Path out = Path.of("target/fuzz-failures");
        long start = System.nanoTime();
        long slowest = 0;
        long slowestSeed = -1;
        int failures = 0;
        for (long seed = first; seed < first + n; seed++) {
            long t0 = System.nanoTime();
            try {
                h.run(seed);
            } catch (Throwable t) {
                failures++;
                if (failures <= 50) {
                    System.out.println("seed " + seed + ": " + t);
                    StackTraceElement[] st = t.getStackTrace();
                    for (int i = 0; i < Math.min(6, st.length); i++) {
                        System.out.println("    at " + st[i]);
                    }
                    Files.createDirectories(out);
                    Files.write(out.resolve("seed-" + seed + ".dtb"), h.input(seed));
                }
            }
            long dt = System.nanoTime() - t0;
            if (dt > slowest) {
                slowest = dt;
                slowestSeed = seed;
            }
            if ((seed - first + 1) % 100_000 == 0) {
                System.out.printf("%d iterations, %.1f s%n", seed - first + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.printf("iterations=%d time=%.1fs failures=%d slowest=%.1fms (seed %d)%n", n,
                (System.nanoTime() - start) / 1e9, failures, slowest / 1e6, slowestSeed);
    }
}
