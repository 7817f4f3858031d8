package io.dtkit.kdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Shared;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The iomem reader, the explain report and the SVG picture. */
class IomemExplainSvgTest {

    @Test
    void iomemCrashRegionsInFileOrderAtAnyDepth() throws Exception {
        Iomem io = Iomem.parse(Files.readString(Shared.resolve("kdump/inputs/iomem-qemu-virt-8g-high-low.txt")));
        assertEquals(List.of(new MemRange(0xf0000000L, 0x10000000L), new MemRange(0x1c0000000L, 0x80000000L)),
                io.crashRegions());
        assertEquals(List.of(MemRange.ofInclusive(0x40000000L, 0x23fffffffL)), io.systemRam());
        Iomem io16 = Iomem.parse(Files.readString(Shared.resolve("kdump/inputs/iomem-qemu-virt-16g-high-low.txt")));
        assertEquals(List.of(new MemRange(0xe0000000L, 0x10000000L), new MemRange(0x400000000L, 0x40000000L)),
                io16.crashRegions());
        assertEquals(3, Iomem.parse(Files.readString(Shared.resolve("kdump/inputs/iomem-three-crash-regions.txt")))
                .crashRegions().size());
    }

    @Test
    void iomemRepeatedStartIsSkipped() throws Exception {
        Iomem io = Iomem.parse("40000000-bfffffff : System RAM\n  a0000000-bfffffff : Crash kernel\n"
                + "    a0000000-a0ffffff : Crash kernel (nested copy)\n");
        assertEquals(List.of(new MemRange(0xa0000000L, 0x20000000L)), io.crashRegions());
    }

    @Test
    void iomemHiddenAddressesAndBadLinesAreRefused() {
        KdumpException hidden = assertThrows(KdumpException.class,
                () -> Iomem.parse("00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n"));
        assertTrue(hidden.getMessage().contains("as root"), hidden.getMessage());
        KdumpException bad = assertThrows(KdumpException.class,
                () -> Iomem.parse("40000000-bfffffff : System RAM\nnonsense here\n"));
        assertEquals(Refusal.SYNTAX, bad.reason());
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
    }

    // 8 GiB from 0x40000000 (2/2 cells), high range first then low, elfcorehdr at the top of high
    static DeviceTree tree(long[]... usable) {
        List<Property> chosen = new ArrayList<>();
        if (usable.length > 0) {
            ByteBuffer bb = ByteBuffer.allocate(16 * usable.length);
            for (long[] r : usable) {
                bb.putLong(r[0]).putLong(r[1]);
            }
            chosen.add(Property.of("linux,usable-memory-range", Value.of(bb.array())));
            chosen.add(Property.of("linux,elfcorehdr",
                    Value.of(ByteBuffer.allocate(16).putLong(0x23fff0000L).putLong(0x10000).array())));
        }
        Node memory = Node.of("memory@40000000", List.of(
                Property.of("device_type", Value.ofString("memory")),
                Property.of("reg", Value.ofCells(0, 0x40000000L, 2, 0))), List.of());
        Node root = Node.of("", List.of(Property.of("#address-cells", Value.ofCells(2)),
                Property.of("#size-cells", Value.ofCells(2))), List.of(memory, Node.of("chosen", chosen, List.of())));
        return new DeviceTree(List.of(Reservation.of(0x48000000L, 0x400000L)), root, 0, false);
    }

    @Test
    void explainHighFirstIsClean() throws Exception {
        Explain e = Explain.of(tree(new long[] {0x1c0000000L, 0x80000000L}, new long[] {0xf0000000L, 0x10000000L}),
                CrashPlanner.DEFAULT_DMA_LIMIT);
        assertEquals(List.of(new MemRange(0x1c0000000L, 0x80000000L)), e.oldKernel());
        assertEquals(List.of(new MemRange(0xf0000000L, 0x10000000L), new MemRange(0x1c0000000L, 0x80000000L)),
                e.newKernel());
        assertEquals(List.of(), e.warnings(), e.render());
        assertTrue(e.render().contains("old dump kernel (first range only) uses:\n  0x1c0000000-0x23fffffff (2 GiB)"),
                e.render());
    }

    @Test
    void explainWarnsLowFirst() throws Exception {
        Explain e = Explain.of(tree(new long[] {0xf0000000L, 0x10000000L}, new long[] {0x1c0000000L, 0x80000000L}),
                CrashPlanner.DEFAULT_DMA_LIMIT);
        assertEquals(List.of(new MemRange(0xf0000000L, 0x10000000L)), e.oldKernel());
        assertTrue(e.warnings().stream().anyMatch(w -> w.startsWith("wrong order")), e.render());
    }

