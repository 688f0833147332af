import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.QualityReport;
import dev.lathe.quality.QualitySpec;
import dev.lathe.quality.TableName;
import dev.lathe.quality.Windows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prediction quality over a synthetic prediction log: {@code requests} logged requests of {@code instances}
 * instances each, spread over one day, 90 % of the instances labelled, scored in 24 one-hour windows.
 * Usage: QualityBench <data dir> <regression|classification> <requests> <instances per request> <repeats>.
 * Prints the time to build the log (not measured), each evaluation's time and a RESULT line (median, peak RSS).
 */
public final class QualityBench {
    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        boolean classification = args[1].equals("classification");
        long requests = Long.parseLong(args[2]);
        int instances = Integer.parseInt(args[3]);
        int repeats = Integer.parseInt(args[4]);
        try (Platform platform = Platform.open(directory); Engine session = platform.session(line -> {})) {
            long start = System.nanoTime();
            session.execute(setup(classification, requests, instances), (text, result) -> {});
            System.out.println("log of " + requests + " requests x " + instances + " instances built in " + Proc.msSince(start) + " ms");
            QualitySpec spec = QualitySpec.of("e", GroundTruth.table("d", "labels")).withLogTable(new TableName("d", "log"));
            Windows windows = new Windows(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), Duration.ofHours(1));
            List<Long> times = new ArrayList<>();
            QualityReport report = null;
            for (int i = 0; i < repeats; i++) {
                long begin = System.nanoTime();
                report = platform.predictionQuality().evaluate(spec, windows);
                times.add(Proc.msSince(begin));
                System.out.println("  evaluation " + (i + 1) + ": " + times.getLast() + " ms");
            }
            long logged = report.windows().stream().mapToLong(w -> w.rowsLogged()).sum();
            long matched = report.windows().stream().mapToLong(w -> w.rowsMatched()).sum();
            String first = report.metricNames().getFirst();
            System.out.println("  windows " + report.windows().size() + ", logged " + logged + ", matched " + matched + ", window 0 "
                    + first + " = " + report.windows().getFirst().metrics().get(first));
            Collections.sort(times);
            Proc.result("quality_" + args[1], "instances=" + logged + " matched=" + matched + " median_ms=" + times.get(times.size() / 2));
        }
    }

    /** A model (for its manifest: label, classes), the log, and the labels; all in SQL. */
    private static String setup(boolean classification, long requests, int instances) {
        String model = classification
                ? "CREATE MODEL d.m OPTIONS (model_type = 'logistic_reg', input_label_cols = ['c']) AS SELECT x, CASE WHEN x < 3 THEN 'a' WHEN x < 6 THEN 'b' ELSE 'c' END AS c FROM d.t"
                : "CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, 2 * x + 1 AS y FROM d.t";
        // Probabilities are listed highest class first, as the server writes them.
        String prediction = classification
                ? "'{\"predicted_c\": \"a\", \"predicted_c_probs\": [{\"label\": \"c\", \"prob\": ' || ((i + j) % 10) / 20.0 || '}, "
                        + "{\"label\": \"b\", \"prob\": 0.25}, {\"label\": \"a\", \"prob\": ' || (0.75 - ((i + j) % 10) / 20.0) || '}]}'"
                : "'{\"predicted_y\": ' || ((i * 7 + j) % 1000) / 10.0 || '}'";
        String label = classification ? "['a', 'b', 'c'][1 + (i + j) % 3]" : "((i * 7 + j) % 1000) / 10.0 + (i % 13) - 6";
        return """
                CREATE SCHEMA d;
                CREATE TABLE d.t AS SELECT (i %% 100) / 10.0 AS x FROM range(1000) AS r(i);
                %s;
                CREATE TABLE d.log AS
                SELECT 'e' AS endpoint, '1000000001' AS deployed_model_id,
                       TIMESTAMP '2025-01-01 00:00:00' + to_microseconds(CAST(i * (86400000000 // %d) AS BIGINT)) AS logging_time,
                       'req-' || i AS request_id,
                       '{"instances": [' || array_to_string(list_transform(range(%d), lambda j: '{"x": ' || (i %% 100) / 10.0 || '}'), ', ') || ']}'
                         AS request_payload,
                       '{"predictions": [' || array_to_string(list_transform(range(%d), lambda j: %s), ', ')
                         || '], "deployedModelId": "1000000001", "model": "projects/p/locations/l/models/d.m", "modelVersionId": "1"}'
                         AS response_payload,
                       'd.m' AS model, '1' AS model_version
                FROM range(%d) AS r(i);
                CREATE TABLE d.labels AS
                SELECT 'req-' || i AS request_id, j AS instance_index, %s AS %s
                FROM range(%d) AS r(i), range(%d) AS s(j) WHERE (i + j) %% 10 <> 0;
                """.formatted(model, requests, instances, instances, prediction, requests, label, classification ? "c" : "y", requests,
                instances);
    }
}
