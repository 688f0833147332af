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

    /**
     * What {@code open} opens (a metadata store, a platform), its connection pool never checking a connection before
     * handing it out, as HikariCP does with one used in the last 500 ms: the case of a busy server, made certain for a test
     * whose steps may take longer between transactions.
     */
    public static <T> T withUncheckedPool(java.util.function.Supplier<T> open) {
        String property = "com.zaxxer.hikari.aliveBypassWindowMs"; // read as each pool starts
        String before = System.getProperty(property);
        System.setProperty(property, Long.toString(java.util.concurrent.TimeUnit.HOURS.toMillis(1)));
        try {
            return open.get();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    /**
     * Terminates the server processes of the connections whose application_name is {@code application}, as a server restart
     * or a failover ends them, and waits until they are gone; fails unless there was one.
     */
    public static void terminateBackends(String application) {
        try (Connection admin = DriverManager.getConnection(postgresServer());
                java.sql.PreparedStatement terminate = admin.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?");
                java.sql.PreparedStatement left = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            terminate.setString(1, application);
            left.setString(1, application);
            if (count(terminate) == 0) {
                throw new IllegalStateException("No connection named " + application + " to terminate");
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (count(left) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int count(java.sql.PreparedStatement query) throws SQLException {
        try (java.sql.ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
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
