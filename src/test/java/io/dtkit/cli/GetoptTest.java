package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GNU getopt_long's reading of a command line, and C's strtoll. */
class GetoptTest {

    private static final List<Getopt.LongOption> LONGS = List.of(
            new Getopt.LongOption("out", true, 'o'),
            new Getopt.LongOption("out-format", true, 'O'),
            new Getopt.LongOption("out-version", true, 'V'),
            new Getopt.LongOption("force", false, 'f'),
            new Getopt.LongOption("quiet", false, 'q'));

    /** Each option as "k" or "k=value", then the operands after "|". */
    private static String read(boolean inOrder, String... args) throws Getopt.Mistake {
        Getopt g = new Getopt("dtc", "o:O:V:fq", LONGS, List.of(args), inOrder);
        List<String> seen = new ArrayList<>();
        for (int k = g.next(); k >= 0; k = g.next()) {
            seen.add(g.value() == null ? String.valueOf((char) k) : (char) k + "=" + g.value());
        }
        return String.join(" ", seen) + " | " + String.join(" ", g.operands());
    }

    private static String read(String... args) throws Getopt.Mistake {
        return read(false, args);
    }

    @Test
    void shortOptionsClusterAndTakeTheirArgumentFromTheWordOrTheNext() throws Exception {
        assertEquals("q q q | ", read("-qqq"));
        assertEquals("q O=dtb | x.dts", read("-qO", "dtb", "x.dts"));
        assertEquals("O=dtb f | ", read("-Odtb", "-f"));
        assertEquals("o=-q | ", read("-o", "-q"));
        assertEquals("q o=fq | ", read("-qofq"));
    }

    @Test
    void longOptionsTakeEitherFormAndAnyUnambiguousPrefix() throws Exception {
        assertEquals("O=dtb V=16 | ", read("--out-format=dtb", "--out-v", "16"));
        assertEquals("o=x | ", read("--out", "x"));
        assertEquals("o= | ", read("--out="));
        assertEquals("f q | ", read("--fo", "--q"));
    }

    @Test
    void operandsMayComeAnywhereUnlessReadingInOrder() throws Exception {
        assertEquals("f q | a b", read("a", "-f", "b", "-q"));
        assertEquals("f | a b -q", read(true, "-f", "a", "b", "-q"));
        assertEquals("f | - -q x", read("-f", "-", "--", "-q", "x"));
    }

    @Test
    void mistakesAreWordedAsGetoptWordsThem() {
        assertEquals("dtc: invalid option -- 'Z'", mistake("-qZ"));
        assertEquals("dtc: invalid option -- ':'", mistake("-:"));
        assertEquals("dtc: option requires an argument -- 'o'", mistake("-o"));
        assertEquals("dtc: option '--out' requires an argument", mistake("--out"));
        assertEquals("dtc: option '--out-format' requires an argument", mistake("--out-f"));
        assertEquals("dtc: unrecognized option '--bogus=1'", mistake("--bogus=1"));
        assertEquals("dtc: option '--force' doesn't allow an argument", mistake("--for=1"));
        assertEquals("dtc: option '--out-=x' is ambiguous; possibilities: '--out-format' '--out-version'",
                mistake("--out-=x"));
    }

    private static String mistake(String... args) {
        return assertThrows(Getopt.Mistake.class, () -> read(args)).getMessage();
    }

    @Test
    void numbersAreReadAsStrtollReadsThem() {
        assertEquals(0, Getopt.strtoll("abc"));
        assertEquals(12, Getopt.strtoll("12abc"));
        assertEquals(16, Getopt.strtoll("  0x10"));
        assertEquals(8, Getopt.strtoll("010"));
        assertEquals(0, Getopt.strtoll("0x"));
        assertEquals(0, Getopt.strtoll("0xg"));
        assertEquals(0, Getopt.strtoll("09"));
        assertEquals(-16, Getopt.strtoll("-16"));
        assertEquals(16, Getopt.strtoll("+0X10"));
        assertEquals(0, Getopt.strtoll(""));
        assertEquals(Long.MAX_VALUE, Getopt.strtoll("9223372036854775807"));
        assertEquals(Long.MAX_VALUE, Getopt.strtoll("9223372036854775808"));
        assertEquals(Long.MAX_VALUE, Getopt.strtoll("0xffffffffffffffffff"));
        assertEquals(Long.MIN_VALUE, Getopt.strtoll("-9223372036854775808"));
        assertEquals(Long.MIN_VALUE, Getopt.strtoll("-9223372036854775809"));
        assertEquals(-9223372036854775807L, Getopt.strtoll("-9223372036854775807"));
    }
}
