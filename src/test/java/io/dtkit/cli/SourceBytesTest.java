package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtkit.testsupport.ReferenceTool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source is bytes: those that are no UTF-8 (here in strings and a byte string's comment)
 * reach the blob as they are, whether the source is a file or standard input and whether it
 * goes through the preprocessor or not, as they do through cpp and dtc.
 */
class SourceBytesTest {
    @TempDir
    Path tmp;

    private static byte[] source(boolean directives) {
        String s = "/dts-v1/;\n" + (directives ? "#define X 7\n" : "") + "/ {\n"
                + "\ts = \"caf\u00e9\", \"\u00ff\u00c3\";\n"
                + "\tb = [01 /* \u00e9 */ 02];\n"
                + "\tx = <" + (directives ? "X" : "7") + ">;\n};\n";
        return s.getBytes(StandardCharsets.ISO_8859_1); // one byte per char: E9, FF and a lone C3
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "file+cpp", "stdin", "stdin+cpp"})
    void bytesOutsideUtf8ReachTheBlob(String how) throws IOException {
        boolean cpp = how.endsWith("+cpp");
        byte[] src = source(cpp);
        Path file = tmp.resolve("s.dts");
        Files.write(file, src);
        ReferenceTool.Result ref;
        if (cpp) {
            ReferenceTool.require("cpp");
            ReferenceTool.Result pp = ReferenceTool.run(tmp, null, "cpp", "-nostdinc", "-undef", "-x",
                    "assembler-with-cpp", "-o", "pp.dts", "s.dts");
            assertEquals(0, pp.exit(), pp.stderr());
            ref = ReferenceTool.run(tmp, null, "dtc", "-O", "dtb", "pp.dts");
        } else {
            ref = ReferenceTool.run(tmp, null, "dtc", "-O", "dtb", "s.dts");
        }
        assertEquals(0, ref.exit(), ref.stderr());
        CliRun got = how.startsWith("stdin")
                ? CliRun.withInput(new ByteArrayInputStream(src), "dtc", "-O", "dtb", "-")
                : CliRun.dtkit("dtc", "-O", "dtb", file.toString());
        assertEquals(0, got.exit(), got.err());
        assertArrayEquals(ref.stdout(), got.outBytes(), how + ": blob");
    }
}
