package dev.lathe.metadata;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** A metadata store as an older Lathe left it: only the migrations up to some version applied (upgrade tests). */
public final class OlderSchema {
    private OlderSchema() {}

    /** Creates the schema of migrations 1 to {@code version} at {@code jdbcUrl}, as a Lathe whose latest was {@code version} did. */
    public static void create(String jdbcUrl, int version) {
        Dialect dialect = Dialect.of(jdbcUrl);
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                    + " applied_at VARCHAR(40) NOT NULL)");
            for (Migration migration : Migrations.ALL.subList(0, version)) {
                for (String sql : migration.statements(dialect)) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schema_migrations VALUES (?, ?, '2026-12-06T00:00:00Z')")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.description());
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a schema-" + version + " store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The highest migration applied at {@code jdbcUrl}, read without opening (nor migrating) the store. */
    public static int version(String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT MAX(version) FROM schema_migrations")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
