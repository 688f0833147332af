package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.QualitySpec;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a PREDICTION_QUALITY objective scores and against what: the ground truth and its columns (as
 * {@code :evaluatePredictions} takes them; defaults there), ML.EVALUATE's binary {@code threshold} for
 * classifiers, the watched {@code metric} and the value it must not fall below (or, for errors and losses, rise above),
 * and {@code labelDelay}: how long after a window ends its labels are complete, so it is judged only then.
 */
public record PredictionQualityConfig(GroundTruth groundTruth, Optional<String> requestIdColumn, Optional<String> labelColumn,
        Optional<String> instanceIndexColumn, OptionalDouble classificationThreshold, String metric, double metricThreshold, Duration labelDelay) {
    public static final Duration MAX_LABEL_DELAY = MonitorSpec.MAX_WINDOW;

    public PredictionQualityConfig {
        requireNonNull(groundTruth, "groundTruth is null");
        requireNonNull(requestIdColumn, "requestIdColumn is null");
        requireNonNull(labelColumn, "labelColumn is null");
        requireNonNull(instanceIndexColumn, "instanceIndexColumn is null");
        requireNonNull(classificationThreshold, "classificationThreshold is null");
        requireNonNull(metric, "metric is null");
        requireNonNull(labelDelay, "labelDelay is null");
        if (groundTruth instanceof GroundTruth.Relation) {
            throw new IllegalArgumentException("a monitor's ground truth is a table or a query");
        }
        if (!QualityMetrics.isKnown(metric)) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; metrics are " + QualityMetrics.NAMES);
        }
        if (!Double.isFinite(metricThreshold)) {
            throw new IllegalArgumentException("metricThreshold must be a finite number, got " + metricThreshold);
        }
        if (labelDelay.isNegative() || labelDelay.compareTo(MAX_LABEL_DELAY) > 0 || labelDelay.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("labelDelay must be whole seconds from 0 to 366 days, got " + labelDelay);
        }
    }

    /** The evaluation of one deployed model's logged predictions, as {@code :evaluatePredictions} would run it. */
    QualitySpec spec(String endpoint, String deployedModelId) {
        QualitySpec spec = QualitySpec.of(endpoint, groundTruth).withDeployedModelId(deployedModelId);
        spec = requestIdColumn.map(spec::withRequestIdColumn).orElse(spec);
        spec = labelColumn.map(spec::withLabelColumn).orElse(spec);
        spec = instanceIndexColumn.map(spec::withInstanceIndexColumn).orElse(spec);
        return classificationThreshold.isPresent() ? spec.withThreshold(classificationThreshold.getAsDouble()) : spec;
    }

    /** Whether {@code value} of the metric is worse than the threshold. */
    boolean isAnomaly(double value) {
        return QualityMetrics.isWorse(metric, value, metricThreshold);
    }
}
