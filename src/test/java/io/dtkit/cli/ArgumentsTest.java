package io.dtkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** When the JVM's view of the command line has lost bytes, and file names it cannot encode. */
class ArgumentsTest {
    /** A process command line: NUL-terminated words, the program's arguments last. */
    private static byte[] cmdline(byte[]... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("java\0-jar\0dtkit.jar\0".getBytes(StandardCharsets.US_ASCII));
        for (byte[] w : words) {
            out.writeBytes(w);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asciiAndUtf8ArgumentsAreTaken() {
        String[] args = {"dtc", "-o", "né.dtb", "in.dts"};
        assertNull(Arguments.refusal(args, StandardCharsets.UTF_8,
                cmdline(utf8("dtc"), utf8("-o"), utf8("né.dtb"), utf8("in.dts"))));
        assertNull(Arguments.refusal(new String[] {"dtc", "in.dts"}, StandardCharsets.US_ASCII, null));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheArgument() {
        String[] args = {"dtc", "-o", "x\uFFFD.dtb"};
        byte[] line = cmdline(utf8("dtc"), utf8("-o"), new byte[] {'x', (byte) 0xff, '.', 'd', 't', 'b'});
        assertEquals("dtkit: argument 3 is not valid UTF-8; dtkit takes its arguments and file names as UTF-8 text",
                Arguments.refusal(args, StandardCharsets.UTF_8, line));
    }

    @Test
    void aReplacementCharacterTypedAsSuchIsTaken() {
        String[] args = {"put", "f.dtb", "/", "p", "\uFFFD"};
        assertNull(Arguments.refusal(args, StandardCharsets.UTF_8,
                cmdline(utf8("put"), utf8("f.dtb"), utf8("/"), utf8("p"), utf8("\uFFFD"))));
    }

    @Test
    void withoutTheCommandLineAReplacementCharacterIsRefused() {
        assertTrue(Arguments.refusal(new String[] {"x\uFFFD"}, StandardCharsets.UTF_8, null)
                .contains("argument 1 is not valid UTF-8"));
    }

    @Test
    void anythingOutsideAsciiIsRefusedUnderAnotherCharacterSet() {
        String[] args = {"get", "\uFFFD\uFFFD.dtb", "/", "a"};
        assertEquals("dtkit: argument 2 is not ASCII, and this JVM reads its arguments and file names in"
                        + " US-ASCII (from the locale); start dtkit with bin/dtkit or under a UTF-8 locale,"
                        + " e.g. LC_ALL=C.UTF-8",
                Arguments.refusal(args, StandardCharsets.US_ASCII, null));
        assertTrue(Arguments.refusal(new String[] {"é"}, StandardCharsets.ISO_8859_1, null)
                .contains("argument 1 is not ASCII"));
    }

    /** A name the file-name character set cannot encode (here a lone surrogate) is an I/O error, not a crash. */
    @Test
    void aNameThatCannotBeEncodedIsAFileError() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> FileNames.input("a\uD800.dtb"));
        assertTrue(e.getReason().startsWith("File name not representable in "), e.getReason());
        assertThrows(FileSystemException.class, () -> FileNames.output("a\uD800.dtb"));
    }
}
