package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import dev.lathe.testing.PostgresSchemas;
import dev.lathe.testing.TcpProxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A PostgreSQL store's pooled connections: reused, bounded, and with timeouts that end waits on a silent server. */
class MetadataStorePoolTest {
    private String url;

    @BeforeEach
    void schema() {
        url = PostgresSchemas.create();
    }

    @AfterEach
    void drop() {
        PostgresSchemas.drop(url);
    }

    @Test
    void transactionsOneAfterAnotherReuseOneConnection() {
        try (MetadataStore store = MetadataStore.open(url)) {
            int first = store.read(MetadataStorePoolTest::backendPid);
            int second = store.inTransaction(MetadataStorePoolTest::backendPid);
            int third = store.read(MetadataStorePoolTest::backendPid);
            assertThat(second).as("the server process behind each transaction's connection").isEqualTo(first);
            assertThat(third).isEqualTo(first);
        }
    }

    /** Pooled connections come back as the pool had them: a read-only transaction does not leave the next one read only. */
    @Test
    void aReadOnlyTransactionLeavesTheNextWriteWritable() {
        try (MetadataStore store = MetadataStore.open(url)) {
            assertThat(store.<String>read(c -> query(c, "SHOW transaction_read_only"))).isEqualTo("on");
            assertThat(store.<String>inTransaction(c -> query(c, "SHOW transaction_read_only"))).isEqualTo("off");
            store.inTransaction(c -> {
                execute(c, "CREATE TABLE written (x INTEGER)");
                return null;
            });
            assertThatThrownBy(() -> store.read(c -> {
                execute(c, "INSERT INTO written VALUES (1)");
                return null;
            })).isInstanceOf(LatheException.class).hasMessageContaining("read-only");
            assertThat(store.<String>inTransaction(c -> {
                execute(c, "INSERT INTO written VALUES (2)");
                return query(c, "SELECT count(*) FROM written");
            })).isEqualTo("1");
        }
    }

