package io.dtkit.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the plain command lines a script writes ({@code --name VALUE}, {@code --name=VALUE}, a
 * short name and its value as two words, flags, and plain words where the command takes them)
 * for commands that run without building picocli's model. Anything else is left to picocli:
 * an {@code @file}, a word that is no option of the command, a flag with a value, a value that
 * starts with a dash or an {@code @}, a single-valued option given twice.
 */
final class PlainWords {
    private PlainWords() {
    }

    /** Takes one option (by its long name) with its value, or a flag (value null), or a plain word (name null). */
    interface Sink {
        void take(String name, String value);
    }

    /**
     * Reads {@code words} into {@code sink}: {@code flags} and {@code values} are the option
     * names taken, {@code longNames} maps short names to long ones, {@code repeatable} the
     * long names that may come more than once; plain words are taken when {@code plain}. False
     * when the words are for picocli to read.
     */
    static boolean read(List<String> words, Set<String> flags, Set<String> values, Map<String, String> longNames,
                        Set<String> repeatable, boolean plain, Sink sink) {
        for (String w : words) {
            if (w.startsWith("@")) {
                return false; // picocli reads arguments from the file an @ names
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (plain && !w.startsWith("-")) {
                sink.take(null, w);
                continue;
            }
            String name = w;
            String value = null;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 2) {
                name = w.substring(0, eq);
                value = w.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null || !seen.add(name)) {
                    return false;
                }
                sink.take(name, null);
                continue;
            }
            if (!values.contains(name)) {
                return false;
            }
            if (value == null) {
                if (i + 1 == words.size() || words.get(i + 1).startsWith("-")) {
                    return false;
                }
                value = words.get(++i);
            }
            String key = longNames.getOrDefault(name, name);
            if (!repeatable.contains(key) && !seen.add(key)) {
                return false;
            }
            sink.take(key, value);
        }
        return true;
    }
}
