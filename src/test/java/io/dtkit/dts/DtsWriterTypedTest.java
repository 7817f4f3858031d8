package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import io.dtkit.testsupport.ReferenceTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trees built by hand with the markers dtc's parser records for a DTS snippet, printed and
 * compared with {@code dtc -I dts -O dts} of the same snippet.
 */
class DtsWriterTypedTest {

    /** Builds a value the way dtc's parser does: type markers, labels, references. */
    static final class V {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Marker> markers = new ArrayList<>();
        private int bits = 32;

        private V mark(MarkerType t, String ref) {
            markers.add(new Marker(out.size(), t, ref));
            return this;
        }

        V str(String s) {
            mark(MarkerType.TYPE_STRING, null);
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
            return this;
        }

        V rawStr(int... bytes) {
            mark(MarkerType.TYPE_STRING, null);
            for (int b : bytes) {
                out.write(b);
            }
            out.write(0);
            return this;
        }

        /** Opens {@code <} (or {@code /bits/ n <}). */
        V open(int nbits) {
            bits = nbits;
            return mark(switch (nbits) {
                case 8 -> MarkerType.TYPE_UINT8;
                case 16 -> MarkerType.TYPE_UINT16;
                case 64 -> MarkerType.TYPE_UINT64;
                default -> MarkerType.TYPE_UINT32;
            }, null);
        }

        V cell(long... vs) {
            for (long v : vs) {
                for (int i = bits / 8 - 1; i >= 0; i--) {
                    out.write((int) (v >>> (8 * i)));
                }
            }
            return this;
        }

        V cells(long... vs) {
            return open(32).cell(vs);
        }

        V bytes(int... bs) {
            mark(MarkerType.TYPE_UINT8, null);
            for (int b : bs) {
                out.write(b);
            }
            return this;
        }

        V rawByte(int b) {
            out.write(b);
            return this;
        }

        V label(String l) {
            return mark(MarkerType.LABEL, l);
        }

        /** {@code &label} inside cells, resolved to {@code phandle}. */
        V phandleRef(String ref, int phandle) {
            mark(MarkerType.REF_PHANDLE, ref);
            bits = 32;
            return cell(phandle);
        }

        /** {@code &label} as a value: the path spliced in as a string. */
        V pathRef(String ref, String path) {
            mark(MarkerType.TYPE_STRING, null);
            mark(MarkerType.REF_PATH, ref);
            out.writeBytes(path.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
            return this;
        }

        Value value() {
            return Value.of(out.toByteArray(), markers);
        }
    }

    static V v() {
        return new V();
    }

    static Property p(String name, V v, String... labels) {
        return new Property(name, v == null ? Value.EMPTY : v.value(), List.of(labels), null);
    }

    static Property phandle(int n) {
        return Property.of("phandle", Value.of(new byte[] {0, 0, 0, (byte) n}));
    }

    static Node n(String name, List<String> labels, List<Property> props, Node... kids) {
        return new Node(name, props, List.of(kids), labels, null);
    }

    static Node n(String name, List<Property> props, Node... kids) {
        return n(name, List.of(), props, kids);
    }

    static DeviceTree tree(Node... kids) {
        return DeviceTree.of(n("", List.of(), kids));
    }

    static DeviceTree tree(List<Property> props, Node... kids) {
        return DeviceTree.of(n("", props, kids));
    }

