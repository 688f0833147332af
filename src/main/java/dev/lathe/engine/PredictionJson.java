package dev.lathe.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.model.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A model's online prediction rows as JSON, written straight from the estimator's output instead of through maps: the
 * same bytes Jackson writes for the rows {@link ModelRuntime#predict} returns ({@code [{"predicted_<label>": ...}, ...]}),
 * for regression values and class probabilities. The constant parts (column names, class labels) are encoded once, by
 * Jackson; per prediction only the numbers are formatted, as Jackson formats them ({@link Double#toString}). Immutable.
 */
final class PredictionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] PROB = bytes(",\"prob\":");

    /** {@code {"predicted_<label>":}. */
    private final byte[] predicted;
    /** {@code ,"predicted_<label>_probs":[}. */
    private final byte[] probs;
    /** Per class index: the label as JSON (string, number or boolean, typed as the label column). */
    private final byte[][] labels;
    /** Per class index: {@code {"label":<label>}. */
    private final byte[][] labelEntries;

    PredictionJson(String label, List<Object> typedClassLabels) {
        this.predicted = bytes("{" + json("predicted_" + label) + ":");
        this.probs = bytes("," + json("predicted_" + label + "_probs") + ":[");
        this.labels = new byte[typedClassLabels.size()][];
        this.labelEntries = new byte[typedClassLabels.size()][];
        for (int c = 0; c < labels.length; c++) {
            String text = json(typedClassLabels.get(c));
            labels[c] = bytes(text);
            labelEntries[c] = bytes("{\"label\":" + text);
        }
    }

    /**
     * The rows of {@code predictions} as JSON, or null where this writer does not cover them (clustering distances, or a
     * value that is not finite, which Jackson writes as a quoted string): the caller then writes the maps.
     *
     * @param predictedClass per row, the class index the threshold picks (probabilities only)
     */
    byte[] write(Predictions predictions, int[] predictedClass) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        out.append('[');
        switch (predictions) {
            case Predictions.Values v -> {
                for (int r = 0; r < v.rows(); r++) {
                    if (!Double.isFinite(v.values()[r])) {
                        return null;
                    }
                    if (r > 0) {
                        out.append(',');
                    }
                    out.write(predicted);
                    addNumber(out, v.values()[r]);
                    out.append('}');
                }
            }
            case Predictions.Probabilities p -> {
                if (p.classes() != labels.length) {
                    return null;
                }
                for (int r = 0; r < p.rows(); r++) {
                    if (r > 0) {
                        out.append(',');
                    }
                    out.write(predicted);
                    out.write(labels[predictedClass[r]]);
                    out.write(probs);
                    // In descending class index order, as ML.PREDICT lists them.
                    for (int c = p.classes() - 1; c >= 0; c--) {
                        double probability = p.get(r, c);
                        if (!Double.isFinite(probability)) {
                            return null;
                        }
                        if (c < p.classes() - 1) {
                            out.append(',');
                        }
                        out.write(labelEntries[c]);
                        out.write(PROB);
                        addNumber(out, probability);
                        out.append('}');
                    }
                    out.append(']');
                    out.append('}');
                }
            }
            case Predictions.Distances ignored -> {
                return null;
            }
        }
        out.append(']');
        return out.toByteArray();
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code value} as {@link Double#toString} writes it (ASCII only: digits, '-', '.', 'E'). */
    private static void addNumber(ByteArrayBuilder out, double value) {
        String text = Double.toString(value);
        for (int i = 0; i < text.length(); i++) {
            out.append(text.charAt(i));
        }
    }
}