    /** Concurrent transactions get their own connections, at most {@link MetadataStore#POOL_SIZE}; more wait their turn. */
    @Test
    void concurrentTransactionsShareAtMostThePoolsConnections() throws Exception {
        try (MetadataStore store = MetadataStore.open(url)) {
            int callers = MetadataStore.POOL_SIZE + 4;
            CountDownLatch inside = new CountDownLatch(MetadataStore.POOL_SIZE);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> store.read(c -> {
                    inside.countDown();
                    try {
                        inside.await(10, TimeUnit.SECONDS); // held until the pool's every connection is in a transaction
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return backendPid(c);
                }), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            Set<Integer> pids = new HashSet<>();
            for (CompletableFuture<Integer> call : calls) {
                pids.add(call.get(30, TimeUnit.SECONDS));
            }
            assertThat(inside.getCount()).as("the pool's connections were all in use at once").isZero();
            assertThat(pids).hasSize(MetadataStore.POOL_SIZE);
        }
    }

    /**
     * A transaction opened inside another on the same thread is refused (it would hold a second pooled connection, and
     * enough threads doing so would wait on each other): the outer one rolls back and the store stays usable.
     */
    @Test
    void aTransactionInsideAnotherIsRefusedAndTheOuterOneRollsBack() {
        try (MetadataStore store = MetadataStore.open(url)) {
            store.inTransaction(c -> {
                execute(c, "CREATE TABLE nested (x INTEGER)");
                return null;
            });
            assertThatThrownBy(() -> store.inTransaction(c -> {
                execute(c, "INSERT INTO nested VALUES (1)");
                return store.read(inner -> query(inner, "SELECT 1"));
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside another");
            assertThat(store.<String>read(c -> query(c, "SELECT count(*) FROM nested"))).as("the outer insert rolled back").isEqualTo("0");
            try (MetadataStore other = MetadataStore.open(url)) { // another store's transaction is not nested
                assertThat(store.<String>read(c -> other.read(d -> query(d, "SELECT 'other'")))).isEqualTo("other");
            }
        }
    }

    /**
     * A connection the server drops in the middle of a transaction (here its backend terminated, as a restart or a
     * network failure would), and the new one the transaction runs again on too, fails that transaction as UNAVAILABLE
     * (HTTP 503, exit code 6: retry later), not as an internal error; the pool replaces the connection and the next
     * transaction works.
     */
    @Test
    void aDroppedConnectionIsUnavailableAndTheNextTransactionGetsAFreshOne() throws Exception {
        try (MetadataStore store = MetadataStore.open(url)) {
            int before = store.read(MetadataStorePoolTest::backendPid);
            assertThatThrownBy(() -> store.read(c -> {
                try (Connection admin = java.sql.DriverManager.getConnection(PostgresSchemas.postgresServer());
                        Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + backendPid(c) + ")");
                }
                return query(c, "SELECT 1");
            })).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                assertThat(e.category().httpStatus()).isEqualTo(503);
                assertThat(e.category().exitCode()).isEqualTo(6);
                assertThat(e.getMessage()).contains("is unavailable").contains("retry");
            });
            assertThat(store.read(MetadataStorePoolTest::backendPid)).as("a new server process").isNotEqualTo(before);
        }
    }

    /**
     * A server restart, a failover or {@code pg_terminate_backend} leaves every pooled connection dead, and the pool hands
     * one out unchecked when it was used in the last 500 ms (here always: {@link PostgresSchemas#withUncheckedPool}): the
     * first transactions after it failed with 503 while the server was up. A read and a write found on a dropped
     * connection before their commit run again on a new one; the write is made once.
     */
    @Test
    void transactionsThatMeetAConnectionTheServerDroppedRunAgainOnANewOne() throws Exception {
        String application = "lathe_test_" + Long.toHexString(System.nanoTime());
        try (MetadataStore store = openUnchecked(url + "&ApplicationName=" + application)) {
            store.inTransaction(c -> {
                execute(c, "CREATE TABLE written (x INTEGER)");
                return null;
            });
            int before = store.read(MetadataStorePoolTest::backendPid);
            PostgresSchemas.terminateBackends(application);
            assertThat(store.read(MetadataStorePoolTest::backendPid)).as("a new server process").isNotEqualTo(before);

            store.read(MetadataStorePoolTest::backendPid); // a pooled connection again, used just now
            PostgresSchemas.terminateBackends(application);
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            store.inTransaction(c -> {
                runs.incrementAndGet();
                execute(c, "INSERT INTO written VALUES (1)");
                return null;
            });
            assertThat(runs).as("runs of the write: on the dropped connection, then on a new one").hasValue(2);
            assertThat(store.<String>read(c -> query(c, "SELECT count(*) FROM written"))).isEqualTo("1");
        }
    }

    /**
     * A server's {@code idle_session_timeout} (PostgreSQL 14 and later) ends a pooled connection left idle for longer: the
     * transaction that meets it runs again on a new connection, whether the driver finds the socket closed (08006, as
     * here) or reads the server's farewell first (57P05, which was an internal error).
     */
    @Test
    void aConnectionTheServerEndedForIdlingIsReplacedUnnoticed() throws Exception {
        try (MetadataStore store = openUnchecked(url + "&options=-c%20idle_session_timeout%3D100")) {
            int before = store.read(MetadataStorePoolTest::backendPid);
            Thread.sleep(400);
            assertThat(store.read(MetadataStorePoolTest::backendPid)).as("a new server process").isNotEqualTo(before);
        }
    }

    /** The server ending an idle session (57P05) is a dropped connection, as its shutdown (57P01) is; a statement timeout is not. */
    @Test
    void theServerEndingAnIdleSessionIsADroppedConnection() {
        assertThat(Dialect.POSTGRESQL.unreachable(new SQLException("FATAL: terminating connection due to idle-session timeout", "57P05")))
                .isTrue();
        assertThat(Dialect.POSTGRESQL.unreachable(new SQLException("ERROR: canceling statement due to statement timeout", "57014")))
                .isFalse();
    }

    /**
     * A write whose connection is lost while its COMMIT is on the way is not run again (it may have been made), and says
     * that its outcome is not known; here it was made.
     */
    @Test
    void aWriteWhoseCommitReplyIsLostIsNotRunAgainAndSaysItsOutcomeIsUnknown() throws Exception {
        try (MetadataStore direct = MetadataStore.open(url)) {
            direct.inTransaction(c -> {
                execute(c, "CREATE TABLE written (x INTEGER)");
                return null;
            });
            try (TcpProxy proxy = TcpProxy.toServerOf(url); MetadataStore store = MetadataStore.open(proxy.through(url))) {
                java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
                proxy.loseReplyToTheMessageAfter("INSERT INTO written");
                assertThatThrownBy(() -> store.inTransaction(c -> {
                    runs.incrementAndGet();
                    execute(c, "INSERT INTO written VALUES (1)");
                    return null;
                })).isInstanceOfSatisfying(LatheException.class, e -> {
                    assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("lost during the commit").contains("is not known");
                });
                assertThat(runs).hasValue(1);
            }
            assertThat(direct.<String>read(c -> query(c, "SELECT count(*) FROM written"))).as("the commit landed").isEqualTo("1");
        }
    }

    /**
     * A server that is down (its port refuses connections) is still UNAVAILABLE at once when a transaction meets one of
     * the connections it dropped: the new connection is refused at once, where the pool would have waited
     * {@code CONNECTION_WAIT_MS} (10 s) for one; once the server is back, the next transaction works.
     */
    @Test
    void aServerStillDownIsUnavailableAtOnce() throws Exception {
        try (TcpProxy proxy = TcpProxy.toServerOf(url); MetadataStore store = openUnchecked(proxy.through(url))) {
            int before = store.read(MetadataStorePoolTest::backendPid);
            proxy.cut();
            assertUnavailableWithin(3.0, () -> store.inTransaction(MetadataStorePoolTest::backendPid), "a new connection failed too",
                    "nothing was changed");
            proxy.restore();
            assertThat(store.read(MetadataStorePoolTest::backendPid)).isNotEqualTo(before);
        }
    }

    /**
     * Probe tc F2: while the server is down, every transaction waited up to 10 s for a connection, holding its thread, and a
     * server's request threads all waited so. Once one found the server unreachable, one transaction at a time tries it
     * (here held in its work, the server back) while the others fail at once, without running their work; the first that
     * works ends the outage.
     */
    @Test
    void whileTheServerIsUnreachableOneTransactionTriesItAndTheOthersFailWithoutWaiting() throws Exception {
        try (TcpProxy proxy = TcpProxy.toServerOf(url); MetadataStore store = openUnchecked(proxy.through(url))) {
            store.read(MetadataStorePoolTest::backendPid);
            proxy.cut();
            assertThatThrownBy(() -> store.read(MetadataStorePoolTest::backendPid)).isInstanceOf(LatheException.class);
            proxy.restore();
            CountDownLatch trying = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> probe = CompletableFuture.supplyAsync(() -> store.read(c -> {
                trying.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return backendPid(c);
            }));
            assertThat(trying.await(30, TimeUnit.SECONDS)).as("the probe reached the server").isTrue();
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            assertThatThrownBy(() -> store.inTransaction(c -> ran.incrementAndGet())).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                assertThat(e.category().httpStatus()).isEqualTo(503);
                assertThat(e.getMessage()).startsWith("Metadata store " + proxy.through(url) + " is unavailable: ")
                        .contains("another request is checking whether it is back").contains("nothing was changed");
            });
            assertThat(ran).as("runs of the work meanwhile").hasValue(0);
            release.countDown();
            assertThat(probe.get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(store.<Integer>inTransaction(c -> ran.incrementAndGet())).as("the outage is over").isEqualTo(1);
        }
    }

