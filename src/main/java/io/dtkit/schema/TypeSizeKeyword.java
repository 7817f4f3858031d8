package io.dtkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.keyword.AbstractKeywordValidator;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.path.NodePath;

/**
 * dt-schema's {@code typeSize} keyword (issue 5 item 3): the integers of a property must have
 * been read with the given cell width. On a matrix the first cell decides, as in dt-schema.
 */
final class TypeSizeKeyword implements Keyword {
    @Override
    public String getValue() {
        return "typeSize";
    }

    @Override
    public KeywordValidator newValidator(SchemaLocation location, JsonNode schemaNode,
                                         Schema parent, SchemaContext context) {
        int want = schemaNode.asInt();
        return new AbstractKeywordValidator(this, schemaNode, location) {
            @Override
            public void validate(ExecutionContext ctx, JsonNode node, JsonNode root,
                                 NodePath instanceLocation) {
                JsonNode probe;
                if (node.isIntegralNumber()) {
                    probe = node;
                } else if (node.isArray() && node.size() > 0 && node.get(0).isArray()
                        && node.get(0).size() > 0) {
                    probe = node.get(0).get(0);
                } else if (node.isArray() && node.size() > 0 && node.get(0).isIntegralNumber()) {
                    probe = node.get(0);
                } else {
                    return;
                }
                int size = SizedInt.bitsOf(probe);
                if (size != want) {
                    ctx.addError(Error.builder().keyword("typeSize")
                            .instanceLocation(instanceLocation)
                            .schemaLocation(location)
                            .evaluationPath(ctx.getEvaluationPath())
                            .instanceNode(node)
                            .message(instanceLocation + ": size is " + size + ", expected " + want)
                            .build());
                }
            }
        };
    }
}
