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
            new Migration(4, "monitors"));

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
                        statement.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
                    }
                }
                int current = currentVersion(connection);
                if (current > latest()) {
                    // the database is fine, this Lathe is too old for it: a precondition (exit 4), not an internal failure
                    throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata database " + store.displayUrl()
                            + " has schema version " + current + ", newer than this Lathe knows (schema version " + latest()
                            + "); use the Lathe release that wrote it, or a newer one");
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
