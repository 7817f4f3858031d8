package io.dtkit.dts.edit;

/**
 * Why a DTS source edit was refused. A closed set: every {@link DtsEditException} carries one.
 */
public enum DtsEditError {
    /** The node, property, label or alias named by the edit does not exist in the merged tree. */
    NOT_FOUND,
    /**
     * The definition to change lives only in an included file; edit that file instead, or
     * allow an override block in the edited one.
     */
    IN_INCLUDED_FILE,
    /** The address names more than one node (e.g. a label defined on two different nodes). */
    AMBIGUOUS,
    /** The source could not be split into statements (unbalanced braces, unterminated value...). */
    PARSE,
    /** The node to delete is still referenced ({@code <&label>}) elsewhere; dtc would fail. */
    IN_USE,
    /** The node to add already exists. */
    EXISTS,
    /** A name or value given to the editor is not valid DTS text. */
    BAD_ARGUMENT,
    /** A file could not be read. */
    IO
}
