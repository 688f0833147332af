package dev.lathe.metadata;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * The relational metadata store: registry (and later endpoints, deployments, jobs) in SQLite or PostgreSQL
 * behind short transactions. Thread-safe. SQLite allows one writer, so the store keeps one connection (WAL
 * journal, busy timeout, IMMEDIATE transactions) and serializes transactions on it; other processes on the
 * same file wait on the busy timeout and are retried. Reads ({@link #read}) run in DEFERRED transactions instead,
 * which read a snapshot of the WAL without the write lock, so that a server replica polling the same file never
 * holds up the primary's writes. PostgreSQL transactions take a connection from a pool ({@link #POOL_SIZE} at most),
 * whose driver gives up on a server that stops answering ({@link #POSTGRES_DEFAULTS}); one whose pooled connection was
 * found dropped before its COMMIT was sent runs again, once, on a new connection ({@link #again}).
 */
public final class MetadataStore implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** A {@code busy_timeout} (ms) in a {@code jdbc:sqlite:} URL's parameters. */
    private static final java.util.regex.Pattern BUSY_TIMEOUT_PARAMETER = java.util.regex.Pattern.compile("[?&]busy_timeout=(\\d{1,9})(&|$)");
    /** SQLite's primary result code for a database it cannot write (the low byte of SQLITE_READONLY_* extended codes). */
    private static final int SQLITE_READONLY = 8;
    /** The most PostgreSQL connections one store holds: transactions are short, and a server runs a few at once. */
    public static final int POOL_SIZE = 8;
    /** How long a PostgreSQL transaction waits for a pooled connection (all busy, or the server unreachable). */
    private static final long CONNECTION_WAIT_MS = 10_000;
    /**
     * How long one wait of the pool's lasts within {@link #CONNECTION_WAIT_MS} ({@link #connect}): after one, a server that
     * failed the pool's last try to connect (refused it, say) fails the transaction, where the pool went on waiting the
     * whole 10 s. Not under a second: the pool makes it the driver's login timeout as well, unless one is given
     * ({@link #POSTGRES_DEFAULTS}).
     */
    private static final long POOL_WAIT_MS = 1_000;
    /**
     * The PostgreSQL driver's defaults, each overridden by the same parameter in the URL: without them a connection
     * attempt to an unreachable host waits 10 s and a query whose server went away (a network partition, a host
     * that stopped without closing its sockets) waits forever, and a serving replica's refresher with it. The socket
     * timeout was 60 s: a server gone silent under a busy process held each of the pool's connections, and the threads
     * using them, that long; a server that answers ends any statement by its {@link #SESSION_LIMITS} (8 s) first.
     */
    static final java.util.Map<String, String> POSTGRES_DEFAULTS = java.util.Map.of(
            "connectTimeout", "10",  // seconds
            "socketTimeout", "10",   // seconds of silence within one query; metadata queries take milliseconds
            "tcpKeepAlive", "true",
            "loginTimeout", "10");   // seconds of a connection's start-up; the pool's own would be its POOL_WAIT_MS
    /** The socket timeout of a migration's connection, whose DDL may run past {@link #SESSION_LIMITS}. */
    public static final int MIGRATION_SOCKET_TIMEOUT_MS = (int) java.util.concurrent.TimeUnit.MINUTES.toMillis(10);
    /**
     * How long a PostgreSQL statement waits for a lock another session holds, and how long one may run, within the 10 s a
     * transaction has ({@link #CONNECTION_WAIT_MS}): a session holding a registry row (a psql {@code SELECT ... FOR UPDATE}
     * left open) made a change wait until the socket timeout (then 60 s) and fail as "An I/O error occurred while sending to the
     * backend" (probe tc F4). Set on each connection as it is made, unless the URL names the setting (in its
     * {@code options}); migrations lift them ({@link #LIFT_SESSION_LIMITS}).
     */
    static final java.util.Map<String, String> SESSION_LIMITS = java.util.Map.of("lock_timeout", "5s", "statement_timeout", "8s");
    /** For a transaction that may wait and run longer (a migration's DDL behind a replica's reads), PostgreSQL only. */
    public static final String LIFT_SESSION_LIMITS = "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0";

    /** The SQL that sets {@link #SESSION_LIMITS} on a new connection to {@code url}: those it does not name itself. */
    static Optional<String> sessionLimits(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        String sql = SESSION_LIMITS.entrySet().stream().filter(limit -> !lower.contains(limit.getKey()))
                .sorted(java.util.Map.Entry.comparingByKey()).map(limit -> "SET " + limit.getKey() + " = '" + limit.getValue() + "'")
                .collect(java.util.stream.Collectors.joining("; "));
        return sql.isEmpty() ? Optional.empty() : Optional.of(sql);
    }

    /** HikariCP logs each pool's start and stop at INFO; a CLI command's output is no place for that. */
    private static final Logger HIKARI_LOG = Logger.getLogger("com.zaxxer.hikari");
    /**
     * HikariCP's warning, with a stack trace, for each connection that fails as dropped: the store says what happened
     * instead, in its failure or in the one line of a transaction it ran again ({@link #again}).
     */
    private static final Logger HIKARI_BROKEN_LOG = Logger.getLogger("com.zaxxer.hikari.pool.ProxyConnection");

    static {
        HIKARI_LOG.setLevel(Level.WARNING);
        HIKARI_BROKEN_LOG.setLevel(Level.SEVERE);
    }

    private final String url;
    private final Dialect dialect;
    private final Optional<Connection> shared;
    private final Optional<HikariDataSource> pool;
    private final ReentrantLock lock = new ReentrantLock();
    /** Set while this thread runs a transaction of this store: transactions do not nest. */
    private final ThreadLocal<Boolean> inTransaction = new ThreadLocal<>();
    /** A SQLite store's file, whose identity write transactions check ({@link #requireOpenedFile}); empty otherwise. */
    private final Optional<Path> file;
    /** The identity (device and inode) of {@link #file} as the connection opened it; null until known. */
    private volatile Object openedFile;
    /** Set once the file was found deleted or replaced: every later write is refused with this message. */
    private volatile String fileLost;

    private MetadataStore(String url, Dialect dialect, Optional<Connection> shared, Optional<HikariDataSource> pool) {
        this.url = url;
        this.dialect = dialect;
        this.shared = shared;
        this.pool = pool;
        this.file = shared.isPresent() ? sqliteFile(url) : Optional.empty();
        this.openedFile = file.map(MetadataStore::fileKey).orElse(null);
    }

    /** What {@link #fileKey} answers for a file that is not there. */
    private static final Object GONE = new Object();

    /**
     * A file's identity (on Unix its device and inode), {@link #GONE} where there is no file, null where it cannot be told
     * (the platform has no identity, or the file cannot be read).
     */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            return GONE;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses a write once the SQLite file this store opened is no longer the one at its path: deleted (rm, a cleanup
     * script) or replaced (a backup moved over it). SQLite goes on writing into the file it has open, so every change was
     * acknowledged and then lost when the process stopped: the next one rebuilt the registry from the model folders
     * without the aliases, labels, endpoints and jobs (probe sg). Called inside each write transaction, holding the write
     * lock; one stat of the file, a few microseconds against the transaction's commit. Reads go on from the open file.
     */
    private void requireOpenedFile() {
        String lost = fileLost;
        if (lost != null) {
            throw new LatheException(ErrorCode.METADATA_UNAVAILABLE, lost);
        }
        if (file.isEmpty()) {
            return;
        }
        Object now = fileKey(file.get());
        Object opened = openedFile;
        if (opened == null || opened == GONE) { // not known at open (no file yet, or no identity on this platform)
            openedFile = now;
            return;
        }
        if (now == null || opened.equals(now)) { // the same file, or it cannot be told: not refused
            return;
        }
        String what = now == GONE ? "was deleted" : "was replaced by another file";
        lost = "The metadata store " + file.get() + " " + what
                + " while this process had it open: a change written now would go into the removed file and be lost when the"
                + " process stops, so nothing was changed and no change is accepted. Restart the process (lathe server) to"
                + " open the file now at that path; restore the file from a backup first if it was removed by mistake (a store"
                + " made anew is rebuilt from the model folders, without aliases, labels, endpoints and jobs)";
        fileLost = lost;
        java.util.logging.Logger.getLogger(MetadataStore.class.getName()).severe(lost);
        throw new LatheException(ErrorCode.METADATA_UNAVAILABLE, lost);
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
        return open(jdbcUrl, true, Optional.empty());
    }

    /**
     * A store another process created and migrates (a serving replica's primary): opened as it is, never created or
     * migrated; refused unless its schema is the one this code knows. A replica used to create an empty SQLite file in a
     * directory without one, and on a shared PostgreSQL a newer replica would migrate the schema under an older primary.
     */
    public static MetadataStore openExisting(String jdbcUrl) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        if (Dialect.of(jdbcUrl) == Dialect.SQLITE) {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            String path = file.contains("?") ? file.substring(0, file.indexOf('?')) : file;
            if (!path.startsWith(":memory:") && !path.startsWith("file:") && !Files.isRegularFile(Path.of(path))) {
                throw notPrimed(jdbcUrl, "does not exist");
            }
        }
        return open(jdbcUrl, false, Optional.empty());
    }

    /**
     * A store that a running server uses (the one {@code server} names, e.g. "the Lathe server at http://... (PID 12)"):
     * opened as it is, never created or migrated, and refused unless its schema is the one this code knows. A newer
     * build's {@code lathe models} migrated the store under an older server, which then could never start again on it
     * (probe ua F1): the server's own build, or this build's server started in its place, is the one to migrate it.
     */
    public static MetadataStore openBeside(String jdbcUrl, String server) {
        requireNonNull(server, "server is null");
        return open(jdbcUrl, false, Optional.of(server));
    }

    static LatheException notPrimed(String jdbcUrl, String state) {
        return new LatheException(ErrorCode.FAILED_PRECONDITION, "The metadata store " + masked(jdbcUrl)
                + " " + state + "; a serving replica reads the store its primary created: start (or upgrade) the primary, lathe server,"
                + " on this data directory first");
    }

    /** Opens the store, migrating it when {@code migrate}, else requiring its schema current (a replica, or beside {@code server}). */
    private static MetadataStore open(String jdbcUrl, boolean migrate, Optional<String> server) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        Dialect dialect = Dialect.of(jdbcUrl);
        MetadataStore store = switch (dialect) {
            case SQLITE -> new MetadataStore(jdbcUrl, dialect, Optional.of(openSqlite(jdbcUrl)), Optional.empty());
            case POSTGRESQL -> new MetadataStore(jdbcUrl, dialect, Optional.empty(), Optional.of(openPool(jdbcUrl)));
        };
        try {
            if (migrate) {
                Migrations.apply(store);
            } else {
                Migrations.requireCurrent(store, server);
            }
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
        // a busy_timeout (ms) in the URL is the user's; the driver's own default (3 s) would otherwise replace it
        java.util.regex.Matcher busy = BUSY_TIMEOUT_PARAMETER.matcher(query < 0 ? "" : file.substring(query));
        config.setBusyTimeout(busy.find() ? Integer.parseInt(busy.group(1)) : BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        try {
            return DriverManager.getConnection(jdbcUrl, config.toProperties());
        } catch (SQLException e) {
            throw unavailable(jdbcUrl, e);
        }
    }

    /**
     * A pool of PostgreSQL connections: connecting (TCP, start-up, authentication) took ~3 ms of every transaction
     * against a local server when each transaction had its own. The first connection is made here, so that a wrong URL
     * or an unreachable server fails when the store opens; connections idle for a minute are closed down to one.
     */
    private static HikariDataSource openPool(String jdbcUrl) {
        // A URL the driver cannot read (a port that is not a number) was "cannot connect, retry later" (exit 6) after the
        // driver's own log line; it is a wrong argument. The driver's parse warnings go to that message, not the console.
        POSTGRES_LOG.setLevel(java.util.logging.Level.SEVERE);
        if (org.postgresql.Driver.parseURL(jdbcUrl, new java.util.Properties()) == null) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The metadata store URL "
                    + masked(jdbcUrl) + " is not a PostgreSQL JDBC URL the driver can read (a port"
                    + " must be a number); give jdbc:postgresql://host[:port]/database?user=...");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("lathe-metadata");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(POOL_WAIT_MS);
        // As driver properties, which the URL's own parameters override (the driver reads the URL last).
        POSTGRES_DEFAULTS.forEach(config::addDataSourceProperty);
        sessionLimits(jdbcUrl).ifPresent(config::setConnectionInitSql);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) { // HikariPool.PoolInitializationException, its cause the driver's SQLException
            SQLException cause = e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
            throw unavailable(jdbcUrl, cause);
        }
    }

    /** A PostgreSQL store's pool at one moment: connections in transactions, idle ones, threads waiting for one, the most. */
    public record PoolState(int active, int idle, int waiting, int maximum) {}

    /** The pool's state now, for a PostgreSQL store (SQLite keeps one connection and has none). */
    public Optional<PoolState> poolState() {
        return pool.filter(p -> !p.isClosed()).map(p -> {
            var bean = p.getHikariPoolMXBean();
            return new PoolState(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection(),
                    p.getMaximumPoolSize());
        });
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL without credentials, for messages. */
    public String displayUrl() {
        return masked(url);
    }

    /** A store URL fit for messages: its password (if any) as ***. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The schema version of the database (the highest applied migration). */
    public int schemaVersion() {
        return inTransaction(Migrations::currentVersion);
    }

    /**
     * Runs {@code work} in one transaction and commits it; rolls back on any failure. A transient conflict
     * (SQLite busy, PostgreSQL serialization failure or deadlock) runs the work again, a few times, and so does a
     * PostgreSQL connection found dropped before the commit was sent (once, {@link #again}), so the work must be
     * repeatable: no side effects outside the connection that a second run would duplicate. A connection lost while
     * the commit was on its way is METADATA_UNAVAILABLE saying that the outcome is not known.
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

    /**
     * One transaction, run again on a transient conflict or a dropped connection. While the store is unreachable, each waited
     * for a connection up to {@link #CONNECTION_WAIT_MS} (10 s), holding its thread: some 60 concurrent management calls held
     * all of a server's request threads, and predictions, which answer from memory, queued behind them for as long (probe
     * tc F2). So once a transaction found the store unreachable ({@link #outage}), one transaction at a time tries it while
     * the others fail at once ({@link Outage#again}), until one is answered.
     */
    private <T> T transaction(SqlWork<T> work, boolean readOnly) {
        requireNonNull(work, "work is null");
        if (inTransaction.get() != null) {
            // On SQLite it would run on the outer transaction's connection and commit it early; on PostgreSQL it would
            // hold a second pooled connection, and enough threads doing so would wait on each other until the pool's
            // timeout.
            throw new IllegalStateException("A metadata transaction was opened inside another on the same thread; pass the"
                    + " connection down instead");
        }
        Outage down = outage;
        if (down != null && !probing.compareAndSet(false, true)) {
            throw down.again(displayUrl(), readOnly);
        }
        inTransaction.set(Boolean.TRUE);
        long connectBy = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(CONNECTION_WAIT_MS);
        Optional<SQLException> lost = Optional.empty(); // set for the one try after a pooled connection was found dropped
        boolean reconnected = false;
        try {
            int attempt = 1;
            while (true) {
                Try progress = new Try();
                try {
                    return lost.isEmpty() ? attempt(work, readOnly, progress, connectBy) : again(work, readOnly, progress, lost.get(), connectBy);
                } catch (SQLException e) {
                    if (dialect.unreachable(e)) {
                        boolean unknownOutcome = progress.committing && !readOnly;
                        if (!reconnected && !unknownOutcome && connectBy - System.nanoTime() >= MIN_RECONNECT_NANOS) {
                            lost = Optional.of(e); // nothing was committed: the work runs again, once, on a new connection
                            reconnected = true;
                            continue;
                        }
                        throw down(new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " is unavailable: "
                                + clause(e) + (unknownOutcome ? "; the connection was lost during the commit, so whether the"
                                        + " change was made is not known: read it back before making it again (retry once the"
                                        + " store is back)" : (readOnly ? "" : "; nothing was changed") + " (retry once it is back)"), e), clause(e));
                    }
                    lost = Optional.empty();
                    if (attempt >= ATTEMPTS && dialect == Dialect.SQLITE && (e.getErrorCode() & 0xff) == 5) {
                        // another process held the write lock through every try's busy timeout (probe sg: a 13 s lock)
                        throw new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " stayed locked"
                                + " by another process through " + ATTEMPTS + " tries (" + e.getMessage() + "); nothing was"
                                + " changed: retry once it is free", e);
                    }
                    if (attempt >= ATTEMPTS && dialect.retryable(e)) {
                        // other requests changed the same rows on every try (probe O: 500 INTERNAL for a busy endpoint)
                        throw new LatheException(ErrorCode.ABORTED, "A concurrent change won " + ATTEMPTS + " times in a row ("
                                + e.getMessage() + "); nothing was changed: read again and retry", e);
                    }
                    if (dialect == Dialect.SQLITE && (e.getErrorCode() & 0xff) == SQLITE_READONLY) {
                        throw readOnly(e);
                    }
                    if (dialect == Dialect.POSTGRESQL && ("55P03".equals(e.getSQLState()) || "57014".equals(e.getSQLState()))) {
                        throw busy(e, readOnly);
                    }
                    if (!dialect.retryable(e)) {
                        // a full disk failed SQLite's commit with "cannot commit - no transaction is active" (probe pu2)
                        Optional<String> full = fullDisk(url, MetadataStore::usableSpace);
                        throw new LatheException(full.isPresent() ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.INTERNAL, "Metadata store "
                                + displayUrl() + " failed: " + e.getMessage() + full.orElse(""), e);
                    }
                    pause(attempt);
                    attempt++;
                }
            }
        } finally {
            inTransaction.remove();
            if (down != null) { // this transaction tried the store for the others
                if (outage == down) { // and it answered (the work's result or its own failure): the outage is over
                    outage = null;
                    RECONNECT_LOG.info("Metadata store " + displayUrl() + " answers again");
                }
                probing.set(false);
            }
        }
    }

    /**
     * A PostgreSQL store found unreachable, {@code cause} the last failure's words, since {@code since} ({@link System#nanoTime}).
     */
    private record Outage(String cause, long since) {
        /** A transaction refused, without trying the store, while another one tries it. */
        LatheException again(String store, boolean readOnly) {
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
            return new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + store + " is unavailable: " + cause
                    + " (unreachable for " + seconds + " s; another request is checking whether it is back)" + (readOnly ? ""
                    : "; nothing was changed") + "; retry once it is back");
        }
    }

    /** Set by a transaction that found the store unreachable, cleared by the next one it answers; null while it answers. */
    private volatile Outage outage;
    /** Held by the one transaction that tries the store during an {@link #outage}. */
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    /** {@code e}, a failure to reach the store for {@code cause}, remembered as the {@link #outage} (since its start). */
    private LatheException down(LatheException e, String cause) {
        Outage before = outage;
        outage = new Outage(cause, before != null ? before.since() : System.nanoTime());
        return e;
    }

    /**
     * A PostgreSQL statement that waited past {@code lock_timeout} for a lock another session holds (55P03), or ran past
     * {@code statement_timeout} (57014, which an administrator's pg_cancel_backend also is): the store is busy, not down.
     */
    private LatheException busy(SQLException e, boolean readOnly) {
        boolean lock = "55P03".equals(e.getSQLState());
        return new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " is busy: "
                + (lock ? "what this call needs stayed locked by another session for over " + SESSION_LIMITS.get("lock_timeout")
                        : "a statement was cancelled (it ran past " + SESSION_LIMITS.get("statement_timeout") + ", or an administrator"
                                + " cancelled it)") + " (" + clause(e) + ")" + (readOnly ? "" : "; nothing was changed") + ": retry;"
                + " if it stays so, find the session holding locks on the database (pg_stat_activity, pg_locks: one idle in"
                + " transaction, a long query) and end its transaction", e);
    }

    /** How far one try of a transaction got: whether its COMMIT was on its way to the server (a failure then leaves it unknown). */
    private static final class Try {
        boolean committing;
    }

    /**
     * The least time left of a transaction's {@link #CONNECTION_WAIT_MS} for which a dropped connection is retried on a new
     * one; with less, the transaction fails as it would have before it retried.
     */
    private static final long MIN_RECONNECT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * The one try, on a connection of its own, of a PostgreSQL transaction whose pooled connection was found dropped before
     * its COMMIT was sent (or of a read): a server restart, a failover or {@code pg_terminate_backend} leaves every pooled
     * connection dead, and the pool hands one out unchecked when it was used in the last 500 ms, so the first requests after
     * it failed with 503 while the server was up (a CREATE OR REPLACE MODEL even answered 503 after its commit, when the read
     * that followed met one). The server rolled back what the dropped connection had done, so the work runs again.
     * <p>
     * The connection is made directly, not taken from the pool: the pool waits up to {@link #CONNECTION_WAIT_MS} for a
     * connection it cannot make, whereas a server still down refuses this one at once, so an outage is reported as soon
     * as before (a batch job's outage handling depends on it). It waits no longer than what is left of that wait, counted
     * from the transaction's start ({@code connectBy}), and is closed after the transaction. The pool drops the connection
     * that failed; its other dropped ones are left to it too (it checks one idle over 500 ms before handing it out, and a
     * transaction that meets one runs again likewise), rather than evicted at once, after which the next transaction would
     * wait in the pool for a new connection while the server is down instead of failing at once.
     */
    private <T> T again(SqlWork<T> work, boolean readOnly, Try progress, SQLException lost, long connectBy) throws SQLException {
        long left = connectBy - System.nanoTime();
        java.util.Properties properties = new java.util.Properties();
        POSTGRES_DEFAULTS.forEach(properties::setProperty);
        // the driver's whole connection attempt, in (fractional) seconds; the URL's own loginTimeout wins, as for the pool
        properties.setProperty("loginTimeout", String.format(java.util.Locale.ROOT, "%.3f", Math.max(left, MIN_RECONNECT_NANOS) / 1e9));
        Connection connection;
        try {
            connection = new org.postgresql.Driver().connect(url, properties); // the URL is the pool's, which the driver took
        } catch (SQLException e) {
            e.addSuppressed(lost);
            throw down(new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " is unavailable: "
                    + clause(lost) + ", and a new connection failed too: " + clause(e) + (readOnly ? "" : "; nothing was changed")
                    + " (retry once it is back)", e), clause(e));
        }
        try (connection) {
            RECONNECT_LOG.warning("A metadata store connection to " + displayUrl() + " was found dropped (" + lost.getSQLState()
                    + ": " + lost.getMessage() + "); its transaction" + (readOnly ? "" : ", which had not committed,")
                    + " runs again on a new connection");
            Optional<String> limits = sessionLimits(url);
            if (limits.isPresent()) {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute(limits.get());
                }
            }
            connection.setReadOnly(readOnly);
            connection.setAutoCommit(false);
            return run(connection, work, progress);
        }
    }

    private static final Logger RECONNECT_LOG = Logger.getLogger(MetadataStore.class.getName());

    /** The driver's message, without the full stop it may end with, to go on in a sentence of the store's. */
    private static String clause(SQLException e) {
        return String.valueOf(e.getMessage()).replaceFirst("\\.$", "");
    }

    /**
     * Refuses a store this process cannot write, changing nothing: a server checks it before it starts, so that a read-only
     * SQLite file (permissions, an immutable file, a read-only mount) is one line at start rather than a server that never
     * became ready and answered every change with SQLite's own text (probe sg).
     */
    public void requireWritable() {
        inTransaction(connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                // a write that matches no row: SQLite takes the file for writing (a read-only one fails here) and writes nothing
                statement.executeUpdate("DELETE FROM schema_migrations WHERE version < 0");
            }
            return null;
        });
    }

    /** The SQLite file of a {@code jdbc:sqlite:} URL (a {@code file:} URI's path too), absolute; empty for an in-memory database. */
    static Optional<Path> sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "");
        if (path.startsWith("file:")) {
            path = path.substring("file:".length()).replaceFirst("^//[^/]*", ""); // file:///x and file://localhost/x are /x
        }
        return path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory") ? Optional.empty()
                : Optional.of(Path.of(path).toAbsolutePath());
    }

    /**
     * SQLite refused to write the file (SQLITE_READONLY and its extended codes): the file, its folder or its mount is not
     * writable by this process. An environment condition the operator fixes, as an unreachable store is (exit 6, HTTP 503),
     * not an internal failure quoting the driver (probe sg: exit 1 and HTTP 500 with "[SQLITE_READONLY] Attempt to write a
     * readonly database").
     */
    private LatheException readOnly(SQLException e) {
        String name = file.map(Path::toString).orElse(displayUrl());
        String folder = file.map(path -> " and its folder " + path.getParent()).orElse("");
        return new LatheException(ErrorCode.METADATA_UNAVAILABLE, "The metadata store " + name + " is read-only for this"
                + " process (" + (e instanceof org.sqlite.SQLiteException sqlite ? sqlite.getResultCode().name() : e.getMessage())
                + "); nothing was changed. Make the file" + folder + " writable by the user"
                + " running Lathe (SQLite also writes the -wal and -shm files beside it; check the owner and mode with ls -l,"
                + " chattr -i for an immutable file, and that the disk is not mounted read-only), then retry", e);
    }

    private <T> T attempt(SqlWork<T> work, boolean readOnly, Try progress, long connectBy) throws SQLException {
        if (shared.isPresent()) {
            lock.lock();
            try {
                // Auto-commit between transactions: the SQLite driver begins the next transaction eagerly after a
                // commit, which with IMMEDIATE transactions would hold the write lock against other processes.
                Connection connection = shared.get();
                SQLiteConnectionConfig config = connection.unwrap(SQLiteConnection.class).getConnectionConfig();
                config.setTransactionMode(readOnly ? SQLiteConfig.TransactionMode.DEFERRED : SQLiteConfig.TransactionMode.IMMEDIATE);
                try {
                    try {
                        connection.setAutoCommit(false);
                    } catch (SQLException e) {
                        // sqlite-jdbc clears its auto-commit flag before its BEGIN runs: a BEGIN that timed out (busy) left the
                        // connection believing a transaction was open, so the retry ran its statements each committed on
                        // its own and its commit failed "cannot commit - no transaction is active" (probe sg)
                        config.setAutoCommit(true);
                        throw e;
                    }
                    try {
                        if (!readOnly) {
                            requireOpenedFile();
                        }
                        return run(connection, work, progress);
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
        try (Connection connection = connect(connectBy)) {
            connection.setReadOnly(readOnly);
            connection.setAutoCommit(false);
            return run(connection, work, progress);
        }
    }

    /**
     * A pooled connection, waited for until {@code connectBy} ({@link System#nanoTime}) while all are in use, but no longer
     * than one {@link #POOL_WAIT_MS} once the pool's last try to connect failed: while the server was down, every transaction
     * begun before the first failed waited the whole 10 s, holding a server's request threads (probe tc F2).
     */
    private Connection connect(long connectBy) throws SQLException {
        while (true) {
            try {
                return pool.orElseThrow().getConnection();
            } catch (SQLException e) {
                if (e.getCause() instanceof SQLException || connectBy - System.nanoTime() <= 0) {
                    throw noConnection(e);
                }
            }
        }
    }

    /**
     * A running process's pool gave no connection ({@link #connect}): said as the store and what the server
     * answered the pool's last try (refused, timed out, authentication), not as the pool's own line ("lathe-metadata -
     * Connection is not available, request timed out after 10001ms (total=0, active=0, idle=0, waiting=58)"), nor with
     * --metadata-url advice, which a server's client cannot act on (probe tc F5).
     */
    LatheException noConnection(SQLException e) {
        SQLException cause = e;
        while (cause.getCause() instanceof SQLException next && next != cause) {
            cause = next;
        }
        if (cause == e) { // the pool had no failed connection to report: all of its connections stayed in use
            return new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " is busy: no connection"
                    + " came free within " + CONNECTION_WAIT_MS / 1000 + " s (all " + POOL_SIZE + " in use); nothing was read or"
                    + " changed: retry", e);
        }
        String why = clause(cause);
        return down(new LatheException(ErrorCode.METADATA_UNAVAILABLE, "Metadata store " + displayUrl() + " is unavailable:"
                + " cannot connect (" + why + "); nothing was read or changed: retry"
                + " once it is back (check that the database server is running and reachable from this host)", e), why);
    }

    private static <T> T run(Connection connection, SqlWork<T> work, Try progress) throws SQLException {
        try {
            T result = work.apply(connection);
            progress.committing = true;
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

    /**
     * Whether a statement failed on a foreign key (SQLite's FOREIGN KEY constraint, PostgreSQL's 23503): a row it refers
     * to was removed, or one referring to the row it removes was added, by a transaction that committed meanwhile.
     */
    public static boolean foreignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("FOREIGN KEY constraint failed")
                || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT_FOREIGNKEY");
    }

    /** The PostgreSQL driver's logger, held so that its level stays set. */
    private static final java.util.logging.Logger POSTGRES_LOG = java.util.logging.Logger.getLogger("org.postgresql");

    /**
     * The store could not be opened. A PostgreSQL server that refused or did not answer is most often down, not misnamed:
     * the advice was only to give another --metadata-url (probe tc F5).
     */
    private static LatheException unavailable(String url, SQLException e) {
        Optional<String> full = fullDisk(url, MetadataStore::usableSpace);
        String advice = Dialect.of(url) == Dialect.POSTGRESQL ? " (check that the database server is running and reachable from"
                + " this host, and that --metadata-url, or LATHE_METADATA_URL, names it: jdbc:postgresql://host:port/database?user=...)"
                : " (give --metadata-url jdbc:sqlite:<file> or jdbc:postgresql://host:port/database?user=...)";
        return new LatheException(full.isPresent() ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.METADATA_UNAVAILABLE, "Cannot connect to the metadata store "
                + masked(url) + ": " + e.getMessage() + full.orElse(advice), e);
    }

    /**
     * For a SQLite file on a disk with (almost) no space left, what to say instead of advising another URL: a full disk
     * failed SQLite's shared-memory file with "disk I/O error", read as a wrong --metadata-url (probe pu).
     */
    static Optional<String> fullDisk(String url, java.util.function.ToLongFunction<java.nio.file.Path> usableSpace) {
        try {
            Optional<Path> sqlite = sqliteFile(url);
            if (sqlite.isEmpty()) {
                return Optional.empty();
            }
            java.nio.file.Path file = sqlite.get();
            java.nio.file.Path existing = file;
            while (existing != null && !java.nio.file.Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return Optional.empty();
            }
            long free = usableSpace.applyAsLong(existing);
            return free < 1 << 20 ? Optional.of("; the disk holding " + file.getParent() + " is full (" + free / 1024
                    + " KB free): free space on it and run the command again") : Optional.empty();
        } catch (RuntimeException ignored) {
            return Optional.empty();
        }
    }

    private static long usableSpace(java.nio.file.Path path) {
        try {
            return java.nio.file.Files.getFileStore(path).getUsableSpace();
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE; // unknown: not said to be full
        }
    }

    @Override
    public void close() {
        pool.ifPresent(HikariDataSource::close);
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
