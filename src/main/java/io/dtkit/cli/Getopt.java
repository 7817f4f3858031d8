package io.dtkit.cli;

import io.dtkit.fdt.edit.FdtText;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command line the way GNU {@code getopt_long} does, as dtc's own {@code main} does:
 * short options may be clustered ({@code -qqq}, {@code -qO dtb}) and take their argument from
 * the rest of the word or from the next word; long options take {@code --name=value} or
 * {@code --name value} and may be shortened to any unambiguous prefix; operands may come
 * anywhere (unless {@code POSIXLY_CORRECT} asks to stop at the first one); {@code --} ends
 * the options. A mistake is reported with the library's wording, and reading stops there.
 */
final class Getopt {
    /** A long option: its name, whether it takes an argument, and the short key it stands for. */
    record LongOption(String name, boolean takesArg, char key) {
    }

    /** A mistake on the command line, with the message getopt prints for it (no line end). */
    static final class Mistake extends Exception {
        private static final long serialVersionUID = 1L;

        Mistake(String message) {
            super(message, null, false, false);
        }
    }

    private final String program;
    private final String shortSpec;
    private final List<LongOption> longs;
    private final List<String> args;
    private final boolean inOrder;
    private final List<String> operands = new ArrayList<>();
    /** The next word to look at. */
    private int word;
    /** Inside a cluster of short options: the position of the next one in the word, else 0. */
    private int inCluster;
    private String value;

    /**
     * @param program   the name getopt's messages start with
     * @param shortSpec the short options, each letter followed by ':' when it takes an argument
     * @param inOrder   stop at the first operand, as with {@code POSIXLY_CORRECT}
     */
    Getopt(String program, String shortSpec, List<LongOption> longs, List<String> args, boolean inOrder) {
        this.program = program;
        this.shortSpec = shortSpec;
        this.longs = longs;
        this.args = args;
        this.inOrder = inOrder;
    }

    /** The argument of the option {@link #next} returned last, or null. */
    String value() {
        return value;
    }

    /** The operands, in order: complete once {@link #next} has returned -1. */
    List<String> operands() {
        return operands;
    }

    /** The key of the next option (its short letter), or -1 when there are no more. */
    int next() throws Mistake {
        value = null;
        if (inCluster > 0) {
            return shortOption(args.get(word));
        }
        while (word < args.size()) {
            String a = args.get(word);
            if (a.equals("--")) {
                word++;
                operands.addAll(args.subList(word, args.size()));
                word = args.size();
                return -1;
            }
            if (a.startsWith("--")) {
                word++;
                return longOption(a);
            }
            if (a.length() > 1 && a.charAt(0) == '-') {
                inCluster = 1;
                return shortOption(a);
            }
            if (inOrder) {
                operands.addAll(args.subList(word, args.size()));
                word = args.size();
                return -1;
            }
            operands.add(a);
            word++;
        }
        return -1;
    }

    private int shortOption(String a) throws Mistake {
        char c = a.charAt(inCluster++);
        boolean last = inCluster >= a.length();
        if (last) {
            inCluster = 0;
            word++;
        }
        int at = c == ':' ? -1 : shortSpec.indexOf(c);
        if (at < 0) {
            throw new Mistake(program + ": invalid option -- '" + c + "'");
        }
        if (at + 1 < shortSpec.length() && shortSpec.charAt(at + 1) == ':') {
            if (!last) {
                value = a.substring(inCluster);
                inCluster = 0;
                word++;
            } else if (word < args.size()) {
                value = args.get(word++);
            } else {
                throw new Mistake(program + ": option requires an argument -- '" + c + "'");
            }
        }
        return c;
    }

    private int longOption(String a) throws Mistake {
        int eq = a.indexOf('=', 2);
        String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
        LongOption found = null;
        List<LongOption> prefixed = new ArrayList<>();
        for (LongOption l : longs) {
            if (l.name().equals(name)) {
                found = l;
                break;
            }
            if (l.name().startsWith(name)) {
                prefixed.add(l);
            }
        }
        if (found == null) {
            if (prefixed.isEmpty()) {
                throw new Mistake(program + ": unrecognized option '" + a + "'");
            }
            if (prefixed.size() > 1) {
                StringBuilder m = new StringBuilder(program).append(": option '").append(a)
                        .append("' is ambiguous; possibilities:");
                for (LongOption l : prefixed) {
                    m.append(" '--").append(l.name()).append('\'');
                }
                throw new Mistake(m.toString());
            }
            found = prefixed.get(0);
        }
        if (eq >= 0) {
            if (!found.takesArg()) {
                throw new Mistake(program + ": option '--" + found.name() + "' doesn't allow an argument");
            }
            value = a.substring(eq + 1);
        } else if (found.takesArg()) {
            if (word >= args.size()) {
                throw new Mistake(program + ": option '--" + found.name() + "' requires an argument");
            }
            value = args.get(word++);
        }
        return found.key();
    }

    /**
     * C's {@code strtoll(text, NULL, 0)}: leading white space, a sign, then a hexadecimal
     * ({@code 0x}), octal ({@code 0}) or decimal number up to the first character that does not
     * belong; 0 when there is none, and the nearest limit when the value does not fit.
     */
    static long strtoll(String text) {
        Long v = FdtText.scanInt('i', text);
        return v == null ? 0 : v;
    }
}
