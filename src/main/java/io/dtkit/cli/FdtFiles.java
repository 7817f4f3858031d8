package io.dtkit.cli;

import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** File handling shared by the blob commands (get, put, dump, overlay), following dtc's util.c. */
final class FdtFiles {
    private FdtFiles() {
    }

    /** A file read the way dtc's {@code utilfdt_read} does, or the reason it could not be read. */
    record Read(byte[] buffer, int fileSize, String error) {
    }

    /**
     * Reads {@code name} ("-" is standard input) into a buffer of dtc's read size: 1024 bytes
     * doubled until it is larger than the file; the bytes past the file are zero. libfdt and
     * fdtdump then see those bytes, as the C tools do.
     */
    static Read read(String name, InputStream stdin) {
        byte[] data;
        try {
            if (name.equals("-")) {
                data = stdin.readAllBytes();
            } else {
                Path p = FileNames.input(name);
                if (Files.isDirectory(p)) {
                    return new Read(null, 0, "Is a directory");
                }
                data = Files.readAllBytes(p);
            }
        } catch (IOException e) {
            return new Read(null, 0, IoReasons.of(e));
        } catch (java.nio.file.InvalidPathException e) {
            return new Read(null, 0, "Input/output error");
        }
        long bufsize = 1024;
        while (bufsize <= data.length) {
            bufsize *= 2;
        }
        if (bufsize > Integer.MAX_VALUE - 8) {
            return new Read(null, 0, "File too large");
        }
        return new Read(Arrays.copyOf(data, (int) bufsize), data.length, null);
    }

    /** "FILE: reason" for a failed write, with the file the failure names (else {@code fallback}). */
    static String writeFailure(IOException e, Object fallback) {
        Object file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : fallback;
        return file + ": " + IoReasons.of(e);
    }

    /** Prints a usage text and dtc's "Error: ..." line, as dtc's tools do for bad arguments. */
    static int usageError(PrintWriter err, String usage, String message) {
        err.print(usage);
        err.print("\nError: " + message + "\n");
        err.flush();
        return 1;
    }
}
