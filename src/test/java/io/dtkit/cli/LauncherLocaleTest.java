package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/dtkit} under locales whose character set is not UTF-8 (C and POSIX are what
 * services, boot scripts and containers usually run with) or that are not installed (the C
 * library then falls back to C, whatever the name says): names and values outside ASCII must
 * reach the files and the blob as dtc and fdtput take them, as bytes. The launcher is run as
 * it is, from a copy of the project's {@code bin/}, with a {@code java} first on the PATH that
 * runs dtkit from the test class path instead of the packaged jar.
 */
class LauncherLocaleTest {
    @TempDir
    Path tmp;
    private Path launcher;
    private Path stubs;

    @BeforeEach
    void launcherBesideAJar() throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("target"));
        launcher = home.resolve("bin/dtkit");
        Files.copy(Path.of("bin/dtkit"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Files.write(home.resolve("target/dtkit.jar"), new byte[0]);
        stubs = tmp.resolve("stubs");
        Files.createDirectories(stubs);
        Path java = stubs.resolve("java");
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(java, "#!/bin/sh\n"
                + "# the JVM options and -jar JAR are the launcher's; the class path is the test's\n"
                + "while [ $# -gt 0 ]; do case $1 in -jar) shift 2; break ;; *) shift ;; esac; done\n"
                + "exec '" + realJava + "' -cp '" + System.getProperty("java.class.path")
                + "' io.dtkit.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code command} under exactly the locale variables in {@code locale} ("" for none). */
    private ReferenceTool.Result under(String locale, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "-i",
                "PATH=" + stubs + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        if (!locale.isEmpty()) {
            cmd.addAll(List.of(locale.split(" ")));
        }
        cmd.addAll(List.of(command));
        return ReferenceTool.run(tmp, null, cmd.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LANG=C", "LANG=POSIX", "LC_ALL=C LANG=C.UTF-8", "LANG=C.UTF-8 LC_CTYPE=C", "",
        "LANG=xx_YY.UTF-8", "LC_ALL=xx_YY.UTF-8"})
    void namesAndValuesOutsideAsciiWorkAsInDtcAndFdtput(String locale) throws IOException {
        ReferenceTool.require("dtc");
        ReferenceTool.require("fdtput");
        Files.writeString(tmp.resolve("né.dts"), "/dts-v1/;\n/ { chosen { }; };\n");

        ReferenceTool.Result ours = under(locale, launcher.toString(), "dtc", "-O", "dtb", "-o", "ü.dtb", "né.dts");
        ReferenceTool.Result theirs = under(locale, "dtc", "-O", "dtb", "-o", "ref-ü.dtb", "né.dts");
        assertEquals(theirs.exit(), ours.exit(), ours.stderr());
        assertEquals(0, ours.exit(), ours.stderr());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("ref-ü.dtb")), Files.readAllBytes(tmp.resolve("ü.dtb")));

        ours = under(locale, launcher.toString(), "put", "-ts", "ü.dtb", "/chosen", "bootargs", "café=ß");
        theirs = under(locale, "fdtput", "-ts", "ref-ü.dtb", "/chosen", "bootargs", "café=ß");
        assertEquals(theirs.exit(), ours.exit(), ours.stderr());
        assertEquals(0, ours.exit(), ours.stderr());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("ref-ü.dtb")), Files.readAllBytes(tmp.resolve("ü.dtb")));

        ours = under(locale, launcher.toString(), "get", "ü.dtb", "/chosen", "bootargs");
        theirs = under(locale, "fdtget", "ref-ü.dtb", "/chosen", "bootargs");
        assertEquals(theirs.exit(), ours.exit(), ours.stderr());
        assertArrayEquals(theirs.stdout(), ours.stdout());
    }

    /**
     * An argument that is not UTF-8 cannot reach dtkit intact (the JVM turns each such byte into
     * U+FFFD): it is refused, naming the argument, and nothing is written.
     */
    @Test
    void anArgumentThatIsNotUtf8IsRefusedAndNothingIsWritten() throws IOException {
        Files.writeString(tmp.resolve("in.dts"), "/dts-v1/;\n/ { };\n");
        ReferenceTool.Result r = under("LANG=C.UTF-8", "sh", "-c",
                "exec \"$0\" dtc -O dtb -o \"$(printf 'x\\377.dtb')\" in.dts", launcher.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals("dtkit: argument 5 is not valid UTF-8; dtkit takes its arguments and file names as UTF-8 text\n",
                r.stderr());
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".dtb")), "a blob was written");
        }
    }
}
