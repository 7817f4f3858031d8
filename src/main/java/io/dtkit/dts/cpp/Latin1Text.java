package io.dtkit.dts.cpp;

/**
 * Text held one character per byte (ISO-8859-1), such as a source in memory or mapped from its
 * file, that can search itself for a character faster than a call per character would.
 */
public interface Latin1Text extends CharSequence {
    /** The first index from {@code from} on where {@code c} is, or -1. */
    int indexOf(char c, int from);
}
