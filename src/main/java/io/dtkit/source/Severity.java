package io.dtkit.source;

/** How bad a diagnostic is; the words are the ones dtc prints. */
public enum Severity {
    WARNING("Warning"),
    ERROR("ERROR");

    private final String dtcWord;

    Severity(String dtcWord) {
        this.dtcWord = dtcWord;
    }

    /** The word dtc prints for this severity, e.g. {@code Warning} or {@code ERROR}. */
    public String dtcWord() {
        return dtcWord;
    }
}
