package io.dtkit.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.model.Property;
import io.dtkit.model.Value;
import io.dtkit.source.Diagnostic;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loading the two dt-schema generations: Debian's packaged folder (older, integers as matrices)
 * and the upstream folder in the shared data (current shapes).
 */
class LegacyStyleTest {
    @Test
    void debianFolderDecodesIntegersAsMatrices() throws Exception {
        SchemaSet set = SchemaSet.load(List.of(io.dtkit.testsupport.DtSchemaInstall.schemas()));
        assertEquals(SchemaStyle.LEGACY_MATRIX, set.style());
        TypeDecoder d = new TypeDecoder(set);
        List<Diagnostic> problems = new ArrayList<>();
        var seed = d.decodeProperty("chosen", "/chosen", Property.of("kaslr-seed", Value.ofCells(0, 7)), 2, 2, problems);
        assertEquals("[[7]]", seed.toString());
        assertEquals(64, SizedInt.bitsOf(seed.get(0).get(0)));
        assertEquals("[[1]]", d.decodeProperty("chosen", "/chosen", Property.of("linux,pci-probe-only",
                Value.ofCells(1)), 2, 2, problems).toString());
        assertEquals(List.of(), problems);
        DtSchema chosen = set.limited("chosen").get(0);
        // dt-schema's fix-ups: the select made from $nodename, the generic node properties added
        assertEquals("{\"required\":[\"$nodename\"],\"properties\":{\"$nodename\":{\"items\":[{\"const\":\"chosen\"}],"
                + "\"type\":\"array\",\"minItems\":1,\"maxItems\":1}}}", chosen.json().get("select").toString());
        assertTrue(chosen.json().at("/properties/status").asBoolean());
        assertTrue(chosen.json().at("/patternProperties/pinctrl-[0-9]+").asBoolean());
    }

    @Test
    void upstreamFolderLoadsInCurrentStyle() throws Exception {
        SchemaSet set = SchemaSet.load(List.of(Shared.resolve("dt-schema-upstream/dtschema/schemas")));
        assertEquals(SchemaStyle.MODERN, set.style());
        assertTrue(set.schemas().size() > 50, "loaded " + set.schemas().size());
        assertEquals(List.of(), set.warnings());
        TypeDecoder d = new TypeDecoder(set);
        List<Diagnostic> problems = new ArrayList<>();
        assertEquals("[[0,1610612736,0,268435456]]", d.decodeProperty("chosen", "/chosen",
                Property.of("linux,usable-memory-range", Value.ofCells(0, 0x60000000, 0, 0x10000000)), 2, 2, problems).toString());
        assertEquals(List.of(), problems);
    }
}
