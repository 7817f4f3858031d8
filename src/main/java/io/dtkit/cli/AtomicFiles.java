package io.dtkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes output files atomically: the bytes go to a temporary file in the target's folder,
 * which then replaces the target by a rename. A failed run never leaves a half-written output,
 * and an input named as the output is not damaged before the run has succeeded.
 *
 * <p>As with the reference tools' plain writes, a file the process may not write is not
 * replaced (even where its folder would allow the rename), a symbolic link is written through
 * (the file it ends at is replaced, the link stays), and a device, pipe or socket
 * ({@code -o /dev/null}) is written to in place: renaming over it would put a regular file
 * where the device was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target}. A failure is reported against {@code target}
     * (e.g. {@link NoSuchFileException} for a missing folder), never against the temporary file.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        try {
            writeThrough(target, bytes);
        } catch (FileSystemException e) {
            throw asTarget(e, target);
        }
    }

    /**
     * Fails as {@link #write} would on the way to the file: a folder or a file the process may
     * not write in its place, or a folder to put it in that is missing or may not be written.
     * For a file that must be known writable before the work that fills it.
     */
    public static void checkWritable(Path target) throws IOException {
        try {
            Path abs = throughLinks(target.toAbsolutePath());
            if (Files.isDirectory(abs)) {
                throw new FileSystemException(abs.toString(), null, "Is a directory");
            }
            if (Files.exists(abs)) {
                if (!Files.isWritable(abs)) {
                    throw new AccessDeniedException(abs.toString());
                }
                return;
            }
            Path dir = abs.getParent();
            if (!Files.isDirectory(dir)) {
                if (Files.exists(dir)) {
                    throw new FileSystemException(abs.toString(), null, "Not a directory");
                }
                throw new NoSuchFileException(abs.toString());
            }
            if (!Files.isWritable(dir)) {
                throw new AccessDeniedException(abs.toString());
            }
        } catch (FileSystemException e) {
            throw asTarget(e, target);
        }
    }

    /** The same failure, named by the file the caller asked for. */
    private static FileSystemException asTarget(FileSystemException e, Path target) {
        String name = target.toString();
        FileSystemException t;
        if (e instanceof NoSuchFileException) {
            t = new NoSuchFileException(name);
        } else if (e instanceof AccessDeniedException) {
            t = new AccessDeniedException(name);
        } else {
            t = new FileSystemException(name, null, e.getReason());
        }
        t.initCause(e);
        return t;
    }

    private static void writeThrough(Path target, byte[] bytes) throws IOException {
        Path abs = throughLinks(target.toAbsolutePath());
        boolean replacing = Files.exists(abs);
        if (replacing && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
            try (OutputStream out = Files.newOutputStream(abs, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(bytes);
            }
            return;
        }
        if (replacing && !Files.isWritable(abs)) {
            // the reference tools open the output for writing, which fails here; a rename
            // would replace a file the user may not write
            throw new AccessDeniedException(abs.toString());
        }
        Path dir = abs.getParent();
        Path tmp = createTemp(dir, "." + abs.getFileName() + ".", replacing);
        try {
            Files.write(tmp, bytes);
            if (replacing) {
                keepMode(tmp, abs);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The path a chain of symbolic links ends at; a dangling link's own target. */
    private static Path throughLinks(Path p) throws IOException {
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        return p;
    }

    /** Linux's limit on the links followed while resolving one path. */
    private static final int MAX_LINKS = 40;

    /**
     * Creates an empty file with a random name in {@code dir}: private when it will replace a
     * file (whose mode it takes before the rename, so a private target is never exposed), else
     * with the mode a new file gets, read and write for all less the process's umask, as the
     * reference tools create their outputs. Unlike {@code Files.createTempFile} this does not
     * seed a {@code SecureRandom}, which costs a noticeable part of a short run's start-up; the
     * name only has to be unused, not secret.
     */
    private static Path createTemp(Path dir, String prefix, boolean priv) throws IOException {
        boolean posix = priv && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return posix
                        ? Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                        : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** The replacing file takes the mode of the file it replaces. */
    private static void keepMode(Path tmp, Path target) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        }
    }
}
