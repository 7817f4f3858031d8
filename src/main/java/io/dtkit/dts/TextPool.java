package io.dtkit.dts;

/**
 * One string for each distinct text the compiler keeps from many tokens (property names and
 * references): a token's text is looked up by its bytes in the source, so a name seen before
 * costs no new string. Property names are most of the names in a source and repeat on every
 * node.
 */
final class TextPool {
    /** Open addressing on {@link String#hashCode}; the length is a power of two. */
    private String[] slots = new String[1 << 10];
    private int count;

    /**
     * The text of {@code t} without its first {@code skipStart} and last {@code skipEnd}
     * characters, the same string for the same text.
     */
    String of(PosToken t, int skipStart, int skipEnd) {
        ByteSource src = t.unreadSource();
        if (src == null) {
            return of(t.text(skipStart, skipEnd));
        }
        int start = t.getStartIndex() + skipStart;
        int stop = t.getStopIndex() - skipEnd;
        int h = src.textHash(start, stop);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String s = slots[i];
            if (s == null) {
                return add(i, src.text(start, stop));
            }
            if (s.hashCode() == h && src.textEquals(start, stop, s)) {
                return s;
            }
        }
    }

    /** {@code s}, or the equal string already in the pool. */
    String of(String s) {
        int h = s.hashCode();
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String old = slots[i];
            if (old == null) {
                return add(i, s);
            }
            if (old.hashCode() == h && old.equals(s)) {
                return old;
            }
        }
    }

    private String add(int slot, String s) {
        slots[slot] = s;
        if (++count * 2 > slots.length) {
            String[] old = slots;
            slots = new String[old.length * 2];
            int mask = slots.length - 1;
            for (String o : old) {
                if (o != null) {
                    int i = o.hashCode() & mask;
                    while (slots[i] != null) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = o;
                }
            }
        }
        return s;
    }

    /** Forgets every string. */
    void clear() {
        slots = new String[1 << 10];
        count = 0;
    }
}
