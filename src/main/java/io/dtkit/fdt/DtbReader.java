package io.dtkit.fdt;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a flattened device tree (Devicetree Specification chapter 5) of version 16 or 17 (or a
 * later version that declares itself readable as 17) into a {@link DeviceTree}. Every header
 * offset and size is checked against the blob before use, every read goes through one bounds
 * check, nesting is tracked with an explicit stack, and nothing is allocated beyond what the
 * blob's own bytes account for. The only exception is {@link FdtException}.
 *
 * <p>Like dtc, the reservation block ends at the first entry whose size is zero, and FDT_NOP
 * tokens are skipped; unlike dtc (and like libfdt) tokens of a version 17 blob must stay inside
 * the structure block its header declares. Names are decoded byte for char (ISO-8859-1).
 * Values carry no markers.
 */
public final class DtbReader {
    private DtbReader() {
    }

    /** Reads the blob in a file (only the {@code totalsize} bytes its header declares). */
    public static DeviceTree read(Path file) throws IOException {
        long size = Files.size(file);
        if (size <= MAX_BLOB) {
            return read(Files.readAllBytes(file));
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            long total = head.length < 8 ? 0 : java.nio.ByteBuffer.wrap(head).getInt(4) & 0xffffffffL;
            if (total > MAX_BLOB) {
                throw new FdtException(FdtError.NOSPACE, 4,
                        "totalsize %d is larger than the %d bytes a blob can have here", total,
                        MAX_BLOB);
            }
            byte[] rest = in.readNBytes((int) Math.max(0, total - head.length));
            byte[] blob = java.util.Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, blob, head.length, rest.length);
            return read(blob);
        }
    }

    private static final int MAX_BLOB = Integer.MAX_VALUE - 16;

    /** Reads a blob held in memory; bytes past the header's {@code totalsize} are ignored. */
    public static DeviceTree read(byte[] blob) throws FdtException {
        return new DtbReader.Parser(blob).parse();
    }

    private static final class Parser {
        private final byte[] b;
        private long limit;
        // chars of property names decoded so far: distinct name offsets pointing into one long
        // unterminated-looking string could otherwise cost time and memory quadratic in the blob
        private long nameBudget;

        Parser(byte[] blob) {
            this.b = blob;
            this.limit = blob.length;
            this.nameBudget = 4L * blob.length + (1 << 20);
        }

        /** The single bounds check every read goes through. */
        private void need(long off, long n, long end, String what) throws FdtException {
            if (off < 0 || n < 0 || off > end || n > end - off) {
                throw new FdtException(FdtError.TRUNCATED, off,
                        "%s at offset %d (%d bytes) runs past offset %d", what, off, n, end);
            }
        }

        private long u32(long off, long end, String what) throws FdtException {
            need(off, 4, end, what);
            int i = (int) off;
            return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8)
                    | (b[i + 3] & 0xffL);
        }

        private long u64(long off, long end, String what) throws FdtException {
            return (u32(off, end, what) << 32) | u32(off + 4, end, what);
        }

        DeviceTree parse() throws FdtException {
            if (b.length < 4) {
                throw new FdtException(FdtError.TRUNCATED, 0,
                        "blob of %d bytes is too short for a header", b.length);
            }
            long magic = u32(0, limit, "magic");
            if (magic != (FdtFormat.FDT_MAGIC & 0xffffffffL)) {
                throw new FdtException(FdtError.BADMAGIC, 0,
                        "expected 0xd00dfeed, found 0x%08x", magic);
            }
            long version = u32(20, limit, "header field version");
            long lastComp = u32(24, limit, "header field last_comp_version");
            if (version < 16 || (version > 17 && lastComp > 17)) {
                throw new FdtException(FdtError.BADVERSION, 20,
                        "version %d (last compatible %d); only versions 16 and 17 are read",
                        version, lastComp);
            }
            int headerSize = version >= 17 ? FdtFormat.HEADER_SIZE_V17 : FdtFormat.HEADER_SIZE_V16;
            need(0, headerSize, limit, "header");
            long total = u32(4, limit, "header field totalsize");
            if (total > b.length) {
                throw new FdtException(FdtError.TRUNCATED, 4,
                        "totalsize %d exceeds the %d bytes available", total, b.length);
            }
            if (total < headerSize) {
                throw new FdtException(FdtError.TRUNCATED, 4,
                        "totalsize %d is smaller than the %d-byte header", total, headerSize);
            }
            limit = total;
            long offStruct = u32(8, limit, "header");
            long offStrings = u32(12, limit, "header");
            long offRsv = u32(16, limit, "header");
            long bootCpuid = u32(28, limit, "header");
            long sizeStrings = u32(32, limit, "header");
            long sizeStruct = version >= 17 ? u32(36, limit, "header") : total - offStruct;
            checkBlock("memory reservation block", 16, offRsv, 0, headerSize, total);
            checkBlock("structure block", 8, offStruct, sizeStruct, headerSize, total);
            checkBlock("strings block", 12, offStrings, sizeStrings, headerSize, total);

            List<Reservation> reservations = readReservations(offRsv);
            Node root = readStructure(offStruct, offStruct + sizeStruct, offStrings,
                    offStrings + sizeStrings);
            return new DeviceTree(reservations, root, bootCpuid, false);
        }

        private void checkBlock(String what, int field, long off, long size, int headerSize,
                                long total) throws FdtException {
            if (off < headerSize || off > total) {
                throw new FdtException(FdtError.TRUNCATED, field,
                        "%s offset %d is outside the blob (header %d bytes, totalsize %d)",
                        what, off, headerSize, total);
            }
            if (size < 0 || size > total - off) {
                throw new FdtException(FdtError.TRUNCATED, field,
                        "%s at %d of size %d runs past totalsize %d", what, off, size, total);
            }
        }

        private List<Reservation> readReservations(long off) throws FdtException {
            List<Reservation> list = new ArrayList<>();
            for (long p = off; ; p += FdtFormat.RESERVE_ENTRY_SIZE) {
                need(p, FdtFormat.RESERVE_ENTRY_SIZE, limit, "memory reservation entry");
                long address = u64(p, limit, "memory reservation entry");
                long size = u64(p + 8, limit, "memory reservation entry");
                if (size == 0) {
                    return list;
                }
                list.add(Reservation.of(address, size));
            }
        }

        /** A node being read: its name and what has been read into it so far. */
        private static final class Open {
            final String name;
            final List<Property> props = new ArrayList<>();
            final List<Node> children = new ArrayList<>();

            Open(String name) {
                this.name = name;
            }
        }

        private Node readStructure(long start, long end, long strStart, long strEnd)
                throws FdtException {
            Map<Long, String> names = new HashMap<>();
            Deque<Open> stack = new ArrayDeque<>();
            Node root = null;
            long p = start;
            while (true) {
                long tokenOff = p;
                long token = u32(p, end, "structure token");
                p += 4;
                if (token == FdtFormat.FDT_NOP) {
                    continue;
                }
                if (root != null && token != FdtFormat.FDT_END) {
                    throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                            "expected FDT_END after the root node, found token 0x%08x", token);
                }
                if (token == FdtFormat.FDT_BEGIN_NODE) {
                    long nul = findNul(p, end, "node name");
                    stack.push(new Open(FdtNames.decode(b, (int) p, (int) (nul - p))));
                    p = align4(nul + 1, start);
                } else if (token == FdtFormat.FDT_PROP) {
                    if (stack.isEmpty()) {
                        throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                                "FDT_PROP outside any node");
                    }
                    long len = u32(p, end, "property length");
                    long nameOff = u32(p + 4, end, "property name offset");
                    p += 8;
                    need(p, len, end, "property value");
                    String name = names.get(nameOff);
                    if (name == null) {
                        name = propertyName(tokenOff, nameOff, strStart, strEnd);
                        names.put(nameOff, name);
                    }
                    byte[] v = java.util.Arrays.copyOfRange(b, (int) p, (int) (p + len));
                    stack.peek().props.add(Property.of(name,
                            v.length == 0 ? Value.EMPTY : Value.wrap(v, List.of())));
                    p = align4(p + len, start);
                } else if (token == FdtFormat.FDT_END_NODE) {
                    if (stack.isEmpty()) {
                        throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                                "FDT_END_NODE without a matching FDT_BEGIN_NODE");
                    }
                    Open o = stack.pop();
                    Node n = Node.of(o.name, o.props, o.children);
                    if (stack.isEmpty()) {
                        root = n;
                    } else {
                        stack.peek().children.add(n);
                    }
                } else if (token == FdtFormat.FDT_END) {
                    if (root == null) {
                        throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                                stack.isEmpty() ? "FDT_END before the root node"
                                        : "premature FDT_END inside a node (%d left open)",
                                stack.size());
                    }
                    return root;
                } else {
                    throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                            "invalid token 0x%08x", token);
                }
            }
        }

        private static long align4(long off, long base) {
            return base + ((off - base + 3) & ~3L);
        }

        private long findNul(long from, long end, String what) throws FdtException {
            for (long i = from; i < end; i++) {
                if (b[(int) i] == 0) {
                    return i;
                }
            }
            throw new FdtException(FdtError.TRUNCATED, from,
                    "%s at offset %d is not NUL-terminated before offset %d", what, from, end);
        }

        private String propertyName(long tokenOff, long nameOff, long strStart, long strEnd)
                throws FdtException {
            if (nameOff >= strEnd - strStart) {
                throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                        "property name offset %d overruns the strings block (size %d)",
                        nameOff, strEnd - strStart);
            }
            long s = strStart + nameOff;
            long cap = Math.min(strEnd, s + Math.max(0, nameBudget));
            if (cap < strEnd) {
                for (long i = s; i < cap; i++) {
                    if (b[(int) i] == 0) {
                        cap = strEnd;
                        break;
                    }
                }
                if (cap < strEnd) {
                    throw new FdtException(FdtError.BADSTRUCTURE, tokenOff,
                            "property names decoded so far exceed %d characters, more than a "
                            + "blob of %d bytes can sensibly hold", 4L * b.length + (1 << 20),
                            b.length);
                }
            }
            long nul = findNul(s, strEnd, "property name");
            nameBudget -= nul - s + 1;
            return FdtNames.decode(b, (int) s, (int) (nul - s));
        }
    }
}
