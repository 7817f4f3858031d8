package io.dtkit.dts;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to compile device-tree source, mirroring dtc's options: {@code includeDirs} are the
 * {@code -i} search directories for {@code /include/} and {@code /incbin/} (tried after the
 * including file's own directory), {@code phandleFormat} is {@code -H}, {@code generateSymbols}
 * is {@code -@}, {@code bootCpuid} is {@code -b} ({@code null}: guess it from {@code /cpus} the
 * way dtc does), {@code autoLabelAliases} is {@code -A}, {@code force} is {@code -f} (a tree whose
 * checks failed is still returned, with the errors among its diagnostics).
 */
public record CompileOptions(List<Path> includeDirs, PhandleFormat phandleFormat,
                             boolean generateSymbols, Long bootCpuid, boolean autoLabelAliases,
                             boolean force) {
    public CompileOptions {
        includeDirs = List.copyOf(includeDirs);
        Objects.requireNonNull(phandleFormat, "phandleFormat");
    }

    /** dtc's defaults: no search dirs, {@code -H epapr}, no symbols, guessed boot CPU. */
    public static CompileOptions defaults() {
        return new CompileOptions(List.of(), PhandleFormat.EPAPR, false, null, false, false);
    }

    public CompileOptions withIncludeDirs(List<Path> dirs) {
        return new CompileOptions(dirs, phandleFormat, generateSymbols, bootCpuid, autoLabelAliases, force);
    }

    public CompileOptions withPhandleFormat(PhandleFormat format) {
        return new CompileOptions(includeDirs, format, generateSymbols, bootCpuid, autoLabelAliases, force);
    }

    public CompileOptions withSymbols(boolean symbols) {
        return new CompileOptions(includeDirs, phandleFormat, symbols, bootCpuid, autoLabelAliases, force);
    }

    public CompileOptions withBootCpuid(Long cpuid) {
        return new CompileOptions(includeDirs, phandleFormat, generateSymbols, cpuid, autoLabelAliases, force);
    }

    public CompileOptions withAutoLabelAliases(boolean aliases) {
        return new CompileOptions(includeDirs, phandleFormat, generateSymbols, bootCpuid, aliases, force);
    }

    public CompileOptions withForce(boolean forced) {
        return new CompileOptions(includeDirs, phandleFormat, generateSymbols, bootCpuid, autoLabelAliases, forced);
    }
}
