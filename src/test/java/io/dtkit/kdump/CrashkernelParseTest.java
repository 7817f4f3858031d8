package io.dtkit.kdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every crashkernel= form and the number syntax of memparse(). */
class CrashkernelParseTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "4096, 4096",
        "0x1000, 4096",
        "010, 8",
        "4K, 4096",
        "4k, 4096",
        "256M, 268435456",
        "2G, 2147483648",
        "1T, 1099511627776",
        "0x10M, 16777216",
    })
    void memparse(String text, long value) throws Exception {
        assertEquals(value, Sizes.parse("n", text));
    }

    @Test
    void memparseRejectsOverflowAndJunk() {
        assertEquals(Refusal.SYNTAX, assertThrows(KdumpException.class, () -> Sizes.parse("n", "16E")).reason());
        assertEquals(Refusal.SYNTAX, assertThrows(KdumpException.class, () -> Sizes.parse("n", "12Q")).reason());
        assertEquals(Refusal.SYNTAX, assertThrows(KdumpException.class, () -> Sizes.parse("n", "")).reason());
        assertEquals(Refusal.SYNTAX, assertThrows(KdumpException.class,
                () -> MemRange.parse("--range", "0xffffffffffff0000,0x20000")).reason(), "wraps past 2^64");
        assertEquals(Refusal.SYNTAX, assertThrows(KdumpException.class, () -> MemRange.parse("--range", "0x1000")).reason());
    }

    @Test
    void sizeAndOffset() throws Exception {
        Crashkernel c = Crashkernel.parse("crashkernel=256M@0x80000000");
        assertEquals(OptionalLong.of(256L << 20), c.plain().size());
        assertEquals(OptionalLong.of(0x80000000L), c.plain().offset());
        assertEquals(OptionalLong.empty(), c.high());
    }

    @Test
    void rangesWithOpenEndAndOffset() throws Exception {
        Crashkernel c = Crashkernel.parse("crashkernel=512M-2G:64M,2G-:128M@16M");
        assertEquals(List.of(new Crashkernel.SizeRule(512L << 20, OptionalLong.of(2L << 30), 64L << 20),
                new Crashkernel.SizeRule(2L << 30, OptionalLong.empty(), 128L << 20)), c.plain().rules());
        assertEquals(OptionalLong.of(16L << 20), c.plain().offset());
        // start <= RAM < end: exactly 2G falls in the second rule, just under 2G in the first, 256M in none
        assertEquals(128L << 20, c.plain().sizeFor(2L << 30));
        assertEquals(64L << 20, c.plain().sizeFor((2L << 30) - 1));
        assertEquals(0, c.plain().sizeFor(256L << 20));
    }

    @Test
    void highAndLowInAWholeCommandLine() throws Exception {
        Crashkernel c = Crashkernel.parse("console=ttyAMA0 crashkernel=1G,high root=/dev/vda2 crashkernel=96M,low");
        assertNull(c.plain());
        assertEquals(OptionalLong.of(1L << 30), c.high());
        assertEquals(OptionalLong.of(96L << 20), c.low());
    }
}
