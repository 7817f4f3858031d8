package io.dtkit.validate;

import io.dtkit.model.DeviceTree;
import io.dtkit.testsupport.ReferenceTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: DTS fixtures compiled by dtc, blobs read into model trees. */
final class Blobs {
    private Blobs() {
    }

    static byte[] compile(Path dts) throws IOException {
        ReferenceTool.Result r = ReferenceTool.run(null, null, "dtc", "-q", "-I", "dts", "-O", "dtb", dts.toString());
        if (r.exit() != 0) {
            throw new IOException("dtc failed on " + dts + ": " + r.stderr());
        }
        return r.stdout();
    }

    static DeviceTree read(byte[] blob) throws IOException {
        return io.dtkit.fdt.DtbReader.read(blob);
    }

    static DeviceTree read(Path dtb) throws IOException {
        return read(Files.readAllBytes(dtb));
    }

    static Path fixtures() {
        return Path.of("fixtures/validate").toAbsolutePath();
    }
}
