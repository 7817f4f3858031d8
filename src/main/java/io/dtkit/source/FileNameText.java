package io.dtkit.source;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * File names written in a source (an include, a blob to embed, a line marker) are bytes. As
 * text they are read as UTF-8, so that a name opens the file the system knows by those bytes
 * and is printed back as the same bytes; bytes that are not UTF-8 are kept one char per byte.
 */
public final class FileNameText {
    private FileNameText() {
    }

    /** The name held in {@code bytes}. */
    public static String of(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    break;
                }
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Text from a tree (one byte per char) for a message: UTF-8 read as such, and each byte that
     * is not part of UTF-8 as the lone surrogate U+DC80..U+DCFF, which the tools' message writer
     * turns back into that byte.
     */
    public static String display(String byteChars) {
        int i = 0;
        while (i < byteChars.length() && byteChars.charAt(i) < 0x80) {
            i++;
        }
        if (i == byteChars.length()) {
            return byteChars;
        }
        return RawText.decode(byteChars.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code name} as text that holds one byte (of its UTF-8 form) per char. */
    public static String byteChars(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return name;
    }

    /** The name held in {@code byteChars}, text that holds one byte per char. */
    public static String ofByteChars(String byteChars) {
        for (int i = 0; i < byteChars.length(); i++) {
            if (byteChars.charAt(i) >= 0x80) {
                return of(byteChars.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return byteChars;
    }
}
