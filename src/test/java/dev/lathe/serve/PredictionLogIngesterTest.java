package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.server.ServerMetrics;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionLogIngesterTest {
    @Test
    void takesEachShippedFileInOnceAndDeletesIt(@TempDir Path directory) throws Exception {
        Path incoming = PredictionLogIngester.incoming(directory);
        Files.createDirectories(incoming);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ship(warehouse, incoming.resolve("replica-a-1-0.parquet"), 3);
            ship(warehouse, incoming.resolve(".replica-a-2-1.parquet.tmp"), 5); // still being written: not taken
            ServerMetrics.Counter ingested = new ServerMetrics().counter("ingested_total", "rows");
            PredictionLogIngester ingester = new PredictionLogIngester(warehouse, incoming, Duration.ofSeconds(60), ingested);
            assertThat(ingester.ingestNow()).isEqualTo(3);
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.request_response_logging")).isEqualTo(3);
            try (Stream<Path> left = Files.list(incoming)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".replica-a-2-1.parquet.tmp");
            }

            // The round forgot the name of the file it deleted: the table does not grow with every file ever shipped.
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.ingested_log_files")).isZero();

            // A crash after the commit but before the delete leaves the file and its name: the next round deletes it
            // unread, then forgets the name.
            ship(warehouse, incoming.resolve("replica-a-1-0.parquet"), 3);
            execute(warehouse, "INSERT INTO lathe_logs.ingested_log_files VALUES ('replica-a-1-0.parquet', 3, now())");
            ship(warehouse, incoming.resolve("replica-b-1-0.parquet"), 2);
            assertThat(ingester.ingestNow()).isEqualTo(2);
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.request_response_logging")).isEqualTo(5);
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.ingested_log_files")).isZero();
            assertThat(Files.exists(incoming.resolve("replica-a-1-0.parquet"))).isFalse();
            assertThat(ingester.ingestNow()).isZero();
            assertThat(ingested.labels().value()).isEqualTo(5);
        }
    }

    /**
     * A process that owns the warehouse without running a server takes in what replicas shipped, once; a primary
     * server does so before it turns ready (its first scheduled round would come a whole interval later).
     */
    @Test
    void anOwnerWithoutAServerAndAStartingPrimaryTakeInWhatWasShipped(@TempDir Path directory) throws Exception {
        Path incoming = PredictionLogIngester.incoming(directory);
        Files.createDirectories(incoming);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThat(PredictionLogIngester.takeInShipped(warehouse, directory.resolve("nothing-shipped-here"))).isZero();
            ship(warehouse, incoming.resolve("replica-a-1-0.parquet"), 3);
            assertThat(PredictionLogIngester.takeInShipped(warehouse, directory)).isEqualTo(3);
            assertThat(PredictionLogIngester.takeInShipped(warehouse, directory)).isZero();
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.request_response_logging")).isEqualTo(3);
        }
        Path data = directory.resolve("data");
        try (dev.lathe.engine.Platform platform = dev.lathe.engine.Platform.open(data)) {
            Files.createDirectories(PredictionLogIngester.incoming(data));
            ship(platform.warehouse(), PredictionLogIngester.incoming(data).resolve("replica-b-1-0.parquet"), 4);
            dev.lathe.server.LatheServer.Builder builder = dev.lathe.server.LatheServer.builder(platform,
                    dev.lathe.server.ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {});
            dev.lathe.server.ServerModules.standard(Duration.ofHours(1)).forEach(module -> module.configure(builder));
            try (dev.lathe.server.LatheServer server = builder.start()) {
                assertThat(server.awaitReady(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(count(platform.warehouse(), "SELECT count(*) FROM lathe_logs.request_response_logging")).isEqualTo(4);
            }
        }
    }

    /** The primary's log table with a user's own column (and one of Lathe's dropped) still takes in what replicas ship. */
    @Test
    void takesShippedRowsInByNameIntoAnAlteredTable(@TempDir Path directory) throws Exception {
        Path incoming = PredictionLogIngester.incoming(directory);
        Files.createDirectories(incoming);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
                PredictionLogger.createTable(statement);
                statement.execute("ALTER TABLE lathe_logs.request_response_logging ADD COLUMN reviewed BOOLEAN DEFAULT false");
                statement.execute("ALTER TABLE lathe_logs.request_response_logging DROP COLUMN response_payload");
            }
            ship(warehouse, incoming.resolve("replica-a-1-0.parquet"), 3);
            PredictionLogIngester ingester = new PredictionLogIngester(warehouse, incoming, Duration.ofSeconds(60),
                    new ServerMetrics().counter("ingested_total", "rows"));
            assertThat(ingester.ingestNow()).isEqualTo(3);
            assertThat(count(warehouse, "SELECT count(*) FROM lathe_logs.request_response_logging"
                    + " WHERE NOT reviewed AND model = 'd.m' AND request_id LIKE 'r%'")).isEqualTo(3);
        }
    }

    /** Writes {@code rows} log rows as the replica's logger ships them (the table's columns, as Parquet). */
    private static void ship(Warehouse warehouse, Path file, int rows) throws Exception {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT 'e' AS endpoint, 'd1' AS deployed_model_id, TIMESTAMP '2026-12-05 10:00:00' AS logging_time,"
                    + " 'r' || i AS request_id, '{}' AS request_payload, '{}' AS response_payload, 'd.m' AS model, '1' AS model_version"
                    + " FROM range(" + rows + ") t(i)) TO " + Sql.literal(file.toString()) + " (FORMAT parquet)");
        }
    }

    private static void execute(Warehouse warehouse, String sql) throws Exception {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Warehouse warehouse, String sql) throws Exception {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
