package io.dtkit.dts.edit;

import io.dtkit.fdt.DtbReader;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compiles sources with the reference cpp + dtc and lists how two DTBs differ. */
public final class DtbDiff {
    private DtbDiff() {
    }

    /**
     * cpp (as the kernel build runs it) then dtc; {@code cppDirs} become {@code -I}, {@code dtcDir}
     * {@code -i}. Fails the test with dtc's message when the source does not compile.
     */
    public static byte[] compile(Path source, List<Path> cppDirs, Path dtcDir, Path work) throws IOException {
        Files.createDirectories(work);
        Path pp = Files.createTempFile(work, "pp", ".dts");
        Path dtb = Files.createTempFile(work, "out", ".dtb");
        List<String> cpp = new ArrayList<>(List.of("cpp", "-nostdinc"));
        for (Path d : cppDirs) {
            cpp.add("-I");
            cpp.add(d.toString());
        }
        cpp.addAll(List.of("-undef", "-D__DTS__", "-x", "assembler-with-cpp", source.toString(), "-o", pp.toString()));
        ReferenceTool.Result r = ReferenceTool.run(null, null, cpp.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new AssertionError("cpp failed on " + source + ": " + r.stderr());
        }
        r = ReferenceTool.run(null, null, "dtc", "-q", "-O", "dtb", "-b", "0", "-i", dtcDir.toString(),
                "-o", dtb.toString(), pp.toString());
        if (r.exit() != 0) {
            throw new AssertionError("dtc failed on " + source + ": " + r.stderr());
        }
        return Files.readAllBytes(dtb);
    }

    /** path -> (property -> bytes), every node of the tree. */
    public static Map<String, Map<String, byte[]>> flatten(byte[] dtb) throws IOException {
        DeviceTree t = DtbReader.read(dtb);
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {"/", t.root()});
        while (!stack.isEmpty()) {
            Object[] e = stack.pop();
            String p = (String) e[0];
            Node n = (Node) e[1];
            Map<String, byte[]> props = new LinkedHashMap<>();
            for (Property pr : n.properties()) {
                props.put(pr.name(), pr.value().bytes());
            }
            out.put(p, props);
            for (Node c : n.children()) {
                stack.push(new Object[] {"/".equals(p) ? "/" + c.name() : p + "/" + c.name(), c});
            }
        }
        return out;
    }

    /**
     * The differences as sorted lines: {@code +/path} / {@code -/path} for the topmost added or
     * removed node, {@code +/path:prop}, {@code -/path:prop}, {@code ~/path:prop} for properties
     * of nodes present in both.
     */
    public static List<String> diff(byte[] a, byte[] b) throws IOException {
        Map<String, Map<String, byte[]>> x = flatten(a);
        Map<String, Map<String, byte[]>> y = flatten(b);
        TreeSet<String> out = new TreeSet<>();
        for (String p : x.keySet()) {
            if (!y.containsKey(p)) {
                if (y.containsKey(parent(p))) {
                    out.add("-" + p);
                }
                continue;
            }
            Map<String, byte[]> px = x.get(p);
            Map<String, byte[]> py = y.get(p);
            for (String k : px.keySet()) {
                if (!py.containsKey(k)) {
                    out.add("-" + p + ":" + k);
                } else if (!Arrays.equals(px.get(k), py.get(k))) {
                    out.add("~" + p + ":" + k);
                }
            }
            for (String k : py.keySet()) {
                if (!px.containsKey(k)) {
                    out.add("+" + p + ":" + k);
                }
            }
        }
        for (String p : y.keySet()) {
            if (!x.containsKey(p) && x.containsKey(parent(p))) {
                out.add("+" + p);
            }
        }
        return new ArrayList<>(out);
    }

    /** The bytes of one property in a DTB, or null. */
    public static byte[] property(byte[] dtb, String path, String name) throws IOException {
        Map<String, byte[]> props = flatten(dtb).get(path);
        return props == null ? null : props.get(name);
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }
}
