package io.dtkit.dts;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Prints a compiled tree as YAML exactly as dtc 1.6.1's {@code -O yaml} does (the format
 * dt-schema reads, Devicetree Specification chapter 6 values typed by their source markers):
 * one document holding a one-item sequence with the root node as a mapping; each property a
 * flow sequence of its typed chunks (strings quoted, 32-bit cells as plain sequences,
 * {@code !u8}/{@code !u16}/{@code !u64} sequences otherwise, phandle cells tagged
 * {@code !phandle}), empty properties {@code true}. The layout (indents, quoting, wrapping past
 * column 80) follows the YAML 1.1 emitter dtc links against.
 *
 * <p>Bytes without a type marker print as nothing (dtc refuses blob input for YAML before
 * this point, see the command line). Chunks dtc cannot print (a cell array whose length does not divide, non-ASCII
 * strings) are refused with {@link IllegalArgumentException} where dtc aborts.
 */
public final class YamlWriter {
    private static final int BEST_WIDTH = 80;
    private static final int BEST_INDENT = 2;

    private final StringBuilder out = new StringBuilder(65536);
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private int indent = -1;
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int flowLevel;

    private YamlWriter() {
    }

    /** The YAML text of {@code tree}; each char stands for one byte (all ASCII). */
    public static String write(DeviceTree tree) {
        if (tree.rootDeleted()) {
            // dtc's writer skips a deleted root: the sequence around it stays empty
            return "--- []\n...\n";
        }
        YamlWriter w = new YamlWriter();
        w.document(tree.root());
        return w.out.toString();
    }

    private static final class Frame {
        final Node node;
        int nextChild;

        Frame(Node node) {
            this.node = node;
        }
    }

