package io.dtkit.dts.edit;

/**
 * One change made to the edited file: {@code removed} bytes at {@code offset} replaced by
 * {@code inserted} (offsets into the file as it was before this change; ISO-8859-1 text, one
 * char per byte).
 */
public record TextEdit(int offset, String removed, String inserted) {
}
