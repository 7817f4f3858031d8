package io.dtkit.fdt.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.Shared;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fast seeded subset of the {@link FuzzSoak} mutation loop: only FdtException may escape. */
class FdtBlobFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void seededMutationsOnlyRaiseFdtException() throws Exception {
        FuzzHarness h = new FuzzHarness(FuzzHarness.loadSeeds(Shared.dir(), 20),
                FuzzHarness.compileOverlayFixtures(Path.of("fixtures/overlay"), tmp));
        List<String> failures = new ArrayList<>();
        for (long seed = 0; seed < 800; seed++) {
            try {
                h.run(seed);
            } catch (Throwable t) {
                failures.add("seed " + seed + ": " + t);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())));
    }
}
