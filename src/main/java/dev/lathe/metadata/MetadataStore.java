package dev.lathe.metadata;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * The relational metadata store: registry (and later endpoints, deployments, jobs) in SQLite or PostgreSQL
 * behind short transactions. Thread-safe. SQLite allows one writer, so the store keeps one connection (WAL
 * journal, busy timeout, IMMEDIATE transactions) and serializes transactions on it; other processes on the
 * same file wait on the busy timeout and are retried. Reads ({@link #read}) run in DEFERRED transactions instead,
 * which read a snapshot of the WAL without the write lock, so that a server replica polling the same file never
 * holds up the primary's writes. PostgreSQL gets a connection per transaction.
 */
public final class MetadataStore implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final String url;
    private final Dialect dialect;
    private final Optional<Connection> shared;
    private final ReentrantLock lock = new ReentrantLock();

    private MetadataStore(String url, Dialect dialect, Optional<Connection> shared) {
        this.url = url;
        this.dialect = dialect;
        this.shared = shared;
    }

    /** {@code jdbc:sqlite:<dataDirectory>/metadata.db}: the store used when no --metadata-url is given. */
    public static String defaultUrl(Path dataDirectory) {
        return "jdbc:sqlite:" + dataDirectory.toAbsolutePath().resolve("metadata.db");
    }

    /**
     * Connects to {@code jdbcUrl} ({@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}) and applies the
     * schema migrations the database lacks; refuses a database whose schema is newer than this code.
     */
    public static MetadataStore open(String jdbcUrl) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        Dialect dialect = Dialect.of(jdbcUrl);
        MetadataStore store = switch (dialect) {
            case SQLITE -> new MetadataStore(jdbcUrl, dialect, Optional.of(openSqlite(jdbcUrl)));
            case POSTGRESQL -> new MetadataStore(jdbcUrl, dialect, Optional.empty());
        };
        try {
            Migrations.apply(store);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static Connection openSqlite(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        String path = query >= 0 ? file.substring(0, query) : file;
        if (!path.isEmpty() && !path.startsWith(":memory:") && !path.startsWith("file:")) {
            Path parent = Path.of(path).toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw LatheException.internal("Cannot create the folder of the metadata database " + path + ": " + e.getMessage(), e);
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        try {
            return DriverManager.getConnection(jdbcUrl, config.toProperties());
        } catch (SQLException e) {
            throw unavailable(jdbcUrl, e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL without credentials, for messages. */
    public String displayUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The schema version of the database (the highest applied migration). */
    public int schemaVersion() {
        return inTransaction(Migrations::currentVersion);
    }

    /**
     * Runs {@code work} in one transaction and commits it; rolls back on any failure. A transient conflict
     * (SQLite busy, PostgreSQL serialization failure or deadlock) runs the work again, a few times, so the
     * work must be repeatable: no side effects outside the connection that a second run would duplicate.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        return transaction(work, false);
    }

    /**
     * Runs read-only {@code work} in one transaction, as {@link #inTransaction} does, but without taking a write lock:
     * on SQLite a DEFERRED transaction (a consistent snapshot of the WAL, while other processes go on writing; an
     * IMMEDIATE one, which writes need, locks every other writer out from its BEGIN), on PostgreSQL a READ ONLY one.
     * The work must not write.
     */
    public <T> T read(SqlWork<T> work) {
        return transaction(work, true);
    }

    private <T> T transaction(SqlWork<T> work, boolean readOnly) {
        requireNonNull(work, "work is null");
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work, readOnly);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !dialect.retryable(e)) {
                    throw new LatheException(ErrorCode.INTERNAL, "Metadata store " + displayUrl() + " failed: " + e.getMessage(), e);
                }
                pause(attempt);
            }
        }
    }

    private <T> T attempt(SqlWork<T> work, boolean readOnly) throws SQLException {
        if (shared.isPresent()) {
            lock.lock();
            try {
                // Auto-commit between transactions: the SQLite driver begins the next transaction eagerly after a
                // commit, which with IMMEDIATE transactions would hold the write lock against other processes.
                Connection connection = shared.get();
                SQLiteConnectionConfig config = connection.unwrap(SQLiteConnection.class).getConnectionConfig();
                config.setTransactionMode(readOnly ? SQLiteConfig.TransactionMode.DEFERRED : SQLiteConfig.TransactionMode.IMMEDIATE);
                try {
                    connection.setAutoCommit(false);
                    try {
                        return run(connection, work);
                    } finally {
                        connection.setAutoCommit(true);
                    }
                } finally {
                    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
                }
            } finally {
                lock.unlock();
            }
        }
        try (Connection connection = connect()) {
            connection.setReadOnly(readOnly);
            connection.setAutoCommit(false);
            return run(connection, work);
        }
    }

    private Connection connect() throws SQLException {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw unavailable(url, e);
        }
    }

    private static <T> T run(Connection connection, SqlWork<T> work) throws SQLException {
        try {
            T result = work.apply(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatheException.internal("Interrupted while waiting for the metadata store", e);
        }
    }

    private static LatheException unavailable(String url, SQLException e) {
        return new LatheException(ErrorCode.INTERNAL, "Cannot connect to the metadata store "
                + url.replaceAll("(?i)(password=)[^&]*", "$1***") + ": " + e.getMessage()
                + " (give --metadata-url jdbc:sqlite:<file> or jdbc:postgresql://host:port/database?user=...)", e);
    }

    @Override
    public void close() {
        if (shared.isPresent()) {
            lock.lock();
            try {
                shared.get().close();
            } catch (SQLException e) {
                throw LatheException.internal("Closing the metadata store failed: " + e.getMessage(), e);
            } finally {
                lock.unlock();
            }
        }
    }
}
