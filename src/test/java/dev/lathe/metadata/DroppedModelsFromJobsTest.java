package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testing.PostgresSchemas;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe wops 5: dropped_models (V008) started empty, so a model dropped before the upgrade had its version numbers given
 * again after it. V010 seeds it from the batch jobs' records, the one trace of a dropped model's versions the store keeps.
 */
class DroppedModelsFromJobsTest {
    @TempDir
    Path folder;

    @Test
    void aStoreFromBeforeV008LearnsItsDroppedModelsFromItsJobsOnSqlite() throws SQLException {
        seedsFromJobs("jdbc:sqlite:" + folder.resolve("metadata.db"));
    }

    @Test
    void aStoreFromBeforeV008LearnsItsDroppedModelsFromItsJobsOnPostgresql() throws SQLException {
        String url = PostgresSchemas.create();
        try {
            seedsFromJobs(url);
        } finally {
            PostgresSchemas.drop(url);
        }
    }

    private static void seedsFromJobs(String url) throws SQLException {
        OlderSchema.create(url, 7); // as a Lathe from before dropped_models left it
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            // d.gone had versions up to 3 and was dropped; d.again was dropped after version 4 and made again (now at 1);
            // d.kept was never dropped; a job refused at submit resolved no version
            statement.execute("INSERT INTO models VALUES ('d', 'again', 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
            statement.execute("INSERT INTO models VALUES ('d', 'kept', 6, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
            job(connection, 1, "d.gone", 2);
            job(connection, 2, "D.gone@champion", 3);
            job(connection, 3, "d.again@4", 4);
            job(connection, 4, "d.kept@2", 2);
            job(connection, 5, "d.never", null);
        }
        try (MetadataStore store = MetadataStore.open(url)) { // migrates
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(counters(connection, "dropped_models")).isEqualTo(Map.of("d.gone", 4));
            assertThat(counters(connection, "models")).isEqualTo(Map.of("d.again", 5, "d.kept", 6));
        }
    }

    private static void job(Connection connection, long id, String model, Integer version) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_jobs (id, display_name, model, model_version, spec,"
                + " state, rows_processed, rows_total, successful_count, failed_count, incomplete_count, partial_failures, created_at,"
                + " updated_at) VALUES (?, '', ?, CAST(? AS INTEGER), '{}', 'SUCCEEDED', 0, 0, 0, 0, 0, '[]', '2026-01-01T00:00:00Z',"
                + " '2026-01-01T00:00:00Z')")) {
            insert.setLong(1, id);
            insert.setString(2, model);
            insert.setString(3, version == null ? null : version.toString());
            insert.executeUpdate();
        }
    }

    private static Map<String, Integer> counters(Connection connection, String table) throws SQLException {
        Map<String, Integer> counters = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT dataset, name, next_version FROM " + table)) {
            while (rows.next()) {
                counters.put(rows.getString(1) + "." + rows.getString(2), rows.getInt(3));
            }
        }
        return counters;
    }
}
