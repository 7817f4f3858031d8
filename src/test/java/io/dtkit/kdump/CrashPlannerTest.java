package io.dtkit.kdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every branch of the arm64 placement policy, each with the arithmetic worked out by hand in
 * the case name. Memory maps: {@code ram} and {@code reserved} are {@code ;}-separated
 * {@code start-last} hex ranges (inclusive, as /proc/iomem writes them).
 */
class CrashPlannerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # case (arithmetic)                                                                                       | cmdline                                          | ram                               | reserved              | dma   | main                 | low
        plain low: 8G RAM from 1G, 512M <= 3G/2 below 4G; top-down 0x100000000-0x20000000 = 0xe0000000          | crashkernel=512M                                 | 40000000-23fffffff                |                       | 4G    | e0000000,20000000    |
        half rule: 2G > 3G/2 -> high 0x240000000-0x80000000 = 0x1c0000000; low 256M 0x100000000-0x10000000        | crashkernel=2G                                   | 40000000-23fffffff                |                       | 4G    | 1c0000000,80000000   | f0000000,10000000
        low fails: 1.25G <= 1.5G but only 1G free below 4G -> high 0x240000000-0x50000000; low 0x80000000-0x10000000 | crashkernel=1280M                              | 40000000-23fffffff                | 80000000-ffffffff     | 4G    | 1f0000000,50000000   | 70000000,10000000
        X,high + Y,low: 0x240000000-0x40000000 = 0x200000000; low 128M 0x100000000-0x8000000 = 0xf8000000        | crashkernel=1G,high crashkernel=128M,low         | 40000000-23fffffff                |                       | 4G    | 200000000,40000000   | f8000000,8000000
        X,high + 0,low: high 0x240000000-0x20000000 = 0x220000000 and no low region                                | crashkernel=512M,high crashkernel=0,low          | 40000000-23fffffff                |                       | 4G    | 220000000,20000000   |
        X,high without RAM above 2G end: limit = end 0xc0000000; fall back low 0xc0000000-0x20000000 = 0xa0000000 | crashkernel=512M,high                            | 40000000-bfffffff                 |                       | 4G    | a0000000,20000000    |
        dma 1G: 256M <= 1G/2 -> low 0x40000000-0x10000000 = 0x30000000                                              | crashkernel=256M                                 | 0-3fffffff;40000000-1ffffffff     |                       | 1G    | 30000000,10000000    |
        dma 1G: 1G > 1G/2 -> high 0x200000000-0x40000000 = 0x1c0000000; low 0x40000000-0x10000000 = 0x30000000    | crashkernel=1G                                   | 0-3fffffff;40000000-1ffffffff     |                       | 1G    | 1c0000000,40000000   | 30000000,10000000
        ranges: 8G RAM is in 4G-64G -> 512M; low 0x100000000-0x20000000 = 0xe0000000                               | crashkernel=1G-4G:192M,4G-64G:512M,64G-:1G       | 40000000-23fffffff                |                       | 4G    | e0000000,20000000    |
        ranges: 2G RAM is in 1G-4G -> 192M = 0xc000000; limit = RAM end 0xc0000000; 0xc0000000-0xc000000 = 0xb4000000 | crashkernel=1G-4G:192M,4G-64G:512M,64G-:1G   | 40000000-bfffffff                 |                       | 4G    | b4000000,c000000     |
        ranges with offset: 8G -> 256M fixed at 0x80000000                                                          | crashkernel=1G-:256M@0x80000000                  | 40000000-23fffffff                |                       | 4G    | 80000000,10000000    |
        size@offset: 256M exactly at 2G                                                                            | crashkernel=256M@2G                              | 40000000-23fffffff                |                       | 4G    | 80000000,10000000    |
        2M alignment: 101M = 0x6500000; 0x100000000-0x6500000 = 0xf9b00000 rounded down to 2M = 0xf9a00000         | crashkernel=101M                                 | 40000000-23fffffff                |                       | 4G    | f9a00000,6500000     |
        page rounding: 1001K = 0xfa400 -> 0xfb000; 0x100000000-0xfb000 = 0xfff05000 rounded to 2M = 0xffe00000     | crashkernel=1001K                                | 40000000-23fffffff                |                       | 4G    | ffe00000,fb000       |
        reserved at top: free below 4G ends at 0xffe00000; 0xffe00000-0x20000000 = 0xdfe00000                      | crashkernel=512M                                 | 40000000-23fffffff                | ffe00000-ffffffff     | 4G    | dfe00000,20000000    |
        RAM above 4G only: all of it is low (limit = RAM end 0xa00000000); 0xa00000000-0x20000000 = 0x9e0000000   | crashkernel=512M                                 | 800000000-9ffffffff               |                       | 4G    | 9e0000000,20000000   |
        RAM starts above the 1G DMA limit: limit becomes 4G; 0x100000000-0x10000000 = 0xf0000000                   | crashkernel=256M                                 | 80000000-17fffffff                |                       | 1G    | f0000000,10000000    |
        last option wins: 512M (not 256M) -> 0x100000000-0x20000000 = 0xe0000000                                   | crashkernel=256M console=ttyAMA0 crashkernel=512M | 40000000-23fffffff               |                       | 4G    | e0000000,20000000    |
        hex and suffix: 0x10000000 = 256M -> 0x100000000-0x10000000 = 0xf0000000                                   | crashkernel=0x10000000                           | 40000000-23fffffff                |                       | 4G    | f0000000,10000000    |
        plain ignores ,low when low: 512M low, no low region                                                        | crashkernel=512M crashkernel=64M,low             | 40000000-23fffffff                |                       | 4G    | e0000000,20000000    |
        plain going high honours Y,low: 2G high at 0x1c0000000; low 64M 0x100000000-0x4000000 = 0xfc000000       | crashkernel=2G crashkernel=64M,low               | 40000000-23fffffff                |                       | 4G    | 1c0000000,80000000   | fc000000,4000000
        """)
    void places(String name, String cmdline, String ram, String reserved, String dma, String main, String low)
            throws Exception {
        CrashPlanner.Plan p = CrashPlanner.plan(Crashkernel.parse(cmdline), map(ram, reserved),
                Sizes.parse("dma", dma));
        assertEquals(range(main), p.main(), name + ": main region; notes " + p.notes());
        if (low == null) {
            assertNull(p.low(), name + ": no low region expected");
        } else {
            assertEquals(range(low), p.low(), name + ": low region; notes " + p.notes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        Y,low alone reserves nothing                                       | crashkernel=128M,low                | 40000000-23fffffff | 
        no rule matches 512M of RAM (rule starts at 1G)                     | crashkernel=1G-:256M                | 40000000-5fffffff  | 
        offset not 2M aligned: 0x80100000 % 0x200000 = 0x100000             | crashkernel=256M@0x80100000         | 40000000-23fffffff | 
        offset over a reserved block 0x88000000                             | crashkernel=256M@0x80000000         | 40000000-23fffffff | 88000000-88ffffff
        offset outside RAM                                                  | crashkernel=256M@0x300000000        | 40000000-23fffffff | 
        4M RAM from 0: high fails, low fails because the first page is never used (cand 0 < 0x1000) | crashkernel=4M | 0-3fffff |
        high main but low region of 256M does not fit below 4G (only 128M free) | crashkernel=1G,high             | f8000000-23fffffff | 
        """)
    void refuses(String name, String cmdline, String ram, String reserved) throws Exception {
        KdumpException e = assertThrows(KdumpException.class,
                () -> CrashPlanner.plan(Crashkernel.parse(cmdline), map(ram, reserved), 4 * Sizes.GIB), name);
        assertEquals(Refusal.NO_ROOM, e.reason(), name + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        size of ranges not below RAM: 2G RAM, rule gives 2G  | crashkernel=1G-:2G
        junk after size                                      | crashkernel=256Mx
        missing size after colon                             | crashkernel=1G-2G:
        range end below start                                | crashkernel=2G-1G:128M
        no crashkernel option                                | console=ttyAMA0
        """)
    void rejectsSyntax(String name, String cmdline) {
        KdumpException e = assertThrows(KdumpException.class,
                () -> CrashPlanner.plan(Crashkernel.parse(cmdline), map("40000000-bfffffff", null), 4 * Sizes.GIB),
                name);
        assertEquals(Refusal.SYNTAX, e.reason(), name + ": " + e.getMessage());
    }

    static MemoryMap map(String ram, String reserved) {
        List<MemoryMap.Region> res = new ArrayList<>();
        if (reserved != null) {
            for (MemRange r : ranges(reserved)) {
                res.add(new MemoryMap.Region("reserved", r));
            }
        }
        return MemoryMap.of(ranges(ram), res);
    }

    static List<MemRange> ranges(String text) {
        List<MemRange> out = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] se = part.trim().split("-");
            out.add(MemRange.ofInclusive(Long.parseUnsignedLong(se[0], 16), Long.parseUnsignedLong(se[1], 16)));
        }
        return out;
    }

    static MemRange range(String baseSize) {
        String[] bs = baseSize.split(",");
        return new MemRange(Long.parseUnsignedLong(bs[0], 16), Long.parseUnsignedLong(bs[1], 16));
    }
}
