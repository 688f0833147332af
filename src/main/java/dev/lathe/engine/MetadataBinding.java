package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
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
     * The URL as it is opened: a SQLite file given by a relative path lies in the data directory, as the binding records it
     * ({@code jdbc:sqlite:metadata.db} is the directory's own store, wherever the command runs). The SQLite driver would
     * resolve it against the working directory, so the URL the refusal below names, given back, opened a second registry
     * there (probe L).
     */
    static String resolve(Path dataDirectory, String metadataUrl) {
        String url = metadataUrl.strip();
        if (!url.startsWith("jdbc:sqlite:")) {
            return metadataUrl;
        }
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:") || Path.of(path).isAbsolute()) {
            return metadataUrl;
        }
        return "jdbc:sqlite:" + dataDirectory.toAbsolutePath().normalize().resolve(path).normalize() + (query < 0 ? "" : rest.substring(query));
    }

    /**
     * Opens the metadata store {@code givenUrl} names for {@code dataDirectory}: resolved ({@link #resolve}), checked
     * against the directory's binding ({@link #check}) and the store's owner ({@link #checkOwner}), and, when
     * {@code claim}, the store claimed and the binding recorded once it opened. A replica opens the primary's store as it
     * is and claims nothing. A command beside the running {@code server} that uses the store opens it without migrating it.
     * The one sequence of {@code Platform.open} and {@code Platform.openMetadata}.
     */
    static MetadataStore open(Path dataDirectory, String givenUrl, boolean replica, boolean claim, Optional<String> server) {
        String url = resolve(dataDirectory, givenUrl);
        boolean unbound = check(dataDirectory, url);
        MetadataStore metadata = replica ? MetadataStore.openExisting(url)
                : server.isPresent() ? MetadataStore.openBeside(url, server.get()) : MetadataStore.open(url);
        try {
            if (claim || replica) {
                checkOwner(metadata, dataDirectory, claim);
            }
            if (unbound && claim) {
                record(dataDirectory, url);
            }
            return metadata;
        } catch (RuntimeException e) {
            metadata.close();
            throw e;
        }
    }

    /**
     * Refuses {@code metadataUrl} unless it names the store the directory is bound to; answers whether the directory is
     * bound to none yet, for {@link #record} once the store has opened (a store recorded before it ever opened, a typo
     * in a PostgreSQL URL, pinned the directory to it: probe L).
     */
    static boolean check(Path dataDirectory, String metadataUrl) {
        Path file = dataDirectory.resolve(FILE_NAME);
        String identity = identity(dataDirectory, metadataUrl);
        try {
            if (!Files.exists(file)) {
                return true;
            }
            String bound = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!bound.isEmpty() && !bound.equals(identity)) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The data directory " + dataDirectory.toAbsolutePath()
                        + " keeps its registry in " + usable(dataDirectory, bound) + ", but this command would open "
                        + usable(dataDirectory, identity) + ": a second registry would drift from the first (aliases, versions,"
                        + " deployments). Give that store with --metadata-url (or LATHE_METADATA_URL), with its user and password;"
                        + " to move the registry for good, delete " + file.toAbsolutePath());
            }
            return bound.isEmpty();
        } catch (IOException e) {
            throw LatheException.internal("Cannot read the data directory's metadata store in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records the store the directory's registry lives in (after it opened). */
    static void record(Path dataDirectory, String metadataUrl) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            Path scratch = Files.createTempFile(dataDirectory, "." + FILE_NAME, ".tmp");
            Files.writeString(scratch, identity(dataDirectory, metadataUrl) + "\n", StandardCharsets.UTF_8);
            Files.move(scratch, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw LatheException.internal("Cannot record the data directory's metadata store in " + file + ": " + e.getMessage(), e);
        }
    }

    /** An identity as a URL that opens that store from anywhere: a SQLite file inside the directory by its absolute path. */
    private static String usable(Path dataDirectory, String identity) {
        return identity.startsWith("jdbc:sqlite:") ? resolve(dataDirectory, identity) : identity;
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
        // one host, however it is spelled: a server started with localhost and a command given 127.0.0.1 were refused
        base = base.replaceFirst("//(?:[^/@]*@)?(localhost|\\[::1\\])([:/])", "//127.0.0.1$2");
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

    /** The data directory's own id, kept in this file: how a metadata store knows which directory's registry it holds. */
    static final String ID_FILE = "directory-id";

    /**
     * Checks that {@code metadata} holds the registry of {@code dataDirectory} and of no other directory, claiming the
     * store for it when it holds none yet ({@code record}: a primary; a replica only checks). Two data directories on one
     * PostgreSQL database mixed their registries: the second's model folders were registered into the first's, version
     * numbers taken from the other's (probe E).
     */
    static void checkOwner(MetadataStore metadata, Path dataDirectory, boolean record) {
        Optional<String> id = directoryId(dataDirectory, record);
        Optional<Owner> owner = metadata.read(MetadataBinding::owner);
        if (id.isEmpty()) {
            // A replica's directory without an id: its primary has not run this version yet (nothing to compare), unless the
            // store names an owner, whose directory has one, so this is another directory (a stale or wrong copy)
            if (owner.isPresent()) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + metadata.displayUrl()
                        + " holds the registry of the data directory " + owner.get().directory() + ", but " + dataDirectory.toAbsolutePath().normalize()
                        + " has no " + ID_FILE + " file, so it is not that directory: a replica serves its primary's --data-dir"
                        + " (shared storage), and would serve other model files than the registry lists");
            }
            return;
        }
        if (owner.isEmpty() && record) {
            String path = dataDirectory.toAbsolutePath().normalize().toString();
            metadata.inTransaction(c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO store_owner (id, data_directory_id, data_directory, bound_at)"
                        + " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                    insert.setString(1, id.get());
                    insert.setString(2, path);
                    insert.setString(3, java.time.Instant.now().toString());
                    insert.executeUpdate();
                }
                return null;
            });
            owner = metadata.read(MetadataBinding::owner); // another directory may have claimed it meanwhile
        }
        if (owner.isPresent() && owner.get().id().equals(id.get()) && record) {
            checkCopy(metadata, dataDirectory, owner.get());
        }
        if (owner.isPresent() && !owner.get().id().equals(id.get())) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + metadata.displayUrl()
                    + " holds the registry of the data directory " + owner.get().directory() + " (claimed " + owner.get().since() + "), not of "
                    + dataDirectory.toAbsolutePath().normalize() + ": two directories' models in one registry would mix (versions"
                    + " numbered from the other's, its model folders registered into it). Give this directory a store of its own"
                    + " (another PostgreSQL database, or a schema: ?currentSchema=name), or open " + owner.get().directory());
        }
    }

    /**
     * A primary opened at another path than the store records: a directory moved (the recorded path is gone, or the same
     * folder) takes the store, which records its new path; a copy whose original still holds the same id is refused where
     * the store is shared (PostgreSQL): two primaries on one registry diverged, each one's versions without files in the
     * other (probe qe). A SQLite store travels inside its directory, so a copy has a store of its own.
     */
    private static void checkCopy(MetadataStore metadata, Path dataDirectory, Owner owner) {
        Path here = dataDirectory.toAbsolutePath().normalize();
        Path recorded = Path.of(owner.directory());
        if (recorded.equals(here)) {
            return;
        }
        try {
            boolean same = Files.exists(recorded) && Files.isSameFile(recorded, here);
            boolean original = !same && Files.isRegularFile(recorded.resolve(ID_FILE))
                    && Files.readString(recorded.resolve(ID_FILE), StandardCharsets.UTF_8).strip().equals(owner.id());
            if (original && metadata.displayUrl().startsWith("jdbc:postgresql:")) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + metadata.displayUrl() + " holds the"
                        + " registry of the data directory " + recorded + ", of which " + here + " is a copy (the same " + ID_FILE
                        + "), and " + recorded + " is still there: two primaries of one registry diverge (a version's files in one"
                        + " directory only). Open " + recorded + ", serve this copy with --replica, or give the copy a store of its own"
                        + " and a new identity (another database or ?currentSchema=, and delete its " + ID_FILE + " file)");
            }
            if (!same) {
                metadata.inTransaction(c -> {
                    try (PreparedStatement update = c.prepareStatement("UPDATE store_owner SET data_directory = ? WHERE id = 1")) {
                        update.setString(1, here.toString());
                        update.executeUpdate();
                    }
                    return null;
                });
            }
        } catch (IOException e) {
            throw LatheException.internal("Cannot compare the data directory with the one its metadata store records, " + recorded
                    + ": " + e.getMessage(), e);
        }
    }

    /** The directory whose registry a store holds: its id, the path it was first opened at, and when. */
    private record Owner(String id, String directory, String since) {}

    private static Optional<Owner> owner(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT data_directory_id, data_directory, bound_at FROM store_owner WHERE id = 1");
                ResultSet row = query.executeQuery()) {
            return row.next() ? Optional.of(new Owner(row.getString(1), row.getString(2), row.getString(3))) : Optional.empty();
        }
    }

    /** The directory's id from {@link #ID_FILE}, made (once, atomically) when {@code create} and there is none. */
    private static Optional<String> directoryId(Path dataDirectory, boolean create) {
        Path file = dataDirectory.resolve(ID_FILE);
        try {
            if (!Files.exists(file)) {
                if (!create) {
                    return Optional.empty();
                }
                Path scratch = Files.createTempFile(dataDirectory, "." + ID_FILE, ".tmp");
                try {
                    Files.writeString(scratch, java.util.UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
                    Files.createLink(file, scratch); // fails when another process made it first: its id stands
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // read below
                } finally {
                    Files.deleteIfExists(scratch);
                }
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (id.isEmpty()) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The data directory's id file " + file.toAbsolutePath()
                        + " is empty; it names the directory to its metadata store. Restore it from a backup of the directory");
            }
            return Optional.of(id);
        } catch (IOException e) {
            throw LatheException.internal("Cannot read or make the data directory's id in " + file + ": " + e.getMessage(), e);
        }
    }
}
