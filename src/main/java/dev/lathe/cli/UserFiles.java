package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Text files a command line names (-f script.sql, --file instances.jsonl), read with errors that say which option and why. */
final class UserFiles {
    private UserFiles() {}

    /**
     * The file's UTF-8 text without a byte order mark. {@code what} names it for errors, e.g. "SQL file", {@code option}
     * the flag that gave it, e.g. "-f", and {@code hint} ends them, e.g. "give the path of a readable file of statements".
     */
    static String text(Path path, String what, String option, String hint) {
        String named = "%s '%s' (from %s)".formatted(what, path.toAbsolutePath(), option);
        if (Files.isDirectory(path)) {
            throw LatheException.userError("%s is a directory; %s".formatted(named, hint));
        }
        try {
            return text(Files.readAllBytes(path), named);
        } catch (NoSuchFileException e) {
            throw LatheException.userError("%s does not exist; %s".formatted(named, hint));
        } catch (AccessDeniedException e) {
            throw LatheException.userError("%s cannot be read (permission denied); %s".formatted(named, hint));
        } catch (IOException e) {
            throw LatheException.userError("%s cannot be read: %s".formatted(named, e.getMessage()));
        }
    }

    /** {@code bytes} as UTF-8 text without a byte order mark (Windows editors write one); anything else is refused, placed. */
    static String text(byte[] bytes, String source) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        try {
            String text = decoder.decode(buffer).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw LatheException.userError("%s is not UTF-8 text: byte 0x%02X at offset %d does not decode; save it as UTF-8"
                    .formatted(source, bytes[buffer.position()] & 0xFF, buffer.position()));
        }
    }
}
