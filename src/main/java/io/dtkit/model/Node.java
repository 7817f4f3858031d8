package io.dtkit.model;

import io.dtkit.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable device-tree node (Devicetree Specification 2.2): its name with unit address,
 * properties and children in order, labels, and where the source defined it ({@code null} for
 * blobs). The root's name is the empty string. Nodes compare by identity: a structural
 * comparison of deep trees belongs in a walker, not in {@code equals}.
 *
 * <p>Name look-ups use an index built on first use, so trees with many siblings stay linear.
 */
public final class Node {
    private final String name;
    private final List<Property> properties;
    private final List<Node> children;
    private final List<String> labels;
    private final Span span;
    private final List<Span> alsoDefinedAt;
    private volatile Map<String, Integer> propertyIndex;
    private volatile Map<String, Integer> childIndex;

    public Node(String name, List<Property> properties, List<Node> children, List<String> labels,
                Span span) {
        this(name, properties, children, labels, span, List.of());
    }

    /**
     * A node that the source defined at {@code span} and extended again at each of
     * {@code alsoDefinedAt} (dtc reports those as "also defined at" under node messages).
     */
    public Node(String name, List<Property> properties, List<Node> children, List<String> labels,
                Span span, List<Span> alsoDefinedAt) {
        this.name = Objects.requireNonNull(name, "name");
        this.properties = List.copyOf(properties);
        this.children = List.copyOf(children);
        this.labels = List.copyOf(labels);
        this.span = span;
        this.alsoDefinedAt = List.copyOf(alsoDefinedAt);
    }

    public static Node of(String name, List<Property> properties, List<Node> children) {
        return new Node(name, properties, children, List.of(), null);
    }

    public String name() {
        return name;
    }

    /** The part of the name before {@code @}. */
    public String baseName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The unit address (after {@code @}), or the empty string. */
    public String unitAddress() {
        int at = name.indexOf('@');
        return at < 0 ? "" : name.substring(at + 1);
    }

    public List<Property> properties() {
        return properties;
    }

    public List<Node> children() {
        return children;
    }

    public List<String> labels() {
        return labels;
    }

    public Span span() {
        return span;
    }

    /** The further places the source defined this node, after {@link #span()}; often empty. */
    public List<Span> alsoDefinedAt() {
        return alsoDefinedAt;
    }

    /** The property called {@code propName}, or {@code null}. */
    public Property property(String propName) {
        if (properties.size() <= SCAN_AT_MOST) {
            for (Property p : properties) {
                if (p.name().equals(propName)) {
                    return p;
                }
            }
            return null;
        }
        Map<String, Integer> idx = propertyIndex;
        if (idx == null) {
            idx = index(properties.stream().map(Property::name).toList());
            propertyIndex = idx;
        }
        Integer i = idx.get(propName);
        return i == null ? null : properties.get(i);
    }

    /** The child whose full name (with unit address) is {@code childName}, or {@code null}. */
    public Node child(String childName) {
        if (children.size() <= SCAN_AT_MOST) {
            for (Node c : children) {
                if (c.name().equals(childName)) {
                    return c;
                }
            }
            return null;
        }
        Map<String, Integer> idx = childIndex;
        if (idx == null) {
            idx = index(children.stream().map(Node::name).toList());
            childIndex = idx;
        }
        Integer i = idx.get(childName);
        return i == null ? null : children.get(i);
    }

    /** Lists up to this long are scanned: faster than building and asking a name index. */
    private static final int SCAN_AT_MOST = 8;

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            m.putIfAbsent(names.get(i), i);
        }
        return m;
    }

    /** This node with {@code prop} replacing the property of the same name, or appended. */
    public Node withProperty(Property prop) {
        List<Property> ps = new ArrayList<>(properties);
        Property old = property(prop.name());
        if (old == null) {
            ps.add(prop);
        } else {
            ps.set(properties.indexOf(old), prop);
        }
        return new Node(name, ps, children, labels, span, alsoDefinedAt);
    }

    /** This node without the property {@code propName} (unchanged if absent). */
    public Node withoutProperty(String propName) {
        Property old = property(propName);
        if (old == null) {
            return this;
        }
        List<Property> ps = new ArrayList<>(properties);
        ps.remove(old);
        return new Node(name, ps, children, labels, span, alsoDefinedAt);
    }

    /** This node with {@code child} replacing the child of the same name, or appended. */
    public Node withChild(Node child) {
        List<Node> cs = new ArrayList<>(children);
        Node old = child(child.name());
        if (old == null) {
            cs.add(child);
        } else {
            cs.set(children.indexOf(old), child);
        }
        return new Node(name, properties, cs, labels, span, alsoDefinedAt);
    }

    /** This node without the child {@code childName} (unchanged if absent). */
    public Node withoutChild(String childName) {
        Node old = child(childName);
        if (old == null) {
            return this;
        }
        List<Node> cs = new ArrayList<>(children);
        cs.remove(old);
        return new Node(name, properties, cs, labels, span, alsoDefinedAt);
    }

    public Node withProperties(List<Property> newProperties) {
        return new Node(name, newProperties, children, labels, span, alsoDefinedAt);
    }

    public Node withChildren(List<Node> newChildren) {
        return new Node(name, properties, newChildren, labels, span, alsoDefinedAt);
    }

    public Node withName(String newName) {
        return new Node(newName, properties, children, labels, span, alsoDefinedAt);
    }

    @Override
    public String toString() {
        return "Node[" + (name.isEmpty() ? "/" : name) + ", " + properties.size() + " properties, "
                + children.size() + " children]";
    }
}
