package io.dtkit.cli;

import io.dtkit.model.DeviceTree;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a command-line input into a device tree (issue 5 item 5): a blob through the codec's
 * {@code io.dtkit.fdt.DtbReader}. The reader is looked up at run time so that this command
 * builds before the codec does; a build without it answers with a clear error.
 */
final class TreeInputs {
    private static final int FDT_MAGIC = 0xd00dfeed;

    private TreeInputs() {
    }

    static DeviceTree read(Path f) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new IOException("cannot read: " + e.getMessage(), e);
        }
        if (bytes.length >= 4 && java.nio.ByteBuffer.wrap(bytes).getInt(0) == FDT_MAGIC) {
            return call("io.dtkit.fdt.DtbReader", "read", bytes);
        }
        throw new IOException("not a DTB (no FDT magic); DTS input is not supported yet");
    }

    private static DeviceTree call(String cls, String method, byte[] arg) throws IOException {
        Method m;
        try {
            m = Class.forName(cls).getMethod(method, byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new IOException("this build has no blob reader (" + cls + ")");
        }
        try {
            return (DeviceTree) m.invoke(null, (Object) arg);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw new IOException("not a valid DTB: " + io.getMessage(), io);
            }
            throw new IOException("not a valid DTB: " + c, c);
        } catch (IllegalAccessException e) {
            throw new IOException("blob reader not accessible: " + e.getMessage(), e);
        }
    }
}
