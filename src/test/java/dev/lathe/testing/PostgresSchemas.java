package dev.lathe.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Metadata databases for tests: a fresh PostgreSQL schema per test on the local server (trust auth). The
 * server is required, not optional: when it is unreachable the PostgreSQL tests fail with the reason.
 * Override the server with the system property or variable LATHE_TEST_POSTGRES_URL.
 */
public final class PostgresSchemas {
    private static final String DEFAULT_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private PostgresSchemas() {}

    public static String postgresServer() {
        String configured = System.getProperty("LATHE_TEST_POSTGRES_URL", System.getenv("LATHE_TEST_POSTGRES_URL"));
        return configured == null || configured.isBlank() ? DEFAULT_POSTGRES : configured;
    }

    /** Creates a new schema and returns a URL whose tables live in it. */
    public static String create() {
        String schema = "lathe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute("CREATE SCHEMA " + schema);
        String server = postgresServer();
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(postgresServer()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("The PostgreSQL tests need a server at " + postgresServer()
                    + " (trust auth, database test); set LATHE_TEST_POSTGRES_URL to use another: " + e.getMessage(), e);
        }
    }
}
