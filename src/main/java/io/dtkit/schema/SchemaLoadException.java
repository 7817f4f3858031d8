package io.dtkit.schema;

import java.io.IOException;

/** A dt-schema folder or file that cannot be used (issue 5 item 5: exit code 2). */
public class SchemaLoadException extends IOException {
    private static final long serialVersionUID = 1L;

    public SchemaLoadException(String message) {
        super(message);
    }

    public SchemaLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
