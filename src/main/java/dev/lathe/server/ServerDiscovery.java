package dev.lathe.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The discovery file {@code <data-dir>/server.json}: written atomically (temporary file, then rename) when a
 * server starts, removed when it stops, read by the CLI to reach the server instead of opening DuckDB. Written and read
 * through Jackson's streaming generator and parser (the same JSON as its databind writes, indented), since every CLI
 * command reads it and databind's set-up for a type costs a fresh process tens of milliseconds.
 */
public final class ServerDiscovery {
    public static final String FILE_NAME = "server.json";
    private static final JsonFactory JSON = new JsonFactory();

    private ServerDiscovery() {}

    public static Path file(Path dataDirectory) {
        return dataDirectory.resolve(FILE_NAME);
    }

    public static void write(Path dataDirectory, ServerInfo info) {
        Path target = file(dataDirectory);
        try {
            Path temporary = Files.createTempFile(dataDirectory, ".server-", ".json.tmp");
            try {
                Files.write(temporary, bytes(info));
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
            return Optional.of(parse(Files.readAllBytes(file(dataDirectory))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code info} as the file holds it: an indented JSON object of its fields in declaration order. */
    static byte[] bytes(ServerInfo info) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
            json.writeStartObject();
            json.writeNumberField("pid", info.pid());
            json.writeStringField("host", info.host());
            json.writeNumberField("port", info.port());
            json.writeStringField("startedAt", info.startedAt());
            json.writeStringField("version", info.version());
            json.writeStringField("dataDirectory", info.dataDirectory());
            json.writeNumberField("apiVersion", info.apiVersion());
            json.writeNumberField("metadataSchema", info.metadataSchema());
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The file's JSON object; other fields are skipped; a missing or malformed one fails. */
    static ServerInfo parse(byte[] bytes) throws IOException {
        long pid = 0;
        String host = null;
        int port = 0;
        String startedAt = null;
        String version = null;
        String dataDirectory = "";
        int apiVersion = 0; // absent: an older build's file
        int metadataSchema = 0;
        try (JsonParser json = JSON.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "pid" -> pid = json.getValueAsLong();
                    case "host" -> host = value == JsonToken.VALUE_NULL ? null : json.getText();
                    case "port" -> port = json.getValueAsInt();
                    case "startedAt" -> startedAt = value == JsonToken.VALUE_NULL ? null : json.getText();
                    case "version" -> version = value == JsonToken.VALUE_NULL ? null : json.getText();
                    case "dataDirectory" -> dataDirectory = value == JsonToken.VALUE_NULL ? "" : json.getText();
                    case "apiVersion" -> apiVersion = json.getValueAsInt();
                    case "metadataSchema" -> metadataSchema = json.getValueAsInt();
                    default -> json.skipChildren();
                }
            }
        }
        return new ServerInfo(pid, host, port, startedAt, version, dataDirectory, apiVersion, metadataSchema);
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
