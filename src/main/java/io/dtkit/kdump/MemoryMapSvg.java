package io.dtkit.kdump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a physical memory map as SVG (issue 4, "A picture"): one lane each for RAM banks,
 * reserved regions, crash regions and the elfcorehdr, to scale inside each stretch of the
 * address space that holds something, with the empty stretches between them cut out and
 * marked by a break of fixed width. A region too small to see is drawn 2 px wide.
 */
public final class MemoryMapSvg {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 300;
    private static final int LEFT = 20;
    private static final int BREAK = 30;
    private static final double MIN_PX = 2;
    private static final String[] LANES = {"ram", "reserved", "crash", "elfcorehdr"};
    private static final int LANE_Y0 = 50;
    private static final int LANE_H = 40;
    private static final int LANE_GAP = 20;

    private MemoryMapSvg() {
    }

    /** One shape to draw: its lane, CSS class, label and range. */
    record Item(int lane, String cls, String label, MemRange range) {
    }

    /**
     * Renders the picture.
     *
     * @param map        RAM banks and reserved regions
     * @param crash      crash regions with their iomem names ("Crash kernel", "Crash kernel (low)")
     * @param elfcorehdr the elfcorehdr, or null
     * @param lowLimit   the DMA limit, drawn as a dashed line when inside the drawn stretches
     */
    public static String render(MemoryMap map, List<MemoryMap.Region> crash, MemRange elfcorehdr, long lowLimit) {
        List<Item> items = new ArrayList<>();
        for (MemRange r : map.ram()) {
            items.add(new Item(0, "ram", "RAM", r));
        }
        for (MemoryMap.Region r : map.reserved()) {
            items.add(new Item(1, "reserved", r.name(), r.range()));
        }
        for (MemoryMap.Region r : crash) {
            boolean low = r.name().endsWith("(low)");
            items.add(new Item(2, low ? "crash-low" : "crash-high", r.name(), r.range()));
        }
        if (elfcorehdr != null && elfcorehdr.size() != 0) {
            items.add(new Item(3, "elfcorehdr", "elfcorehdr", elfcorehdr));
        }
        List<MemRange> all = new ArrayList<>();
        for (Item it : items) {
            all.add(it.range);
        }
        List<MemRange> stretches = MemoryMap.of(all, List.of()).ram();
        double drawable = WIDTH - 2 * LEFT - BREAK * Math.max(0, stretches.size() - 1);
        double total = 0;
        for (MemRange s : stretches) {
            total += unsigned(s.size());
        }
        double scale = total == 0 ? 0 : drawable / total;
        double[] x0 = new double[stretches.size()];
        double x = LEFT;
        for (int i = 0; i < stretches.size(); i++) {
            x0[i] = x;
            x += unsigned(stretches.get(i).size()) * scale + BREAK;
        }

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append("<title>Physical memory map</title>\n");
        sb.append("<style>.ram{fill:#cfe8cf;stroke:#3a7a3a}.reserved{fill:#e0e0e0;stroke:#666}"
                + ".crash-high{fill:#f4b183;stroke:#a0522d}.crash-low{fill:#9dc3e6;stroke:#2e5e8e}"
                + ".elfcorehdr{fill:#c00000;stroke:#600}.break{stroke:#000;stroke-width:1.5}"
                + ".dma{stroke:#7030a0;stroke-dasharray:4 3}</style>\n");
        sb.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" fill=\"white\"/>\n");
        for (int lane = 0; lane < LANES.length; lane++) {
            sb.append(String.format(Locale.ROOT, "<text class=\"lane\" x=\"%d\" y=\"%d\">%s</text>\n", LEFT,
                    laneY(lane) - 4, LANES[lane]));
        }
        for (Item it : items) {
            double a = position(stretches, x0, scale, it.range.base());
            double w = Math.max(MIN_PX, unsigned(it.range.size()) * scale);
            int y = laneY(it.lane);
            sb.append(String.format(Locale.ROOT,
                    "<rect class=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" data-base=\"0x%x\" data-size=\"0x%x\">"
                            + "<title>%s %s</title></rect>\n",
                    it.cls, a, y, w, LANE_H, it.range.base(), it.range.size(), esc(it.label), esc(it.range.toString())));
            sb.append(String.format(Locale.ROOT, "<text class=\"label %s\" x=\"%.2f\" y=\"%d\">%s</text>\n",
                    it.cls, a + 2, y + LANE_H / 2 + 4, esc(it.label + " " + Sizes.human(it.range.size()))));
        }
        int axisY = laneY(LANES.length) + 10;
        for (int i = 0; i < stretches.size(); i++) {
            MemRange s = stretches.get(i);
            double a = x0[i];
            double b = a + unsigned(s.size()) * scale;
            sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"black\"/>\n",
                    a, axisY, b, axisY));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.2f\" y=\"%d\">0x%x</text>\n", a, axisY + 14, s.base()));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.2f\" y=\"%d\" text-anchor=\"end\">0x%x</text>\n",
                    b, axisY + 28, s.last() + 1));
            if (i + 1 < stretches.size()) {
                long gap = stretches.get(i + 1).base() - s.last() - 1;
                double m = b + BREAK / 2.0;
                sb.append(String.format(Locale.ROOT,
                        "<g class=\"break\"><title>gap of %s not to scale</title>"
                                + "<line class=\"break\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>"
                                + "<line class=\"break\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/></g>\n",
                        Sizes.human(gap), m - 6, axisY + 6, m - 2, axisY - 6, m + 2, axisY + 6, m + 6, axisY - 6));
            }
        }
        for (int i = 0; i < stretches.size(); i++) {
            MemRange s = stretches.get(i);
            if (Long.compareUnsigned(lowLimit, s.base()) > 0 && Long.compareUnsigned(lowLimit, s.last()) <= 0) {
                double a = position(stretches, x0, scale, lowLimit);
                sb.append(String.format(Locale.ROOT,
                        "<line class=\"dma\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>"
                                + "<text class=\"dma\" x=\"%.2f\" y=\"%d\">DMA limit 0x%x</text>\n",
                        a, LANE_Y0 - 20, a, axisY, a + 2, LANE_Y0 - 24, lowLimit));
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static int laneY(int lane) {
        return LANE_Y0 + lane * (LANE_H + LANE_GAP);
    }

    private static double position(List<MemRange> stretches, double[] x0, double scale, long addr) {
        for (int i = 0; i < stretches.size(); i++) {
            MemRange s = stretches.get(i);
            if (Long.compareUnsigned(addr, s.base()) >= 0 && Long.compareUnsigned(addr, s.last()) <= 0) {
                return x0[i] + unsigned(addr - s.base()) * scale;
            }
        }
        return LEFT;
    }

    private static double unsigned(long v) {
        return v < 0 ? v + 0x1p64 : v;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
