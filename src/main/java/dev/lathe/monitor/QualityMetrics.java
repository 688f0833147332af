package dev.lathe.monitor;

import dev.lathe.evaluate.ClassificationMetrics;
import dev.lathe.evaluate.RegressionMetrics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ML.EVALUATE's metric names a PREDICTION_QUALITY objective may watch, and which way each is better: scores
 * (accuracy, roc_auc, r2_score, ...) alert below their threshold, errors and losses above it.
 */
final class QualityMetrics {
    private static final Set<String> HIGHER_IS_BETTER = Set.of("precision", "recall", "accuracy", "f1_score", "roc_auc", "r2_score",
            "explained_variance");
    private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "mean_absolute_error", "mean_squared_error", "mean_squared_log_error",
            "median_absolute_error");
    /** Classification's names, then regression's, in ML.EVALUATE's column order. */
    static final List<String> NAMES;

    static {
        Set<String> names = new LinkedHashSet<>(ClassificationMetrics.COLUMN_NAMES);
        names.addAll(RegressionMetrics.COLUMN_NAMES);
        for (String name : names) {
            // A metric ML.EVALUATE gains must say its direction here before a monitor can watch it.
            if (HIGHER_IS_BETTER.contains(name) == LOWER_IS_BETTER.contains(name)) {
                throw new IllegalStateException("metric " + name + " has no direction (or two)");
            }
        }
        NAMES = List.copyOf(names);
    }

    private QualityMetrics() {}

    static boolean isKnown(String metric) {
        return NAMES.contains(metric);
    }

    static boolean higherIsBetter(String metric) {
        if (!isKnown(metric)) {
            throw new IllegalArgumentException("unknown metric " + metric);
        }
        return HIGHER_IS_BETTER.contains(metric);
    }

    /** Whether {@code value} is worse than {@code threshold} for {@code metric}. */
    static boolean isWorse(String metric, double value, double threshold) {
        return higherIsBetter(metric) ? value < threshold : value > threshold;
    }

    /** "below" or "above": where a value must not go. */
    static String alertSide(String metric) {
        return higherIsBetter(metric) ? "below" : "above";
    }
}
