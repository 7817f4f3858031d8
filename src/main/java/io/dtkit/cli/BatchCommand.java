package io.dtkit.cli;

import io.dtkit.dts.DtsCompiler;
import io.dtkit.source.IoReasons;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code dtkit batch}: runs many dtkit commands, one per line, in one process on a fixed pool
 * of threads, so that a build pays the start-up cost once.
 *
 * <p>Each line holds the arguments of one dtkit subcommand, split like a shell would split
 * them without expanding anything. Every command starts from its options' defaults and gets its
 * own standard output and error, and an empty standard input. Results are printed in input order: the
 * command's standard output (text or binary) unchanged on standard output, each line of its
 * standard error prefixed by its line number and {@code ": "}.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false,
        description = {
                "Run dtkit commands, one per line, in one process on all cores.",
                "Each line holds a subcommand and its arguments, e.g. 'dtc -q -O dtb -o out.dtb in.dts';",
                "quote with '' or \"\"; blank lines and lines starting with # are skipped; a leading",
                "'dtkit' is ignored. Each command's standard output is copied to standard output and",
                "its messages to standard error, prefixed by 'LINE: ', in input order. Commands read an",
                "empty standard input, so give file names rather than '-'.",
                "Exit status: 0 when every command succeeded, 1 otherwise (with a summary line)."})
