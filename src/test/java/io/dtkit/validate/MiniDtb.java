package io.dtkit.validate;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A minimal blob reader for tests of well-formed DTBs (no error handling, no checks). */
final class MiniDtb {
    private MiniDtb() {
    }

    static DeviceTree read(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        int offStruct = b.getInt(8);
        int offStrings = b.getInt(12);
        int p = offStruct;
        record Open(String name, List<Property> props, List<Node> kids) {
        }
        Deque<Open> stack = new ArrayDeque<>();
        Node root = null;
        while (true) {
            int tag = b.getInt(p);
            p += 4;
            if (tag == 1) {
                int e = p;
                while (blob[e] != 0) {
                    e++;
                }
                stack.push(new Open(new String(blob, p, e - p, StandardCharsets.UTF_8), new ArrayList<>(), new ArrayList<>()));
                p = (e + 1 + 3) & ~3;
            } else if (tag == 2) {
                Open o = stack.pop();
                Node n = Node.of(o.name(), o.props(), o.kids());
                if (stack.isEmpty()) {
                    root = n;
                } else {
                    stack.peek().kids().add(n);
                }
            } else if (tag == 3) {
                int len = b.getInt(p);
                int nameOff = b.getInt(p + 4);
                p += 8;
                byte[] v = new byte[len];
                System.arraycopy(blob, p, v, 0, len);
                p = (p + len + 3) & ~3;
                int e = offStrings + nameOff;
                while (blob[e] != 0) {
                    e++;
                }
                String name = new String(blob, offStrings + nameOff, e - offStrings - nameOff, StandardCharsets.UTF_8);
                stack.peek().props().add(Property.of(name, Value.of(v)));
            } else if (tag == 4) {
                continue;
            } else {
                break;
            }
        }
        return DeviceTree.of(root);
    }
}
