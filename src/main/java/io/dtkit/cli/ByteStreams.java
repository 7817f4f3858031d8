package io.dtkit.cli;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The base of commands that read or write raw bytes on standard input or output: they use
 * {@link #stdin} and {@link #stdout} instead of {@code System.in}/{@code System.out}, so that
 * batch mode and tests can give each run its own streams.
 */
abstract class ByteStreams {
    InputStream stdin = System.in;
    OutputStream stdout = System.out;

    /** Called right after the command object is created. */
    void useStreams(InputStream in, OutputStream out) {
        stdin = in;
        stdout = out;
    }
}
