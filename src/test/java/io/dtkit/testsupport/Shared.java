package io.dtkit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared test data ({@code -Ddtkit.shared=DIR}, default {@code ../shared}). Tests
 * that need it are skipped with a message when it is absent, except under {@code CI=true},
 * where its absence is a failure.
 */
public final class Shared {
    private Shared() {
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shared folder; skips (or fails under CI) when it is missing. */
    public static Path dir() {
        Path p = Path.of(System.getProperty("dtkit.shared", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            String msg = "shared test data not found at " + p + " (set -Ddtkit.shared=DIR)";
            if (underCi()) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
        return p;
    }

    /** A path inside the shared folder. */
    public static Path resolve(String relative) {
        return dir().resolve(relative);
    }
}
