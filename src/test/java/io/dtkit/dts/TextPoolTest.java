package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dtkit.dts.grammar.DtsLexer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.misc.Pair;
import org.junit.jupiter.api.Test;

/** Names looked up by their bytes in the source: one string per distinct text. */
class TextPoolTest {

    private static PosToken token(ByteSource src, int start, int stop) {
        return new PosToken(new Pair<>(null, src), DtsLexer.NAME, 0, start, stop);
    }

    @Test
    void equalTextsAnywhereInTheSourceAreOneString() {
        String text = "reg compatible reg \\reg status compatible";
        ByteSource src = new ByteSource(text.getBytes(StandardCharsets.ISO_8859_1), "t.dts");
        TextPool pool = new TextPool();
        String reg = pool.of(token(src, 0, 2), 0, 0);
        assertEquals("reg", reg);
        assertSame(reg, pool.of(token(src, 15, 17), 0, 0));
        // the escaped name without its backslash is the same name
        assertSame(reg, pool.of(token(src, 19, 22), 1, 0));
        String compatible = pool.of(token(src, 4, 13), 0, 0);
        assertEquals("compatible", compatible);
        assertSame(compatible, pool.of(token(src, 31, 40), 0, 0));
        assertNotSame(reg, compatible);
        // a string given as text joins the same pool
        assertSame(reg, pool.of(new String("reg")));
        assertEquals("status", pool.of(token(src, 24, 29), 0, 0));
    }

    @Test
    void growsAndKeepsEveryName() {
        StringBuilder sb = new StringBuilder();
        List<int[]> at = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int start = sb.length();
            sb.append("name-").append(i);
            at.add(new int[] {start, sb.length() - 1});
            sb.append(' ');
        }
        ByteSource src = new ByteSource(sb.toString().getBytes(StandardCharsets.ISO_8859_1), "t.dts");
        TextPool pool = new TextPool();
        List<String> first = new ArrayList<>();
        for (int[] a : at) {
            first.add(pool.of(token(src, a[0], a[1]), 0, 0));
        }
        for (int i = 0; i < at.size(); i++) {
            assertEquals("name-" + i, first.get(i));
            assertSame(first.get(i), pool.of(token(src, at.get(i)[0], at.get(i)[1]), 0, 0));
            assertSame(first.get(i), pool.of("name-" + i));
        }
    }

    @Test
    void mappedSourcesAreReadOutsideTheLexerWindow() {
        // a direct buffer is read through a window: names behind it come from the buffer
        byte[] bytes = new byte[200_000];
        java.util.Arrays.fill(bytes, (byte) ' ');
        byte[] name = "clock-names".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(name, 0, bytes, 10, name.length);
        System.arraycopy(name, 0, bytes, 150_000, name.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteSource src = new ByteSource(direct, "t.dts");
        assertEquals(' ', src.at(199_000)); // the window is now near the end
        TextPool pool = new TextPool();
        String a = pool.of(token(src, 10, 20), 0, 0);
        assertEquals("clock-names", a);
        assertSame(a, pool.of(token(src, 150_000, 150_010), 0, 0));
        assertEquals("lock-name", pool.of(token(src, 150_000, 150_010), 1, 1));
    }
}
