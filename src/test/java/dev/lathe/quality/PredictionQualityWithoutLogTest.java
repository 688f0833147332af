package dev.lathe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.serve.store.EndpointSpec;
import dev.lathe.serve.store.EndpointStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint that has logged nothing: windows say so (and why), with the deployed model's metric columns. */
class PredictionQualityWithoutLogTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("2025-01-02T00:00:00Z");

    @Test
    void windowsOfAnEndpointThatLoggedNothingSayWhy(@TempDir Path directory) {
        try (Platform platform = Platform.open(directory); Engine session = platform.session(line -> {})) {
            session.execute("""
                    CREATE SCHEMA d;
                    CREATE TABLE d.t AS SELECT CAST(i AS DOUBLE) AS x, 2.0 * i + 1 AS y FROM range(50) AS r(i);
                    CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d.t;
                    CREATE TABLE d.labels AS SELECT 'r1' AS request_id, 3.0 AS y;
                    """, (text, result) -> {});
            EndpointStore endpoints = new EndpointStore(platform.metadataStore());
            endpoints.create(new EndpointSpec("quiet", "quiet", "", Map.of(), 0.0));
            endpoints.deploy("quiet", "d", "m", 1, Optional.empty(), Optional.of(Map.of("0", 100)));
            QualitySpec spec = QualitySpec.of("quiet", GroundTruth.table("d", "labels"));

            WindowQuality never = platform.predictionQuality().evaluate(spec, START, END);
            assertThat(never.status()).isEqualTo(WindowQuality.Status.NO_PREDICTIONS);
            assertThat(never.rowsLogged()).isZero();
            assertThat(never.metrics()).isEmpty();
            assertThat(never.reason().orElseThrow()).contains("lathe_logs.request_response_logging does not exist");
            assertThat(platform.predictionQuality().evaluate(spec, Windows.single(START, END)).metricNames()).contains("r2_score");
            assertThatThrownBy(() -> platform.predictionQuality().evaluate(spec.withLabelColumn("z"), START, END))
                    .hasMessageContaining("lacks the label column 'z'");
            assertThatThrownBy(() -> platform.predictionQuality().evaluate(QualitySpec.of("loud", GroundTruth.table("d", "labels")), START, END))
                    .hasMessageContaining("Endpoint 'loud' not found").hasMessageContaining("Endpoints are: quiet");

            session.execute("""
                    CREATE SCHEMA lathe_logs;
                    CREATE TABLE lathe_logs.request_response_logging (endpoint VARCHAR, deployed_model_id VARCHAR, logging_time TIMESTAMP,
                      request_id VARCHAR, request_payload VARCHAR, response_payload VARCHAR, model VARCHAR, model_version VARCHAR);
                    """, (text, result) -> {});
            assertThat(platform.predictionQuality().evaluate(spec, START, END).reason().orElseThrow()).contains("logs no requests (its logging is off)");
        }
    }
}
