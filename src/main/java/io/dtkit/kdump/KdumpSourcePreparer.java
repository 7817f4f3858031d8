package io.dtkit.kdump;

import io.dtkit.dts.edit.DtsEditException;
import io.dtkit.dts.edit.DtsSourceEditor;
import io.dtkit.dts.edit.DtsValueText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dump-kernel preparation of {@link KdumpPreparer} applied to a DTS source instead of a
 * blob: the same properties get the same values (bootargs, kaslr-seed, linux,elfcorehdr,
 * linux,usable-memory-range high first, initrd), the same refusals apply, and every other byte
 * of the source file stays as it was. Definitions that live only in included files are
 * overridden with {@code &label { ... };} blocks appended to the file.
 */
public final class KdumpSourcePreparer {
    private static final Pattern BITS64 = Pattern.compile("/bits/\\s*64\\s*<\\s*(0[xX][0-9a-fA-F]+|\\d+)\\s*>");
    private static final Pattern TWO_CELLS = Pattern.compile("<\\s*(0[xX][0-9a-fA-F]+|\\d+)\\s+(0[xX][0-9a-fA-F]+|\\d+)\\s*>");

    private KdumpSourcePreparer() {
    }

    /** The edited source and the warnings found on the way. */
    public record Result(byte[] source, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Applies {@code req} to the source held by {@code ed} (which is changed). */
    public static Result prepare(DtsSourceEditor ed, KdumpPreparer.Request req) throws KdumpException {
        List<String> warnings = new ArrayList<>();
        if (req.regions().isEmpty()) {
            throw new KdumpException(Refusal.NO_REGIONS, "no \"Crash kernel\" region was found or given");
        }
        ed.allowOverrideBlock(true);
        try {
            String cmdline = commandLine(ed, req);
            TreeMemory.Cells cells = new TreeMemory.Cells(cell(ed, "#address-cells"), cell(ed, "#size-cells"));
            KdumpPreparer.check(cells, "linux,elfcorehdr", req.elfcorehdr());
            for (MemRange r : req.regions()) {
                KdumpPreparer.check(cells, "usable memory range", r);
            }
            if (req.regions().size() > 2) {
                throw new KdumpException(Refusal.MORE_THAN_TWO,
                        "%d crash regions; a dump kernel reads at most two usable-memory ranges", req.regions().size());
            }
            KdumpPreparer.validate(req, warnings);
            String chosen = "/" + KdumpPreparer.CHOSEN;
            if (cmdline != null && !cmdline.isEmpty()) {
                if (!ed.hasNode(chosen)) {
                    ed.addNode("/", KdumpPreparer.CHOSEN);
                }
                ed.setProperty(chosen, KdumpPreparer.BOOTARGS, DtsValueText.string(cmdline));
            }
            if (!ed.hasNode(chosen)) {
                throw new KdumpException(Refusal.NO_CHOSEN,
                        "the source has no /chosen node and no command line was given to create it (give --bootargs or --append)");
            }
            Optional<String> seed = ed.findProperty(chosen, KdumpPreparer.KASLR_SEED);
            if (seed.isPresent()) {
                Long old = eightBytes(seed.get());
                if (old == null) {
                    warnings.add("/chosen/kaslr-seed is not a plain 8-byte value (" + seed.get() + "); left as it is");
                } else {
                    if (old != 0 && !req.forceKaslr()) {
                        throw new KdumpException(Refusal.KASLR_SEED,
                                "/chosen/kaslr-seed is 0x%016x, not 0: the primary kernel did not wipe it"
                                        + " (use --force-kaslr to overwrite it)", old);
                    }
                    ed.setProperty(chosen, KdumpPreparer.KASLR_SEED, DtsValueText.bits64(req.seed().getAsLong()));
                }
            }
            ed.setProperty(chosen, Explain.ELFCOREHDR, ranges(cells, List.of(req.elfcorehdr())));
            List<MemRange> reversed = new ArrayList<>(req.regions());
            Collections.reverse(reversed);
            ed.setProperty(chosen, Explain.USABLE, ranges(cells, reversed));
            if (req.initrd() != null) {
                ed.setProperty(chosen, KdumpPreparer.INITRD_START, DtsValueText.bits64(req.initrd()[0]));
                ed.setProperty(chosen, KdumpPreparer.INITRD_END, DtsValueText.bits64(req.initrd()[1]));
            }
            return new Result(ed.content(), warnings);
        } catch (DtsEditException e) {
            throw new KdumpException(Refusal.SYNTAX, e, "%s", e.getMessage());
        }
    }

    private static String commandLine(DtsSourceEditor ed, KdumpPreparer.Request req) throws DtsEditException, KdumpException {
        if (req.append() == null || req.append().isEmpty()) {
            return req.bootargs();
        }
        String base = req.bootargs();
        if (base == null || base.isEmpty()) {
            String path = "/" + KdumpPreparer.CHOSEN;
            if (ed.hasNode(path) && ed.findProperty(path, KdumpPreparer.BOOTARGS).isPresent()) {
                Optional<String> s = ed.findString(path, KdumpPreparer.BOOTARGS);
                if (s.isEmpty()) {
                    throw new KdumpException(Refusal.SYNTAX, "/chosen/bootargs is %s, not one plain string: cannot append to it",
                            ed.getProperty(path, KdumpPreparer.BOOTARGS));
                }
                base = s.get();
                int nul = base.indexOf('\0');
                base = nul >= 0 ? base.substring(0, nul) : base;
            }
        }
        return base == null || base.isEmpty() ? req.append() : base + " " + req.append();
    }

    /** The root's cell count as the blob path reads it: 1 when absent, else 1 or 2. */
    private static int cell(DtsSourceEditor ed, String name) throws DtsEditException, KdumpException {
        if (ed.findProperty("/", name).isEmpty()) {
            return 1;
        }
        OptionalLong v = ed.findCell("/", name);
        if (v.isEmpty()) {
            throw new KdumpException(Refusal.BAD_CELLS, "/:%s = %s is not a single literal cell", name,
                    ed.getProperty("/", name));
        }
        if (v.getAsLong() != 1 && v.getAsLong() != 2) {
            throw new KdumpException(Refusal.BAD_CELLS, "/:%s = <%d>: only 1 or 2 cells can hold an address or size",
                    name, v.getAsLong());
        }
        return (int) v.getAsLong();
    }

    private static String ranges(TreeMemory.Cells cells, List<MemRange> rs) {
        long[] pairs = new long[rs.size() * 2];
        for (int i = 0; i < rs.size(); i++) {
            pairs[2 * i] = rs.get(i).base();
            pairs[2 * i + 1] = rs.get(i).size();
        }
        return DtsValueText.addressSize(cells.address(), cells.size(), pairs);
    }

    /** A value written as {@code /bits/ 64 <x>} or {@code <hi lo>}; null for anything else. */
    private static Long eightBytes(String text) {
        String t = text.trim();
        Matcher m = BITS64.matcher(t);
        if (m.matches()) {
            return Long.parseUnsignedLong(strip(m.group(1)), radix(m.group(1)));
        }
        m = TWO_CELLS.matcher(t);
        if (m.matches()) {
            long hi = Long.parseLong(strip(m.group(1)), radix(m.group(1)));
            long lo = Long.parseLong(strip(m.group(2)), radix(m.group(2)));
            if (hi >>> 32 == 0 && lo >>> 32 == 0) {
                return (hi << 32) | lo;
            }
        }
        return null;
    }

    private static String strip(String n) {
        return n.startsWith("0x") || n.startsWith("0X") ? n.substring(2) : n;
    }

    private static int radix(String n) {
        return n.startsWith("0x") || n.startsWith("0X") ? 16 : 10;
    }
}
