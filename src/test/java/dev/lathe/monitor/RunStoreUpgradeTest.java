package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory whose monitoring tables an earlier version created opens, keeps its runs and stores quality findings. */
class RunStoreUpgradeTest {
    /** The tables as the version before prediction quality monitors created them, with one run and one finding. */
    private static final String EARLIER_VERSION = """
            CREATE SCHEMA lathe_monitoring;
            CREATE SEQUENCE lathe_monitoring.run_ids START 2;
            CREATE TABLE lathe_monitoring.runs (
                run_id BIGINT PRIMARY KEY, monitor_id VARCHAR NOT NULL, endpoint VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL,
                window_end TIMESTAMP NOT NULL, run_trigger VARCHAR NOT NULL, state VARCHAR NOT NULL, rows_read BIGINT NOT NULL,
                rows_skipped BIGINT NOT NULL, instances_profiled BIGINT NOT NULL, anomaly_count INTEGER NOT NULL,
                skipped_reasons VARCHAR NOT NULL, notes VARCHAR NOT NULL, error VARCHAR, start_time TIMESTAMP NOT NULL,
                end_time TIMESTAMP NOT NULL);
            CREATE TABLE lathe_monitoring.feature_stats (
                run_id BIGINT NOT NULL, monitor_id VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL,
                deployed_model_id VARCHAR NOT NULL, model VARCHAR NOT NULL, objective VARCHAR NOT NULL, feature VARCHAR, metric VARCHAR,
                value DOUBLE, threshold DOUBLE, is_anomaly BOOLEAN, data_status VARCHAR NOT NULL, message VARCHAR);
            INSERT INTO lathe_monitoring.runs VALUES (1, 'old', 'shop', TIMESTAMP '2024-05-01 09:00:00', TIMESTAMP '2024-05-01 10:00:00',
                'SCHEDULE', 'SUCCEEDED', 3, 0, 46, 1, '[]', '[]', NULL, TIMESTAMP '2024-05-01 10:00:01', TIMESTAMP '2024-05-01 10:00:02');
            INSERT INTO lathe_monitoring.feature_stats VALUES (1, 'old', TIMESTAMP '2024-05-01 09:00:00', TIMESTAMP '2024-05-01 10:00:00',
                '7', 'd.flipper@1', 'RAW_FEATURE_SKEW', 'body_mass_g', 'JENSEN_SHANNON_DIVERGENCE', 0.9, 0.3, TRUE, 'OK', NULL);
            """;

    @Test
    void anEarlierVersionsTablesGainTheCountColumnsAndKeepTheirRuns(@TempDir Path directory) throws Exception {
        try (Warehouse warehouse = Warehouse.open(directory); Connection connection = warehouse.connect()) {
            for (String statement : EARLIER_VERSION.split(";\n")) {
                if (!statement.isBlank()) {
                    Sql.execute(connection, statement);
                }
            }
        }
        try (Warehouse warehouse = Warehouse.open(directory)) {
            RunStore store = new RunStore(warehouse);
            store.initialize();
            store.initialize();
            MonitorRun old = store.get("old", 1).orElseThrow();
            assertThat(old.findings()).singleElement().satisfies(f -> {
                assertThat(f.feature()).hasValue("body_mass_g");
                assertThat(f.anomalous()).isTrue();
                assertThat(f.predictions()).isEmpty();
                assertThat(f.matchedPredictions()).isEmpty();
            });

            Finding quality = new Finding("7", "d.mass@1", ObjectiveType.PREDICTION_QUALITY, Optional.empty(), Optional.of("r2_score"),
                    OptionalDouble.of(0.61), OptionalDouble.of(0.8), Optional.of(true), FindingStatus.OK, Optional.empty(), OptionalLong.of(40),
                    OptionalLong.of(30));
            Instant end = Instant.parse("2024-05-01T11:00:00Z");
            MonitorRun saved = store.save(new MonitorRun(0, "old", "shop", end.minusSeconds(3600), end, RunTrigger.MANUAL, RunState.SUCCEEDED, 40, 0,
                    40, Map.of(), List.of(), Optional.empty(), List.of(quality), end, end));
            assertThat(saved.id()).isEqualTo(2);
            assertThat(store.get("old", 2).orElseThrow().findings()).containsExactly(quality);
        }
    }
}
