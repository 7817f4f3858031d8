package io.dtkit.transform;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * dtc's {@code -s}: reservations by address then size (unsigned), and in every node the
 * properties and the children by name, compared byte-wise like {@code strcmp}. Equal keys keep
 * their order. Nodes are rebuilt bottom-up with an explicit stack; labels and spans are kept.
 */
public final class TreeSorter {
    private TreeSorter() {
    }

    /** Byte-wise name order; for names of chars up to U+00FF this is dtc's strcmp order. */
    static final Comparator<String> NAME_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            int d = Character.compare(a.charAt(i), b.charAt(i));
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(a.length(), b.length());
    };

    private static final Comparator<Reservation> RESERVATION_ORDER =
            Comparator.<Reservation>comparingLong(r -> r.address() ^ Long.MIN_VALUE)
                    .thenComparingLong(r -> r.size() ^ Long.MIN_VALUE);

    /** The sorted tree. */
    public static DeviceTree sort(DeviceTree tree) {
        List<Reservation> rs = new ArrayList<>(tree.reservations());
        rs.sort(RESERVATION_ORDER);
        return tree.withReservations(rs).withRoot(sortNode(tree.root()));
    }

    private static final class Frame {
        final Node node;
        final List<Node> done = new ArrayList<>();
        int next;

        Frame(Node node) {
            this.node = node;
        }
    }

    /** {@code root} and all its descendants sorted. */
    public static Node sortNode(Node root) {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root));
        Node result = null;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.next < f.node.children().size()) {
                stack.push(new Frame(f.node.children().get(f.next++)));
                continue;
            }
            stack.pop();
            List<Property> ps = new ArrayList<>(f.node.properties());
            ps.sort(Comparator.comparing(Property::name, NAME_ORDER));
            List<Node> cs = f.done;
            cs.sort(Comparator.comparing(Node::name, NAME_ORDER));
            Node sorted = f.node.withProperties(ps).withChildren(cs);
            if (stack.isEmpty()) {
                result = sorted;
            } else {
                stack.peek().done.add(sorted);
            }
        }
        return result;
    }
}
