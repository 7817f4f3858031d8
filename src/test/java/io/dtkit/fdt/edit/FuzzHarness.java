package io.dtkit.fdt.edit;

import io.dtkit.fdt.FdtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Seeded mutation fuzzing of {@link FdtBlob} and {@link FdtText}: blobs from the corpus and the
 * kdump inputs are truncated, bit-flipped, given boundary header values, overflowing lengths,
 * unterminated names, self-overlapping blocks and bogus tags, then opened, read and edited.
 * Only {@link FdtException} may escape an operation.
 */
final class FuzzHarness {
    private static final int[] BOUNDARY = {0, 1, 2, 3, 4, 7, 8, 16, 0x10, 0x11, 0x12, 0x28, 0x38, 0x7fffffff, 0x80000000,
        0xfffffff8, 0xfffffffc, 0xffffffff, 0x7ffffff8, 0x10000, 0x100000};
    private static final String[] PATHS = {"/", "/chosen", "/cpus", "/soc", "/aliases", "/memory", "serial0", "",
        "//", "/a/b/c", "uart", "/cpus/cpu@0", "nosuch/x", "/psci"};
    private static final String[] NAMES = {"x", "model", "compatible", "reg", "bootargs", "kaslr-seed", "#size-cells",
        "", "name@1", "a/b", "cells", "phandle"};

    private final List<byte[]> seeds;
    private final List<byte[]> overlays;

    FuzzHarness(List<byte[]> seeds) {
        this(seeds, List.of());
    }

    FuzzHarness(List<byte[]> seeds, List<byte[]> overlays) {
        this.seeds = seeds;
        this.overlays = overlays;
    }

    /**
     * The base and overlays of fixtures/overlay compiled with dtc -@ (an empty list when dtc is
     * missing); the base comes first.
     */
    static List<byte[]> compileOverlayFixtures(Path fixtures, Path tmp) throws IOException, InterruptedException {
        List<byte[]> out = new ArrayList<>();
        List<Path> dts;
        try (Stream<Path> s = Files.list(fixtures)) {
            dts = s.filter(p -> p.toString().endsWith(".dts")).sorted().toList();
        }
        for (Path d : dts) {
            Path o = tmp.resolve(d.getFileName() + ".dtb");
            Process p;
            try {
                p = new ProcessBuilder("dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", o.toString(), d.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                return List.of();
            }
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                out.add(Files.readAllBytes(o));
            }
        }
        return out;
    }

