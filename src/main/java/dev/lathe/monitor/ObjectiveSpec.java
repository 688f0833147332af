package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One objective of a monitor and its alert thresholds: {@code thresholds} by feature name (case-insensitive), else
 * {@code defaultThreshold}. A finding is anomalous when its value crosses the threshold (for distances: is above it).
 * PREDICTION_QUALITY, and only it, has a {@code quality} config, whose metric threshold is its default threshold.
 */
public record ObjectiveSpec(ObjectiveType type, double defaultThreshold, Map<String, Double> thresholds, Optional<PredictionQualityConfig> quality) {
    /** Vertex AI's backend default for every feature without its own threshold. */
    public static final double DEFAULT_THRESHOLD = 0.3;

    public ObjectiveSpec {
        requireNonNull(type, "type is null");
        thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        requireNonNull(quality, "quality is null");
        if (quality.isPresent() != (type == ObjectiveType.PREDICTION_QUALITY)) {
            throw new IllegalArgumentException(type + (quality.isPresent() ? " takes no prediction quality config" : " needs a prediction quality config"));
        }
        if (quality.isPresent() && (defaultThreshold != quality.get().metricThreshold() || !thresholds.isEmpty())) {
            throw new IllegalArgumentException("PREDICTION_QUALITY's threshold is its config's metricThreshold; it has no per-feature thresholds");
        }
        if (quality.isEmpty() && !(defaultThreshold >= 0)) {
            throw new IllegalArgumentException("defaultThreshold must be >= 0, got " + defaultThreshold);
        }
    }

    /** A feature distribution or attribution objective. */
    public ObjectiveSpec(ObjectiveType type, double defaultThreshold, Map<String, Double> thresholds) {
        this(type, defaultThreshold, thresholds, Optional.empty());
    }

    /** A PREDICTION_QUALITY objective. */
    public static ObjectiveSpec predictionQuality(PredictionQualityConfig config) {
        return new ObjectiveSpec(ObjectiveType.PREDICTION_QUALITY, config.metricThreshold(), Map.of(), Optional.of(config));
    }

    /** The threshold of {@code feature}. */
    public double threshold(String feature) {
        return thresholds.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(feature)).map(Map.Entry::getValue).findFirst()
                .orElse(defaultThreshold);
    }
}
