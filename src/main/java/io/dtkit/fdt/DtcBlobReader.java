package io.dtkit.fdt;

import io.dtkit.model.DeviceTree;
import io.dtkit.model.Node;
import io.dtkit.model.Property;
import io.dtkit.model.Reservation;
import io.dtkit.model.Value;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a blob the way {@code dtc -I dtb} does, which is not libfdt's way (see
 * {@link DtbReader} for that): every version is read (before 16 with full-path node names and
 * 8-byte aligned values of 8 bytes or more), the header's offsets may point anywhere inside
 * {@code totalsize} (even into the header), the structure and reservation blocks run to the end
 * of the blob whatever size the header gives them (the declared structure size is only checked
 * to fit), and the first token must be the root's FDT_BEGIN_NODE and the one after the root
 * FDT_END, with no NOP in between. Failures carry dtc's own text ({@link FdtException#detail()})
 * where dtc stops with one; where dtc crashes (a property length of 2 GiB or more) this reader
 * fails as on a value that runs past the data. Nesting is followed with an explicit stack.
 */
public final class DtcBlobReader {
    private DtcBlobReader() {
    }

    private static final int V1_HEADER = 28;
    /** The largest array the JVM makes. */
    private static final int MAX_BLOB = Integer.MAX_VALUE - 16;

    /**
     * Reads a blob from the start of {@code in} as dtc does: the magic number, the size, then
     * exactly the rest of the {@code totalsize} bytes; what follows is not read. A failing read
     * is reported in dtc's words with the system's reason (a folder: "Is a directory"). The
     * warnings dtc prints while reading (each a whole line) go to {@code warnings} as they are
     * met, before a failure that may follow.
     */
    public static DeviceTree read(InputStream in, Consumer<String> warnings) throws IOException {
        byte[] head = readOrFail(in, 4, "Error reading DT blob magic number: ");
        if (head.length < 4) {
            throw fail(FdtError.TRUNCATED, 0, "EOF reading DT blob magic number");
        }
        if (be32(head, 0) != (FdtFormat.FDT_MAGIC & 0xffffffffL)) {
            throw fail(FdtError.BADMAGIC, 0, "Blob has incorrect magic number");
        }
        byte[] size = readOrFail(in, 4, "Error reading DT blob size: ");
        if (size.length < 4) {
            throw fail(FdtError.TRUNCATED, 4, "EOF reading DT blob size");
        }
        long total = be32(size, 0);
        if (total < V1_HEADER) {
            throw fail(FdtError.TRUNCATED, 4, "DT blob size (" + (int) total + ") is too small");
        }
        if ((int) (total - 8) < 0) {
            // dtc's count of bytes left to read turns negative, and its read fails
            throw fail(FdtError.TRUNCATED, 4, "Error reading DT blob: Bad address");
        }
        byte[] rest = readOrFail(in, (int) Math.min(total - 8, MAX_BLOB - 8), "Error reading DT blob: ");
        if (rest.length < total - 8) {
            if (rest.length < MAX_BLOB - 8) {
                throw fail(FdtError.TRUNCATED, 4, "EOF before reading " + (int) total + " bytes of DT blob");
            }
            throw fail(FdtError.NOSPACE, 4, "DT blob size (" + total + ") is larger than a blob can be here ("
                    + MAX_BLOB + " bytes)");
        }
        // header fields a blob shorter than the header does not hold read as zero
        byte[] b = new byte[(int) Math.max(total, FdtFormat.HEADER_SIZE_V17)];
        System.arraycopy(head, 0, b, 0, 4);
        System.arraycopy(size, 0, b, 4, 4);
        System.arraycopy(rest, 0, b, 8, rest.length);
        return new Reading(b, total, warnings).read();
    }

    private static byte[] readOrFail(InputStream in, int n, String what) throws FdtException {
        try {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw fail(FdtError.TRUNCATED, -1, what + IoReasons.of(e));
        }
    }