    static List<byte[]> loadSeeds(Path shared, int maxCorpus) throws IOException {
        List<byte[]> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(shared.resolve("kdump/inputs"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dtb")).sorted().toList()) {
                byte[] b = Files.readAllBytes(p);
                if (b.length > 65536) {
                    // the 1 MiB firmware blob is mostly padding; its first 64 KiB hold the tree
                    b = java.util.Arrays.copyOf(b, 65536);
                    java.nio.ByteBuffer.wrap(b).putInt(4, 65536);
                }
                l.add(b);
            }
        }
        try (Stream<Path> s = Files.list(shared.resolve("corpus/linux-arm64/expected"))) {
            s.filter(f -> f.toString().endsWith(".dtb")).sorted().limit(maxCorpus).forEach(p -> {
                try {
                    l.add(Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return l;
    }

    /** Builds the mutated input of one iteration (deterministic in {@code seed}). */
    byte[] input(long seed) {
        Random r = new Random(seed);
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = mutate(b, r);
        }
        return b;
    }

    private static int be32(byte[] b, int off) {
        return (long) off + 4 <= b.length && off >= 0 ? java.nio.ByteBuffer.wrap(b).getInt(off) : 0;
    }

    private static void put32(byte[] b, int off, int v) {
        if (off >= 0 && (long) off + 4 <= b.length) {
            java.nio.ByteBuffer.wrap(b).putInt(off, v);
        }
    }

    private static byte[] mutate(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int structOff = be32(b, 8);
        int structSize = be32(b, 36);
        switch (r.nextInt(12)) {
            case 0: // truncation
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1: { // bit flips anywhere
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 2: // a header field gets a boundary or nearby value
                put32(b, 4 * r.nextInt(10), r.nextBoolean() ? BOUNDARY[r.nextInt(BOUNDARY.length)]
                        : be32(b, 4 * r.nextInt(10)) + r.nextInt(65) - 32);
                return b;
            case 3: { // a struct word becomes a tag
                if (structSize > 0 && structOff > 0) {
                    int at = structOff + 4 * r.nextInt(Math.max(1, Math.min(structSize, b.length) / 4));
                    put32(b, at, new int[] {1, 2, 3, 4, 9, 5, 0}[r.nextInt(7)]);
                }
                return b;
            }
            case 4: { // a property length or name offset overflows
                int at = structOff + 4 * r.nextInt(Math.max(1, Math.max(0, Math.min(structSize, b.length - structOff)) / 4));
                for (int k = 0; k < 64 && at + 12 <= b.length; k++, at += 4) {
                    if (be32(b, at) == 3) {
                        put32(b, at + 4 + 4 * r.nextInt(2), BOUNDARY[r.nextInt(BOUNDARY.length)]);
                        break;
                    }
                }
                return b;
            }
            case 5: { // a node name loses its NUL (unterminated name)
                for (int k = 0; k < 64; k++) {
                    int at = structOff + 4 * r.nextInt(Math.max(1, Math.max(0, Math.min(structSize, b.length - structOff)) / 4));
                    if (be32(b, at) == 1) {
                        for (int j = at + 4; j < b.length && j < at + 4 + 64; j++) {
                            if (b[j] == 0) {
                                b[j] = 'z';
                            }
                        }
                        break;
                    }
                }
                return b;
            }
            case 6: { // the strings block loses its terminating NULs
                int so = be32(b, 12);
                int ss = be32(b, 32);
                for (int j = Math.max(0, so); j >= 0 && j < b.length && j < (long) so + ss; j++) {
                    if (b[j] == 0 && r.nextInt(4) == 0) {
                        b[j] = 'q';
                    }
                }
                return b;
            }
            case 7: // blocks made to overlap or point backwards (cyclic layouts)
                put32(b, 8 + 4 * r.nextInt(3), 40 + 4 * r.nextInt(16));
                return b;
            case 8: // huge sizes
                put32(b, r.nextBoolean() ? 32 : 36, BOUNDARY[r.nextInt(BOUNDARY.length)]);
                return b;
            case 9: { // the reservation block loses its terminator
                int ro = be32(b, 16);
                for (int j = Math.max(0, ro); j >= 0 && j < b.length && j < ro + 256; j++) {
                    b[j] = (byte) 0xff;
                }
                return b;
            }
            case 10: { // extend with garbage or zeros
                byte[] c = java.util.Arrays.copyOf(b, b.length + r.nextInt(512));
                if (r.nextBoolean()) {
                    for (int j = b.length; j < c.length; j++) {
                        c[j] = (byte) r.nextInt(256);
                    }
                }
                return c;
            }
            default: { // version games
                put32(b, 20, new int[] {0, 1, 2, 3, 15, 16, 17, 18, 0xffffffff}[r.nextInt(9)]);
                if (r.nextBoolean()) {
                    put32(b, 24, new int[] {0, 2, 16, 17, 18}[r.nextInt(5)]);
                }
                return b;
            }
        }
    }

    /** Runs one iteration; any throwable other than FdtException propagates. */
    void run(long seed) {
        byte[] in = input(seed);
        Random r = new Random(seed ^ 0x5deece66dL);
        FdtText.dumpHeaderValid(in);
        if (r.nextInt(8) == 0 && FdtText.dumpHeaderValid(java.util.Arrays.copyOf(in, Math.max(in.length, 1024)))) {
            FdtText.dump(java.util.Arrays.copyOf(in, Math.max(in.length, 1024)), r.nextBoolean());
        }
        FdtBlob b;
        try {
            switch (r.nextInt(3)) {
                case 0 -> b = FdtBlob.open(in);
                case 1 -> b = FdtBlob.openInto(in, in.length + r.nextInt(4096) - 64);
                default -> b = FdtBlob.wrap(in);
            }
        } catch (FdtException e) {
            b = FdtBlob.wrap(in);
        }
        reads(b, r);
        int edits = 1 + r.nextInt(12);
        for (int i = 0; i < edits; i++) {
            try {
                edit(b, r);
            } catch (FdtException e) {
                // expected for broken blobs
            }
            if (r.nextInt(4) == 0) {
                reads(b, r);
            }
        }
        reads(b, r);
        b.toByteArray();
        if (!overlays.isEmpty() && r.nextInt(4) == 0) {
            byte[] base = r.nextBoolean() ? overlays.get(0) : in;
            byte[] ov = overlays.get(r.nextInt(overlays.size())).clone();
            int rounds = r.nextInt(3);
            for (int i = 0; i < rounds; i++) {
                ov = mutate(ov, r);
            }
            if (r.nextBoolean()) {
                base = mutate(base.clone(), r);
            }
            FdtOverlay.Result res = FdtOverlay.applyAll(base, List.of(ov));
            if (res.blob() != null) {
                FdtBlob.wrap(res.blob()).toByteArray();
            }
        }
    }

    private static int someNode(FdtBlob b, Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return 0;
            case 1:
                return 4 * r.nextInt(Math.max(1, b.bufferSize() / 4)) - (r.nextInt(8) == 0 ? 1 : 0);
            default:
                try {
                    return b.pathOffset(PATHS[r.nextInt(PATHS.length)]);
                } catch (FdtException e) {
                    return r.nextInt(64) * 4;
                }
        }
    }

    private static void reads(FdtBlob b, Random r) {
        try {
            b.totalSize();
            b.numMemRsv();
            b.getMemRsv(r.nextInt(4));
        } catch (FdtException e) {
            // fine
        }
        int[] depth = {0};
        int visited = 0;
        try {
            for (int n = 0; n >= 0 && depth[0] >= 0 && visited < 16; n = b.nextNodeOffset(n, depth), visited++) {
                try {
                    b.getName(n);
                    if (visited < 3) {
                        b.getPath(n);
                        b.nodeDepth(n);
                        b.parentOffset(n);
                    }
                    for (int p = b.firstPropertyOffset(n), k = 0; p >= 0 && k < 16; p = b.nextPropertyOffset(p), k++) {
                        String name = b.propertyName(p);
                        byte[] v = b.propertyValue(p);
                        FdtText.showData(FdtText.ValueType.DEFAULT, v);
                        FdtText.printData(v);
                        if (k < 3) {
                            b.getprop(n, name);
                        }
                    }
                    for (int c = b.firstSubnode(n), k = 0; c >= 0 && k < 16; c = b.nextSubnode(c), k++) {
                        b.getName(c);
                    }
                    b.getPhandle(n);
                } catch (FdtException e) {
                    // fine
                }
            }
        } catch (FdtException e) {
            // fine
        }
        for (int i = 0; i < 3; i++) {
            try {
                int n = b.pathOffset(PATHS[r.nextInt(PATHS.length)]);
                b.getprop(n, NAMES[r.nextInt(NAMES.length)]);
                b.subnodeOffset(n, NAMES[r.nextInt(NAMES.length)]);
            } catch (FdtException e) {
                // fine
            }
            int off = 4 * r.nextInt(Math.max(1, b.bufferSize() / 4 + 2));
            b.nextTagAt(off);
            b.nextTagAt(-off - 1);
        }
    }

    private static byte[] value(Random r) {
        byte[] v = new byte[r.nextInt(4) == 0 ? r.nextInt(200) : r.nextInt(9)];
        r.nextBytes(v);
        return v;
    }

    private static void edit(FdtBlob b, Random r) throws FdtException {
        String name = NAMES[r.nextInt(NAMES.length)];
        switch (r.nextInt(16)) {
            case 0 -> b.setprop(someNode(b, r), name, value(r));
            case 1 -> b.appendprop(someNode(b, r), name, value(r));
            case 2 -> b.delprop(someNode(b, r), name);
            case 3 -> b.nopProperty(someNode(b, r), name);
            case 4 -> b.setpropInplace(someNode(b, r), name, value(r));
            case 5 -> b.addSubnode(someNode(b, r), name);
            case 6 -> b.delNode(someNode(b, r));
            case 7 -> b.nopNode(someNode(b, r));
            case 8 -> b.setName(someNode(b, r), name);
            case 9 -> b.addMemRsv(r.nextLong(), r.nextLong());
            case 10 -> b.delMemRsv(r.nextInt(6) - 1);
            case 11 -> b.pack();
            case 12 -> b.openIntoSelf(Math.max(0, b.totalSize() + r.nextInt(1024) - 16 < 0 ? 0
                    : Math.min(b.bufferSize() + 4096, Math.max(0, b.totalSize()) + r.nextInt(1024))));
            case 13 -> b.getpropLength(someNode(b, r), name);
            case 14 -> {
                FdtBlob c = FdtBlob.openInto(b.buffer(), b.bufferSize() + r.nextInt(256));
                c.setprop(0, name, value(r));
            }
            default -> b.setprop(someNode(b, r), name, new byte[0]);
        }
    }
}
