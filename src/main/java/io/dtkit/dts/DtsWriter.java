package io.dtkit.dts;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import io.dtkit.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Prints a tree as DTS source (Devicetree Specification chapter 6) exactly as dtc 1.6.1's
 * {@code -O dts} does. Values with type markers are printed the way the source wrote them
 * (strings, {@code <cells>}, {@code /bits/ N}, {@code [bytes]}, labels inside values);
 * references print as the phandle or path they resolved to, as dtc does. Values without type
 * markers (read from a blob) are printed as dtc guesses them: one string (embedded NULs as
 * {@code \0}) when it is NUL-terminated printable text with no more NULs than other bytes,
 * otherwise cells when the length is a multiple of 4, otherwise bytes.
 *
 * <p>Each char of a name stands for one byte; encode the result as ISO-8859-1 to get dtc's
 * exact bytes (values are always printed in ASCII).
 */
public final class DtsWriter {
    private DtsWriter() {
    }

    /** The DTS text of {@code tree}. */
    public static String write(DeviceTree tree) {
        return write(tree, 0, null);
    }

    /**
     * The DTS text of {@code tree} with dtc's {@code -T} source comments: level 0 prints none,
     * level 1 ({@code -T}) appends {@code /* file:line *}{@code /} after each node's opening and
     * closing line and each property (every place a node was defined, comma separated; file
     * names relative to {@code inputName}'s folder), level 2 ({@code -T -T}) prints full
     * {@code file:line:col-line:col} ranges and {@code <no-file>:<no-line>} for generated
     * items. {@code inputName} is the input file name as given ({@code null}: names as recorded).
     */
    public static String write(DeviceTree tree, int annotate, String inputName) {
        Annotator ann = annotate <= 0 ? null : new Annotator(annotate, inputName);
        StringBuilder sb = new StringBuilder(4096);
        sb.append("/dts-v1/;\n\n");
        for (Reservation r : tree.reservations()) {
            labels(sb, r.labels());
            sb.append("/memreserve/\t0x").append(hex16(r.address())).append(" 0x")
                    .append(hex16(r.size())).append(";\n");
        }
        writeTree(sb, tree.root(), ann);
        return sb.toString();
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }

    private static void labels(StringBuilder sb, List<String> labels) {
        for (String l : labels) {
            sb.append(l).append(": ");
        }
    }

    private static void indent(StringBuilder sb, int level) {
        for (int i = 0; i < level; i++) {
            sb.append('\t');
        }
    }

    private static final class Frame {
        final Node node;
        final int level;
        int nextChild;

        Frame(Node node, int level) {
            this.node = node;
            this.level = level;
        }
    }

