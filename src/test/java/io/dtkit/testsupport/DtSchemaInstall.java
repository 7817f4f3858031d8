package io.dtkit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The schema folder of the installed dt-validate (Debian's {@code dt-schema}), found through
 * the Python that runs dt-validate (its {@code #!} line), not whatever {@code python3} is first
 * on the PATH. Skips (fails under CI) when dt-validate is not installed.
 */
public final class DtSchemaInstall {
    private static Path cached;

    private DtSchemaInstall() {
    }

    public static synchronized Path schemas() throws IOException {
        if (cached != null) {
            return cached;
        }
        ReferenceTool.require("dt-validate");
        Path tool = null;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, "dt-validate");
            if (Files.isExecutable(p)) {
                tool = p;
                break;
            }
        }
        String python = "/usr/bin/python3";
        String first = Files.readAllLines(tool).get(0);
        if (first.startsWith("#!")) {
            python = first.substring(2).trim().split("\\s+")[0];
        }
        ReferenceTool.Result r = ReferenceTool.run(null, null, python, "-c",
                "import dtschema, os; print(os.path.join(os.path.dirname(dtschema.__file__), 'schemas'))");
        Path dir = Path.of(r.out().trim());
        if (r.exit() != 0 || r.out().isBlank() || !Files.isDirectory(dir)) {
            String msg = "cannot find dt-validate's schema folder: " + r.stderr();
            if (Shared.underCi()) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
        cached = dir;
        return dir;
    }
}
