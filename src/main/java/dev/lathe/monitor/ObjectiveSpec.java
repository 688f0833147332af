package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One objective of a monitor and its alert thresholds: {@code thresholds} by feature name (case-insensitive), else
 * {@code defaultThreshold}. A finding is anomalous when its value crosses the threshold (for distances: is above it).
 */
public record ObjectiveSpec(ObjectiveType type, double defaultThreshold, Map<String, Double> thresholds) {
    /** Vertex AI's backend default for every feature without its own threshold. */
    public static final double DEFAULT_THRESHOLD = 0.3;

    public ObjectiveSpec {
        requireNonNull(type, "type is null");
        thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        if (!(defaultThreshold >= 0)) {
            throw new IllegalArgumentException("defaultThreshold must be >= 0, got " + defaultThreshold);
        }
    }

    /** The threshold of {@code feature}. */
    public double threshold(String feature) {
        return thresholds.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(feature)).map(Map.Entry::getValue).findFirst()
                .orElse(defaultThreshold);
    }
}