    /**
     * Probe tc F5: a pool that made no connection was the pool's own line ("lathe-metadata - Connection is not available,
     * request timed out after 10001ms (total=0, active=0, idle=0, waiting=58)") and advice to give --metadata-url, which a
     * running server's client cannot act on; it is the store, the server's answer and what to do.
     */
    @Test
    void noPooledConnectionSaysWhatTheServerAnsweredNotThePoolsState() {
        try (MetadataStore store = MetadataStore.open(url + "&password=secret")) {
            LatheException e = store.noConnection(new java.sql.SQLTransientConnectionException("lathe-metadata - Connection is not"
                    + " available, request timed out after 10001ms (total=0, active=0, idle=0, waiting=58)", "08001",
                    new SQLException("Connection to 127.0.0.1:5432 refused.", "08001")));
            assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("Metadata store " + url + "&password=*** is unavailable: cannot connect"
                    + " (Connection to 127.0.0.1:5432 refused); nothing was read or changed: retry once it is back (check that the"
                    + " database server is running and reachable from this host)");
            LatheException busy = store.noConnection(new java.sql.SQLTransientConnectionException("lathe-metadata - Connection is"
                    + " not available, request timed out after 10001ms (total=8, active=8, idle=0, waiting=3)"));
            assertThat(busy.getMessage()).contains("is busy: no connection came free within 10 s (all 8 in use)")
                    .doesNotContain("lathe-metadata").doesNotContain("--metadata-url");
        }
    }

