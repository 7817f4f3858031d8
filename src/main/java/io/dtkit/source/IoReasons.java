package io.dtkit.source;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason a file operation failed, in the words of C's {@code strerror} that the reference
 * tools print. Java's file exceptions carry the file's name as their message and the system's
 * reason only sometimes, so their message is not a reason.
 */
public final class IoReasons {
    private IoReasons() {
    }

    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : "Input/output error";
        }
        // plain IOExceptions of the file channels carry the system's text ("Is a directory")
        return e.getMessage() == null ? "Input/output error" : e.getMessage();
    }
}
