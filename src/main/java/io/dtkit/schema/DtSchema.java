package io.dtkit.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One loaded, fixed-up dt-schema binding (issue 5 item 3): its {@code $id}, the file it came
 * from (what {@code --limit} matches), and the JSON tree with its {@code select}.
 */
public record DtSchema(String id, String filename, ObjectNode json) {
    /** The short name used in diagnostics: the file name without folders. */
    public String shortName() {
        int slash = filename.lastIndexOf('/');
        return slash < 0 ? filename : filename.substring(slash + 1);
    }
}