    private void document(Node root) {
        writeIndent();
        writeIndicator("---", true, false, false);
        // the block sequence around the root
        increaseIndent(false, false);
        writeIndent();
        writeIndicator("-", true, false, true);
        Deque<Frame> stack = new ArrayDeque<>();
        if (startMapping(root)) {
            stack.push(new Frame(root));
        }
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            List<Node> kids = f.node.children();
            if (f.nextChild < kids.size()) {
                Node c = kids.get(f.nextChild++);
                key(c.name(), false);
                if (startMapping(c)) {
                    stack.push(new Frame(c));
                }
            } else {
                indent = indents.pop(); // block mapping end
                stack.pop();
            }
        }
        indent = indents.pop(); // block sequence end
        writeIndent();
        writeIndent();
        writeIndicator("...", true, false, false);
        writeIndent();
    }

    /**
     * Starts a node's mapping and writes its properties; an empty node is a flow {@code {}}.
     * Returns true when a block mapping was opened (its children still to come).
     */
    private boolean startMapping(Node node) {
        if (node.properties().isEmpty() && node.children().isEmpty()) {
            writeIndicator("{", true, true, false);
            writeIndicator("}", false, false, false);
            return false;
        }
        increaseIndent(false, false);
        for (Property p : node.properties()) {
            key(p.name(), true);
            propertyValue(p);
        }
        return true;
    }

    /** A block mapping key and the {@code :} after it. */
    private void key(String name, boolean quotedImplicit) {
        requireAscii(name, "name");
        writeIndent();
        Analysis a = analyze(name);
        boolean simple = !a.multiline && name.length() <= 128;
        if (!simple) {
            writeIndicator("?", true, false, true);
            scalar(name, a, true, quotedImplicit, false);
            writeIndent();
            writeIndicator(":", true, false, true);
        } else {
            scalar(name, a, true, quotedImplicit, true);
            writeIndicator(":", false, false, false);
        }
    }

    /** A plain-or-quoted scalar with an implicit tag, as a key or {@code true}. */
    private void scalar(String text, Analysis a, boolean plainImplicit, boolean quotedImplicit,
                        boolean simpleKey) {
        char style = 'p';
        if ((flowLevel > 0 && !a.flowPlain) || (flowLevel == 0 && !a.blockPlain)) {
            style = '\'';
        }
        if (text.isEmpty() && (flowLevel > 0 || simpleKey)) {
            style = '\'';
        }
        if (style == '\'' && !a.singleQuoted) {
            style = '"';
        }
        if (style != 'p' && !quotedImplicit) {
            writeTagHandle("!");
        }
        increaseIndent(true, false);
        switch (style) {
            case 'p' -> writePlain(text, !simpleKey);
            case '\'' -> writeSingleQuoted(text, !simpleKey);
            default -> writeDoubleQuoted(text, !simpleKey);
        }
        indent = indents.pop();
    }

    private void propertyValue(Property p) {
        Value v = p.value();
        int len = v.length();
        if (len == 0) {
            writePlainTagless("true");
            return;
        }
        // untyped bytes (an /incbin/ alone) print as an empty sequence, as dtc does
        List<Marker> markers = v.markers();
        byte[] b = v.bytes();
        startFlowSequence(null);
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            if (!m.type().isType()) {
                continue;
            }
            int chunk = 0;
            for (int j = i + 1; j < markers.size(); j++) {
                if (markers.get(j).type().isType()) {
                    chunk = markers.get(j).offset() - m.offset();
                    break;
                }
            }
            if (chunk == 0) {
                chunk = len;
            }
            if (chunk <= 0 || m.offset() + chunk > b.length) {
                throw new IllegalArgumentException("property '" + p.name()
                        + "' has a value chunk dtc cannot print as YAML");
            }
            len -= chunk;
            flowItem();
            switch (m.type()) {
                case TYPE_UINT16 -> ints(p, markers, i, b, chunk, 2);
                case TYPE_UINT32 -> ints(p, markers, i, b, chunk, 4);
                case TYPE_UINT64 -> ints(p, markers, i, b, chunk, 8);
                case TYPE_STRING -> string(p, b, m.offset(), chunk);
                default -> ints(p, markers, i, b, chunk, 1);
            }
        }
        endFlowSequence();
    }

    private void ints(Property p, List<Marker> markers, int typeIndex, byte[] b, int len, int width) {
        if (len % width != 0) {
            throw new IllegalArgumentException("property '" + p.name() + "': " + len
                    + " bytes do not make whole " + (width * 8) + "-bit values");
        }
        int start = markers.get(typeIndex).offset();
        startFlowSequence(width == 4 ? null : "u" + (width * 8));
        for (int off = 0; off < len; off += width) {
            long val = 0;
            for (int k = 0; k < width; k++) {
                val = (val << 8) | (b[start + off + k] & 0xff);
            }
            boolean phandle = false;
            if (width == 4) {
                for (int j = typeIndex; j < markers.size(); j++) {
                    Marker r = markers.get(j);
                    if (r.type() == MarkerType.REF_PHANDLE && r.offset() == start + off) {
                        phandle = true;
                        break;
                    }
                }
            }
            flowItem();
            String text = "0x" + Long.toHexString(val);
            if (phandle) {
                writeTagHandle("!");
                writeTagContent("phandle");
            }
            increaseIndent(true, false);
            writePlain(text, true);
            indent = indents.pop();
        }
        endFlowSequence();
    }

    private void string(Property p, byte[] b, int off, int len) {
        if (b[off + len - 1] != 0) {
            throw new IllegalArgumentException("property '" + p.name() + "': string is not NUL-terminated");
        }
        StringBuilder s = new StringBuilder(len);
        for (int i = 0; i < len - 1; i++) {
            int c = b[off + i] & 0xff;
            if (c >= 0x80) {
                throw new IllegalArgumentException("property '" + p.name()
                        + "': YAML output takes only ASCII strings");
            }
            s.append((char) c);
        }
        increaseIndent(true, false);
        writeDoubleQuoted(s.toString(), true);
        indent = indents.pop();
    }

    private int[] flowFirst = new int[8];

    private void startFlowSequence(String tag) {
        if (tag != null) {
            writeTagHandle("!");
            writeTagContent(tag);
        }
        writeIndicator("[", true, true, false);
        increaseIndent(true, false);
        flowLevel++;
        if (flowLevel >= flowFirst.length) {
            flowFirst = java.util.Arrays.copyOf(flowFirst, flowFirst.length * 2);
        }
        flowFirst[flowLevel] = 1;
    }

    /** Before each item of the innermost flow sequence: the comma, and a line break past column 80. */
    private void flowItem() {
        if (flowFirst[flowLevel] == 0) {
            writeIndicator(",", false, false, false);
        }
        flowFirst[flowLevel] = 0;
        if (column > BEST_WIDTH) {
            writeIndent();
        }
    }

    private void endFlowSequence() {
        flowLevel--;
        indent = indents.pop();
        writeIndicator("]", false, false, false);
    }

    private void writePlainTagless(String text) {
        increaseIndent(true, false);
        writePlain(text, true);
        indent = indents.pop();
    }

    // ---- the emitter's primitives

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.push(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void writeIndent() {
        int ind = Math.max(indent, 0);
        if (!indention || column > ind || (column == ind && !whitespace)) {
            putBreak();
        }
        while (column < ind) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String ind, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        for (int i = 0; i < ind.length(); i++) {
            put(ind.charAt(i));
        }
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void writeTagHandle(String handle) {
        if (!whitespace) {
            put(' ');
        }
        for (int i = 0; i < handle.length(); i++) {
            put(handle.charAt(i));
        }
        whitespace = false;
        indention = false;
    }

    private void writeTagContent(String content) {
        for (int i = 0; i < content.length(); i++) {
            put(content.charAt(i));
        }
        whitespace = false;
        indention = false;
    }

    private void writePlain(String s, boolean allowBreaks) {
        if (!whitespace && (!s.isEmpty() || flowLevel > 0)) {
            put(' ');
        }
        boolean spaces = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i + 1 < s.length() && s.charAt(i + 1) != ' ') {
                    writeIndent();
                } else {
                    put(c);
                }
                spaces = true;
            } else {
                put(c);
                indention = false;
                spaces = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void writeSingleQuoted(String s, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i != 0 && i != s.length() - 1
                        && s.charAt(i + 1) != ' ') {
                    writeIndent();
                } else {
                    put(c);
                }
                spaces = true;
            } else {
                if (c == '\'') {
                    put('\'');
                }
                put(c);
                indention = false;
                spaces = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(String s, boolean allowBreaks) {
        writeIndicator("\"", true, false, false);
        boolean spaces = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean printable = c == '\n' || (c >= 0x20 && c <= 0x7e);
            if (!printable || c == '\n' || c == '"' || c == '\\') {
                put('\\');
                switch (c) {
                    case 0 -> put('0');
                    case 7 -> put('a');
                    case 8 -> put('b');
                    case 9 -> put('t');
                    case 10 -> put('n');
                    case 11 -> put('v');
                    case 12 -> put('f');
                    case 13 -> put('r');
                    case 27 -> put('e');
                    case '"' -> put('"');
                    case '\\' -> put('\\');
                    default -> {
                        put('x');
                        put(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)));
                        put(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                    }
                }
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i != 0 && i != s.length() - 1) {
                    writeIndent();
                    if (s.charAt(i + 1) == ' ') {
                        put('\\');
                    }
                } else {
                    put(c);
                }
                spaces = true;
            } else {
                put(c);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    // ---- scalar analysis: which styles can carry the text

    private record Analysis(boolean multiline, boolean flowPlain, boolean blockPlain, boolean singleQuoted) {
    }

    private static boolean blankz(String s, int i) {
        return i >= s.length() || s.charAt(i) == ' ' || s.charAt(i) == '\t'
                || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == 0;
    }

    private static Analysis analyze(String s) {
        if (s.isEmpty()) {
            return new Analysis(false, false, true, true);
        }
        boolean flowInd = false;
        boolean blockInd = false;
        if (s.startsWith("---") || s.startsWith("...")) {
            flowInd = true;
            blockInd = true;
        }
        boolean special = false;
        boolean lineBreaks = false;
        boolean leadingSpace = false;
        boolean trailingSpace = false;
        boolean leadingBreak = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean prevSpace = false;
        boolean prevBreak = false;
        boolean precededByWs = true;
        boolean followedByWs = blankz(s, 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                    flowInd = true;
                    blockInd = true;
                }
                if (c == '?' || c == ':') {
                    flowInd = true;
                    if (followedByWs) {
                        blockInd = true;
                    }
                }
                if (c == '-' && followedByWs) {
                    flowInd = true;
                    blockInd = true;
                }
            } else {
                if (",?[]{}".indexOf(c) >= 0) {
                    flowInd = true;
                }
                if (c == ':') {
                    flowInd = true;
                    if (followedByWs) {
                        blockInd = true;
                    }
                }
                if (c == '#' && precededByWs) {
                    flowInd = true;
                    blockInd = true;
                }
            }
            boolean printable = c == '\n' || (c >= 0x20 && c <= 0x7e);
            if (!printable) {
                special = true;
            }
            boolean isBreak = c == '\n' || c == '\r';
            if (isBreak) {
                lineBreaks = true;
            }
            if (c == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i == s.length() - 1) {
                    trailingSpace = true;
                }
                if (prevBreak) {
                    breakSpace = true;
                }
                prevSpace = true;
                prevBreak = false;
            } else if (isBreak) {
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i == s.length() - 1) {
                    trailingBreak = true;
                }
                if (prevSpace) {
                    spaceBreak = true;
                }
                prevSpace = false;
                prevBreak = true;
            } else {
                prevSpace = false;
                prevBreak = false;
            }
            precededByWs = blankz(s, i);
            if (i + 1 < s.length()) {
                followedByWs = blankz(s, i + 2);
            }
        }
        boolean flowPlain = true;
        boolean blockPlain = true;
        boolean single = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            flowPlain = false;
            blockPlain = false;
        }
        if (breakSpace) {
            flowPlain = false;
            blockPlain = false;
            single = false;
        }
        if (spaceBreak || special) {
            flowPlain = false;
            blockPlain = false;
            single = false;
        }
        if (lineBreaks) {
            flowPlain = false;
            blockPlain = false;
        }
        if (flowInd) {
            flowPlain = false;
        }
        if (blockInd) {
            blockPlain = false;
        }
        return new Analysis(lineBreaks, flowPlain, blockPlain, single);
    }

    private static void requireAscii(String name, String what) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                throw new IllegalArgumentException("YAML output takes only ASCII names: " + what + " '" + name + "'");
            }
        }
    }
}
