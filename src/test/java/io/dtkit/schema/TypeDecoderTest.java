package io.dtkit.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Raw property bytes to JSON by schema type, in the shapes of current dt-schema (bundled
 * types.yaml plus a test binding with one property of each type).
 */
class TypeDecoderTest {
    static SchemaSet set;
    static TypeDecoder decoder;

    @BeforeAll
    static void load() throws Exception {
        set = SchemaSet.load(List.of(Path.of("schemas"), Path.of("fixtures/validate/type-schemas")));
        decoder = new TypeDecoder(set);
    }

    static byte[] hex(String h) {
        h = h.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "t-string    | 6f6b6179 00                    | [\"okay\"]",
        "t-strings   | 6100 6263 00                   | [\"a\",\"bc\"]",
        "t-u8        | 01 02 ff                       | [1,2,255]",
        "t-u16       | 0001 ffff                      | [1,65535]",
        "t-u32       | 0000002a                       | 42",
        "t-u32-array | 00000001 00000002              | [1,2]",
        "t-u64       | ffffffff ffffffff              | 18446744073709551615",
        "t-s32       | ffffffff                       | -1",
        "t-matrix    | 00000001 00000002 00000003 00000004 00000005 00000006 | [[1,2,3],[4,5,6]]",
        "t-phandles  | 00000001 00000007 00000002 00000008 | [[1,7],[2,8]]",
        "t-address   | 00000000 40000000 00000000 10000000 00000001 00000000 00000000 00001000 | [[0,1073741824,0,268435456],[1,0,0,4096]]",
        "unknown-str | 68656c6c6f00                   | [\"hello\"]",
        "unknown-int | 00000005                       | 5",
    })
    void decodes(String name, String bytes, String json) {
        List<Diagnostic> problems = new ArrayList<>();
        JsonNode v = decoder.decodeProperty("n", "/n", Property.of(name, Value.of(hex(bytes))), 2, 2, problems);
        assertEquals(json, v.toString(), name);
        assertEquals(List.of(), problems, name);
    }

    @Test
    void emptyValueIsTrue() {
        List<Diagnostic> problems = new ArrayList<>();
        assertEquals("true", decoder.decodeProperty("n", "/n", Property.of("t-flag", Value.EMPTY), 2, 2, problems).toString());
    }

    @Test
    void integersRememberTheirWidth() {
        List<Diagnostic> problems = new ArrayList<>();
        JsonNode u8 = decoder.decodeProperty("n", "/n", Property.of("t-u8", Value.of(hex("01"))), 2, 2, problems);
        JsonNode u64 = decoder.decodeProperty("n", "/n", Property.of("t-u64", Value.of(hex("0000000000000001"))), 2, 2, problems);
        assertEquals(8, SizedInt.bitsOf(u8.get(0)));
        assertEquals(64, SizedInt.bitsOf(u64));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "t-u32     | 0000002a 00    | size (5) error for type uint32: not a multiple of 4 bytes",
        "t-u16     | 000100         | size (3) error for type uint16-array: not a multiple of 2 bytes",
        "t-address | 00000000 40000000 00000000 | size (12) error for type address: not a whole number of 16-byte entries (root #address-cells = 2, #size-cells = 2)",
        "t-flag    | 00000001       | boolean property with a value of 4 bytes",
    })
    void wrongSizesAreReported(String name, String bytes, String message) {
        List<Diagnostic> problems = new ArrayList<>();
        decoder.decodeProperty("n", "/n", Property.of(name, Value.of(hex(bytes))), 2, 2, problems);
        assertEquals(1, problems.size(), name);
        assertEquals("/n", problems.get(0).nodePath());
        assertEquals(name, problems.get(0).property());
        assertEquals(message, problems.get(0).message());
    }

    @Test
    void addressRowsFollowTheRootCells() {
        List<Diagnostic> problems = new ArrayList<>();
        JsonNode v = decoder.decodeProperty("n", "/n", Property.of("t-address", Value.of(hex("00001000 00000100 00002000 00000200"))), 1, 1, problems);
        assertEquals("[[4096,256],[8192,512]]", v.toString());
    }

    @Test
    void treeJsonNestsChildrenAndCutsRegByParentCells() {
        Node child = Node.of("dev@1000", List.of(Property.of("reg", Value.ofCells(0x1000, 0x100, 0x2000, 0x100))), List.of());
        Node bus = Node.of("bus", List.of(Property.of("#address-cells", Value.ofCells(1)),
                Property.of("#size-cells", Value.ofCells(1))), List.of(child));
        Node fixups = Node.of("__fixups__", List.of(), List.of());
        DeviceTree t = DeviceTree.of(Node.of("", List.of(Property.of("model", Value.ofString("m"))), List.of(bus, fixups)));
        TypeDecoder.DecodedTree d = decoder.decode(t);
        assertEquals(3, d.nodes().size());
        assertEquals("{\"model\":[\"m\"],\"bus\":{\"#address-cells\":1,\"#size-cells\":1,"
                + "\"dev@1000\":{\"reg\":[[4096,256],[8192,256]]}}}", d.root().toString());
        assertEquals("/bus/dev@1000", d.nodes().get(2).path());
    }

    @Test
    void disabledIsInheritedUntilAStatusSaysOtherwise() {
        Node c2 = Node.of("c2", List.of(Property.of("status", Value.ofString("okay"))), List.of());
        Node c1 = Node.of("c1", List.of(), List.of(c2));
        Node p = Node.of("p", List.of(Property.of("status", Value.ofString("disabled"))), List.of(c1));
        TypeDecoder.DecodedTree d = decoder.decode(DeviceTree.of(Node.of("", List.of(), List.of(p))));
        assertEquals(List.of(false, true, true, false), d.nodes().stream().map(TypeDecoder.DecodedNode::disabled).toList());
    }

    @Test
    void deepTreesDoNotOverflowTheStack() {
        Node n = Node.of("leaf", List.of(Property.of("t-u32", Value.ofCells(1))), List.of());
        for (int i = 0; i < 50_000; i++) {
            n = Node.of("n", List.of(), List.of(n));
        }
        TypeDecoder.DecodedTree d = decoder.decode(DeviceTree.of(Node.of("", List.of(), List.of(n))));
        assertEquals(50_002, d.nodes().size());
        JsonNode j = d.root();
        int depth = 0;
        while (j.has("n")) {
            j = j.get("n");
            depth++;
        }
        assertEquals(50_000, depth);
        assertEquals("{\"t-u32\":1}", j.get("leaf").toString());
        String leafPath = d.nodes().get(50_001).path();
        assertEquals(50_000 * 2 + "/leaf".length(), leafPath.length());
        assertTrue(leafPath.endsWith("/n/leaf"));
    }

    @Test
    void styleFollowsTheLoadedTypes() {
        assertEquals(SchemaStyle.MODERN, set.style());
    }
}
