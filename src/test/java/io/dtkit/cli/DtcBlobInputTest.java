package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Sources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dtc -I dtb} reads blobs its own way, not libfdt's: damaged blobs (header fields set to
 * telling values, bytes changed, tokens put in, the file cut short), in every blob version dtc
 * writes, must give the same output, messages and exit status under dtkit as under dtc. Where
 * dtc crashes (a signal) dtkit must fail with a message of its own and exit status 1. Messages
 * that quote a damaged name hold its bytes as they are, in both.
 */
class DtcBlobInputTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void source() throws IOException {
        ReferenceTool.require("dtc");
        Files.writeString(tmp.resolve("board.dts"), Sources.BOARD);
    }

    private byte[] blob(int version) throws IOException {
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-V", String.valueOf(version),
                "-o", "board.dtb", "board.dts");
        assertEquals(0, r.exit(), r.stderr());
        return Files.readAllBytes(tmp.resolve("board.dtb"));
    }

    private static final int[] TELLING = {0, 1, 2, 3, 4, 8, 9, 0x10, 0x11, 0x1c, 0x28, 0x38, 0x7fffffff,
        0x80000000, 0x80000008, 0xfffffffc, 0xffffffff};

    private static byte[] mutate(byte[] orig, Random rnd) {
        byte[] b = orig.clone();
        for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
            int kind = rnd.nextInt(5);
            if (kind == 0 && b.length >= 40) { // a header field
                int field = 4 * rnd.nextInt(10);
                int v = rnd.nextBoolean() ? TELLING[rnd.nextInt(TELLING.length)]
                        : b.length + 4 * (rnd.nextInt(9) - 4);
                ByteBuffer.wrap(b).putInt(field, v);
            } else if (kind == 1 && b.length >= 48) { // a token or length in the blob
                int at = 40 + 4 * rnd.nextInt(Math.max(1, (b.length - 44) / 4));
                ByteBuffer.wrap(b).putInt(at, rnd.nextBoolean() ? 1 + rnd.nextInt(9) : TELLING[rnd.nextInt(TELLING.length)]);
            } else if (kind == 2) { // cut short
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            } else if (kind == 3 && b.length > 0) { // one byte
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            } else { // the version
                if (b.length >= 24) {
                    ByteBuffer.wrap(b).putInt(20, new int[] {1, 2, 3, 15, 16, 17, 18}[rnd.nextInt(7)]);
                }
            }
        }
        return b;
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2, 3, 16, 17})
    void damagedBlobsReadAsDtcReadsThem(int version) throws IOException {
        byte[] orig = blob(version);
        Random rnd = new Random(version);
        int same = 0;
        int dtcCrashed = 0;
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] b = i == 0 ? orig : mutate(orig, rnd);
            Path f = tmp.resolve("m.dtb");
            Files.write(f, b);
            ReferenceTool.Result ref = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dtb", "-O", "dts", f.toString());
            CliRun got = CliRun.dtkit("dtc", "-q", "-I", "dtb", "-O", "dts", f.toString());
            if (ref.exit() >= 128) {
                dtcCrashed++;
                assertEquals(1, got.exit(), "mutant " + i + " (dtc crashed): " + got.err());
                assertTrue(got.err().startsWith("FATAL ERROR: "), "mutant " + i + ": " + got.err());
                continue;
            }
            if (ref.exit() == got.exit() && ref.stderr().equals(got.err())
                    && Arrays.equals(ref.stdout(), got.outBytes())) {
                same++;
            } else {
                differences.add("mutant " + i + " " + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 40)))
                        + ": dtc " + ref.exit() + " " + escaped(ref.stderr().strip()) + " / dtkit " + got.exit() + " "
                        + escaped(got.err().strip()));
            }
        }
        assertEquals(List.of(), differences, same + " the same, " + dtcCrashed + " where dtc crashed");
        assertTrue(same >= 60, "most mutants are compared: " + same);
    }

    /** Text with every char outside printable ASCII written as its code. */
    private static String escaped(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f || c == '\n') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