public final class BatchCommand extends ByteStreams implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Commands to run at once (default: the number of processors).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "File of commands (default or '-': standard input).")
    String file = "-";

    /**
     * Subcommands whose whole state is their options and parameters, and which write no raw
     * bytes (so no stream is bound to the object). Picocli puts every option back to its
     * initial value before it parses, so a worker thread keeps one command line of each of
     * these and reuses it: building a command's model by reflection costs more than compiling a
     * small board. dts-edit, kdump and crashkernel are built afresh for every line; dtc, get,
     * put, dump and overlay need no picocli at all (they read their own options, see
     * {@link WordsCommand}).
     */
    static final Set<String> REUSABLE = Set.of("validate");

    private static final ThreadLocal<Map<String, CommandLine>> KEPT = ThreadLocal.withInitial(HashMap::new);

    /** One command line of the batch: its arguments, or why they could not be split. */
    record Job(int line, List<String> args, String error) {
    }

    /** What one command left behind. */
    record Outcome(int exit, byte[] out, String err) {
    }

    @Override
    public Integer call() {
        return run(spec.commandLine().getErr());
    }

    /**
     * Runs {@code dtkit batch WORDS} without picocli when the words are plain: at most one of
     * {@code -j N}, {@code -jN}, {@code --jobs N}, {@code --jobs=N} with a decimal N, and at
     * most one FILE that is {@code -} or does not start with a dash. Building picocli's model of
     * the command by reflection took about 50 ms of a batch's start. Returns null for anything
     * else (help, version, {@code @file}, repeats, mistakes), which picocli then reads.
     */
    static Integer runAlone(List<String> words) {
        BatchCommand c = readPlain(words);
        return c == null ? null : c.run(new PrintWriter(new ByteTextWriter(System.err), true));
    }

    /** The command as picocli would fill it from plain {@code words} (see {@link #runAlone}), or null. */
    static BatchCommand readPlain(List<String> words) {
        BatchCommand c = new BatchCommand();
        String jobsText = null;
        String fileWord = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String value;
            if (w.equals("-j") || w.equals("--jobs")) {
                if (i + 1 >= words.size()) {
                    return null;
                }
                value = words.get(++i);
            } else if (w.startsWith("--jobs=")) {
                value = w.substring("--jobs=".length());
            } else if (w.startsWith("-j") && w.length() > 2 && w.charAt(2) != '=') {
                value = w.substring(2);
            } else if ((w.equals("-") || !w.startsWith("-")) && !w.startsWith("@") && fileWord == null) {
                fileWord = w;
                continue;
            } else {
                return null;
            }
            if (jobsText != null || !isSmallNumber(value)) {
                return null;
            }
            jobsText = value;
        }
        if (jobsText != null) {
            c.jobs = Integer.parseInt(jobsText);
        }
        if (fileWord != null) {
            c.file = fileWord;
        }
        return c;
    }

    /** One to nine decimal digits: a number picocli reads the same way. */
    private static boolean isSmallNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private int run(PrintWriter err) {
        List<Job> batch;
        try {
            batch = read();
        } catch (IOException e) {
            err.println("batch: Couldn't read \"" + file + "\": " + IoReasons.of(e));
            err.flush();
            return 1;
        }
        if (jobs < 1) {
            err.println("batch: --jobs must be at least 1");
            err.flush();
            return 2;
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs, threads());
        List<Integer> failed = new ArrayList<>();
        try {
            List<Future<Outcome>> results = new ArrayList<>(batch.size());
            for (Job j : batch) {
                results.add(pool.submit(() -> run(j)));
            }
            for (int i = 0; i < batch.size(); i++) {
                int line = batch.get(i).line();
                Outcome o = outcome(results.get(i));
                if (o.out().length > 0) {
                    stdout.write(o.out());
                    stdout.flush();
                }
                String messages = o.err();
                if (o.exit() != 0) {
                    messages += (messages.isEmpty() || messages.endsWith("\n") ? "" : "\n")
                            + "exit status " + o.exit() + "\n";
                    failed.add(line);
                }
                emit(err, line, messages);
            }
        } catch (IOException e) {
            err.println("batch: Couldn't write output: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            pool.shutdownNow();
        }
        if (!failed.isEmpty()) {
            err.println("batch: " + failed.size() + " of " + batch.size() + " commands failed (line"
                    + (failed.size() == 1 ? " " : "s ") + lineList(failed) + ")");
            err.flush();
            return 1;
        }
        return 0;
    }

    private List<Job> read() throws IOException {
        InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
        List<Job> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                try {
                    List<String> words = split(line);
                    if (!words.isEmpty() && words.get(0).equals("dtkit")) {
                        words = words.subList(1, words.size());
                    }
                    if (!words.isEmpty()) {
                        out.add(new Job(n, List.copyOf(words), null));
                    }
                } catch (IllegalArgumentException e) {
                    out.add(new Job(n, List.of(), e.getMessage()));
                }
            }
        }
        return out;
    }

    private static ThreadFactory threads() {
        // with the parser's stack, so that a line's compile parses on the worker itself
        return DtsCompiler.threadsWithParserStack("dtkit-batch");
    }

    private static Outcome outcome(Future<Outcome> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return new Outcome(1, new byte[0], "internal error: " + e.getCause() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(1, new byte[0], "interrupted\n");
        }
    }

    /** Runs one command with its own streams; never throws. */
    static Outcome run(Job job) {
        if (job.error() != null) {
            return new Outcome(2, new byte[0], job.error() + "\n");
        }
        if (job.args().get(0).equals("batch")) {
            return new Outcome(2, new byte[0], "batch cannot run inside batch\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintWriter outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        PrintWriter errText = new PrintWriter(err);
        int exit;
        try {
            if (WordsCommand.isOne(job.args().get(0))) {
                // these read their own options (as in Main): no picocli parse per line
                exit = WordsCommand.run(job.args().get(0), job.args().subList(1, job.args().size()),
                        InputStream.nullInputStream(), out, outText, errText);
            } else {
                String[] args = job.args().toArray(String[]::new);
                CommandLine cl = commandLineFor(args, out);
                cl.setOut(outText);
                cl.setErr(errText);
                exit = cl.execute(args);
            }
        } catch (StackOverflowError e) {
            errText.println("nesting too deep");
            exit = 1;
        } catch (OutOfMemoryError e) {
            errText.println("out of memory");
            exit = 1;
        } catch (RuntimeException e) {
            errText.println("internal error: " + e);
            exit = 1;
        }
        outText.flush();
        errText.flush();
        return new Outcome(exit, out.toByteArray(), err.toString());
    }

    /** The command line for {@code args}, kept per thread for the {@link #REUSABLE} commands. */
    private static CommandLine commandLineFor(String[] args, OutputStream out) {
        if (!REUSABLE.contains(args[0])) {
            return Main.commandLineFor(args, InputStream.nullInputStream(), out);
        }
        return KEPT.get().computeIfAbsent(args[0],
                name -> Main.commandLineFor(args, InputStream.nullInputStream(), out));
    }

    /** Prints a command's messages with every line prefixed by its line number. */
    private static void emit(PrintWriter err, int line, String messages) {
        if (messages.isEmpty()) {
            return;
        }
        String prefix = line + ": ";
        int start = 0;
        while (start < messages.length()) {
            int nl = messages.indexOf('\n', start);
            int end = nl < 0 ? messages.length() : nl;
            err.print(prefix);
            err.write(messages, start, end - start);
            err.print('\n');
            start = end + 1;
        }
        err.flush();
    }

    private static String lineList(List<Integer> lines) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(lines.size(), 20);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(lines.get(i));
        }
        if (shown < lines.size()) {
            b.append(", ...");
        }
        return b.toString();
    }

    /**
     * Splits a line into words as a POSIX shell would without expansions: blanks separate
     * words, {@code '...'} is literal, {@code "..."} honours backslash before {@code " \ $ `},
     * a backslash outside quotes takes the next character literally, and an unquoted
     * {@code #} at the start of a word begins a comment.
     *
     * @throws IllegalArgumentException for an unterminated quote or a trailing backslash
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            n--;
        }
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0 || close >= n) {
                    throw new IllegalArgumentException("unterminated ' quote");
                }
                cur.append(line, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated \" quote");
                    }
                    char d = line.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        cur.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("line ends in a backslash");
                }
                cur.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
