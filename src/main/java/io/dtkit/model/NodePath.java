package io.dtkit.model;

import java.util.ArrayList;
import java.util.List;

/** Absolute node paths ({@code /a/b@1}): splitting and joining. */
public final class NodePath {
    private NodePath() {
    }

    /** The components of an absolute path; {@code "/"} gives an empty list. */
    public static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && path.charAt(i) != '/') {
                i++;
            }
            if (i > start) {
                parts.add(path.substring(start, i));
            }
        }
        return parts;
    }

    /** The path of child {@code name} under the node at {@code parentPath}. */
    public static String child(String parentPath, String name) {
        return parentPath.equals("/") || parentPath.isEmpty() ? "/" + name : parentPath + "/" + name;
    }
}
