package io.dtkit.cli;

import io.dtkit.fdt.DtbReader;
import io.dtkit.fdt.DtbWriter;
import io.dtkit.fdt.FdtException;
import io.dtkit.fdt.FdtFormat;
import io.dtkit.fdt.FsReader;
import io.dtkit.kdump.KdumpException;
import io.dtkit.kdump.Refusal;
import io.dtkit.model.DeviceTree;
import io.dtkit.source.IoReasons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads device trees for the kdump commands: blobs into the model, a /proc/device-tree folder into a blob. */
final class Trees {
    private Trees() {
    }

    static final Path SYS_FDT = Path.of("/sys/firmware/fdt");
    static final Path PROC_DT = Path.of("/proc/device-tree");

    static String readText(Path file) throws KdumpException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KdumpException(Refusal.SYNTAX, e, "cannot read %s: %s", file, IoReasons.of(e));
        }
    }

    /** Reads the input DTB: the given file, or /sys/firmware/fdt, or the /proc/device-tree folder. */
    static byte[] readInput(Path dtb) throws KdumpException {
        if (dtb != null && Files.isDirectory(dtb)) {
            return fromFolder(dtb);
        }
        if (dtb != null) {
            byte[] b = readBytes(dtb);
            if (!isBlob(b)) {
                if (dtb.toString().endsWith(".dts") || new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1)
                        .contains("/dts-v1/")) {
                    throw new KdumpException(Refusal.BLOB,
                            "%s is device-tree source; editing DTS in place needs the DTS source editor, which this build lacks"
                                    + " (compile it with dtc and give the DTB)", dtb);
                }
                throw new KdumpException(Refusal.BLOB, "%s is not a flattened device tree (no 0xd00dfeed magic)", dtb);
            }
            return b;
        }
        return readDefault(SYS_FDT, PROC_DT);
    }

    /** The blob at {@code sysFdt} when readable, else one built from the {@code procDt} folder. */
    static byte[] readDefault(Path sysFdt, Path procDt) throws KdumpException {
        if (Files.isReadable(sysFdt)) {
            return readBytes(sysFdt);
        }
        if (Files.isDirectory(procDt)) {
            return fromFolder(procDt);
        }
        throw new KdumpException(Refusal.BLOB, "neither %s nor %s is readable; give --dtb FILE", sysFdt, procDt);
    }

    private static byte[] readBytes(Path p) throws KdumpException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new KdumpException(Refusal.BLOB, e, "cannot read %s: %s", p, IoReasons.of(e));
        }
    }

    static boolean isBlob(byte[] b) {
        return b.length >= 4 && ((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff))
                == FdtFormat.FDT_MAGIC;
    }

    static DeviceTree read(byte[] dtb) throws KdumpException {
        try {
            return DtbReader.read(dtb);
        } catch (FdtException e) {
            throw new KdumpException(Refusal.BLOB, e, "%s", e.getMessage());
        }
    }

    /** A blob of the tree under {@code folder} (as /proc/device-tree lays it out), like kexec-tools' fallback. */
    static byte[] fromFolder(Path folder) throws KdumpException {
        try {
            return DtbWriter.write(FsReader.read(folder));
        } catch (IOException e) {
            throw new KdumpException(Refusal.BLOB, e, "cannot read %s: %s", folder, e.getMessage());
        }
    }
}
