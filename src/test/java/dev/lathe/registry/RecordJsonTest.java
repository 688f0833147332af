package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
                List.of(new ModelManifest.GlobalAttribution("x", 0.5, null), new ModelManifest.GlobalAttribution("s", 0.25, ">50K")))
                .withFiles(Map.of("estimator.bin", new ModelManifest.StoredFile(88, "e3069283")));
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

    @Test
    void manifestsAreReadAsJacksonReadsThem() throws Exception {
        for (ModelManifest manifest : List.of(everyPart(), fewParts())) {
            byte[] json = ModelStore.json().writeValueAsBytes(manifest);
            ModelManifest expected = ModelStore.json().readValue(json, ModelManifest.class);
            ModelManifest read = RecordJson.read(json, ModelManifest.class);
            assertThat(read).isEqualTo(expected);
        }
        // the untyped option values keep databind's types (equals of the maps tells Integer and Long apart)
        ModelManifest read = RecordJson.read(ModelStore.json().writeValueAsBytes(everyPart()), ModelManifest.class);
        assertThat(read.options().get("max_iterations")).isInstanceOf(Integer.class).isEqualTo(20);
        assertThat(read.options().get("l2_reg")).isEqualTo(0.25);
        assertThat(read.evaluationMetrics().get("log_loss")).isNaN();
    }

    @Test
    void theGoldenManifestsOfFormatVersion1AreReadAsJacksonReadsThem() throws Exception {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/golden/v1/models"))) {
            manifests = files.filter(file -> file.getFileName().toString().equals("manifest.json")).sorted().toList();
        }
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(4);
        for (Path file : manifests) {
            byte[] json = Files.readAllBytes(file);
            assertThat(RecordJson.read(json, ModelManifest.class)).as(file.toString())
                    .isEqualTo(ModelStore.json().readValue(json, ModelManifest.class));
        }
    }

    @Test
    void oldNewAndOddFieldsAreReadAsJacksonReadsThem() throws Exception {
        String json = """
                {"formatVersion": 1, "dataset": "d", "name": "m", "modelType": "LINEAR_REG", "task": "REGRESSION",
                 "inputColumns": [{"name": "x", "type": "FLOAT64", "duckDbType": "DOUBLE", "addedLater": {"a": [1, 2]}}],
                 "featureColumns": [], "classLabels": [], "explicitOptions": [], "trainingInfo": [
                   {"trainingRun": 1, "iteration": 0, "loss": "NaN", "evalLoss": "-Infinity", "learningRate": null, "durationMs": 7}],
                 "options": {"i": 3, "l": 30000000000, "big": 123456789012345678901234567890, "d": 1.5, "s": "NaN", "n": null,
                   "list": [1, 2.5, "x", true, null, {"k": false}]},
                 "evaluationMetrics": {"r2_score": "Infinity", "rmse": 2},
                 "hasTransform": true, "somethingNew": [{"deep": {"deeper": null}}], "version": 4}
                """;
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ModelManifest expected = ModelStore.json().readValue(bytes, ModelManifest.class);
        ModelManifest read = RecordJson.read(bytes, ModelManifest.class);
        assertThat(read).isEqualTo(expected);
        assertThat(read.version()).isEqualTo(4);
        assertThat(read.importedFile()).isNull();
        assertThat(read.trainingInfo().get(0).loss()).isNaN();
    }

    @Test
    void unreadableManifestsFailAsIoErrors() {
        assertThatThrownBy(() -> RecordJson.read("{\"dataset\": ".getBytes(StandardCharsets.UTF_8), ModelManifest.class))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RecordJson.read("".getBytes(StandardCharsets.UTF_8), ModelManifest.class))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RecordJson.read("{\"name\": \"m\", \"modelType\": \"X\"}".getBytes(StandardCharsets.UTF_8),
                ModelManifest.class)).isInstanceOf(IOException.class).hasMessageContaining("field dataset is missing");
    }

    @Test
    void theManifestsRecordsAreTakenApartAndMadeByDirectCallsAsByReflection() throws Exception {
        ModelManifest manifest = everyPart();
        List<Record> records = List.of(manifest, manifest.label(), manifest.trainingInput(), manifest.trainingInfo().get(1),
                manifest.trainingInfo().get(1).clusterInfo().get(0), manifest.timings(), manifest.importedFile(),
                manifest.globalExplanation().get(1), manifest.files().get("estimator.bin"));
        for (Record record : records) {
            Object[] direct = RecordJson.components(record);
            assertThat(direct).as(record.getClass().getSimpleName()).containsExactly(RecordJson.reflectiveComponents(record));
            assertThat(RecordJson.construct(record.getClass(), direct)).isEqualTo(record);
        }
        record Other(String a, int b) {}
        Other other = new Other("x", 2);
        assertThat(RecordJson.components(other)).containsExactly("x", 2);
        assertThat(RecordJson.construct(Other.class, new Object[] {"x", 2})).isEqualTo(other);
    }

    @Test
    void registryColumnsAreReadAsJacksonReadsThem() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        String options = "{\"model_type\": \"LOGISTIC_REG\", \"l2_reg\": 0.5, \"max_iterations\": 20, \"big\": 30000000000,"
                + " \"flag\": true, \"cols\": [\"a\", 1, null], \"weights\": {\"x\": 2.0}, \"none\": null}";
        var optionsType = new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {};
        assertThat(RecordJson.read(options.getBytes(StandardCharsets.UTF_8), optionsType.getType()))
                .isEqualTo(plain.readValue(options, optionsType)).isInstanceOf(LinkedHashMap.class);
        String metrics = "{\"r2_score\": 0.25, \"log_loss\": \"NaN\", \"count\": 3}";
        var metricsType = new com.fasterxml.jackson.core.type.TypeReference<Map<String, Double>>() {};
        assertThat(RecordJson.read(metrics.getBytes(StandardCharsets.UTF_8), metricsType.getType()))
                .isEqualTo(plain.readValue(metrics, metricsType));
        var labelsType = new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {};
        for (String labels : List.of("{}", "{\"team\": \"ml\", \"n\": 1}")) {
            assertThat(RecordJson.read(labels.getBytes(StandardCharsets.UTF_8), labelsType.getType()))
                    .isEqualTo(plain.readValue(labels, labelsType));
        }
        var tablesType = new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {};
        for (String tables : List.of("[]", "[\"d.t\", \"e.u\"]")) {
            assertThat(RecordJson.read(tables.getBytes(StandardCharsets.UTF_8), tablesType.getType()))
                    .isEqualTo(plain.readValue(tables, tablesType));
        }
    }
}
