package io.dtkit.dts.edit;

import io.dtkit.source.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One source file held as ISO-8859-1 text so that every byte maps to exactly one char and
 * back: offsets are byte offsets and untouched bytes survive an edit unchanged.
 */
final class SourceFile {
    final String name;
    final Path path;
    final String text;
    private int[] lineStarts;

    SourceFile(String name, Path path, byte[] bytes) {
        this.name = name;
        this.path = path;
        this.text = new String(bytes, StandardCharsets.ISO_8859_1);
    }

    SourceFile(String name, Path path, String latin1Text) {
        this.name = name;
        this.path = path;
        this.text = latin1Text;
    }

    /** The 1-based line of a byte offset. */
    int line(int offset) {
        if (lineStarts == null) {
            int n = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    n++;
                }
            }
            int[] starts = new int[n];
            int k = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts[k++] = i + 1;
                }
            }
            lineStarts = starts;
        }
        int idx = Arrays.binarySearch(lineStarts, offset);
        return idx >= 0 ? idx + 1 : -idx - 1;
    }

    int column(int offset) {
        int ls = text.lastIndexOf('\n', offset - 1) + 1;
        return offset - ls + 1;
    }

    Span span(int offset) {
        return Span.at(name, line(offset), column(offset));
    }

    /** {@code file:line} for messages. */
    String where(int offset) {
        return name + ":" + line(offset);
    }
}
