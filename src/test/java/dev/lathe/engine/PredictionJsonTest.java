package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.model.Predictions;
import dev.lathe.server.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The direct writer against Jackson's writing of the same rows; the cases it leaves to the caller. */
class PredictionJsonTest {

    @Test
    void valuesAreWrittenAsJacksonWritesTheirMaps() {
        PredictionJson json = new PredictionJson("weight \"kg\"", List.of());
        double[] values = {1.5, -0.0, 0.0, 1e-300, -3.25e7, 123456789.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2};
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (double value : values) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("predicted_weight \"kg\"", value);
            rows.add(row);
        }
        assertThat(text(json.write(new Predictions.Values(values), null))).isEqualTo(text(Json.bytes(rows)));
    }

    @Test
    void classProbabilitiesListTheClassesInDescendingIndexOrderWithTypedLabels() {
        List<Object> labels = List.of("<=50K", "caf\u00e9 \"\u00e9\"\n", 7L, true);
        PredictionJson json = new PredictionJson("income", labels);
        double[] probabilities = {0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25};
        int[] picked = {3, 1};
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("predicted_income", labels.get(picked[r]));
            List<Map<String, Object>> probs = new java.util.ArrayList<>();
            for (int c = 3; c >= 0; c--) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("label", labels.get(c));
                entry.put("prob", probabilities[r * 4 + c]);
                probs.add(entry);
            }
            row.put("predicted_income_probs", probs);
            rows.add(row);
        }
        assertThat(text(json.write(new Predictions.Probabilities(4, probabilities), picked))).isEqualTo(text(Json.bytes(rows)));
    }

    @Test
    void valuesThatAreNotFiniteAndClusteringAreLeftToTheCaller() {
        PredictionJson json = new PredictionJson("y", List.of("a", "b"));
        assertThat(json.write(new Predictions.Values(new double[] {1.0, Double.NaN}), null)).isNull();
        assertThat(json.write(new Predictions.Values(new double[] {Double.POSITIVE_INFINITY}), null)).isNull();
        assertThat(json.write(new Predictions.Probabilities(2, new double[] {Double.NaN, Double.NaN}), new int[] {0})).isNull();
        assertThat(json.write(new Predictions.Probabilities(3, new double[] {0.2, 0.3, 0.5}), new int[] {2})).as("3 classes, 2 labels")
                .isNull();
        assertThat(json.write(new Predictions.Distances(2, new double[] {1.0, 2.0}), null)).isNull();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
