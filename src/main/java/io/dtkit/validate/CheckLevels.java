package io.dtkit.validate;

import io.dtkit.source.Severity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which named checks run and how loud they are, switched like dtc's {@code -W} / {@code -E}
 * (issue 5 item 4): each check has a warning flag and an error flag; the error flag wins, a
 * check with neither flag does not report.
 */
public final class CheckLevels {
    private record Flags(boolean warn, boolean error) {
    }

    private final Map<String, Flags> flags;

    private CheckLevels(Map<String, Flags> flags) {
        this.flags = flags;
    }

    /** Every check at its default level. */
    public static CheckLevels defaults() {
        Map<String, Flags> m = new LinkedHashMap<>();
        for (String c : ChosenChecks.DTC_CHECKS) {
            m.put(c, new Flags(true, false));
        }
        for (String c : ChosenChecks.OWN_CHECKS) {
            m.put(c, new Flags(false, true));
        }
        m.put(io.dtkit.schema.TypeDecoder.CHECK_SIZE, new Flags(false, true));
        m.put(io.dtkit.schema.TypeDecoder.CHECK_FLAG, new Flags(false, true));
        return new CheckLevels(m);
    }

    /** The names that {@code -W}/{@code -E} accept. */
    public Set<String> names() {
        return flags.keySet();
    }

    /**
     * Applies one switch: {@code name} or {@code no-name}, as a warning ({@code error=false},
     * dtc's {@code -W}) or as an error ({@code -E}).
     *
     * @throws IllegalArgumentException for an unknown check name
     */
    public CheckLevels with(String spec, boolean error) {
        boolean enable = !spec.startsWith("no-");
        String name = enable ? spec : spec.substring(3);
        Flags f = flags.get(name);
        if (f == null) {
            throw new IllegalArgumentException("Unknown check name \"" + name + "\"");
        }
        Map<String, Flags> m = new HashMap<>(flags);
        m.put(name, error ? new Flags(f.warn(), enable) : new Flags(enable, f.error()));
        return new CheckLevels(new LinkedHashMap<>(m));
    }

    /** The severity {@code check} reports at, or {@code null} when it is switched off. */
    public Severity severity(String check, Severity dflt) {
        Flags f = check == null ? null : flags.get(check);
        if (f == null) {
            return dflt;
        }
        if (f.error()) {
            return Severity.ERROR;
        }
        return f.warn() ? Severity.WARNING : null;
    }
}
