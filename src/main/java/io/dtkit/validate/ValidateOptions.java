package io.dtkit.validate;

/**
 * How to validate (issue 5 items 3-4): the {@code --limit} text picking schema files (null for
 * all), the DMA limit for the low crash-kernel region (unsigned), and the check levels.
 */
public record ValidateOptions(String limit, long dmaLimit, CheckLevels levels) {
    public static ValidateOptions defaults() {
        return new ValidateOptions(null, ChosenChecks.DEFAULT_DMA_LIMIT, CheckLevels.defaults());
    }

    public ValidateOptions withLimit(String newLimit) {
        return new ValidateOptions(newLimit, dmaLimit, levels);
    }
}
