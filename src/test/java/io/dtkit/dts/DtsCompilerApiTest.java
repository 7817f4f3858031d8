package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Marker;
import io.dtkit.model.MarkerType;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.source.SourceException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the compiled model records beyond the blob bytes: markers, labels, spans, flags. */
class DtsCompilerApiTest {
    private static DeviceTree compile(String text) throws SourceException {
        return DtsCompiler.compile(text, "t.dts", CompileOptions.defaults()).tree();
    }

    @Test
    void valueMarkersFollowDtcData() throws Exception {
        DeviceTree t = compile("/dts-v1/;\n/ {\n\tx = a: \"s\", <1 &l b:>, [01 c: 02], &l, /bits/ 16 <3> d:;\n\tl: n { };\n};\n");
        Property x = t.root().property("x");
        List<Marker> expected = List.of(
                new Marker(0, MarkerType.LABEL, "a"),
                Marker.type(0, MarkerType.TYPE_STRING),
                Marker.type(2, MarkerType.TYPE_UINT32),
                new Marker(6, MarkerType.REF_PHANDLE, "l"),
                new Marker(10, MarkerType.LABEL, "b"),
                Marker.type(10, MarkerType.TYPE_UINT8),
                new Marker(11, MarkerType.LABEL, "c"),
                Marker.type(12, MarkerType.TYPE_STRING),
                new Marker(12, MarkerType.REF_PATH, "l"),
                Marker.type(15, MarkerType.TYPE_UINT16),
                new Marker(17, MarkerType.LABEL, "d"));
        assertEquals(expected, x.value().markers());
        assertEquals(17, x.value().length());
        assertEquals(1, x.value().cellAt(6));
    }

    @Test
    void labelsAndSpans() throws Exception {
        DeviceTree t = compile("/dts-v1/;\n/ {\n\ta: b: node {\n\t\tp: q: prop = <1>;\n\t};\n};\nc: &a { };\n");
        Node n = t.node("/node");
        // dtc's list order: a label added later goes first
        assertEquals(List.of("c", "a", "b"), n.labels());
        assertEquals(List.of("p", "q"), n.property("prop").labels());
        assertEquals("t.dts:4.9-20", n.property("prop").span().toString());
        assertEquals("t.dts:3.13-5.4", n.span().toString());
    }

    @Test
    void reservationsPluginAndBootCpu() throws Exception {
        DeviceTree t = compile("/dts-v1/;\nr: /memreserve/ 0x10 0x20;\n/ { cpus { cpu@2 { reg = <2>; }; }; };\n");
        assertEquals(List.of(new Reservation(0x10, 0x20, List.of("r"))), t.reservations());
        assertEquals(2, t.bootCpuidPhys());
        assertEquals(false, t.plugin());
        DeviceTree p = compile("/dts-v1/;\n/plugin/;\n&x { y; };\n");
        assertTrue(p.plugin());
        assertEquals("/fragment@0/__overlay__", "/fragment@0/" + p.node("/fragment@0/__overlay__").name());
    }

    @Test
    void failuresAreSourceExceptions() {
        SourceException e = assertThrows(SourceException.class,
                () -> DtsCompiler.compile(Path.of("no/such/file.dts"), CompileOptions.defaults()));
        assertEquals("ERROR: Couldn't open \"no/such/file.dts\": No such file or directory",
                e.diagnostics().get(0).render());
        SourceException s = assertThrows(SourceException.class, () -> compile("/dts-v1/;\n/ { x = <1 2; };\n"));
        assertEquals("Error: t.dts:2.13-14 syntax error", s.diagnostics().get(0).render());
        SourceException l = assertThrows(SourceException.class, () -> compile("/dts-v1/;\n/ { x = <09>; };\n"));
        assertEquals("Lexical error: t.dts:2.10-12 Bad integer literal '09'", l.diagnostics().get(0).render());
    }
}
