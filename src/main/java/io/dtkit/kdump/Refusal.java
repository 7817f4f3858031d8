package io.dtkit.kdump;

/**
 * The closed set of reasons {@code dtkit kdump} and the crash-kernel planner refuse to go on
 * (issue 4, "Dump-kernel DTB preparation"). {@link #word()} is the short reason printed first
 * in every message, so scripts and tests can match it.
 */
public enum Refusal {
    /** A base or size does not fit the root's {@code #address-cells}/{@code #size-cells}. */
    CELLS("cells"),
    /** More than two crash regions: a dump kernel reads at most two usable ranges. */
    MORE_THAN_TWO("more than two"),
    /** The input still holds a non-zero 8-byte kaslr-seed: the primary kernel did not wipe it. */
    KASLR_SEED("kaslr-seed"),
    /** A crash region or the elfcorehdr has size zero. */
    ZERO_SIZE("zero size"),
    /** Two crash regions overlap. */
    OVERLAP("overlap"),
    /** There is no /chosen node to write into and nothing asked to create it. */
    NO_CHOSEN("chosen"),
    /** No crash region was found or given. */
    NO_REGIONS("no crash regions"),
    /** The root cells are not 1 or 2 cells wide, or are malformed. */
    BAD_CELLS("bad cells"),
    /** An iomem listing, crashkernel= value or command-line value cannot be read. */
    SYNTAX("syntax"),
    /** The input blob cannot be read or edited. */
    BLOB("blob"),
    /** The crash kernel cannot be placed in the memory map. */
    NO_ROOM("no room");

    private final String word;

    Refusal(String word) {
        this.word = word;
    }

    /** The reason word, e.g. {@code cells} or {@code more than two}. */
    public String word() {
        return word;
    }
}
