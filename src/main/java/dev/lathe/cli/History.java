package dev.lathe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The shell's history file, checked before JLine gets it (probe th F6, F7). JLine printed a stack trace after every
 * statement when it could not write the file, lost the first statement and ended the shell when the path was a
 * directory, and rewrote a file of lines not in its {@code millis:statement} form without them; and it created the file
 * readable by everyone, though statements can carry secrets. Here a file that cannot serve is named once and left as it
 * is, and the file is the user's alone (0600), as psql's is.
 */
final class History {
    private static final Pattern ENTRY = Pattern.compile("\\d+:.*");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** JLine's logger, held so its level stays set: its warnings carried stack traces; failures are said by the shell. */
    private static final Logger JLINE = Logger.getLogger("org.jline");

    private History() {}

    /** Makes {@code file} ready for JLine (created 0600 if missing); or why it cannot serve as the history. */
    static Optional<String> prepare(Path file) {
        JLINE.setLevel(Level.OFF);
        try {
            if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                return Optional.empty();
            }
            if (!Files.isRegularFile(file)) {
                return Optional.of("the history file " + file + " is " + (Files.isDirectory(file) ? "a directory" : "not a regular file"));
            }
            if (!Files.isReadable(file) || !Files.isWritable(file)) {
                return Optional.of("the history file " + file + " cannot be " + (Files.isReadable(file) ? "written" : "read")
                        + " (permission denied)");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (!line.isEmpty() && !ENTRY.matcher(line).matches()) {
                    return Optional.of("the history file " + file + " has lines that are not Lathe's (millis:statement); it is"
                            + " left as it is, move it away to keep a history");
                }
            }
            try { // a history written before it was kept private
                if (Files.getPosixFilePermissions(file).stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not the owner, or not a POSIX file system: left as it is
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("the history file " + file + " cannot be used: " + reason(e));
        }
    }

    /** Why {@code e} failed, in words: an AccessDeniedException's message is the path alone. */
    static String reason(Exception e) {
        Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof NoSuchFileException) {
            return "its directory does not exist";
        }
        if (cause instanceof java.nio.charset.CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        return String.valueOf(cause.getMessage());
    }
}
