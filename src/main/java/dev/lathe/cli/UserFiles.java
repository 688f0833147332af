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

    /**
     * Refuses a command-line argument ({@code what}, e.g. "-e 2") that reached Java changed: the JVM replaces bytes its
     * charset cannot decode with U+FFFD, so invalid UTF-8 (or any non-ASCII text under an ASCII locale, without the
     * launcher's C.UTF-8) ran as other text with exit 0 where -f refuses it (probe th F1). Only an argument holding
     * U+FFFD is checked: against its bytes in /proc/self/cmdline, where there is one.
     */
    static void argumentIsUtf8(String value, String what) {
        if (value.indexOf('\uFFFD') < 0) {
            return;
        }
        String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (!charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("UTF8")) {
            throw LatheException.userError(("%s did not reach Lathe as typed: the JVM reads its arguments as %s (the locale, LANG/LC_ALL), so"
                    + " non-ASCII characters were lost; run it through ./lathe, or set LC_ALL=C.UTF-8").formatted(what, charset));
        }
        byte[] commandLine;
        try {
            commandLine = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return; // not Linux: nothing to check against
        }
        int start = 0;
        for (int end = 0; end <= commandLine.length; end++) {
            if (end < commandLine.length && commandLine[end] != 0) {
                continue;
            }
            byte[] argument = java.util.Arrays.copyOfRange(commandLine, start, end);
            start = end + 1;
            String decoded = new String(argument, StandardCharsets.UTF_8);
            if (!decoded.endsWith(value)) {
                continue;
            }
            // the value follows "-e", "--execute=" (ASCII) in the same argument, or stands alone
            int prefix = decoded.length() - value.length();
            try {
                text(java.util.Arrays.copyOfRange(argument, prefix, argument.length), what);
            } catch (LatheException e) {
                throw LatheException.userError(e.getMessage().replace("; save it as UTF-8", "; give the statements in UTF-8"));
            }
        }
    }
}
