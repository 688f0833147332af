package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another process holding SQLite's write lock longer than the busy timeout. */
class MetadataStoreBusyTest {
    @TempDir
    Path folder;

    /**
     * Probe sg: sqlite-jdbc clears its auto-commit flag before its BEGIN IMMEDIATE runs, so a BEGIN that timed out (busy)
     * left the shared connection believing a transaction was open when none was. The retry then ran its statements each
     * committed on its own, and its commit failed "cannot commit - no transaction is active": an alias move reported as an
     * internal error was applied all the same. The retry now opens a transaction of its own and succeeds once the lock goes.
     */
    @Test
    void aWriteThatOutlastsTheBusyTimeoutIsRetriedAsOneTransaction() throws Exception {
        String url = MetadataStore.defaultUrl(folder) + "?busy_timeout=100"; // the store's 10 s, shortened for the test
        try (MetadataStore store = MetadataStore.open(url); Connection other = DriverManager.getConnection(url)) {
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counted (x INTEGER)");
                }
                return null;
            });
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try (Statement s = other.createStatement()) {
                    s.execute("BEGIN EXCLUSIVE");
                    s.execute("INSERT INTO counted VALUES (0)");
                    locked.countDown();
                    Thread.sleep(400);
                    s.execute("COMMIT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO counted VALUES (1)");
                    s.executeUpdate("INSERT INTO counted VALUES (2)");
                }
                return null;
            });
            holder.get(10, TimeUnit.SECONDS);
            assertThat(store.read(MetadataStoreBusyTest::count)).isEqualTo(3); // the other process's row and both of these
            // the connection is back in auto-commit between transactions: a failed write leaves nothing behind
            store.inTransaction(c -> {
                assertThat(c.getAutoCommit()).isFalse();
                return null;
            });
        }
    }

    /** A lock held through every try: UNAVAILABLE (exit 6), nothing changed, and the store usable afterwards. */
    @Test
    void aLockHeldThroughEveryTryIsUnavailableAndChangesNothing() throws Exception {
        String url = MetadataStore.defaultUrl(folder) + "?busy_timeout=50";
        try (MetadataStore store = MetadataStore.open(url); Connection other = DriverManager.getConnection(url)) {
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counted (x INTEGER)");
                }
                return null;
            });
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                s.execute("INSERT INTO counted VALUES (0)");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.inTransaction(c -> {
                    try (Statement w = c.createStatement()) {
                        return w.executeUpdate("INSERT INTO counted VALUES (1)");
                    }
                })).isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> {
                    assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("stayed locked by another process through 5 tries").contains("nothing was changed");
                });
                s.execute("ROLLBACK");
            }
            assertThat(store.read(MetadataStoreBusyTest::count)).isZero();
            store.inTransaction(c -> {
                try (Statement w = c.createStatement()) {
                    return w.executeUpdate("INSERT INTO counted VALUES (2)");
                }
            });
            assertThat(store.read(MetadataStoreBusyTest::count)).isEqualTo(1);
        }
    }

    private static long count(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM counted")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
