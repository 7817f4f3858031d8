package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.Blobs;
import io.dtkit.testsupport.ReferenceTool;
import io.dtkit.testsupport.Sources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * get, put, dump and overlay read their command lines as fdtget, fdtput, fdtdump and fdtoverlay
 * do (getopt_long): clusters, shortened and ambiguous long options, options after operands,
 * "--", -h, -V and mistakes. Each line runs under the reference tool and under dtkit on the same
 * files; standard output, standard error, exit status and the file left behind must agree.
 */
class ToolCommandLinesTest {
    @TempDir
    Path tmp;

    private Path dtb;
    private byte[] blob;

    @BeforeEach
    void compile() throws IOException {
        ReferenceTool.require("dtc");
        Files.writeString(tmp.resolve("board.dts"), Sources.BOARD);
        ReferenceTool.Result r = ReferenceTool.run(tmp, null, "dtc", "-q", "-O", "dtb", "-o", "board.dtb", "board.dts");
        assertEquals(0, r.exit(), r.stderr());
        dtb = tmp.resolve("board.dtb");
        blob = Files.readAllBytes(dtb);
    }

    /** Runs the line under the tool (named by the line's first word) and under dtkit, from the same blob. */
    private void same(String... line) throws IOException {
        String tool = line[0];
        ReferenceTool.require(tool);
        Files.write(dtb, blob);
        ReferenceTool.Result ref = ReferenceTool.run(tmp, null, line);
        byte[] refFile = Files.readAllBytes(dtb);
        Files.write(dtb, blob);
        List<String> args = new ArrayList<>();
        args.add(tool.substring(3)); // fdtget -> get
        args.addAll(List.of(line).subList(1, line.length));
        CliRun got = CliRun.dtkit(args.toArray(String[]::new));
        String what = String.join(" ", line);
        assertEquals(ref.out(), got.out(), what + ": stdout");
        assertArrayEquals(ref.stdout(), got.outBytes(), what + ": stdout bytes");
        assertEquals(ref.stderr(), got.err(), what + ": stderr");
        assertEquals(ref.exit(), got.exit(), what + ": exit status");
        assertArrayEquals(refFile, Files.readAllBytes(dtb), what + ": the blob afterwards");
    }

    @Test
    void fdtgetCommandLines() throws IOException {
        String f = dtb.toString();
        same("fdtget", "-tx", f, "/", "#address-cells");
        same("fdtget", "--typ", "x", f, "/", "#address-cells");
        same("fdtget", "--typ", "x", f, "/", "#size-cells", "-Z");
        same("fdtget", "--type=u", f, "/memory@80000000", "reg");
        same("fdtget", f, "/", "model", "-tx");
        same("fdtget", "--", f, "/", "model");
        same("fdtget", f, "--", "/", "model", "-tx");
        same("fdtget", "-lp", f, "/");
        same("fdtget", "-ddef", f, "/", "nosuch");
        same("fdtget", "--d", "def", f, "/", "nosuch");
        same("fdtget", "--p", f, "/bus");
        same("fdtget", "-Z", f, "/", "model");
        same("fdtget", "--bogus", f, "/", "model");
        same("fdtget", "--list=x", f, "/");
        same("fdtget", "-t");
        same("fdtget", "--type");
        same("fdtget", "-tz", "-Z", f);
        same("fdtget", "-h");
        same("fdtget", "--help");
        same("fdtget", "-V");
        same("fdtget", "--v");
        same("fdtget");
        same("fdtget", f, "/");
    }

    @Test
    void fdtputCommandLines() throws IOException {
        String f = dtb.toString();
        same("fdtput", "-ts", f, "/chosen", "bootargs", "x");
        same("fdtput", "--typ", "s", f, "/chosen", "bootargs", "y");
        same("fdtput", f, "/chosen", "bootargs", "z", "-ts");
        same("fdtput", "-cp", f, "/a/b");
        same("fdtput", "--cr", f, "/made");
        same("fdtput", "--auto", "-c", f, "/x/y");
        same("fdtput", "-r", f, "/bus/dev@1");
        same("fdtput", "--del", f, "/", "model");
        same("fdtput", "-vtx", f, "/", "cells", "1", "2");
        same("fdtput", "--v", f, "/", "a", "b");
        same("fdtput", "-Z", f, "/", "a", "b");
        same("fdtput", "-tq", f, "/", "a", "b");
        same("fdtput", "-c", "-tq", f, "/a");
        same("fdtput", "--type");
        same("fdtput", "-V");
        same("fdtput", "-h");
        same("fdtput", f);
        same("fdtput", f, "/");
    }