    static Arguments c(String name, String body, Supplier<DeviceTree> model) {
        return Arguments.of(name, "/dts-v1/;\n" + body + "\n", model);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            c("strings", "/ { a = \"x\"; b = \"a\", \"b\", \"c\"; c = \"\"; d = \"\", \"\"; };",
                () -> tree(List.of(p("a", v().str("x")), p("b", v().str("a").str("b").str("c")),
                        p("c", v().str("")), p("d", v().str("").str(""))))),
            c("string-escapes", "/ { e = \"t\\t\\\"q\\\"\\\\ \\a\\b\\v\\f\\r\\n\"; f = \"a\\x01b\\xff\\x7f\"; "
                    + "g = \"a\\0b\"; };",
                () -> tree(List.of(p("e", v().str("t\t\"q\"\\ \u0007\b\u000b\f\r\n")),
                        p("f", v().rawStr('a', 1, 'b', 0xff, 0x7f)), p("g", v().rawStr('a', 0, 'b'))))),
            c("cells", "/ { a = <1 2 3>; b = <0xffffffff 0>; c = <>; d = <0x10>, <0x20>; };",
                () -> tree(List.of(p("a", v().cells(1, 2, 3)), p("b", v().cells(0xffffffffL, 0)),
                        p("c", v().cells()), p("d", v().cells(0x10).cells(0x20))))),
            c("bits", "/ { a = /bits/ 8 <1 0xff>; b = /bits/ 16 <0xffff 1>; "
                    + "c = /bits/ 64 <0xffffffffffffffff 1>; d = /bits/ 32 <5>; };",
                () -> tree(List.of(p("a", v().open(8).cell(1, 0xff)),
                        p("b", v().open(16).cell(0xffff, 1)), p("c", v().open(64).cell(-1L, 1)),
                        p("d", v().open(32).cell(5))))),
            c("bytes", "/ { a = [01 02 ab]; b = []; c = [0102 03]; };",
                () -> tree(List.of(p("a", v().bytes(1, 2, 0xab)), p("b", v().bytes()),
                        p("c", v().bytes(1, 2, 3))))),
            c("mixed", "/ { m = \"x\", <1>, [02], /bits/ 16 <3>, /bits/ 64 <4>, \"end\"; };",
                () -> tree(List.of(p("m", v().str("x").cells(1).bytes(2).open(16).cell(3)
                        .open(64).cell(4).str("end"))))),
            c("node-and-property-labels", "/ { n1: n2: node@1 { p1: p2: prop; q: v = <1>; }; };",
                () -> tree(n("node@1", List.of("n1", "n2"), List.of(p("prop", null, "p1", "p2"),
                        p("v", v().cells(1), "q"))))),
            c("labels-in-values", "/ { a = <1 l1: 2 l2:>; b = l3: \"a\", l4: \"b\" l5:; "
                    + "c = ls: <1>; d = <1> le:; e = [01 l6: 02]; f = /bits/ 16 <1 l7: 2>; };",
                () -> tree(List.of(
                        p("a", v().open(32).cell(1).label("l1").cell(2).label("l2")),
                        p("b", v().label("l3").str("a").label("l4").str("b").label("l5")),
                        p("c", v().label("ls").cells(1)),
                        p("d", v().cells(1).label("le")),
                        p("e", v().bytes(1).label("l6").rawByte(2)),
                        p("f", v().open(16).cell(1).label("l7").cell(2))))),
            c("phandle-references", "/ { n1: a { }; b { r = <&n1 5 &n1>; s = <&{/a}>; }; };",
                () -> tree(n("a", List.of("n1"), List.of(phandle(1))),
                        n("b", List.of(p("r", v().open(32).phandleRef("n1", 1).cell(5)
                                .phandleRef("n1", 1)), p("s", v().open(32).phandleRef("/a", 1)))))),
            c("path-references", "/ { n1: a { }; b { p = &n1; q = &{/a}; }; };",
                () -> tree(n("a", List.of("n1"), List.of()),
                        n("b", List.of(p("p", v().pathRef("n1", "/a")),
                                p("q", v().pathRef("/a", "/a")))))),
            c("references-mixed", "/ { n1: a { }; b { m = \"x\", &n1, <&n1>; }; };",
                () -> tree(n("a", List.of("n1"), List.of(phandle(1))),
                        n("b", List.of(p("m", v().str("x").pathRef("n1", "/a").open(32)
                                .phandleRef("n1", 1)))))),
            c("memreserve-labels", "m1: /memreserve/ 0x1000 0x2000;\nm2: m3: /memreserve/ "
                    + "0xffffffff00000000 0x10;\n/memreserve/ 0 1;\n/ { };",
                () -> new DeviceTree(List.of(new Reservation(0x1000, 0x2000, List.of("m1")),
                        new Reservation(0xffffffff00000000L, 0x10, List.of("m2", "m3")),
                        Reservation.of(0, 1)), n("", List.of()), 0, false)),
            c("empty-pieces", "/ { x = <>, \"a\"; y = \"a\", <>; z = [], <1>; w = \"a\", [] l:; "
                    + "u = \"a\", l2: []; };",
                () -> tree(List.of(p("x", v().cells().str("a")), p("y", v().str("a").cells()),
                        p("z", v().bytes().cells(1)), p("w", v().str("a").bytes().label("l")),
                        p("u", v().str("a").label("l2").bytes())))),
            c("labels-on-empty-value", "/ { inc = l5: <l6: >; t = l7: \"\"; };",
                () -> tree(List.of(p("inc", v().label("l5").open(32).label("l6")),
                        p("t", v().label("l7").str(""))))),
            c("nesting-and-blank-lines", "/ { a { b { c { }; }; d { x; }; }; e { }; };",
                () -> tree(n("a", List.of(), n("b", List.of(), n("c", List.of())),
                        n("d", List.of(p("x", null)))), n("e", List.of()))),
            c("unterminated-and-odd-lengths", "/ { a = [61 62 63]; b = [00]; c = [01 02 03 04 05]; "
                    + "d = /bits/ 16 <1 2 3>; };",
                () -> tree(List.of(p("a", v().bytes(0x61, 0x62, 0x63)), p("b", v().bytes(0)),
                        p("c", v().bytes(1, 2, 3, 4, 5)), p("d", v().open(16).cell(1, 2, 3))))),
            c("string-then-junk", "/ { a = \"abc\", [01 02]; b = \"ab\", [00 00]; };",
                () -> tree(List.of(p("a", v().str("abc").bytes(1, 2)),
                        p("b", v().str("ab").bytes(0, 0)))))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsLikeDtc(String name, String dts, Supplier<DeviceTree> model, @TempDir Path tmp)
            throws IOException {
        Path f = tmp.resolve(name + ".dts");
        Files.writeString(f, dts);
        var r = ReferenceTool.run(tmp, null, "dtc", "-q", "-I", "dts", "-O", "dts", f.toString());
        assertEquals(0, r.exit(), name + ": " + r.stderr());
        assertEquals(r.out(), DtsWriter.write(model.get()), name);
    }
}
