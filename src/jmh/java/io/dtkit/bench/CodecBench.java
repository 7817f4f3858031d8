package io.dtkit.bench;

import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * In-process DTB read and write of a generated tree shaped like gen-large-dts.py's output
 * (buses of 1000 devices with seven properties each), JIT warmed up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CodecBench {
    @Param({"100000"})
    public int nodes;

    private byte[] blob;
    private DeviceTree tree;

    @Setup
    public void setup() throws Exception {
        List<Node> buses = new ArrayList<>();
        List<Node> devices = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            devices.add(Node.of("device@" + Integer.toHexString(i), List.of(
                    Property.of("compatible", Value.of(("vendor,dev" + i + "\0generic-dev\0").getBytes(StandardCharsets.US_ASCII))),
                    Property.of("reg", Value.ofCells(0, (long) i << 12, 0, 0x1000)),
                    Property.of("interrupts", Value.ofCells(0, i, 4)),
                    Property.of("status", Value.ofString("okay")),
                    Property.of("#clock-cells", Value.ofCells(0)),
                    Property.of("clocks", Value.ofCells(1)),
                    Property.of("data", Value.of(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))), List.of()));
            if (devices.size() == 1000 || i == nodes - 1) {
                buses.add(Node.of("bus" + buses.size(), List.of(
                        Property.of("#address-cells", Value.ofCells(2)),
                        Property.of("#size-cells", Value.ofCells(2))), devices));
                devices = new ArrayList<>();
            }
        }
        tree = DeviceTree.of(Node.of("", List.of(Property.of("compatible", Value.ofString("example,large"))), buses));
        blob = DtbWriter.write(tree);
    }

    @Benchmark
    public DeviceTree read() throws Exception {
        return DtbReader.read(blob);
    }

    @Benchmark
    public byte[] write() {
        return DtbWriter.write(tree);
    }

    @Benchmark
    public byte[] readWrite() throws Exception {
        return DtbWriter.write(DtbReader.read(blob));
    }
}
