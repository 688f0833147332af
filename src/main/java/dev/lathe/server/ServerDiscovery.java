package dev.lathe.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The discovery file {@code <data-dir>/server.json}: written atomically (temporary file, then rename) when a
 * server starts, removed when it stops, read by the CLI to reach the server instead of opening DuckDB.
 */
public final class ServerDiscovery {
    public static final String FILE_NAME = "server.json";

    private ServerDiscovery() {}

    public static Path file(Path dataDirectory) {
        return dataDirectory.resolve(FILE_NAME);
    }

    public static void write(Path dataDirectory, ServerInfo info) {
        Path target = file(dataDirectory);
        try {
            Path temporary = Files.createTempFile(dataDirectory, ".server-", ".json.tmp");
            try {
                Files.write(temporary, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write the discovery file " + target + ": " + e.getMessage(), e);
        }
    }

    /** The file's content; empty when absent or unreadable (a half-written or foreign file is ignored). */
    public static Optional<ServerInfo> read(Path dataDirectory) {
        try {
            byte[] bytes = Files.readAllBytes(file(dataDirectory));
            return Optional.of(Json.MAPPER.readerFor(ServerInfo.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes the file if it still names {@code pid} (a newer server may have replaced it). */
    public static void remove(Path dataDirectory, long pid) {
        Optional<ServerInfo> current = read(dataDirectory);
        if (current.isEmpty() || current.get().pid() == pid) {
            removeAnyway(dataDirectory);
        }
    }

    /** Removes a stale file. */
    public static void removeAnyway(Path dataDirectory) {
        try {
            Files.deleteIfExists(file(dataDirectory));
        } catch (IOException e) {
            // A file that cannot be removed is ignored again at the next start; nothing depends on its absence.
        }
    }
}
