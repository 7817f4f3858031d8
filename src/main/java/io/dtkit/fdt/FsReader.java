package io.dtkit.fdt;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.FileNameText;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a tree laid out as files, the way Linux exposes it under {@code /proc/device-tree}
 * (a folder per node, a file per property, the file's bytes being the value), like dtc's
 * {@code -I fs}.
 *
 * <p>Order: dtc keeps the order in which {@code readdir} returns the entries, without sorting,
 * and so does this reader ({@link DirectoryStream} reads the folder the same way), so both see
 * the same order on the same folder. Like dtc, symbolic links are followed, entries that are
 * neither regular files nor folders are skipped, a file that cannot be opened is skipped with a
 * warning, at most the file's reported size is read, and the boot CPU id is the {@code reg} of
 * the first node under {@code /cpus} when that is one cell. Correct {@code name} properties
 * (which Linux adds to every node) are kept; dtc's checks remove them later. A folder that links
 * back to one of its ancestors is refused instead of being followed forever.
 */
public final class FsReader {
    private FsReader() {
    }

    /** Reads the tree under {@code dir}; unreadable files are skipped silently. */
    public static DeviceTree read(Path dir) throws IOException {
        return read(dir, w -> { });
    }

    /** Reads the tree under {@code dir}, telling {@code warnings} about each skipped file. */
    public static DeviceTree read(Path dir, Consumer<String> warnings) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        Set<Object> open = new HashSet<>();
        Frame rootFrame = scan(dir, "", warnings, open);
        stack.push(rootFrame);
        Node root = null;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.next < f.subdirs.size()) {
                Path sub = f.subdirs.get(f.next++);
                stack.push(scan(sub, FileNameText.byteChars(sub.getFileName().toString()), warnings, open));
                continue;
            }
            stack.pop();
            open.remove(f.key);
            Node n = Node.of(f.name, f.props, f.children);
            if (stack.isEmpty()) {
                root = n;
            } else {
                stack.peek().children.add(n);
            }
        }
        return new DeviceTree(List.of(), root, guessBootCpuid(root), false);
    }

    private static final class Frame {
        final String name;
        final Object key;
        final List<Property> props = new ArrayList<>();
        final List<Path> subdirs = new ArrayList<>();
        final List<Node> children = new ArrayList<>();
        int next;

        Frame(String name, Object key) {
            this.name = name;
            this.key = key;
        }
    }

    private static Frame scan(Path dir, String name, Consumer<String> warnings, Set<Object> open)
            throws IOException {
        BasicFileAttributes da = Files.readAttributes(dir, BasicFileAttributes.class);
        Object key = da.fileKey() != null ? da.fileKey() : dir.toRealPath();
        if (!open.add(key)) {
            throw new FileSystemLoopException(dir.toString());
        }
        Frame f = new Frame(name, key);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    byte[] v;
                    try {
                        v = readUpTo(p, a.size());
                    } catch (IOException e) {
                        warnings.accept("Cannot open " + p + ": " + IoReasons.of(e));
                        continue;
                    }
                    f.props.add(Property.of(FileNameText.byteChars(p.getFileName().toString()),
                            v.length == 0 ? Value.EMPTY : Value.wrap(v, Marker.typeOnly(MarkerType.UNTYPED))));
                } else if (a.isDirectory()) {
                    f.subdirs.add(p);
                }
            }
        }
        return f;
    }

    private static byte[] readUpTo(Path p, long size) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes((int) Math.min(size, Integer.MAX_VALUE - 16));
        }
    }

    private static long guessBootCpuid(Node root) {
        Node cpus = root.child("cpus");
        if (cpus == null || cpus.children().isEmpty()) {
            return 0;
        }
        Property reg = cpus.children().get(0).property("reg");
        if (reg == null || reg.value().length() != 4) {
            return 0;
        }
        return reg.value().cellAt(0);
    }
}
