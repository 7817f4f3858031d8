package io.dtkit.dts;

import io.dtkit.dts.LiveTree.Lbl;
import io.dtkit.dts.LiveTree.LiveNode;
import io.dtkit.dts.LiveTree.LiveProp;
import io.dtkit.dts.LiveTree.Mark;
import io.dtkit.dts.grammar.DtsParser;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.IoReasons;
import io.dtkit.source.SourceException;
import io.dtkit.source.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.UnbufferedTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Compiles device-tree source (dtc's DTS v1 language, Devicetree Specification chapter 6) into
 * an immutable {@link DeviceTree}, with dtc 1.6.1's semantics: node merging and deletion,
 * label and path references, phandle allocation, error-level checks, and the overlay
 * ({@code /plugin/}) and symbol ({@code -@}) nodes.
 */
public final class DtsCompiler {
    private DtsCompiler() {
    }

    /** Compiles the file at {@code file}; its name in positions is {@code file.toString()}. */
    public static CompileResult compile(Path file, CompileOptions options) throws SourceException {
        refuseFolder(file);
        ByteBuffer bytes;
        try {
            bytes = SourceReader.load(file);
        } catch (IOException e) {
            throw unreadable("Couldn't open \"" + file + "\": " + IoReasons.of(e));
        }
        return compile(bytes, file, options);
    }

    /** As {@link #compile(Path, CompileOptions)}, for the file's bytes already loaded. */
    static CompileResult compile(ByteBuffer bytes, Path file, CompileOptions options) throws SourceException {
        CompileResult r;
        try {
            r = run(() -> SourceReader.fromBuffer(bytes, file.toString()), file.toString(), options);
        } catch (SourceException | InternalError e) {
            throwIfShrunk(bytes, file);
            throw e;
        }
        throwIfShrunk(bytes, file);
        return r;
    }

    /**
     * A mapped file cut short while it was read: the system faults on the lost pages, and the
     * JVM reports that as an error at some later point of the reading thread, so whatever the
     * compile made of it, the file's size now is what tells.
     */
    static void throwIfShrunk(ByteBuffer bytes, Path file) throws SourceException {
        if (bytes.hasArray()) {
            return;
        }
        long now;
        try {
            now = java.nio.file.Files.size(file);
        } catch (IOException e) {
            return; // removed: the mapping keeps the old contents
        }
        if (now < bytes.limit()) {
            throw unreadable("Couldn't read \"" + file + "\": the file shrank while it was read");
        }
    }

    /**
     * A folder given as the source opens but cannot be read: dtc's scanner fails on it, as on an
     * included folder (see {@link SourceReader}).
     */
    static void refuseFolder(Path file) throws SourceException {
        if (java.nio.file.Files.isDirectory(file)) {
            Diagnostics d = new Diagnostics();
            d.scannerFailed();
            throw new SourceException(d.list);
        }
    }

    /** The error of a source file that cannot be read, as dtc reports it (no position). */
    static SourceException unreadable(String message) {
        Diagnostics d = new Diagnostics();
        d.fatal(message);
        return new SourceException(d.list);
    }

    /**
     * Compiles source text; {@code fileName} names it in positions and gives the directory
     * that {@code /include/} and {@code /incbin/} search first.
     */
    public static CompileResult compile(String text, String fileName, CompileOptions options)
            throws SourceException {
        return run(() -> SourceReader.fromText(text, fileName), fileName, options);
    }

    /** Compiles source bytes (one char per byte, as a file is read); {@code name} as for text. */
    static CompileResult compile(byte[] bytes, String name, CompileOptions options) throws SourceException {
        return run(() -> SourceReader.fromBytes(bytes, name), name, options);
    }

    private static CompileResult run(Supplier<ByteSource> input, String name, CompileOptions opts)
            throws SourceException {
        Diagnostics diags = new Diagnostics();
        try {
            TreeBuilder b = parseOnBigStack(input, name, opts, diags);
            if (diags.errors > 0) {
                throw new SourceException(diags.list);
            }
            b.release();
            long boot = opts.bootCpuid() != null ? opts.bootCpuid() : guessBootCpuid(b.root);
            new Checks(b.root, b.plugin, opts, diags).run();
            if (diags.errors > 0 && !opts.force()) {
                throw new SourceException(diags.list);
            }
            Node root = freeze(b.root);
            return new CompileResult(new DeviceTree(b.reservations, root, boot, b.plugin, b.root.deleted), diags.list,
                    b.filesRead());
        } catch (Diagnostics.Abort e) {
            throw new SourceException(diags.list);
        } catch (StackOverflowError e) {
            diags.fatal("nesting too deep for the parser");
            throw new SourceException(diags.list);
        } catch (RuntimeException e) {
            diags.fatal("internal error: " + e);
            throw new SourceException(diags.list);
        }
    }

    /** Stack for the parser thread: the generated recursive-descent parser nests per node level. */
    private static final long PARSER_STACK = 1L << 30;

    /** A thread with the parser's stack, on which a compile parses without a thread of its own. */
    private static final class ParserStackThread extends Thread {
        ParserStackThread(Runnable r, String name) {
            super(null, r, name, PARSER_STACK);
        }
    }

    /**
     * Threads with the parser's stack (daemons, named {@code prefix-1}, {@code prefix-2}, ...),
     * for a pool that compiles many sources: a compile on one of them parses right there. A
     * thread made per compile cost a 150-board batch 11% of its time (0.914 s against 1.035 s,
     * 8 alternating runs; 0.1 s of it system time for each new stack).
     */
    public static ThreadFactory threadsWithParserStack(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new ParserStackThread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs the parser on its own thread with a large stack, so deeply nested sources do not
     * depend on the caller's stack size; on a thread that has that stack already, right there.
     */
    private static TreeBuilder parseOnBigStack(Supplier<ByteSource> input, String name,
                                               CompileOptions opts, Diagnostics diags) {
        if (Thread.currentThread() instanceof ParserStackThread) {
            return parse(input, name, opts, diags);
        }
        Object[] result = new Object[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = parse(input, name, opts, diags);
            } catch (RuntimeException | Error e) {
                result[0] = e;
            }
        }, "dts-parser", PARSER_STACK);
        // an error that reaches the thread's end (the JVM reports a fault on a mapped file at a
        // later point than the read) is kept for the caller rather than printed
        t.setUncaughtExceptionHandler((thread, e) -> {
            if (result[0] == null || result[0] instanceof TreeBuilder) {
                result[0] = e;
            }
        });
        t.start();
        awaitEnd(t);
        if (result[0] instanceof RuntimeException e) {
            throw e;
        }
        if (result[0] instanceof Error e) {
            throw e;
        }
        return (TreeBuilder) result[0];
    }

    /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller. */
    static void awaitEnd(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The runtime's unbuffered stream for tokens that are all {@link PosToken}s, stored without
     * the runtime's type tests: asking whether a token is a {@code WritableToken} and storing it
     * in a {@code Token[]} are interface checks, which the JVM answers from a one-entry cache per
     * class; with the parse tree's own checks on the same class, that cache kept missing (in a
     * batch, several parser threads also kept overwriting it).
     */
    private static final class TokenBuffer extends UnbufferedTokenStream<Token> {
        private final Deferred deferred;

        TokenBuffer(SourceReader reader, Deferred deferred) {
            super(reader, 64);
            tokens = java.util.Arrays.copyOf(tokens, tokens.length, PosToken[].class);
            this.deferred = deferred;
        }

        /*
         * The parser asks for the next token once or more per decision. The runtime's LT is too
         * large for the optimising compiler to inline into the generated rules (with the
         * launcher's limits for large inputs it never is), so the common case, a token already
         * in the buffer, is answered here in a few bytecodes.
         */
        @Override
        public Token LT(int i) {
            int index = p + i - 1;
            return i > 0 && index < n ? tokens[index] : super.LT(i);
        }

        @Override
        public int LA(int i) {
            int index = p + i - 1;
            if (i > 0 && index < n) {
                return ((PosToken) tokens[index]).getType();
            }
            return LT(i).getType();
        }

        @Override
        public void consume() {
            if (deferred.first != null) {
                deferred.upTo(LT(1));
            }
            super.consume();
        }

        @Override
        protected void add(Token t) {
            if (n >= tokens.length) {
                tokens = java.util.Arrays.copyOf(tokens, tokens.length * 2);
            }
            PosToken p = (PosToken) t;
            p.setTokenIndex(getBufferStartIndex() + n);
            tokens[n++] = p;
        }
    }

    /**
     * Lexical errors waiting for the parser to take their tokens. The stream reads a token
     * ahead of the parser, and the parser looks ahead to decide, while dtc's parser asks its
     * lexer for the next token only after every reduction that needs none: an error found as
     * dtc finishes a reference, a cell or a division (a reference in a 64-bit array, a division
     * by zero) comes before a bad literal right after it, even where dtkit's parser finishes
     * that part only after looking at the literal. So an error waits until its token is
     * consumed, or is the one a syntax error is reported at.
     */
    private static final class Deferred {
        private record Waiting(PosToken token, String message) {
        }

        private final Diagnostics diags;
        private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        /** The token of the oldest waiting error, or null: the lookahead's one test. */
        PosToken first;

        Deferred(Diagnostics diags) {
            this.diags = diags;
        }

        void add(PosToken t, String message) {
            waiting.add(new Waiting(t, message));
            first = waiting.peek().token();
        }

        /** Reports the errors of the tokens up to {@code t}. */
        void upTo(Token t) {
            while (first != null && first.getTokenIndex() <= t.getTokenIndex()) {
                Waiting w = waiting.poll();
                diags.lexical(w.token().span(), w.message());
                Waiting next = waiting.peek();
                first = next == null ? null : next.token();
            }
        }
    }

    /** Parses with SLL prediction, falling back to full LL only when SLL reports an error. */
    private static TreeBuilder parse(Supplier<ByteSource> input, String name, CompileOptions opts,
                                     Diagnostics out) {
        for (PredictionMode mode : new PredictionMode[] {PredictionMode.SLL, PredictionMode.LL}) {
            Diagnostics diags = new Diagnostics();
            SourceReader reader = new SourceReader(input.get(), name, opts.includeDirs(), diags);
            UnbufferedTokenStream<Token> tokens;
            Deferred deferred = new Deferred(diags);
            try {
                // the stream reads its first token at once: a failed /include/ before
                // anything else is reported from here
                reader.deferLexicalErrors(deferred::add);
                tokens = new TokenBuffer(reader, deferred);
            } catch (Diagnostics.Abort e) {
                out.addAll(diags);
                throw e;
            }
            TreeBuilder builder = new TreeBuilder(diags, reader);
            builder.input = tokens;
            DtsParser parser = new BuildingParser(tokens, builder);
            parser.removeErrorListeners();
            parser.setErrorHandler(new BailErrorStrategy() {
                @Override
                public void recover(Parser recognizer, RecognitionException e) {
                    builder.salvage(recognizer.getContext());
                    builder.stopped = true;
                    super.recover(recognizer, e);
                }

                @Override
                public Token recoverInline(Parser recognizer) {
                    builder.salvage(recognizer.getContext());
                    builder.stopped = true;
                    return super.recoverInline(recognizer);
                }
            });
            parser.getInterpreter().setPredictionMode(mode);
            try {
                parser.dtsFile();
                deferred.upTo(tokens.LT(1)); // the end: nothing should be waiting
                out.addAll(diags);
                return builder;
            } catch (ParseCancellationException e) {
                if (mode == PredictionMode.SLL) {
                    continue;
                }
                Token t = e.getCause() instanceof RecognitionException r && r.getOffendingToken() != null
                        ? r.getOffendingToken() : parser.getCurrentToken();
                deferred.upTo(t);
                diags.error(((PosToken) t).span(), "syntax error");
                out.addAll(diags);
                throw new Diagnostics.Abort();
            } catch (Diagnostics.Abort e) {
                out.addAll(diags);
                throw e;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** dtc's guess_boot_cpuid: the 1-cell {@code reg} of the first child of {@code /cpus}. */
    private static long guessBootCpuid(LiveNode root) {
        LiveNode cpus = LiveTree.byPath(root, "/cpus");
        if (cpus == null || cpus.children.isEmpty()) {
            return 0;
        }
        LiveProp reg = cpus.children.get(0).prop("reg");
        if (reg == null || reg.val.len != 4) {
            return 0;
        }
        return reg.val.cell(0);
    }

    /** Builds the immutable tree bottom-up with an explicit stack, leaving deleted parts out. */
    static Node freeze(LiveNode root) {
        record Frame(LiveNode node, List<Node> kids) {
        }
        Deque<Frame> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(new Frame(root, new ArrayList<>()));
        next.push(0);
        Node result = null;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            int i = next.pop();
            List<LiveNode> ch = f.node.children;
            while (i < ch.size() && ch.get(i).deleted) {
                i++;
            }
            if (i < ch.size()) {
                next.push(i + 1);
                stack.push(new Frame(ch.get(i), new ArrayList<>()));
                next.push(0);
                continue;
            }
            stack.pop();
            Node n = build(f.node, f.kids);
            if (stack.isEmpty()) {
                result = n;
            } else {
                stack.peek().kids.add(n);
            }
        }
        return result;
    }

    private static Node build(LiveNode n, List<Node> kids) {
        List<Property> props = new ArrayList<>(n.props.size());
        for (LiveProp p : n.props) {
            if (p.deleted) {
                continue;
            }
            // an immutable list, which Value.wrap keeps as it is
            List<Mark> live = p.val.marks();
            List<Marker> marks;
            if (live.size() == 1 && live.get(0).offset == 0 && live.get(0).ref == null) {
                // most values: no array or list made only to be replaced by the shared one
                marks = Marker.typeOnly(live.get(0).type);
            } else {
                Marker[] ms = new Marker[live.size()];
                for (int i = 0; i < ms.length; i++) {
                    Mark m = live.get(i);
                    ms[i] = m.ref == null ? Marker.type(m.offset, m.type) : new Marker(m.offset, m.type, m.ref);
                }
                marks = List.of(ms);
            }
            byte[] bytes = p.val.val.length == p.val.len ? p.val.val : p.val.bytes();
            Value v = p.val.len == 0 && marks.isEmpty() ? Value.EMPTY : Value.wrap(bytes, marks);
            props.add(new Property(p.name, v, liveLabels(p.labels), p.span));
        }
        Span span = n.span();
        List<Span> more = n.srcpos == null || n.srcpos.size() < 2 ? List.of()
                : n.srcpos.subList(1, n.srcpos.size());
        Node frozen = new Node(n.name, props, kids, liveLabels(n.labels), span, more);
        // the live node is not used again: let its parts go while the rest is frozen
        n.props.clear();
        n.props.trimToSize();
        n.children.clear();
        n.children.trimToSize();
        return frozen;
    }

    private static List<String> liveLabels(List<Lbl> labels) {
        if (labels.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(labels.size());
        for (Lbl l : labels) {
            if (!l.deleted) {
                out.add(l.name);
            }
        }
        return out;
    }
}
