package io.dtkit.dts;

import io.dtkit.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/**
 * Runs a {@link SourceReader} on a thread of its own, a bounded distance ahead of the parser,
 * so that lexing and parsing a large source use two cores.
 *
 * <p>What the reader does besides making tokens happens, as the parser sees it, exactly when
 * it would if the parser called the reader itself: the messages the reader reports and the
 * files it includes while making a token are handed over together with that token, a
 * literal's value is worked out (and its errors reported) as it is handed over, and a
 * failure is raised when the parser asks for the token the reader could not make. So the
 * compiler's messages, their order and the list of files read are the same either way.
 */
final class LexAhead implements TokenSource, AutoCloseable {
    private static final int BLOCK = 1024;
    private static final int BLOCKS_AHEAD = 32;

    /** Tokens made in a row, with what happened while making some of them. */
    private static final class Block {
        final Token[] tokens = new Token[BLOCK];
        int count;
        /** Per token index, or null: the messages and included files that came with it. */
        Extra[] extras;
        /** Raised after the last token, when the reader failed there. */
        Throwable failure;
        Extra failureExtra;
        boolean last;
    }

    private record Extra(List<Diagnostic> diagnostics, int errors, boolean aborted, List<String> files) {
    }

    private final SourceReader reader;
    private final String fileName;
    private final Diagnostics readerDiags;
    private final Diagnostics diags;
    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BLOCKS_AHEAD);
    private final Thread thread;
    private Block current;
    private int next;
    private Token eof;

    /** The files read so far as the parser sees it: the reader's, then whatever the caller adds. */
    final List<String> filesRead = new ArrayList<>();

    /**
     * Starts lexing {@code main} on a new thread; {@code diags} receives the reader's messages
     * as the parser reaches them.
     */
    LexAhead(CharStream main, String fileName, List<java.nio.file.Path> searchDirs, Diagnostics diags) {
        this.diags = diags;
        this.fileName = fileName;
        this.readerDiags = new Diagnostics();
        this.reader = new SourceReader(main, fileName, searchDirs, readerDiags);
        // literal values are worked out on the parser's side: the reader's thread is the busier
        reader.deferFinish = true;
        filesRead.addAll(reader.filesRead);
        thread = new Thread(null, this::produce, "dts-lexer", 64L << 20);
        thread.setDaemon(true);
        thread.start();
    }

    /** The reader, for resolving file names (which reads only its fixed search list). */
    SourceReader reader() {
        return reader;
    }

    private void produce() {
        int seenDiags = 0;
        int seenErrors = 0;
        int seenFiles = reader.filesRead.size();
        try {
            Block b = new Block();
            while (true) {
                Token t;
                try {
                    t = reader.nextToken();
                } catch (Throwable e) {
                    b.failure = e;
                    b.failureExtra = extra(seenDiags, seenErrors, seenFiles);
                    queue.put(b);
                    return;
                }
                if (readerDiags.list.size() != seenDiags || reader.filesRead.size() != seenFiles) {
                    if (b.extras == null) {
                        b.extras = new Extra[BLOCK];
                    }
                    b.extras[b.count] = extra(seenDiags, seenErrors, seenFiles);
                    seenDiags = readerDiags.list.size();
                    seenErrors = readerDiags.errors;
                    seenFiles = reader.filesRead.size();
                }
                b.tokens[b.count++] = t;
                if (t.getType() == Token.EOF) {
                    b.last = true;
                    queue.put(b);
                    return;
                }
                if (b.count == BLOCK) {
                    queue.put(b);
                    b = new Block();
                }
            }
        } catch (InterruptedException e) {
            // the parser stopped early: nothing more is wanted
        }
    }

    private Extra extra(int seenDiags, int seenErrors, int seenFiles) {
        return new Extra(List.copyOf(readerDiags.list.subList(seenDiags, readerDiags.list.size())),
                readerDiags.errors - seenErrors, readerDiags.aborted,
                List.copyOf(reader.filesRead.subList(seenFiles, reader.filesRead.size())));
    }

    private void apply(Extra x) {
        diags.list.addAll(x.diagnostics());
        diags.errors += x.errors();
        diags.aborted |= x.aborted();
        filesRead.addAll(x.files());
    }

    @Override
    public Token nextToken() {
        while (true) {
            if (eof != null) {
                return eof;
            }
            Block b = current;
            if (b != null && next < b.count) {
                int i = next++;
                if (b.extras != null && b.extras[i] != null) {
                    apply(b.extras[i]);
                }
                Token t = b.tokens[i];
                b.tokens[i] = null;
                int type = t.getType();
                if (type == Token.EOF) {
                    eof = t;
                } else if (SourceReader.needsFinish(type)) {
                    SourceReader.finish((PosToken) t, diags);
                }
                return t;
            }
            if (b != null && b.failure != null) {
                apply(b.failureExtra);
                Throwable f = b.failure;
                b.failure = null;
                if (f instanceof RuntimeException e) {
                    throw e;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
            current = take();
            next = 0;
        }
    }

    private Block take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the lexing thread if it is still running. */
    @Override
    public void close() {
        thread.interrupt();
        queue.clear();
    }

    @Override
    public int getLine() {
        return 0;
    }

    @Override
    public int getCharPositionInLine() {
        return 0;
    }

    @Override
    public CharStream getInputStream() {
        return null;
    }

    @Override
    public String getSourceName() {
        return fileName;
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        // tokens are always the reader's
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return null;
    }
}