    private static long be32(byte[] b, long off) {
        int i = (int) off;
        return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL);
    }

    private static FdtException fail(FdtError code, long offset, String dtcText) {
        return new FdtException(code, offset, "%s", dtcText);
    }

    private static FdtException prematureEnd(long offset) {
        return fail(FdtError.TRUNCATED, offset, "Premature end of data parsing flat device tree");
    }

    private static final class Reading {
        private final byte[] b;
        private final long total;
        private final Consumer<String> warnings;
        /* the structure block as dtc reads it: from its offset to the end of the blob */
        private long base;
        private long pos;
        private boolean fullPaths;
        private boolean varAlign;
        private boolean nopsAllowed;
        private final Map<Long, String> names = new HashMap<>();

        Reading(byte[] b, long total, Consumer<String> warnings) {
            this.b = b;
            this.total = total;
            this.warnings = warnings;
        }

        DeviceTree read() throws FdtException {
            long offStruct = be32(b, 8);
            long offStrings = be32(b, 12);
            long offRsv = be32(b, 16);
            long version = be32(b, 20);
            long bootCpuid = be32(b, 28);
            if (offRsv >= total) {
                throw fail(FdtError.TRUNCATED, 16, "Mem Reserve structure offset exceeds total size");
            }
            if (offStruct >= total) {
                throw fail(FdtError.TRUNCATED, 8, "DT structure offset exceeds total size");
            }
            if (offStrings > total) {
                throw fail(FdtError.TRUNCATED, 12, "String table offset exceeds total size");
            }
            long strEnd = total;
            if (version >= 3) {
                long sizeStrings = be32(b, 32);
                if (offStrings + sizeStrings > total) {
                    throw fail(FdtError.TRUNCATED, 32, "String table extends past total size");
                }
                strEnd = offStrings + sizeStrings;
            }
            if (version >= 17 && offStruct + be32(b, 36) > total) {
                throw fail(FdtError.TRUNCATED, 36, "Structure block extends past total size");
            }
            fullPaths = version < 16;
            varAlign = version < 16;
            nopsAllowed = version >= 16;

            List<Reservation> reservations = reservations(offRsv);
            base = offStruct;
            pos = offStruct;
            long first = word();
            if (first != FdtFormat.FDT_BEGIN_NODE) {
                throw fail(FdtError.BADSTRUCTURE, offStruct, String.format(
                        "Device tree blob doesn't begin with FDT_BEGIN_NODE (begins with 0x%08x)", first));
            }
            Node root = nodes(offStrings, strEnd);
            if (word() != FdtFormat.FDT_END) {
                throw fail(FdtError.BADSTRUCTURE, pos - 4, "Device tree blob doesn't end with FDT_END");
            }
            return new DeviceTree(reservations, root, bootCpuid, false);
        }

        /** Entries to the first of size zero, read up to the end of the blob. */
        private List<Reservation> reservations(long off) throws FdtException {
            List<Reservation> list = new ArrayList<>();
            for (long p = off; ; p += FdtFormat.RESERVE_ENTRY_SIZE) {
                if (p + FdtFormat.RESERVE_ENTRY_SIZE > total) {
                    throw prematureEnd(p);
                }
                long address = be32(b, p) << 32 | be32(b, p + 4);
                long size = be32(b, p + 8) << 32 | be32(b, p + 12);
                if (size == 0) {
                    return list;
                }
                list.add(Reservation.of(address, size));
            }
        }

        private long word() throws FdtException {
            if (pos + 4 > total) {
                throw prematureEnd(pos);
            }
            long v = be32(b, pos);
            pos += 4;
            return v;
        }

        private void align(int to) throws FdtException {
            long off = pos - base;
            pos = base + ((off + to - 1) & -to);
            if (pos > total) {
                throw prematureEnd(pos);
            }
        }

        /** The NUL-terminated string at the read position, then aligned to 4. */
        private String string() throws FdtException {
            long start = pos;
            long p = start;
            while (true) {
                if (p >= total) {
                    throw prematureEnd(p);
                }
                if (b[(int) p++] == 0) {
                    break;
                }
            }
            pos = p;
            String s = FdtNames.decode(b, (int) start, (int) (p - start - 1));
            align(4);
            return s;
        }

        private String propertyName(long nameOff, long strStart, long strEnd, long at) throws FdtException {
            String name = names.get(nameOff);
            if (name != null) {
                return name;
            }
            long s = strStart + (int) nameOff; // dtc adds the offset as a signed int
            for (long p = s; ; p++) {
                if (p >= strEnd || p < strStart) {
                    throw fail(FdtError.BADSTRUCTURE, at, "String offset " + (int) nameOff + " overruns string table");
                }
                if (b[(int) p] == 0) {
                    name = FdtNames.decode(b, (int) s, (int) (p - s));
                    break;
                }
            }
            names.put(nameOff, name);
            return name;
        }

        /** A node being read: its name as read (a full path before version 16) and its contents. */
        private static final class Open {
            final String flatName;
            final String name;
            final List<Property> props = new ArrayList<>();
            final List<Node> children = new ArrayList<>();

            Open(String flatName, String name) {
                this.flatName = flatName;
                this.name = name;
            }
        }

        /** The root node and everything below it, up to and including the root's FDT_END_NODE. */
        private Node nodes(long strStart, long strEnd) throws FdtException {
            Deque<Open> stack = new ArrayDeque<>();
            stack.push(open(""));
            while (true) {
                long at = pos;
                long token = word();
                Open o = stack.peek();
                if (token == FdtFormat.FDT_PROP) {
                    if (!o.children.isEmpty()) {
                        warnings.accept("Warning: Flat tree input has subnodes preceding a property.");
                    }
                    long len = word();
                    long nameOff = word();
                    String name = propertyName(nameOff, strStart, strEnd, at);
                    if (varAlign && len >= 8) {
                        align(8);
                    }
                    o.props.add(Property.of(name, data(len)));
                } else if (token == FdtFormat.FDT_BEGIN_NODE) {
                    stack.push(open(o.flatName));
                } else if (token == FdtFormat.FDT_END_NODE) {
                    stack.pop();
                    Node n = Node.of(o.name, o.props, o.children);
                    if (stack.isEmpty()) {
                        return n;
                    }
                    stack.peek().children.add(n);
                } else if (token == FdtFormat.FDT_END) {
                    throw fail(FdtError.BADSTRUCTURE, at, "Premature FDT_END in device tree blob");
                } else if (token == FdtFormat.FDT_NOP) {
                    if (!nopsAllowed) {
                        warnings.accept("Warning: NOP tag found in flat tree version <16");
                    }
                } else {
                    throw fail(FdtError.BADSTRUCTURE, at,
                            String.format("Invalid opcode word %08x in device tree blob", token));
                }
            }
        }

        private Open open(String parentFlatName) throws FdtException {
            String flat = string();
            if (!fullPaths) {
                return new Open(flat, flat);
            }
            if (!flat.startsWith(parentFlatName)) {
                throw fail(FdtError.BADSTRUCTURE, pos,
                        "Path \"" + flat + "\" is not valid as a child of \"" + parentFlatName + "\"");
            }
            // the root's path is "/", every other one is its parent's plus "/" plus the name
            int skip = parentFlatName.length() + (parentFlatName.equals("/") ? 0 : 1);
            return new Open(flat, skip > flat.length() ? "" : flat.substring(skip));
        }

        private Value data(long len) throws FdtException {
            if (len == 0) {
                return Value.EMPTY;
            }
            if (len > Integer.MAX_VALUE || pos + len > total) {
                throw prematureEnd(pos);
            }
            byte[] v = Arrays.copyOfRange(b, (int) pos, (int) (pos + len));
            pos += len;
            align(4);
            return Value.wrap(v, List.of());
        }
    }
}
