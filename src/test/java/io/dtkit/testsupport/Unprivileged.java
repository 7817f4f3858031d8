package io.dtkit.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines that run without the power to override file modes, so that a file's mode
 * decides what may be read or written even when the tests run as root (who may otherwise read
 * and write anything): as root the command runs under {@code setpriv} without that capability.
 */
public final class Unprivileged {
    private Unprivileged() {
    }

    /** {@code command}, run without the capability to override file modes. */
    public static String[] command(String... command) {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            ReferenceTool.require("setpriv");
            cmd.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"));
        }
        cmd.addAll(List.of(command));
        return cmd.toArray(String[]::new);
    }

    /** The command that runs dtkit's main class from the test class path in a process of its own. */
    public static List<String> dtkit() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), "io.dtkit.cli.Main");
    }
}
