package io.dtkit.validate;

import io.dtkit.model.DeviceTree;
import io.dtkit.source.Diagnostic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * dtc 1.6.1's semantic tree checks (its checks.c): every check of dtc's table with dtc's
 * names, default levels, prerequisites, run order and message texts, producing
 * {@link Diagnostic}s whose {@link Diagnostic#render()} is the line dtc prints.
 *
 * <p>As in dtc, checks run in table order, a check first runs its prerequisites, a failed
 * prerequisite is reported as {@code Failed prerequisite 'X'}, and checking stops after the
 * first check that ends in an error. Runs in time linear in the tree (plus the size of the
 * output), without recursion.
 *
 * <p>For source input, dtc checks the tree after resolving references and before it adds
 * {@code __symbols__}, {@code __fixups__}, {@code __local_fixups__} (and {@code -A} aliases),
 * so the tree given here should be the compiled tree without those generated nodes, and the
 * compiler's reference messages go in through {@link #check}. Positions come from
 * {@link io.dtkit.model.Node#span()}, {@link io.dtkit.model.Node#alsoDefinedAt()} and
 * {@link io.dtkit.model.Property#span()}.
 */
public final class DtcChecks {
    /** What dtc prints, and exits 2 after, when a check failed with an error and {@code -f} is absent. */
    public static final String ABORT_MESSAGE =
            "ERROR: Input tree has errors, aborting (use -f to force output)";
    /** What dtc prints when a check failed with an error and {@code -f} forces output. */
    public static final String FORCED_MESSAGE = "Warning: Input tree has errors, output forced";
    /** The exit status dtc uses for a tree with errors. */
    public static final int ERROR_EXIT = 2;

    /** Names of the checks whose work the compiler does: their messages come in through {@link #check}. */
    public static final List<String> REFERENCE_CHECKS =
            List.of("phandle_references", "path_references", "omit_unused_nodes");

    private DtcChecks() {
    }

    /** A check's level: dtc keeps a warning flag and an error flag; the error flag wins. */
    public enum Level { OFF, WARNING, ERROR }

    /**
     * Which checks are on and at what level, as dtc's {@code -W}/{@code -E} options and
     * {@code -q} set them. Immutable; each option returns a new configuration.
     */
    public static final class Config {
        private final boolean[] warn;
        private final boolean[] error;
        private final int quiet;

        private Config(boolean[] warn, boolean[] error, int quiet) {
            this.warn = warn;
            this.error = error;
            this.quiet = quiet;
        }

        /** dtc's defaults. */
        public static Config defaults() {
            int n = DtcCheckTable.CHECKS.size();
            boolean[] w = new boolean[n];
            boolean[] e = new boolean[n];
            for (int i = 0; i < n; i++) {
                w[i] = DtcCheckTable.CHECKS.get(i).warn();
                e[i] = DtcCheckTable.CHECKS.get(i).error();
            }
            return new Config(w, e, 0);
        }

        /**
         * Applies options in order, each {@code -W ARG}, {@code -E ARG}, {@code -WARG},
         * {@code -EARG} or {@code -q}/{@code -qq}/{@code -qqq} (any other element is refused).
         *
         * @throws IllegalArgumentException with dtc's {@code Unrecognized check name "x"}
         */
        public static Config fromOptions(List<String> options) {
            Config c = defaults();
            for (int i = 0; i < options.size(); i++) {
                String o = options.get(i);
                if (o.matches("-q+")) {
                    c = c.quiet(c.quiet + o.length() - 1);
                    continue;
                }
                if (!o.startsWith("-W") && !o.startsWith("-E")) {
                    throw new IllegalArgumentException("not a -W or -E option: " + o);
                }
                String arg = o.substring(2);
                if (arg.isEmpty()) {
                    if (i + 1 >= options.size()) {
                        throw new IllegalArgumentException("option " + o + " needs an argument");
                    }
                    arg = options.get(++i);
                }
                c = o.charAt(1) == 'W' ? c.warning(arg) : c.error(arg);
            }
            return c;
        }

        /** dtc's {@code -W ARG}: raise to warning, or with {@code no-} lower the warning flag. */
        public Config warning(String arg) {
            return apply(true, false, arg);
        }

        /** dtc's {@code -E ARG}: raise to error, or with {@code no-} lower the error flag. */
        public Config error(String arg) {
            return apply(false, true, arg);
        }

        /** dtc's {@code -q} count: 1 hides warnings, 2 also errors (checks still run). */
        public Config quiet(int level) {
            return new Config(warn, error, level);
        }

        private Config apply(boolean w, boolean e, String arg) {
            String name = arg;
            boolean enable = true;
            if (arg.startsWith("no-") || arg.startsWith("no_")) {
                name = arg.substring(3);
                enable = false;
            }
            Integer idx = DtcCheckTable.INDEX.get(name);
            if (idx == null) {
                throw new IllegalArgumentException("Unrecognized check name \"" + name + "\"");
            }
            boolean[] nw = warn.clone();
            boolean[] ne = error.clone();
            if (enable) {
                raise(nw, ne, idx, w, e);
            } else {
                lower(nw, ne, idx, w, e);
            }
            return new Config(nw, ne, quiet);
        }

        /** Raising a check raises its prerequisites too (transitively). */
        private static void raise(boolean[] nw, boolean[] ne, int start, boolean w, boolean e) {
            List<Integer> stack = new ArrayList<>(List.of(start));
            while (!stack.isEmpty()) {
                int c = stack.remove(stack.size() - 1);
                if ((w && !nw[c]) || (e && !ne[c])) {
                    for (int p : DtcCheckTable.PREREQS[c]) {
                        stack.add(p);
                    }
                }
                nw[c] |= w;
                ne[c] |= e;
            }
        }

        /** Lowering a check lowers every check that depends on it too (transitively). */
        private static void lower(boolean[] nw, boolean[] ne, int start, boolean w, boolean e) {
            List<Integer> stack = new ArrayList<>(List.of(start));
            while (!stack.isEmpty()) {
                int c = stack.remove(stack.size() - 1);
                if ((w && nw[c]) || (e && ne[c])) {
                    for (int d : DtcCheckTable.DEPENDENTS[c]) {
                        stack.add(d);
                    }
                }
                nw[c] &= !w;
                ne[c] &= !e;
            }
        }

        boolean warn(int check) {
            return warn[check];
        }

        boolean error(int check) {
            return error[check];
        }

        int quiet() {
            return quiet;
        }

        /** The level of the named check. */
        public Level level(String name) {
            Integer idx = DtcCheckTable.INDEX.get(name);
            if (idx == null) {
                throw new IllegalArgumentException("Unrecognized check name \"" + name + "\"");
            }
            return error[idx] ? Level.ERROR : warn[idx] ? Level.WARNING : Level.OFF;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && quiet == c.quiet && Arrays.equals(warn, c.warn)
                    && Arrays.equals(error, c.error);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(warn) * 31 + Arrays.hashCode(error) + quiet;
        }
    }

    /**
     * The outcome of a run: the messages in dtc's order; whether dtc would refuse the tree
     * (exit {@link #ERROR_EXIT} with {@link #ABORT_MESSAGE} unless forced); and the tree as
     * checking leaves it (dtc drops {@code name} properties that merely repeat the node name).
     */
    public record Result(List<Diagnostic> diagnostics, boolean hasErrors, DeviceTree tree) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
            Objects.requireNonNull(tree, "tree");
        }
    }

    /**
     * The line dtc prints after the check messages: {@link #ABORT_MESSAGE} (then exits
     * {@link #ERROR_EXIT}) when the tree has errors and output is not forced,
     * {@link #FORCED_MESSAGE} when forced ({@code -f}) unless {@code quiet >= 3}, else
     * {@code null}.
     */
    public static String verdict(Result result, boolean force, int quiet) {
        if (!result.hasErrors()) {
            return null;
        }
        if (!force) {
            return ABORT_MESSAGE;
        }
        return quiet < 3 ? FORCED_MESSAGE : null;
    }

    /** Every check name in dtc's table order. */
    public static List<String> checkNames() {
        return DtcCheckTable.CHECKS.stream().map(DtcCheckTable.Def::name).toList();
    }

    /**
     * Runs the checks; {@code fallbackPosition} is what dtc prints where a message has no
     * source position (the output file name, or {@code <stdout>} for {@code -o -}).
     */
    public static List<Diagnostic> run(DeviceTree tree, Config config, String fallbackPosition) {
        return check(tree, config, fallbackPosition, List.of()).diagnostics();
    }

    /**
     * Runs the checks; {@code referenceDiagnostics} are the compiler's messages for the
     * checks in {@link #REFERENCE_CHECKS} (e.g. an unresolvable {@code &label}), which are
     * placed where dtc prints them and count as those checks failing.
     */
    public static Result check(DeviceTree tree, Config config, String fallbackPosition,
                               List<Diagnostic> referenceDiagnostics) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(fallbackPosition, "fallbackPosition");
        Map<String, List<Diagnostic>> external = new HashMap<>();
        for (Diagnostic d : referenceDiagnostics) {
            if (d.check() == null || !REFERENCE_CHECKS.contains(d.check())) {
                throw new IllegalArgumentException("not a reference-check diagnostic: "
                        + d.render());
            }
            external.computeIfAbsent(d.check(), k -> new ArrayList<>()).add(d);
        }
        DtcCheckRun run = new DtcCheckRun(tree, config, fallbackPosition, external);
        boolean errors = run.runAll();
        DeviceTree after = tree;
        var root = run.rebuiltRoot();
        if (root != tree.root()) {
            after = tree.withRoot(root);
        }
        return new Result(run.diagnostics(), errors, after);
    }
}
