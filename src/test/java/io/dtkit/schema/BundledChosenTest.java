package io.dtkit.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dtkit.testsupport.Shared;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled chosen binding covers every property of the upstream one. */
class BundledChosenTest {
    @Test
    void everyUpstreamPropertyIsThere() throws Exception {
        JsonNode upstream = new YAMLMapper().readTree(
                Shared.resolve("dt-schema-upstream/dtschema/schemas/chosen.yaml").toFile());
        DtSchema ours = SchemaSet.bundled().limited("chosen").get(0);
        List<String> missing = new ArrayList<>();
        upstream.get("properties").fieldNames().forEachRemaining(p -> {
            if (!ours.json().get("properties").has(p)) {
                missing.add(p);
            }
        });
        upstream.get("patternProperties").fieldNames().forEachRemaining(p -> {
            if (!ours.json().get("patternProperties").has(p)) {
                missing.add(p);
            }
        });
        assertEquals(List.of(), missing);
        assertTrue(upstream.get("properties").size() >= 25, "upstream lists " + upstream.get("properties").size());
        assertEquals("false", ours.json().get("additionalProperties").toString());
    }
}
