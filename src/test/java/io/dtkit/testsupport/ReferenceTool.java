package io.dtkit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a reference tool (dtc, fdtget, pylibfdt's python, cpp, dt-validate) as a test oracle.
 * A missing tool skips the test, except under {@code CI=true}, where it is a failure.
 */
public final class ReferenceTool {
    private ReferenceTool() {
    }

    /** The result of one run: exit code and the two output streams. */
    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Skips (or fails under CI) unless {@code tool} is on the PATH or an absolute file. */
    public static void require(String tool) {
        if (!available(tool)) {
            String msg = "reference tool " + tool + " not installed";
            if (Shared.underCi()) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
    }

    public static boolean available(String tool) {
        if (tool.startsWith("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command in {@code dir} (may be null) with a time limit of 120 s. */
    public static Result run(Path dir, byte[] stdin, String... command) throws IOException {
        require(command[0]);
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command)));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t = new Thread(() -> copy(p.getErrorStream(), err));
            t.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            t.join();
            // as dtkit's message writer takes text: UTF-8, a byte outside it as U+DC80..U+DCFF
            return new Result(p.exitValue(), out,
                    io.dtkit.source.FileNameText.display(err.toString(java.nio.charset.StandardCharsets.ISO_8859_1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process went away; what was read is kept
        }
    }
}