    @Test
    void explainWarnsOutsideMemoryAndLowAboveDmaLimit() throws Exception {
        // first range at 0x300000000 is past the 8 GiB of RAM (which ends at 0x240000000); the
        // second (low) one at 0x1c0000000 is RAM but above 4 GiB; elfcorehdr 0x23fff0000 then
        // lies in neither kernel's memory
        Explain e = Explain.of(tree(new long[] {0x300000000L, 0x10000000L}, new long[] {0x1c0000000L, 0x10000000L}),
                CrashPlanner.DEFAULT_DMA_LIMIT);
        assertTrue(e.warnings().stream().anyMatch(w -> w.startsWith("range 0 ") && w.contains("not inside the /memory banks")), e.render());
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("old dump kernel has no memory")), e.render());
        // lowLimit: RAM starts below 4G, so min(4G, end of RAM) = 0x100000000
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("above the DMA limit 0x100000000")), e.render());
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("lies outside the usable ranges")), e.render());
        assertTrue(e.warnings().stream().noneMatch(w -> w.startsWith("wrong order")), e.render());
    }

    @Test
    void explainWithoutUsableRange() throws Exception {
        Explain e = Explain.of(tree(), CrashPlanner.DEFAULT_DMA_LIMIT);
        assertTrue(e.warnings().get(0).startsWith("no linux,usable-memory-range"), e.render());
        assertEquals(e.ram(), e.oldKernel());
    }

    @Test
    void svgParsesBackWithEveryLayer(@TempDir Path tmp) throws Exception {
        DeviceTree t = tree(new long[] {0x1c0000000L, 0x80000000L}, new long[] {0xf0000000L, 0x10000000L});
        MemoryMap map = MemoryMap.of(List.of(MemRange.ofInclusive(0x40000000L, 0x23fffffffL),
                        MemRange.ofInclusive(0x8000000000L, 0x80ffffffffL)),
                TreeMemory.memoryMap(t).reserved());
        List<MemoryMap.Region> crash = List.of(new MemoryMap.Region("Crash kernel (low)", new MemRange(0xf0000000L, 0x10000000L)),
                new MemoryMap.Region("Crash kernel", new MemRange(0x1c0000000L, 0x80000000L)));
        String svg = MemoryMapSvg.render(map, crash, new MemRange(0x23fff0000L, 0x10000), 0x100000000L);
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        Element ram1 = rect(doc, "ram", 0);
        Element ram2 = rect(doc, "ram", 1);
        Element low = rect(doc, "crash-low", 0);
        Element high = rect(doc, "crash-high", 0);
        Element elf = rect(doc, "elfcorehdr", 0);
        rect(doc, "reserved", 0);
        // to scale inside a stretch: 2 GiB high region is 8x the 256 MiB low one
        assertEquals(8.0, w(high) / w(low), 0.05);
        // the 8 GiB bank and the 4 GiB bank at 0x8000000000 share one scale across the break
        assertEquals(2.0, w(ram1) / w(ram2), 0.05);
        assertTrue(x(low) < x(high) && x(high) < x(elf) && x(elf) < x(ram2), "address order left to right");
        assertEquals(2.0, w(elf), 0.001, "64 KiB is drawn at the minimum width");
        assertEquals(1, doc.getElementsByTagName("g").getLength(), "one break between the two stretches");
        assertTrue(svg.contains(">Crash kernel (low) 256 MiB<") && svg.contains(">Crash kernel 2 GiB<")
                && svg.contains("DMA limit 0x100000000"), svg);

        if (ReferenceTool.available("convert")) {
            Path in = tmp.resolve("map.svg");
            Files.writeString(in, svg);
            Path png = tmp.resolve("map.png");
            ReferenceTool.Result r = ReferenceTool.run(tmp, null, "convert", in.toString(), png.toString());
            if (r.exit() == 0 && Files.isRegularFile(png)) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(png));
                assertEquals(0x89504e47, b.getInt(0), "PNG signature");
                assertEquals(MemoryMapSvg.WIDTH, b.getInt(16), "PNG width");
                assertEquals(MemoryMapSvg.HEIGHT, b.getInt(20), "PNG height");
            }
        }
    }

    private static Element rect(Document doc, String cls, int index) {
        NodeList rects = doc.getElementsByTagName("rect");
        int seen = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            Element e = (Element) rects.item(i);
            if (e.getAttribute("class").equals(cls) && seen++ == index) {
                return e;
            }
        }
        throw new AssertionError("no rect #" + index + " of class " + cls);
    }

    private static double w(Element e) {
        return Double.parseDouble(e.getAttribute("width"));
    }

    private static double x(Element e) {
        return Double.parseDouble(e.getAttribute("x"));
    }
}
