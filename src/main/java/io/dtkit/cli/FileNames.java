package io.dtkit.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * File names from the command line turned into paths the way the system would take them. A
 * {@link Path} mends two names the reference tools' {@code open} refuses: the empty name (a
 * path to the working folder) and a name ending in '/' (the slash dropped, so {@code f.dtb/}
 * would read or replace the file {@code f.dtb}). Those are refused here with the system's reason.
 */
final class FileNames {
    private FileNames() {
    }

    /** The path to read {@code name} from; a directory is returned for the caller to refuse. */
    static Path input(String name) throws IOException {
        if (name.isEmpty()) {
            throw new NoSuchFileException(name);
        }
        Path p = path(name);
        if (name.endsWith("/") && !Files.isDirectory(p)) {
            if (Files.exists(p)) {
                throw new FileSystemException(name, null, "Not a directory");
            }
            throw new NoSuchFileException(name);
        }
        return p;
    }

    /**
     * {@code name} as a path, or the reason it cannot be one: a name the JVM's character set
     * for file names (from the locale) cannot encode, e.g. outside ASCII under the C locale.
     */
    static Path path(String name) throws IOException {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new FileSystemException(name, null, "File name not representable in "
                    + System.getProperty("sun.jnu.encoding") + ", the locale's character set");
        }
    }

    /**
     * The path to write {@code name} to. A name ending in '/' cannot be created as a file: the
     * system says "Is a directory" where its folder exists (whatever is there), else why the
     * folder cannot be reached.
     */
    static Path output(String name) throws IOException {
        if (name.isEmpty()) {
            throw new NoSuchFileException(name);
        }
        Path p = path(name);
        if (name.endsWith("/")) {
            Path dir = p.toAbsolutePath().getParent();
            if (dir == null || Files.isDirectory(dir)) {
                throw new FileSystemException(name, null, "Is a directory");
            }
            if (Files.exists(dir)) {
                throw new FileSystemException(name, null, "Not a directory");
            }
            throw new NoSuchFileException(name);
        }
        return p;
    }
}
