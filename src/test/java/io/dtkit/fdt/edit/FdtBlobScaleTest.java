package io.dtkit.fdt.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Large inputs: 100,000 siblings and a 20,000-deep chain of nodes must be read and edited
 * without recursion and in linear passes (a quadratic walk or a recursive one would not finish
 * or would overflow the stack here).
 */
class FdtBlobScaleTest {
    /** A minimal version-17 blob writer for synthetic shapes (test input only). */
    private static byte[] blob(int siblings, int depth) {
        ByteArrayOutputStream st = new ByteArrayOutputStream();
        byte[] strings = "reg\0".getBytes(StandardCharsets.US_ASCII);
        beginNode(st, "");
        for (int i = 0; i < siblings; i++) {
            beginNode(st, "n@" + Integer.toHexString(i));
            prop(st, 0, ByteBuffer.allocate(4).putInt(i).array());
            word(st, 2);
        }
        for (int i = 0; i < depth; i++) {
            beginNode(st, "d");
        }
        for (int i = 0; i < depth; i++) {
            word(st, 2);
        }
        word(st, 2);
        word(st, 9);
        byte[] s = st.toByteArray();
        int offRsv = 40;
        int offStruct = offRsv + 16;
        int offStrings = offStruct + s.length;
        int total = offStrings + strings.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(0xd00dfeed).putInt(total).putInt(offStruct).putInt(offStrings).putInt(offRsv).putInt(17).putInt(16)
                .putInt(0).putInt(strings.length).putInt(s.length);
        b.position(offStruct);
        b.put(s).put(strings);
        return b.array();
    }

    private static void word(ByteArrayOutputStream o, int v) {
        o.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    private static void beginNode(ByteArrayOutputStream o, String name) {
        word(o, 1);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        o.writeBytes(n);
        o.writeBytes(new byte[4 - (n.length % 4)]);
    }

    private static void prop(ByteArrayOutputStream o, int nameoff, byte[] v) {
        word(o, 3);
        word(o, v.length);
        word(o, nameoff);
        o.writeBytes(v);
        o.writeBytes(new byte[(4 - v.length % 4) % 4]);
    }

    @Test
    void hundredThousandSiblings() throws Exception {
        FdtBlob b = FdtBlob.openInto(blob(100_000, 0), blob(100_000, 0).length + 4096);
        int count = 0;
        int last = -1;
        for (int c = b.firstSubnode(0); c >= 0; c = b.nextSubnode(c)) {
            count++;
            last = c;
        }
        assertEquals(100_000, count);
        assertEquals("n@1869f", b.getName(last));
        int n = b.pathOffset("/n@1869f");
        assertEquals(last, n);
        assertEquals(last, b.subnodeOffset(0, "n@1869f"));
        assertArrayEquals(new byte[] {0, 1, (byte) 0x86, (byte) 0x9f}, b.getprop(n, "reg"));
        assertEquals(0, b.parentOffset(n));
        b.setprop(n, "status", "okay\0".getBytes(StandardCharsets.US_ASCII));
        b.delNode(b.pathOffset("/n@0"));
        b.addSubnode(0, "new");
        b.pack();
        assertEquals("new", b.getName(b.firstSubnode(0)));
        assertArrayEquals("okay\0".getBytes(StandardCharsets.US_ASCII), b.getprop(b.pathOffset("/n@1869f"), "status"));
    }

    @Test
    void deepChainWithoutRecursion() throws Exception {
        int depth = 20_000;
        FdtBlob b = FdtBlob.openInto(blob(0, depth), blob(0, depth).length + 1024);
        int deepest = 0;
        for (int c = b.firstSubnode(0); c >= 0; c = b.firstSubnode(c)) {
            deepest = c;
        }
        assertEquals(depth, b.nodeDepth(deepest));
        assertEquals(depth * 2, b.getPath(deepest).length());
        b.setprop(deepest, "x", new byte[] {1});
        b.nopNode(b.pathOffset("/d/d/d"));
        b.delNode(b.pathOffset("/d"));
        assertEquals(-1, b.firstSubnode(0));
    }
}
