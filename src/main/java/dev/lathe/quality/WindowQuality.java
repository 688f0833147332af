package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One window's evaluation. Counts are of predicted instances (a request with three instances logs three):
 * {@code rowsLogged = rowsMatched + rowsWithoutLabel + rowsWithoutPrediction}, the last being labelled instances
 * whose logged response lacks the prediction (an Open Inference Protocol request that asked for other outputs).
 * {@code metrics} holds ML.EVALUATE's columns by name when {@code status} is {@link Status#OK}, and is empty
 * otherwise, with {@code reason} saying why.
 */
public record WindowQuality(Instant start, Instant end, long rowsLogged, long rowsMatched, long rowsWithoutLabel, long rowsWithoutPrediction,
        Status status, Optional<String> reason, Map<String, Double> metrics) {
    /** Whether a window could be scored. */
    public enum Status {
        /** Metrics computed over {@code rowsMatched} predictions. */
        OK,
        /** No prediction was logged in the window: nothing to score. */
        NO_PREDICTIONS,
        /** Predictions were logged but none has a label (yet). */
        NO_LABELS
    }

    public WindowQuality {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(status, "status is null");
        requireNonNull(reason, "reason is null");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if ((status == Status.OK) == metrics.isEmpty()) {
            throw new IllegalArgumentException("metrics are present exactly when the status is OK; status " + status + ", metrics " + metrics);
        }
    }

    /** A metric of an OK window (e.g. {@code r2_score}); empty when the window has no metrics. */
    public Optional<Double> metric(String name) {
        return Optional.ofNullable(metrics.get(name));
    }
}
