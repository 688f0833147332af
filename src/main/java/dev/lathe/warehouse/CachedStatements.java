package dev.lathe.warehouse;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per connection, for SQL that runs again and again with new parameters: an online
 * prediction's TRANSFORM, whose parse and bind took 26 ms of a 28 ms run when it held a 25,000-term dictionary (the
 * ENUM type is built at bind), against 0.2 ms to run it prepared. Only connections their owner {@link #keep}s hold
 * statements (the server's pool, which {@link #release}s them when it closes), so no statement outlives its owner;
 * on any other connection {@link #prepare} prepares a statement that its {@link Lease} closes.
 *
 * <p>A connection is used by one thread at a time (the pool lends it), so its statements need no lock of their own.
 */
public final class CachedStatements {
    /** Statements kept per connection, the least recently used closed beyond it. */
    static final int CAPACITY = 32;

    private static final Map<Connection, Map<String, PreparedStatement>> KEPT = new ConcurrentHashMap<>();

    private CachedStatements() {}

    /** From now on {@code connection} keeps the statements prepared on it through {@link #prepare}. */
    public static void keep(Connection connection) {
        KEPT.putIfAbsent(requireNonNull(connection, "connection is null"), new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= CAPACITY) {
                    return false;
                }
                closeQuietly(eldest.getValue());
                return true;
            }
        });
    }

    /** Closes the statements {@code connection} kept and keeps no more; call it before closing the connection. */
    public static void release(Connection connection) {
        Map<String, PreparedStatement> statements = KEPT.remove(connection);
        if (statements != null) {
            statements.values().forEach(CachedStatements::closeQuietly);
        }
    }

    /** How many statements {@code connection} keeps (for tests). */
    static int kept(Connection connection) {
        Map<String, PreparedStatement> statements = KEPT.get(connection);
        return statements == null ? 0 : statements.size();
    }

    /** {@code sql} prepared on {@code connection}: its kept statement when it keeps one, else a new one. */
    public static Lease prepare(Connection connection, String sql) {
        Map<String, PreparedStatement> statements = KEPT.get(connection);
        try {
            if (statements == null) {
                return new Lease(connection.prepareStatement(sql), null, sql);
            }
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return new Lease(statement, statements, sql);
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /**
     * A prepared statement for one run: closing the lease closes a statement that is not kept, and leaves a kept one open
     * for the next run, unless {@link #failed} (a statement whose run failed is dropped, in case it is left unusable).
     */
    public static final class Lease implements AutoCloseable {
        private final PreparedStatement statement;
        private final Map<String, PreparedStatement> keptIn;
        private final String sql;
        private boolean failed;

        private Lease(PreparedStatement statement, Map<String, PreparedStatement> keptIn, String sql) {
            this.statement = statement;
            this.keptIn = keptIn;
            this.sql = sql;
        }

        public PreparedStatement statement() {
            return statement;
        }

        /** Marks the run failed: closing the lease drops the statement. */
        public void failed() {
            failed = true;
        }

        @Override
        public void close() {
            if (keptIn == null) {
                closeQuietly(statement);
            } else if (failed) {
                keptIn.remove(sql, statement);
                closeQuietly(statement);
            }
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // A statement that cannot be closed holds nothing the connection's own close does not free.
        }
    }
}
