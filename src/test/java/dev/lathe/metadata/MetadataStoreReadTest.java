package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import dev.lathe.testing.PostgresSchemas;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/** Read transactions: no write lock on SQLite (a replica's polls and the primary's writes), read only on PostgreSQL. */
class MetadataStoreReadTest {
    @TempDir
    Path folder;

    /**
     * Probe E: opening a store ran five write transactions (the migrations' checks), so a read-only command waited for
     * another process's write lock and, after the 10 s busy timeout, failed as an internal error. A current schema is
     * only read now.
     */
    @Test
    void openingACurrentSqliteStoreTakesNoWriteLock() throws Exception {
        String url = MetadataStore.defaultUrl(folder);
        try (MetadataStore first = MetadataStore.open(url)) {
            first.inTransaction(c -> { // another process holding the write lock (a long transaction): the open used to fail
                try (MetadataStore second = MetadataStore.open(url)) {
                    int version = second.read(Migrations::currentVersion);
                    assertThat(version).isEqualTo(Migrations.latest());
                }
                return null;
            });
        }
    }

    /**
     * Two stores on one SQLite file stand for a primary and a replica (two connections lock each other as two processes
     * do). While the replica is inside a read, the primary commits a write; the read keeps its snapshot. With the write
     * lock taken by the read (IMMEDIATE), the primary would wait out its 10 s busy timeout and the read's 5 s wait would
     * end first.
     */
    @Test
    void aSqliteReadLetsAnotherProcessWriteAndKeepsItsSnapshot() throws Exception {
        String url = MetadataStore.defaultUrl(folder);
        try (MetadataStore replica = MetadataStore.open(url); MetadataStore primary = MetadataStore.open(url)) {
            primary.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counted (x INTEGER)");
                    s.execute("INSERT INTO counted VALUES (1)");
                }
                return null;
            });
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch written = new CountDownLatch(1);
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    reading.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                primary.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO counted VALUES (2)");
                    }
                    return null;
                });
                written.countDown();
            });
            long[] seen = replica.read(c -> {
                long before = count(c);
                reading.countDown();
                boolean wrote;
                try {
                    wrote = written.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new long[] {before, wrote ? 1 : 0, count(c)};
            });
            write.get(30, TimeUnit.SECONDS);
            assertThat(seen[1]).as("the primary committed while the replica's read was open").isEqualTo(1);
            assertThat(seen[0]).isEqualTo(1);
            assertThat(seen[2]).as("the read's snapshot").isEqualTo(1);
            assertThat(replica.read(MetadataStoreReadTest::count)).isEqualTo(2);
        }
    }

    @Test
    void writesStillTakeTheWriteLockFromTheirBeginAfterAReadOrAFailedRead() {
        try (MetadataStore store = MetadataStore.open(MetadataStore.defaultUrl(folder))) {
            assertThat((Object) store.read(MetadataStoreReadTest::mode)).isEqualTo(SQLiteConfig.TransactionMode.DEFERRED);
            assertThat((Object) store.inTransaction(MetadataStoreReadTest::mode)).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
            assertThatThrownBy(() -> store.read(c -> {
                throw new IllegalStateException("failed read");
            })).hasMessage("failed read");
            assertThat((Object) store.inTransaction(MetadataStoreReadTest::mode)).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
    }

    /** Two stores in two schemas of one PostgreSQL database: the second's open found the first's schema_migrations. */
    @Test
    void aFreshPostgresqlSchemaOpensBesideAnotherSchemasStore() {
        String first = PostgresSchemas.create();
        String second = PostgresSchemas.create();
        try (MetadataStore a = MetadataStore.open(first); MetadataStore b = MetadataStore.open(second)) {
            assertThat(a.schemaVersion()).isEqualTo(Migrations.latest());
            assertThat(b.schemaVersion()).isEqualTo(Migrations.latest());
        } finally {
            PostgresSchemas.drop(first);
            PostgresSchemas.drop(second);
        }
    }

    @Test
    void aPostgresqlReadRefusesToWrite() {
        String url = PostgresSchemas.create();
        try (MetadataStore store = MetadataStore.open(url)) {
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counted (x INTEGER)");
                }
                return null;
            });
            assertThatThrownBy(() -> store.read(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO counted VALUES (1)");
                }
            })).isInstanceOf(LatheException.class).hasMessageContaining("read-only");
            assertThat(store.read(MetadataStoreReadTest::count)).isZero();
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO counted VALUES (1)");
                }
            });
            assertThat(store.read(MetadataStoreReadTest::count)).isEqualTo(1);
        } finally {
            PostgresSchemas.drop(url);
        }
    }

    private static SQLiteConfig.TransactionMode mode(java.sql.Connection c) throws java.sql.SQLException {
        return c.unwrap(SQLiteConnection.class).getConnectionConfig().getTransactionMode();
    }

    private static long count(java.sql.Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM counted")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
