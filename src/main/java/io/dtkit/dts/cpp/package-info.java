/**
 * A C preprocessor for device-tree sources (C11 6.10 as GCC's
 * {@code cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp} applies it), producing text with
 * cpp's line markers for the DTS compiler. Entry point: {@link io.dtkit.dts.cpp.Preprocessor}.
 */
package io.dtkit.dts.cpp;
