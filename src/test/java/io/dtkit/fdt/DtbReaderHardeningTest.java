package io.dtkit.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.dtkit.dts.DtsWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged blobs: whatever the damage, reading either succeeds or throws {@link FdtException};
 * no other exception escapes, and what is read can be printed and written again.
 */
class DtbReaderHardeningTest {
    private static byte[] corpus(String board) throws IOException {
        return Files.readAllBytes(Shared.resolve("corpus/linux-arm64/expected")
                .resolve(board + ".dtb"));
    }

    /** Reads {@code blob}; returns the error code, or null when it was read. */
    private static FdtError tryRead(byte[] blob, String what) {
        try {
            DeviceTree t = DtbReader.read(blob);
            DtsWriter.write(t);
            DtbWriter.write(t, DtbOptions.defaults());
            return null;
        } catch (FdtException e) {
            return e.error();
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return null;
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        ByteBuffer.wrap(b).putInt(off, v);
    }

    private static final int[] INTERESTING = {0, 1, 3, 4, 7, 8, 0x28, 0x7fffffff, 0x80000000,
        0xfffffffc, 0xffffffff, 0xfffffff0, 0x10000};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arm64__arm__foundation-v8", "arm64__arm__juno",
        "arm64__hisilicon__hi6220-hikey", "arm64__qcom__apq8016-sbc"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against hangs, not a measurement
    void seededMutations(String board) throws IOException {
        byte[] orig = corpus(board);
        Random rnd = new Random(board.hashCode() * 31L + 7);
        for (int iter = 0; iter < 600; iter++) {
            byte[] b = orig.clone();
            String what;
            switch (iter % 6) {
                case 0 -> {
                    int len = rnd.nextInt(b.length);
                    b = java.util.Arrays.copyOf(b, len);
                    what = "truncated to " + len;
                }
                case 1 -> {
                    int flips = 1 + rnd.nextInt(8);
                    StringBuilder sb = new StringBuilder("bit flips at");
                    for (int i = 0; i < flips; i++) {
                        int pos = rnd.nextInt(b.length);
                        b[pos] ^= (byte) (1 << rnd.nextInt(8));
                        sb.append(' ').append(pos);
                    }
                    what = sb.toString();
                }
                case 2 -> {
                    int field = 1 + rnd.nextInt(9); // every header field after the magic
                    int v = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)]
                            : rnd.nextInt();
                    putInt(b, field * 4, v);
                    what = "header field " + field + " = " + Integer.toUnsignedString(v);
                }
                case 3 -> {
                    // overlap: point one block at another
                    int[] fields = {8, 12, 16};
                    int a = fields[rnd.nextInt(3)];
                    int c = fields[rnd.nextInt(3)];
                    putInt(b, a, ByteBuffer.wrap(b).getInt(c) + 4 * rnd.nextInt(4));
                    what = "offset field " + a + " copied from " + c;
                }
                case 4 -> {
                    // overwrite an aligned word of the structure block with a token or junk
                    int off = ByteBuffer.wrap(b).getInt(8);
                    int size = ByteBuffer.wrap(b).getInt(36);
                    int pos = off + 4 * rnd.nextInt(size / 4);
                    int v = rnd.nextInt(3) == 0 ? rnd.nextInt() : 1 + rnd.nextInt(9);
                    putInt(b, pos, v);
                    what = "struct word at " + pos + " = " + v;
                }
                default -> {
                    // fill a run of bytes with non-NUL junk (unterminated names and strings)
                    int pos = rnd.nextInt(b.length);
                    int len = 1 + rnd.nextInt(200);
                    for (int i = pos; i < Math.min(b.length, pos + len); i++) {
                        b[i] = (byte) ('a' + rnd.nextInt(26));
                    }
                    what = "junk at " + pos + " length " + len;
                }
            }
            tryRead(b, board + " iteration " + iter + ": " + what);
        }
    }

    @Test
    void structuralDamageIsNamed() throws IOException {
        byte[] orig = corpus("arm64__arm__juno");
        ByteBuffer bb = ByteBuffer.wrap(orig);
        int offStruct = bb.getInt(8);
        int sizeStruct = bb.getInt(36);
        int offStrings = bb.getInt(12);
        int sizeStrings = bb.getInt(32);

        byte[] b = orig.clone();
        putInt(b, 0, 0xd00dfeee);
        assertEquals(FdtError.BADMAGIC, tryRead(b, "magic"));

        b = orig.clone();
        putInt(b, 20, 15);
        assertEquals(FdtError.BADVERSION, tryRead(b, "version 15"));
        b = orig.clone();
        putInt(b, 20, 18);
        putInt(b, 24, 18);
        assertEquals(FdtError.BADVERSION, tryRead(b, "version 18 incompatible"));
        b = orig.clone();
        putInt(b, 20, 18);
        assertEquals(null, tryRead(b, "version 18 compatible with 16"));

        b = orig.clone();
        putInt(b, offStruct + sizeStruct - 4, FdtFormat.FDT_NOP);
        assertEquals(FdtError.TRUNCATED, tryRead(b, "FDT_END replaced by NOP"));

        b = orig.clone();
        putInt(b, offStruct + sizeStruct - 4, FdtFormat.FDT_END_NODE);
        assertEquals(FdtError.BADSTRUCTURE, tryRead(b, "FDT_END replaced by END_NODE"));

        b = orig.clone();
        putInt(b, 4, b.length + 1);
        assertEquals(FdtError.TRUNCATED, tryRead(b, "totalsize past the end"));

        b = orig.clone();
        putInt(b, 36, sizeStruct + sizeStrings + 4);
        assertEquals(FdtError.TRUNCATED, tryRead(b, "struct block past the end"));

        b = orig.clone();
        putInt(b, 12, -8);
        assertEquals(FdtError.TRUNCATED, tryRead(b, "strings offset wraps"));

        b = orig.clone();
        for (int i = offStrings; i < offStrings + sizeStrings; i++) {
            b[i] = 'x';
        }
        assertEquals(FdtError.TRUNCATED, tryRead(b, "no NUL in strings"));

        b = orig.clone();
        putInt(b, offStruct + 12, 0x7fffffff); // first property's length (root name is empty)
        assertEquals(FdtError.TRUNCATED, tryRead(b, "huge property length"));
    }

    /** A struct block of {@code depth} nested empty nodes, optionally closed. */
    private static byte[] nested(int depth, boolean closed) {
        ByteSink s = new ByteSink(depth * 12);
        for (int i = 0; i < depth; i++) {
            s.putInt(FdtFormat.FDT_BEGIN_NODE);
            s.putInt(i == 0 ? 0 : 0x6e000000); // "" then "n"
        }
        if (closed) {
            for (int i = 0; i < depth; i++) {
                s.putInt(FdtFormat.FDT_END_NODE);
            }
            s.putInt(FdtFormat.FDT_END);
        }
        int total = 40 + 16 + s.length();
        byte[] b = new byte[total];
        int[] h = {FdtFormat.FDT_MAGIC, total, 56, total, 40, 17, 16, 0, 0, s.length()};
        for (int i = 0; i < h.length; i++) {
            putInt(b, i * 4, h[i]);
        }
        System.arraycopy(s.array(), 0, b, 56, s.length());
        return b;
    }

    @Test
    void deepUnclosedNestingFailsCleanly() {
        FdtException e = assertThrows(FdtException.class, () -> DtbReader.read(nested(100_000, false)));
        assertEquals(FdtError.TRUNCATED, e.error());
    }

    @Test
    void deepNestingReadsPrintsAndWritesWithoutRecursion() throws FdtException {
        byte[] blob = nested(100_000, true);
        DeviceTree t = DtbReader.read(blob);
        int depth = 0;
        for (Node n = t.root(); !n.children().isEmpty(); n = n.children().get(0)) {
            depth++;
        }
        assertEquals(99_999, depth);
        assertEquals(true, java.util.Arrays.equals(blob, DtbWriter.write(t, DtbOptions.defaults())));
        // the text indents each level by a tab, so its size grows with depth squared: print a
        // shallower chain (still far deeper than the Java stack would allow recursively)
        String text = DtsWriter.write(DtbReader.read(nested(2_000, true)));
        assertEquals(true, text.endsWith("\t};\n};\n"));
        assertEquals(2_000, text.lines().filter(l -> l.endsWith("{")).count());
    }

    @Test
    void tinyInputs() {
        for (int n = 0; n < 64; n++) {
            byte[] b = new byte[n];
            if (n >= 4) {
                putInt(b, 0, FdtFormat.FDT_MAGIC);
            }
            if (n >= 24) {
                putInt(b, 20, 17);
            }
            FdtError e = tryRead(b, "tiny " + n);
            assertEquals(true, e != null, "tiny " + n);
        }
        assertEquals(List.of(), List.of());
    }
}
