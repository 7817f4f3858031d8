package io.dtkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable device tree: the memory reservations, the root node, the boot CPU's physical id
 * (a blob header field), whether the source was a {@code /plugin/} overlay, and whether the
 * source deleted the root node itself ({@code /delete-node/ &{/};}, or an unreferenced
 * {@code /omit-if-no-ref/} root). dtc writes the blob of such a tree with no node at all, and
 * its source as an empty root; {@link #root()} is then that empty root.
 */
public record DeviceTree(List<Reservation> reservations, Node root, long bootCpuidPhys,
                         boolean plugin, boolean rootDeleted) {
    public DeviceTree {
        reservations = List.copyOf(reservations);
        Objects.requireNonNull(root, "root");
    }

    /** A tree whose root was not deleted. */
    public DeviceTree(List<Reservation> reservations, Node root, long bootCpuidPhys, boolean plugin) {
        this(reservations, root, bootCpuidPhys, plugin, false);
    }

    public static DeviceTree of(Node root) {
        return new DeviceTree(List.of(), root, 0, false);
    }

    public DeviceTree withRoot(Node newRoot) {
        return new DeviceTree(reservations, newRoot, bootCpuidPhys, plugin, rootDeleted);
    }

    public DeviceTree withReservations(List<Reservation> newReservations) {
        return new DeviceTree(newReservations, root, bootCpuidPhys, plugin, rootDeleted);
    }

    public DeviceTree withBootCpuidPhys(long newBootCpuidPhys) {
        return new DeviceTree(reservations, root, newBootCpuidPhys, plugin, rootDeleted);
    }

    /** The node at an absolute path such as {@code /soc/uart@1000}, or {@code null}. */
    public Node node(String path) {
        Node n = root;
        for (String part : NodePath.split(path)) {
            n = n.child(part);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /**
     * A tree where the node at {@code path} is replaced by {@code replacement}; every ancestor
     * is rebuilt, the rest shared. Throws if the path does not exist.
     */
    public DeviceTree replaceNode(String path, Node replacement) {
        List<String> parts = NodePath.split(path);
        List<Node> chain = new ArrayList<>(parts.size() + 1);
        Node n = root;
        chain.add(n);
        for (String part : parts) {
            n = n.child(part);
            if (n == null) {
                throw new IllegalArgumentException("no node " + path);
            }
            chain.add(n);
        }
        Node rebuilt = replacement;
        for (int i = chain.size() - 2; i >= 0; i--) {
            rebuilt = chain.get(i).withChild(rebuilt);
        }
        return withRoot(rebuilt);
    }
}
