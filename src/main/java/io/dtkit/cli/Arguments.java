package io.dtkit.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether the JVM handed over the command line as it was typed. The JVM decodes its arguments
 * (and encodes file names) in the character set it takes from the locale: under an ASCII
 * locale every byte outside ASCII, and under UTF-8 every byte that is not UTF-8, arrives as
 * U+FFFD. The C tools take arguments as bytes; dtkit would open a different file or write
 * U+FFFD into a blob. Such a command line is refused before anything is done, naming the
 * argument and why.
 */
final class Arguments {
    private static final char REPLACEMENT = '\uFFFD';

    private Arguments() {
    }

    /** Why {@code args} cannot be taken as given in this process, or null when they can. */
    static String refusal(String[] args) {
        if (!anyNeedsCheck(args)) {
            return null;
        }
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            cmdline = null;
        }
        return refusal(args, Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")), cmdline);
    }

    /**
     * Why {@code args} cannot be taken as given when the JVM decoded them in {@code jnu} from
     * the NUL-terminated words of {@code cmdline} (the process's command line, whose last words
     * are the program's arguments), or null when they can; {@code cmdline} may be null.
     */
    static String refusal(String[] args, Charset jnu, byte[] cmdline) {
        if (!anyNeedsCheck(args)) {
            return null;
        }
        boolean utf8 = jnu.equals(StandardCharsets.UTF_8);
        List<byte[]> words = cmdline == null ? null : words(cmdline);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!needsCheck(a)) {
                continue;
            }
            if (!utf8) {
                return "dtkit: argument " + (i + 1) + " is not ASCII, and this JVM reads its arguments and"
                        + " file names in " + jnu.name() + " (from the locale); start dtkit with bin/dtkit"
                        + " or under a UTF-8 locale, e.g. LC_ALL=C.UTF-8";
            }
            if (a.indexOf(REPLACEMENT) < 0) {
                continue;
            }
            // U+FFFD stands for bytes that are not UTF-8, unless it was typed as such: then
            // the argument's bytes are its UTF-8 encoding
            byte[] raw = words != null && words.size() >= args.length
                    ? words.get(words.size() - args.length + i) : null;
            if (raw == null || !Arrays.equals(raw, a.getBytes(StandardCharsets.UTF_8))) {
                return "dtkit: argument " + (i + 1) + " is not valid UTF-8; dtkit takes its arguments"
                        + " and file names as UTF-8 text";
            }
        }
        return null;
    }

    private static boolean anyNeedsCheck(String[] args) {
        for (String a : args) {
            if (needsCheck(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean needsCheck(String a) {
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> words(byte[] cmdline) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                out.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            out.add(Arrays.copyOfRange(cmdline, start, cmdline.length));
        }
        return out;
    }
}
