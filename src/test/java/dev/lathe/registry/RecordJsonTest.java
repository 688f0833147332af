package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RecordJson writes exactly the bytes Jackson's databind writes, which is what reads manifests and registry columns back. */
class RecordJsonTest {
    private static final ModelManifest.Column X = new ModelManifest.Column("x", "FLOAT64", "DOUBLE");
    private static final ModelManifest.Column S = new ModelManifest.Column("s \"quoted\" é", "STRING", "VARCHAR");

    /** Every part of a manifest present, with values of each kind the options and metrics hold. */
    static ModelManifest everyPart() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model_type", "LOGISTIC_REG");
        options.put("l2_reg", 0.25);
        options.put("max_iterations", 20L);
        options.put("num_trials", 3);
        options.put("enable_global_explain", true);
        options.put("input_label_cols", List.of("income"));
        options.put("class_weights", Map.of(">50K", 2.0));
        options.put("data_split_col", null);
        options.put("day", DayOfWeek.MONDAY); // not a plain value: written by Jackson itself
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("roc_auc", 0.91);
        metrics.put("log_loss", Double.NaN);
        metrics.put("tiny", 1e-300);
        metrics.put("huge", Double.POSITIVE_INFINITY);
        metrics.put("negative_zero", -0.0);
        return new ModelManifest(ModelManifest.FORMAT_VERSION, "d", "m", 7, "LOGISTIC_REG", "CLASSIFICATION", List.of(X, S),
                List.of(X, S), new ModelManifest.Column("income", "STRING", "VARCHAR"), List.of(">50K", "<=50K"), options,
                List.of("model_type", "input_label_cols"), true, "SELECT * FROM d.t\nWHERE x > 1",
                "CREATE MODEL d.m OPTIONS(model_type='LOGISTIC_REG') AS SELECT * FROM d.t", new ModelManifest.Fingerprint(100, 80,
                20, "duckdb-row-hash-sum:123"), metrics,
                List.of(new ModelManifest.Iteration(1, 0, 0.69, 0.7, 0.1, 12, List.of()),
                        new ModelManifest.Iteration(1, 1, 0.5, null, 0.1, 3, List.of(new ModelManifest.Cluster(1, 2.5, 40)))),
                new ModelManifest.Timings("2026-12-06T05:00:00Z", "2026-12-06T05:00:01Z", 10, 20, 30, 40), "0.1.0",
                new ModelManifest.ImportedFile("/models/m.onnx", "ab12", 1234, List.of(X)),
                List.of(new ModelManifest.GlobalAttribution("x", 0.5, null), new ModelManifest.GlobalAttribution("s", 0.25, ">50K")));
    }

    /** A trained model's manifest: no label, no imported file, no explanation. */
    static ModelManifest fewParts() {
        return new ModelManifest(ModelManifest.FORMAT_VERSION, "d", "k", 1, "KMEANS", "CLUSTERING", List.of(X), List.of(X), null,
                List.of(), Map.of(), List.of(), false, null, null, null, Map.of(), List.of(), null, null);
    }

    @Test
    void manifestsAreWrittenAsJacksonWritesThem() throws Exception {
        for (ModelManifest manifest : List.of(everyPart(), fewParts())) {
            byte[] expected = ModelStore.json().writeValueAsBytes(manifest);
            assertThat(new String(ModelStore.serialize(manifest), StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(ModelStore.json().readValue(ModelStore.serialize(manifest), ModelManifest.class)).isEqualTo(
                    ModelStore.json().readValue(expected, ModelManifest.class));
        }
    }

    @Test
    void everyRecordComponentOfTheExampleIsPresent() {
        // guards the example above: a new manifest field must be given a value there, so that the comparison covers it
        String json = new String(ModelStore.serialize(everyPart()), StandardCharsets.UTF_8);
        for (var component : ModelManifest.class.getRecordComponents()) {
            assertThat(json).contains("\"" + component.getName() + "\" : ");
        }
        assertThat(json).contains("\"clusterInfo\"");
    }

    @Test
    void compactMapsAndListsAreWrittenAsAPlainMapperWritesThem() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        Map<String, Object> options = new HashMap<>(everyPart().options());
        options.put("nested", List.of(Map.of("a", 1), new ArrayList<>(Arrays.asList(1.5, null, "x"))));
        for (Object value : List.of(options, everyPart().evaluationMetrics(), List.of("b.t", "c.u"), List.of(), Map.of())) {
            assertThat(new String(RecordJson.writeCompact(value), StandardCharsets.UTF_8)).isEqualTo(plain.writeValueAsString(value));
        }
    }
}
