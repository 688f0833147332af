package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.metadata.MetadataStore;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lathe sql` without a server owns the warehouse: what replicas shipped while no primary ran is queryable. */
class SqlRunnerLogsTest {
    @Test
    void theLocalRunnerTakesInShippedPredictionLogsFirst(@TempDir Path data) throws Exception {
        Path incoming = data.resolve("prediction-logs").resolve("incoming");
        Files.createDirectories(incoming);
        try (Warehouse scratch = Warehouse.inMemory(); Connection connection = scratch.connect(); Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT 'e' AS endpoint, 'd1' AS deployed_model_id, TIMESTAMP '2026-12-05 10:00:00' AS logging_time,"
                    + " 'r' || i AS request_id, '{}' AS request_payload, '{}' AS response_payload, 'd.m' AS model, '1' AS model_version"
                    + " FROM range(3) t(i)) TO " + Sql.literal(incoming.resolve("replica-a-1-0.parquet").toString()) + " (FORMAT parquet)");
        }
        try (SqlRunner runner = SqlRunner.open(data, MetadataStore.defaultUrl(data), line -> {})) {
            assertThat(runner).isNotInstanceOf(SqlRunner.Remote.class);
        }
        try (java.util.stream.Stream<Path> left = Files.list(incoming)) {
            assertThat(left).as("the shipped file, deleted once taken in").isEmpty();
        }
        try (Warehouse warehouse = Warehouse.open(data); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM lathe_logs.request_response_logging")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(3);
        }
    }
}
