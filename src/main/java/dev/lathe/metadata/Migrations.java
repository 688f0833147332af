package dev.lathe.metadata;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The schema's history: every migration this code knows, in order. Adding a table means adding a SQL file
 * under {@code resources/dev/lathe/metadata/migrations/} and one line here; applied migrations are never edited.
 */
public final class Migrations {
    /** Every known migration, ascending and without gaps. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "registry"),
            new Migration(2, "endpoints"),
            new Migration(3, "batch_jobs"),
            new Migration(4, "monitors"),
            new Migration(5, "store_owner"),
            new Migration(6, "batch_job_error_code"),
            new Migration(7, "endpoint_logging_enabled"),
            new Migration(8, "dropped_models"),
            new Migration(9, "endpoint_logging_kept_rate"),
            new Migration(10, "dropped_models_from_jobs"));

    private Migrations() {}

    /** The newest schema version this code knows. */
    public static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /**
     * Applies the missing migrations, each in its own transaction with its row in {@code schema_migrations};
     * refuses a database whose schema is newer than this code.
     */
    static void apply(MetadataStore store) {
        // Every command opens the store: one that is current is only read, without the write lock five IMMEDIATE
        // transactions took, which left a read-only command waiting on (and failing after) another process's writes.
        int current = version(store);
        if (current > latest()) {
            throw newer(store, current);
        }
        if (current == latest()) {
            return;
        }
        migrate(store);
    }

    /**
     * Refuses a store whose schema is not the one this code knows, changing nothing: a serving replica's open, or a command's
     * beside the running {@code server} that uses the store.
     */
    static void requireCurrent(MetadataStore store, java.util.Optional<String> server) {
        int current = version(store);
        if (current > latest()) {
            throw newer(store, current);
        }
        if (current < latest()) {
            String state = current < 0 ? "has no Lathe schema yet" : "has schema version " + current + ", older than this Lathe's " + latest();
            if (server.isEmpty()) {
                throw MetadataStore.notPrimed(store.displayUrl(), state);
            }
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + store.displayUrl() + " " + state + ", and "
                    + server.get() + " uses it: an older Lathe, under which this command would have to migrate the store (that"
                    + " server could then never start again on it). Stop that server and start this build's lathe server on the"
                    + " data directory (it migrates the store), then run the command again; or use that server's own build of"
                    + " lathe until then");
        }
    }

    /**
     * The schema's version: the highest N with migrations 1 to N all applied (-1 when migration 1 is not), or the highest
     * applied one when it is above latest() (a newer Lathe's). It was -1 whenever some migration this code knows was
     * missing, so a store an older Lathe left at version 4 read as "no Lathe schema yet" (probe ua F5).
     */
    private static int version(MetadataStore store) {
        return store.read(connection -> {
            // In the connection's own schema only: on PostgreSQL another schema's Lathe tables (another data directory's store,
            // ?currentSchema=...) were found too, and the fresh schema's open then failed reading a table it did not have.
            if (connection.getSchema() == null && connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                // no schema of the search path exists (a currentSchema misspelt or not yet made): another schema's tables
                // were found then, and the open failed as an internal error about schema_migrations (probe qe)
                String path;
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW search_path")) {
                    path = rows.next() ? rows.getString(1) : "";
                }
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + store.displayUrl() + " has no schema"
                        + " of its search path (" + path + "): create it (CREATE SCHEMA <name>) or give an existing one with"
                        + " ?currentSchema=<name>");
            }
            try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), "schema_migrations", null)) {
                if (!tables.next()) {
                    return -1;
                }
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
                int contiguous = 0;
                int highest = 0;
                while (rows.next()) {
                    highest = rows.getInt(1);
                    if (highest == contiguous + 1) {
                        contiguous = highest;
                    }
                }
                return highest > latest() ? highest : contiguous == 0 ? -1 : contiguous;
            }
        });
    }

    private static void migrate(MetadataStore store) {
        store.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS schema_migrations (
                            version INTEGER PRIMARY KEY,
                            description VARCHAR(200) NOT NULL,
                            applied_at VARCHAR(40) NOT NULL)""");
            }
            return null;
        });
        for (Migration migration : ALL) {
            store.inTransaction(connection -> {
                // Lock out a concurrent opener: PostgreSQL by table lock; SQLite's transactions are IMMEDIATE.
                if (store.dialect() == Dialect.POSTGRESQL) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(MetadataStore.LIFT_SESSION_LIMITS); // behind another opener, or a replica's reads
                        connection.setNetworkTimeout(Runnable::run, MetadataStore.MIGRATION_SOCKET_TIMEOUT_MS); // the pool resets it
                        statement.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
                    }
                }
                int found = currentVersion(connection);
                if (found > latest()) {
                    throw newer(store, found);
                }
                if (applied(connection, migration.version())) {
                    return null;
                }
                try (Statement statement = connection.createStatement()) {
                    for (String sql : migration.statements(store.dialect())) {
                        statement.execute(sql);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.description());
                    insert.setString(3, Instant.now().toString());
                    insert.executeUpdate();
                }
                return null;
            });
        }
    }

    /** The database is fine, this Lathe is too old for it: a precondition (exit 4), not an internal failure. */
    private static LatheException newer(MetadataStore store, int version) {
        return new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata database " + store.displayUrl() + " has schema version "
                + version + ", newer than this Lathe knows (schema version " + latest() + "); use a Lathe build whose metadata schema is "
                + version + " or newer (./lathe --version shows a build's)");
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_migrations")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static boolean applied(Connection connection, int version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM schema_migrations WHERE version = ?")) {
            query.setInt(1, version);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