    private static void writeTree(StringBuilder sb, Node root, Annotator ann) {
        Deque<Frame> stack = new ArrayDeque<>();
        openNode(sb, root, 0, ann);
        stack.push(new Frame(root, 0));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            List<Node> kids = f.node.children();
            if (f.nextChild < kids.size()) {
                Node c = kids.get(f.nextChild++);
                sb.append('\n');
                openNode(sb, c, f.level + 1, ann);
                stack.push(new Frame(c, f.level + 1));
            } else {
                indent(sb, f.level);
                sb.append("};");
                if (ann != null) {
                    ann.comment(sb, nodeSpans(f.node), false);
                }
                sb.append('\n');
                stack.pop();
            }
        }
    }

    private static void openNode(StringBuilder sb, Node node, int level, Annotator ann) {
        indent(sb, level);
        labels(sb, node.labels());
        sb.append(node.name().isEmpty() ? "/" : node.name()).append(" {");
        if (ann != null) {
            ann.comment(sb, nodeSpans(node), true);
        }
        sb.append('\n');
        for (Property p : node.properties()) {
            indent(sb, level + 1);
            labels(sb, p.labels());
            sb.append(p.name());
            writeValue(sb, p.value());
            if (ann != null) {
                sb.setLength(sb.length() - 1); // the value's newline goes after the comment
                ann.comment(sb, p.span() == null ? List.of() : List.of(p.span()), true);
                sb.append('\n');
            }
        }
    }

    /**
     * The path dtc shortens {@code -T} file names against: the file named by the first cpp
     * line marker ({@code # 1 "file"}) in the source text when there is one, since dtc then
     * takes the preprocessor's name for the input, else {@code inputName}.
     */
    public static String annotationBase(String sourceText, String inputName) {
        int lineStart = 0;
        int n = sourceText.length();
        while (lineStart < n) {
            int end = sourceText.indexOf('\n', lineStart);
            if (end < 0) {
                end = n;
            }
            if (sourceText.charAt(lineStart) == '#') {
                String line = sourceText.substring(lineStart, end);
                if (line.matches("#(line)?[ \t]+[0-9]+[ \t]+\".*\".*")) {
                    int q1 = line.indexOf('"');
                    int q2 = line.lastIndexOf('"');
                    return line.substring(q1 + 1, q2);
                }
            }
            lineStart = end + 1;
        }
        return inputName;
    }

    private static List<Span> nodeSpans(Node node) {
        if (node.span() == null) {
            return List.of();
        }
        List<Span> all = new ArrayList<>(1 + node.alsoDefinedAt().size());
        all.add(node.span());
        all.addAll(node.alsoDefinedAt());
        return all;
    }

    /** dtc's source-position comments ({@code -T}); see {@link #write(DeviceTree, int, String)}. */
    private static final class Annotator {
        private final int level;
        private final String initialPath;
        private final int initialSlashes;

        Annotator(int level, String initialPath) {
            this.level = level;
            this.initialPath = initialPath;
            int n = 0;
            if (initialPath != null) {
                for (int i = 0; i < initialPath.length(); i++) {
                    if (initialPath.charAt(i) == '/') {
                        n++;
                    }
                }
            }
            this.initialSlashes = n;
        }

        void comment(StringBuilder sb, List<Span> spans, boolean first) {
            if (spans.isEmpty()) {
                if (level > 1) {
                    sb.append(" /* <no-file>:<no-line> */");
                }
                return;
            }
            sb.append(" /* ");
            for (int i = 0; i < spans.size(); i++) {
                Span s = spans.get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                String file = s.file() == null ? "<no-file>" : s.file();
                if (level > 1) {
                    sb.append(file).append(':').append(s.firstLine()).append(':').append(s.firstColumn())
                            .append('-').append(s.lastLine()).append(':').append(s.lastColumn());
                } else {
                    String shortName = s.file() == null ? null : shorten(file);
                    sb.append(shortName != null ? shortName : file).append(':')
                            .append(first ? s.firstLine() : s.lastLine());
                }
            }
            sb.append(" */");
        }

        /**
         * The name relative to the input file's folder: the shared leading folders dropped,
         * one {@code ../} per folder of the input path beyond them; {@code null} when the two
         * share no folder.
         */
        private String shorten(String name) {
            if (initialPath == null) {
                return null;
            }
            int lastSlash = -1;
            int slashes = 0;
            for (int i = 0; i < name.length() && i < initialPath.length(); i++) {
                char c = name.charAt(i);
                if (c != initialPath.charAt(i)) {
                    break;
                }
                if (c == '/') {
                    lastSlash = i;
                    slashes++;
                }
            }
            if (lastSlash < 0) {
                return null;
            }
            return "../".repeat(initialSlashes - slashes) + name.substring(lastSlash + 1);
        }
    }

    private static String delimStart(MarkerType t) {
        return switch (t) {
            case TYPE_UINT8 -> "[";
            case TYPE_UINT16 -> "/bits/ 16 <";
            case TYPE_UINT32 -> "<";
            case TYPE_UINT64 -> "/bits/ 64 <";
            default -> "";
        };
    }

    private static String delimEnd(MarkerType t) {
        return switch (t) {
            case TYPE_UINT8 -> "]";
            case TYPE_UINT16, TYPE_UINT32, TYPE_UINT64 -> ">";
            default -> "";
        };
    }

    /** Prints {@code " = ...;\n"} (or {@code ";\n"} for an empty value) the way dtc does. */
    static void writeValue(StringBuilder sb, Value v) {
        int len = v.length();
        if (len == 0) {
            sb.append(";\n");
            return;
        }
        sb.append(" =");
        byte[] bytes = v.bytes();
        List<Marker> markers = withGuess(bytes, v.markers());
        if (!walk(null, bytes, markers)) {
            // dtc stops on an assertion here (bytes from a file next to typed data, a string
            // without its terminator, cells cut short): the value is printed as if it had no
            // type markers, which gives back every byte
            List<Marker> labels = new ArrayList<>();
            for (Marker m : v.markers()) {
                if (m.type() == MarkerType.LABEL) {
                    labels.add(m);
                }
            }
            markers = withGuess(bytes, labels);
        }
        walk(sb, bytes, markers);
        sb.append(";\n");
    }

    /** The bytes from marker {@code i} to the next marker (or the end). */
    private static int chunkLength(List<Marker> markers, int i, int len) {
        int off = Math.min(markers.get(i).offset(), len);
        int end = i + 1 < markers.size() ? Math.min(markers.get(i + 1).offset(), len) : len;
        return Math.max(0, end - off);
    }

    /** The bytes from marker {@code i} to the next type marker (or the end, when none follows or it is there). */
    private static int dataLength(List<Marker> markers, int i, int len) {
        int off = Math.min(markers.get(i).offset(), len);
        for (int j = i + 1; j < markers.size(); j++) {
            if (markers.get(j).type().isType()) {
                int d = Math.max(0, Math.min(markers.get(j).offset(), len) - off);
                return d == 0 ? len - off : d;
            }
        }
        return len - off;
    }

    /** {@code markers} led by dtc's guess of the type when none of them gives one. */
    private static List<Marker> withGuess(byte[] bytes, List<Marker> markers) {
        for (Marker m : markers) {
            if (m.type().isType()) {
                return markers;
            }
        }
        List<Marker> withGuess = new ArrayList<>(markers.size() + 1);
        withGuess.add(Marker.type(0, guessType(bytes, markers)));
        withGuess.addAll(markers);
        return withGuess;
    }

    /**
     * dtc's walk over the value's chunks, printing each after its marker into {@code sb}, or
     * (with {@code sb} null) only checking them. False where dtc fails one of its assertions:
     * a chunk of bytes with no type, a string chunk that does not end with its terminator, cells
     * that do not fill their chunk; nothing is then printed after that point.
     */
    private static boolean walk(StringBuilder sb, byte[] bytes, List<Marker> markers) {
        int len = bytes.length;
        MarkerType emit = null;
        int n = markers.size();
        for (int i = 0; i < n; i++) {
            Marker m = markers.get(i);
            int off = Math.min(m.offset(), len);
            int chunkLen = chunkLength(markers, i, len);
            int dataLen = dataLength(markers, i, len);
            if (m.type().isType()) {
                emit = m.type();
            }
            if (emit == null ? chunkLen != 0 : chunkLen % width(emit) != 0
                    || emit == MarkerType.TYPE_STRING && chunkLen > 0 && bytes[off + chunkLen - 1] != 0) {
                return false;
            }
            if (sb == null) {
                if (chunkLen == dataLen) {
                    emit = null;
                }
                continue;
            }
            if (m.type().isType()) {
                sb.append(' ').append(delimStart(emit));
            } else if (m.type() == MarkerType.LABEL) {
                sb.append(' ').append(m.ref()).append(':');
            } else if (m.offset() != 0) {
                sb.append(' ');
            }
            if (emit == null) {
                continue;
            }
            if (emit == MarkerType.TYPE_STRING) {
                string(sb, bytes, off, chunkLen);
            } else {
                ints(sb, bytes, off, chunkLen, width(emit));
            }
            if (chunkLen == dataLen) {
                sb.append(delimEnd(emit));
                if (off + chunkLen != len) {
                    sb.append(',');
                }
                emit = null;
            }
        }
        return true;
    }

    /** The bytes per item of a type marker's data. */
    private static int width(MarkerType t) {
        return switch (t) {
            case TYPE_UINT16 -> 2;
            case TYPE_UINT32 -> 4;
            case TYPE_UINT64 -> 8;
            default -> 1;
        };
    }

    private static void ints(StringBuilder sb, byte[] b, int off, int len, int width) {
        int end = off + len - len % width; // a partial trailing element cannot be printed
        for (int p = off; p < end; p += width) {
            long v = 0;
            for (int k = 0; k < width; k++) {
                v = (v << 8) | (b[p + k] & 0xff);
            }
            String h = Long.toHexString(v);
            if (width != 1) {
                sb.append("0x");
            }
            if (h.length() < 2) {
                sb.append('0');
            }
            sb.append(h);
            if (p + width < end) {
                sb.append(' ');
            }
        }
    }

    private static void string(StringBuilder sb, byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        // the chunk's last byte is its terminator and is not printed
        int end = off + len - 1;
        sb.append('"');
        for (int p = off; p < end; p++) {
            int c = b[p] & 0xff;
            switch (c) {
                case 7 -> sb.append("\\a");
                case 8 -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case 11 -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case 0 -> sb.append("\\0");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else if (c >= 0x80) {
                        // dtc passes a signed char to printf, so high bytes come out sign-extended
                        sb.append("\\x").append(Integer.toHexString(c | 0xffffff00));
                    } else {
                        sb.append("\\x").append(c < 0x10 ? "0" : "").append(Integer.toHexString(c));
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isStringByte(int c) {
        return (c >= 0x20 && c < 0x7f) || c == 0 || (c >= 7 && c <= 13);
    }

    /** dtc's guess for a value without type markers. */
    static MarkerType guessType(byte[] p, List<Marker> markers) {
        int len = p.length;
        int notString = 0;
        int nul = 0;
        for (byte x : p) {
            int c = x & 0xff;
            if (!isStringByte(c)) {
                notString++;
            }
            if (c == 0) {
                nul++;
            }
        }
        int labelNotAfterNul = 0;
        int labelNotOnCell = 0;
        for (Marker m : markers) {
            if (m.type() != MarkerType.LABEL) {
                continue;
            }
            if (m.offset() > 0 && m.offset() <= len && p[m.offset() - 1] != 0) {
                labelNotAfterNul++;
            }
            if (m.offset() % 4 != 0) {
                labelNotOnCell++;
            }
        }
        if (p[len - 1] == 0 && notString == 0 && nul <= len - nul && labelNotAfterNul == 0) {
            return MarkerType.TYPE_STRING;
        } else if (len % 4 == 0 && labelNotOnCell == 0) {
            return MarkerType.TYPE_UINT32;
        }
        return MarkerType.TYPE_UINT8;
    }
}
