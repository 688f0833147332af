package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Binds a data directory to the metadata store its registry lives in. The first open records the store (its URL without
 * credentials) in {@code <data-dir>/metadata-store}; a later open naming another store is refused. Without it, a command
 * run without the server's {@code --metadata-url} silently made a second registry (a new SQLite file rebuilt from the
 * model files, aliases lost) and wrote aliases and DEFAULT pointers the server never saw.
 */
final class MetadataBinding {
    static final String FILE_NAME = "metadata-store";

    private MetadataBinding() {}

    /**
     * Checks {@code metadataUrl} against the store the directory is bound to, recording it when there is none yet
     * ({@code record} false for a replica, which never writes the primary's directory).
     */
    static void check(Path dataDirectory, String metadataUrl, boolean record) {
        Path file = dataDirectory.resolve(FILE_NAME);
        String identity = identity(dataDirectory, metadataUrl);
        try {
            if (Files.exists(file)) {
                String bound = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!bound.isEmpty() && !bound.equals(identity)) {
                    throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The data directory " + dataDirectory.toAbsolutePath()
                            + " keeps its registry in " + bound + ", but this command would open " + identity
                            + ": a second registry would drift from the first (aliases, versions, deployments). Give that store with"
                            + " --metadata-url (or LATHE_METADATA_URL), with its user and password; to move the registry for good,"
                            + " delete " + file.toAbsolutePath());
                }
                if (!bound.isEmpty()) {
                    return;
                }
            }
            if (record) {
                Path scratch = Files.createTempFile(dataDirectory, "." + FILE_NAME, ".tmp");
                Files.writeString(scratch, identity + "\n", StandardCharsets.UTF_8);
                Files.move(scratch, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw LatheException.internal("Cannot read or record the data directory's metadata store in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What names a store, without credentials: a SQLite file's path (relative to the data directory when inside it); a PostgreSQL URL without user information
     * and without the user, password and connection-tuning parameters, the rest sorted.
     */
    static String identity(Path dataDirectory, String metadataUrl) {
        String url = metadataUrl.strip();
        if (url.startsWith("jdbc:sqlite:")) {
            String rest = url.substring("jdbc:sqlite:".length());
            int query = rest.indexOf('?');
            String path = query < 0 ? rest : rest.substring(0, query);
            Path directory = dataDirectory.toAbsolutePath().normalize();
            Path database = directory.resolve(path).normalize();
            // A file inside the data directory is named relative to it, so a copied or moved directory keeps its binding.
            return "jdbc:sqlite:" + (database.startsWith(directory) ? directory.relativize(database).toString() : database.toString());
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int scheme = base.indexOf("//");
        int at = base.indexOf('@', Math.max(scheme, 0));
        if (scheme >= 0 && at > scheme) {
            base = base.substring(0, scheme + 2) + base.substring(at + 1);
        }
        if (query < 0) {
            return base;
        }
        String kept = Arrays.stream(url.substring(query + 1).split("&"))
                .filter(p -> !p.isBlank())
                .filter(p -> {
                    String key = p.split("=", 2)[0].toLowerCase(Locale.ROOT);
                    return key.equals("currentschema") || key.equals("dbname");
                })
                .sorted()
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? base : base + "?" + kept;
    }
}