    /** fdtdump, including -s, which looks for a blob inside a larger file. */
    @Test
    void fdtdumpCommandLines() throws IOException {
        String f = dtb.toString();
        same("fdtdump", f);
        same("fdtdump", "-d", f);
        same("fdtdump", "--deb", f);
        same("fdtdump", "-s", f);
        same("fdtdump", "-Z", f);
        same("fdtdump", "-V");
        same("fdtdump", "-h");
        same("fdtdump", f, f);
        same("fdtdump");
        List<byte[]> inputs = List.of(
                concat(new byte[13], blob), // at an offset that is not a multiple of 4
                concat(new byte[4], blob, new byte[9]),
                concat(new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed}, filled(20, (byte) 0xff), blob),
                concat(new byte[7], java.util.Arrays.copyOf(blob, 100)), // a header whose blocks lie past the end
                java.util.Arrays.copyOf(blob, 40),
                java.util.Arrays.copyOf(blob, blob.length - 1),
                concat(new byte[3], java.util.Arrays.copyOf(blob, 4)),
                withField(blob, 1, 0x100000), // total size past the buffer
                withField(blob, 5, 18), // version
                withField(blob, 6, 18), // last compatible version
                withField(blob, 3, blob.length),
                "no blob in here".repeat(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < inputs.size(); i++) {
            Path in = tmp.resolve("scan" + i + ".bin");
            Files.write(in, inputs.get(i));
            same("fdtdump", "-s", in.toString());
            same("fdtdump", "-sd", in.toString());
        }
    }

    /**
     * Names are bytes: shown as they are, in UTF-8 or in no encoding at all. (The names are
     * written into the blob directly: a command-line argument's bytes depend on the locale.)
     */
    @Test
    void namesArePrintedAsTheirBytes() throws IOException {
        String f = dtb.toString();
        byte[] original = blob;
        // UTF-8: "ch\u00e9en" and "m\u00f6dl", each as long as the name it replaces
        blob = replaced(replaced(original, "chosen\0", "ch\u00c3\u00a9en\0"), "model\0", "m\u00c3\u00b6dl\0");
        same("fdtget", "-l", f, "/");
        same("fdtget", "-p", f, "/");
        same("fdtdump", f);
        same("fdtdump", "-sd", f);
        // a byte 0xe9 alone, which no UTF-8 decoder keeps
        blob = replaced(replaced(original, "chosen\0", "ch\u00e9sen\0"), "model\0", "m\u00e9del\0");
        same("fdtget", "-l", f, "/");
        same("fdtget", "-p", f, "/");
        same("fdtdump", f);
        same("fdtdump", "-sd", f);
    }

    /** {@code b} with the first occurrence of {@code from} replaced (same length, one byte per character). */
    private static byte[] replaced(byte[] b, String from, String to) {
        return Blobs.replaced(b, from, to, false);
    }

    @Test
    void fdtoverlayCommandLines() throws IOException {
        String f = dtb.toString();
        Path out = tmp.resolve("out.dtb");
        same("fdtoverlay", "-i", f, "-o", out.toString());
        same("fdtoverlay", "--in", f, "--out", out.toString());
        same("fdtoverlay", "-v", "-i" + f, "-o" + out);
        same("fdtoverlay", "-i");
        same("fdtoverlay", "-Z");
        same("fdtoverlay", "--verb");
        same("fdtoverlay", "-V");
        same("fdtoverlay", "-h");
        same("fdtoverlay");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, v);
        return b;
    }

    /** The blob with its header field {@code index} (32-bit words from the magic) set to {@code v}. */
    private static byte[] withField(byte[] blob, int index, int v) {
        byte[] b = blob.clone();
        ByteBuffer.wrap(b).putInt(index * 4, v);
        return b;
    }
}
