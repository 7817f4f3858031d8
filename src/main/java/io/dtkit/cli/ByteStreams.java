package io.dtkit.cli;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command that reads or writes raw bytes on standard input or output takes the streams
 * through this instead of {@code System.in}/{@code System.out}, so that batch mode and tests
 * can give each run its own.
 */
interface ByteStreams {
    /** Called once, right after the command object is created. */
    void useStreams(InputStream in, OutputStream out);
}
