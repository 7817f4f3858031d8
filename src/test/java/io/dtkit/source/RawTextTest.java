package io.dtkit.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawTextTest {
    private static byte[] b(int... v) {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (byte) v[i];
        }
        return r;
    }

    @Test
    void utf8IsReadAsItsCharacters() {
        String s = "n\u00e9 \u20ac \ud83d\ude00 x";
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(s, RawText.decode(bytes));
        assertArrayEquals(bytes, RawText.encode(s));
    }

    @Test
    void eachByteOutsideWellFormedUtf8IsOneLoneSurrogate() {
        // a lone lead byte, an overlong form, an encoded surrogate, past U+10FFFF, a cut sequence
        assertEquals("a\udcffb", RawText.decode(b('a', 0xff, 'b')));
        assertEquals("\udcc0\udc80", RawText.decode(b(0xc0, 0x80)));
        assertEquals("\udced\udca0\udc80", RawText.decode(b(0xed, 0xa0, 0x80)));
        assertEquals("\udcf4\udc90\udc80\udc80", RawText.decode(b(0xf4, 0x90, 0x80, 0x80)));
        assertEquals("x\udce2\udc82", RawText.decode(b('x', 0xe2, 0x82)));
        assertEquals("\u00e9\udce9", RawText.decode(b(0xc3, 0xa9, 0xe9)));
    }

    @Test
    void anyBytesComeBackAsThemselves() {
        Random r = new Random(7);
        for (int i = 0; i < 20000; i++) {
            byte[] bytes = new byte[r.nextInt(12)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly the bytes UTF-8 is made of, so that sequences both form and break
                bytes[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 0x80 + r.nextInt(0x78));
                if (r.nextInt(5) == 0) {
                    bytes[k] = (byte) (0xc0 + r.nextInt(0x38));
                }
            }
            assertArrayEquals(bytes, RawText.encode(RawText.decode(bytes)), () -> java.util.Arrays.toString(bytes));
            String text = RawText.decode(bytes);
            if (new String(bytes, StandardCharsets.UTF_8).indexOf('\ufffd') < 0) {
                assertEquals(new String(bytes, StandardCharsets.UTF_8), text);
            }
        }
    }

    @Test
    void otherLoneSurrogatesAreQuestionMarks() {
        assertArrayEquals(b('?', 'a', '?'), RawText.encode("\ud800a\udc00"));
    }

    @Test
    void aSliceIsDecodedOnItsOwn() {
        assertEquals("\u00e9", RawText.decode(b('x', 0xc3, 0xa9, 'y'), 1, 2));
        assertEquals("\udcc3", RawText.decode(b('x', 0xc3, 0xa9, 'y'), 1, 1));
    }
}
