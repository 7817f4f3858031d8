package io.dtkit.dts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import io.dtkit.testsupport.Sources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs where dtc itself gives up (its parser stack overflows on many siblings, its label
 * look-ups are linear): they must compile, with phandles allocated as dtc would.
 */
class ScaleTest {
    @TempDir
    Path tmp;

    private static int count(DeviceTree t) {
        int n = 0;
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(t.root());
        while (!stack.isEmpty()) {
            Node x = stack.pop();
            n++;
            x.children().forEach(stack::push);
        }
        return n;
    }

    @Test
    void twentyThousandSiblings() throws Exception {
        Path f = tmp.resolve("flat.dts");
        ReferenceTool.run(null, null, "python3", Shared.resolve("tools/gen-large-dts.py").toString(),
                "20000", f.toString(), "--flat");
        DeviceTree t = DtsCompiler.compile(f, CompileOptions.defaults()).tree();
        assertEquals(20000 + 2, count(t));
    }

    @Test
    void twentyThousandLabelledNodes() throws Exception {
        Path f = tmp.resolve("big.dts");
        ReferenceTool.run(null, null, "python3", Shared.resolve("tools/gen-large-dts.py").toString(),
                "20000", f.toString());
        DeviceTree t = DtsCompiler.compile(f, CompileOptions.defaults()).tree();
        assertEquals(20000 + 20 + 2, count(t));
        // each device references the previous one, so phandles follow document order
        Node d1 = t.node("/bus0/device@1");
        assertNotNull(d1);
        assertEquals(1, d1.property("clocks").value().cellAt(0));
        assertEquals(1, t.node("/bus0/device@0").property("phandle").value().cellAt(0));
    }

    @Test
    void deepNesting() throws Exception {
        int depth = 10000;
        DeviceTree t = DtsCompiler.compile(Sources.nested(depth), "deep.dts",
                CompileOptions.defaults()).tree();
        assertEquals(depth + 1, count(t));
    }

    @Test
    void longExpression() throws Exception {
        int terms = 20000;
        StringBuilder sb = new StringBuilder("/dts-v1/;\n/ { x = <(0");
        for (int i = 0; i < terms; i++) {
            sb.append(" + 1");
        }
        sb.append(")>; };\n");
        DeviceTree t = DtsCompiler.compile(sb.toString(), "expr.dts", CompileOptions.defaults()).tree();
        assertEquals(terms, t.root().property("x").value().cellAt(0));
    }
}
