package io.dtkit.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.model.DeviceTree;
import io.dtkit.schema.SchemaSet;
import io.dtkit.schema.TypeDecoder;
import io.dtkit.testsupport.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shortcuts that skip a node lacking a property a schema's select requires, or that
 * compare the node name with the one a select asks for, must agree with the engine: over
 * every corpus DTB and every schema of the dt-schema project (bindings selected by
 * compatible, by node name or by their own select), each node's selection and each report
 * are the same with the shortcuts and without them.
 */
class SelectPrefilterTest {
    private static Validator fast;
    private static Validator plain;

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(Shared.resolve("corpus/linux-arm64/expected"))) {
            return s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList().stream();
        }
    }

    @BeforeAll
    static void load() throws Exception {
        Path dir = Shared.resolve("dt-schema-upstream/dtschema/schemas");
        SchemaSet set = SchemaSet.load(List.of(dir));
        fast = new Validator(set, ValidateOptions.defaults(), true);
        plain = new Validator(set, ValidateOptions.defaults(), false);
        assertTrue(fast.activeSchemas().size() > 20, "upstream schemas loaded: " + fast.activeSchemas().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sameSelectionAndReport(Path dtb) throws IOException {
        DeviceTree tree = Blobs.read(dtb);
        TypeDecoder.DecodedTree decoded = fast.decoder().decode(tree);
        int selected = 0;
        for (TypeDecoder.DecodedNode n : decoded.nodes()) {
            List<Boolean> want = plain.selection(n);
            assertEquals(want, fast.selection(n), dtb.getFileName() + " " + n.path());
            selected += (int) want.stream().filter(b -> b).count();
        }
        assertTrue(selected > 0, "some node of " + dtb.getFileName() + " is selected by some schema");
        assertEquals(plain.validate(tree, dtb.toString()), fast.validate(tree, dtb.toString()));
    }
}
