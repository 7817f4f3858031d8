package io.dtkit.fdt;

/**
 * The strings block as dtc lays it out (Devicetree Specification 5.5): a name reuses the offset
 * of the first place in the table where the same NUL-terminated string starts (so a suffix of
 * an earlier name is shared), otherwise it is appended. dtc finds that place with a scan of the
 * whole table; here every suffix of every appended string is indexed by a polynomial hash, so
 * each insertion costs time linear in the name's length.
 */
final class StringTable {
    private static final int P = 0x01000193;

    private final ByteSink data = new ByteSink(256);
    // open addressing: slot -> offset of a suffix in data (or -1); hash and length alongside
    private int[] slotOffset = new int[64];
    private int[] slotHash = new int[64];
    private int[] slotLen = new int[64];
    private int used;

    StringTable() {
        java.util.Arrays.fill(slotOffset, -1);
    }

    ByteSink data() {
        return data;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    /** The offset of {@code name} (no terminator) in the table, appending it when absent. */
    int insert(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = h * P + (b & 0xff);
        }
        int found = find(name, h);
        if (found >= 0) {
            return found;
        }
        int start = data.length();
        data.put(name);
        data.putByte(0);
        // index each suffix name[i..]: its hash is sum name[j]*P^(n-1-j) for j >= i
        int n = name.length;
        int suffixHash = 0;
        int pow = 1;
        addIfAbsent(start + n, 0, 0); // the empty string at the terminator
        for (int i = n - 1; i >= 0; i--) {
            suffixHash += (name[i] & 0xff) * pow;
            pow *= P;
            addIfAbsent(start + i, n - i, suffixHash);
        }
        return start;
    }

    private int find(byte[] name, int h) {
        int mask = slotOffset.length - 1;
        for (int s = mix(h) & mask; slotOffset[s] >= 0; s = (s + 1) & mask) {
            if (slotHash[s] == h && slotLen[s] == name.length && sameBytes(slotOffset[s], name)) {
                return slotOffset[s];
            }
        }
        return -1;
    }

    private boolean sameBytes(int off, byte[] name) {
        byte[] b = data.array();
        for (int i = 0; i < name.length; i++) {
            if (b[off + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void addIfAbsent(int off, int len, int h) {
        // an equal suffix already indexed comes from an earlier string, so it has the smaller
        // offset and stays (dtc's scan returns the first match)
        int mask = slotOffset.length - 1;
        byte[] b = data.array();
        for (int s = mix(h) & mask; slotOffset[s] >= 0; s = (s + 1) & mask) {
            if (slotHash[s] == h && slotLen[s] == len) {
                int o = slotOffset[s];
                boolean same = true;
                for (int i = 0; i < len && same; i++) {
                    same = b[o + i] == b[off + i];
                }
                if (same) {
                    return;
                }
            }
        }
        int s = mix(h) & mask;
        while (slotOffset[s] >= 0) {
            s = (s + 1) & mask;
        }
        slotOffset[s] = off;
        slotHash[s] = h;
        slotLen[s] = len;
        if (++used * 2 > slotOffset.length) {
            grow();
        }
    }

    private void grow() {
        int[] oo = slotOffset;
        int[] oh = slotHash;
        int[] ol = slotLen;
        int cap = oo.length * 2;
        slotOffset = new int[cap];
        slotHash = new int[cap];
        slotLen = new int[cap];
        java.util.Arrays.fill(slotOffset, -1);
        int mask = cap - 1;
        for (int i = 0; i < oo.length; i++) {
            if (oo[i] >= 0) {
                int s = mix(oh[i]) & mask;
                while (slotOffset[s] >= 0) {
                    s = (s + 1) & mask;
                }
                slotOffset[s] = oo[i];
                slotHash[s] = oh[i];
                slotLen[s] = ol[i];
            }
        }
    }
}
