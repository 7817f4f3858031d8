package io.dtkit.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Depth-first, pre-order traversal with an explicit stack, so that arbitrarily deep trees do
 * not exhaust the Java stack. Paths are computed while walking.
 */
public final class TreeWalker {
    private TreeWalker() {
    }

    /** Receives each node with its absolute path and depth (root = 0). */
    @FunctionalInterface
    public interface Visitor {
        void visit(String path, Node node, int depth);
    }

    /** Visits {@code root} and every descendant in document order. */
    public static void preorder(Node root, Visitor visitor) {
        record Frame(String path, Node node, int depth) {
        }
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame("/", root, 0));
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            visitor.visit(f.path, f.node, f.depth);
            var kids = f.node.children();
            for (int i = kids.size() - 1; i >= 0; i--) {
                Node c = kids.get(i);
                stack.push(new Frame(NodePath.child(f.path, c.name()), c, f.depth + 1));
            }
        }
    }
}