    /**
     * Probe tc F4: another session holding a row (a psql {@code SELECT ... FOR UPDATE} left open) made a change wait until
     * the 60 s socket timeout and fail as "An I/O error occurred while sending to the backend". It waits the lock timeout
     * and says the store is busy, locked by another session, and what to do; the store is not taken for down.
     */
    @Test
    void aRowAnotherSessionHoldsIsBusyAfterTheLockTimeoutNotAnIoError() throws Exception {
        try (MetadataStore store = MetadataStore.open(url); Connection other = java.sql.DriverManager.getConnection(url)) {
            store.inTransaction(c -> {
                execute(c, "CREATE TABLE held (x INTEGER)");
                execute(c, "INSERT INTO held VALUES (1)");
                return null;
            });
            other.setAutoCommit(false);
            query(other, "SELECT x FROM held FOR UPDATE");
            assertThatThrownBy(() -> store.inTransaction(c -> {
                execute(c, "UPDATE held SET x = 2");
                return null;
            })).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                assertThat(e.category().exitCode()).isEqualTo(6);
                assertThat(e.getMessage()).startsWith("Metadata store " + url + " is busy: what this call needs stayed locked by"
                        + " another session for over 5s (").contains("lock timeout").contains("; nothing was changed: retry;")
                        .contains("pg_stat_activity").doesNotContain("I/O error");
            });
            other.rollback();
            store.inTransaction(c -> {
                execute(c, "UPDATE held SET x = 2");
                return null;
            });
            assertThat(store.<String>read(c -> query(c, "SELECT x FROM held"))).isEqualTo("2");
        }
    }

    /** Each connection has the lock and statement timeouts, but one the URL sets itself (in its options) is the URL's. */
    @Test
    void connectionsHaveLockAndStatementTimeoutsUnlessTheUrlSetsItsOwn() {
        try (MetadataStore store = MetadataStore.open(url)) {
            assertThat(store.<String>read(c -> query(c, "SHOW lock_timeout"))).isEqualTo("5s");
            assertThat(store.<String>read(c -> query(c, "SHOW statement_timeout"))).isEqualTo("8s");
        }
        try (MetadataStore store = MetadataStore.open(url + "&options=-c%20lock_timeout%3D1500")) {
            assertThat(store.<String>read(c -> query(c, "SHOW lock_timeout"))).isEqualTo("1500ms");
            assertThat(store.<String>read(c -> query(c, "SHOW statement_timeout"))).isEqualTo("8s");
        }
    }

    /**
     * A server that goes silent on a pooled connection (a partition, a hung host: its sockets stay open) fails the
     * transaction after the socket timeout, 10 s, within a transaction's budget, where it held the connection and the
     * thread for 60 s.
     */
    @Test
    void aServerGoneSilentOnAPooledConnectionFailsAfterTheSocketTimeout() throws Exception {
        try (TcpProxy proxy = TcpProxy.toServerOf(url); MetadataStore store = openUnchecked(proxy.through(url))) {
            store.read(MetadataStorePoolTest::backendPid);
            proxy.silence();
            assertUnavailableWithin(40.0, () -> store.read(MetadataStorePoolTest::backendPid), "is unavailable");
            proxy.restore();
            assertThat(store.read(MetadataStorePoolTest::backendPid)).isPositive();
        }
    }

    /**
     * A server whose port turns connections away fails a transaction that needs a new pooled connection after one short
     * wait of the pool's, rather than the whole 10 s (probe tc F2: the transactions begun before the outage was known each
     * held a request thread for 10 s), saying what the server answered.
     */
    @Test
    void aPoolThatCannotConnectFailsAfterOneShortWaitNotTheWholeTenSeconds() throws Exception {
        try (TcpProxy proxy = TcpProxy.toServerOf(url); MetadataStore store = MetadataStore.open(proxy.through(url))) {
            store.read(MetadataStorePoolTest::backendPid);
            proxy.cut();
            Thread.sleep(600); // past the pool's 500 ms: it checks the idle connection, finds it dropped, and tries to connect
            assertUnavailableWithin(6.0, () -> store.read(MetadataStorePoolTest::backendPid), "is unavailable: cannot connect (");
            proxy.restore();
            assertThat(store.read(MetadataStorePoolTest::backendPid)).isPositive();
        }
    }

    /** {@code call} fails as METADATA_UNAVAILABLE, its message holding {@code parts}, in under {@code seconds} (a generous bound). */
    private static void assertUnavailableWithin(double seconds, org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOfSatisfying(LatheException.class, e -> {
            assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
            for (String part : parts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to fail").isLessThan(seconds);
    }

    private static MetadataStore openUnchecked(String url) {
        return PostgresSchemas.withUncheckedPool(() -> MetadataStore.open(url));
    }

    /** The driver's socket timeout is on by default, and a URL's own value wins. */
    @Test
    void connectionsHaveASocketTimeoutUnlessTheUrlSetsItsOwn() {
        try (MetadataStore store = MetadataStore.open(url)) {
            assertThat(store.read(Connection::getNetworkTimeout)).as("ms")
                    .isEqualTo(Integer.parseInt(MetadataStore.POSTGRES_DEFAULTS.get("socketTimeout")) * 1000);
        }
        try (MetadataStore store = MetadataStore.open(url + "&socketTimeout=7")) {
            assertThat(store.read(Connection::getNetworkTimeout)).isEqualTo(7000);
        }
    }

    /**
     * A server that accepts connections and never answers (a hung host) fails the open with the URL named, after the
     * URL's socket timeout, instead of hanging the command.
     */
    @Test
    void aServerThatNeverAnswersFailsTheOpenInsteadOfHanging() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            String silentUrl = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/test?user=postgres&socketTimeout=1";
            long start = System.nanoTime();
            assertThatThrownBy(() -> MetadataStore.open(silentUrl)).isInstanceOf(LatheException.class)
                    .hasMessageContaining("Cannot connect to the metadata store jdbc:postgresql://127.0.0.1:" + silent.getLocalPort())
                    .hasMessageContaining("--metadata-url");
            assertThat((System.nanoTime() - start) / 1e9).as("seconds to fail").isLessThan(30);
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aRefusedConnectionNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String refused = "jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres&password=secret";
        assertThatThrownBy(() -> MetadataStore.open(refused)).isInstanceOf(LatheException.class)
                .hasMessageContaining("Cannot connect to the metadata store jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres&password=***")
                .hasMessageContaining("check that the database server is running and reachable from this host, and that --metadata-url")
                .hasMessageNotContaining("secret");
    }

    /** Probe E: a URL the driver cannot read was "cannot connect, retry later" (exit 6) after a raw driver log line. */
    @Test
    void aUrlTheDriverCannotReadIsAWrongArgument() {
        assertThatThrownBy(() -> MetadataStore.open("jdbc:postgresql://127.0.0.1:notaport/test?password=secret"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code())
                        .isEqualTo(dev.lathe.core.ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("is not a PostgreSQL JDBC URL the driver can read (a port must be a number)")
                .hasMessageNotContaining("secret");
    }

    private static int backendPid(Connection connection) throws SQLException {
        return Integer.parseInt(query(connection, "SELECT pg_backend_pid()"));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
