package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One result of an objective for one deployed model in one window: a feature's metric value against its threshold,
 * or, without a value, the status saying why (model-level statuses have no feature). Objectives decide
 * {@code isAnomaly} themselves, so one that alerts when a value falls below its threshold fits the same alert path.
 * Prediction quality findings also count the window's logged predictions and those matched with a label.
 */
public record Finding(String deployedModelId, String model, ObjectiveType objective, Optional<String> feature, Optional<String> metric,
        OptionalDouble value, OptionalDouble threshold, Optional<Boolean> isAnomaly, FindingStatus status, Optional<String> message,
        OptionalLong predictions, OptionalLong matchedPredictions) {
    public Finding {
        requireNonNull(deployedModelId, "deployedModelId is null");
        requireNonNull(model, "model is null");
        requireNonNull(objective, "objective is null");
        requireNonNull(feature, "feature is null");
        requireNonNull(metric, "metric is null");
        requireNonNull(value, "value is null");
        requireNonNull(threshold, "threshold is null");
        requireNonNull(isAnomaly, "isAnomaly is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(predictions, "predictions is null");
        requireNonNull(matchedPredictions, "matchedPredictions is null");
    }

    /** A finding without prediction counts (feature distributions and attributions). */
    public Finding(String deployedModelId, String model, ObjectiveType objective, Optional<String> feature, Optional<String> metric,
            OptionalDouble value, OptionalDouble threshold, Optional<Boolean> isAnomaly, FindingStatus status, Optional<String> message) {
        this(deployedModelId, model, objective, feature, metric, value, threshold, isAnomaly, status, message, OptionalLong.empty(),
                OptionalLong.empty());
    }

    /** A model-level finding without a value: the objective has nothing to compare for this deployed model. */
    public static Finding without(String deployedModelId, String model, ObjectiveType objective, FindingStatus status, String message) {
        return new Finding(deployedModelId, model, objective, Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                Optional.empty(), status, Optional.of(message));
    }

    public boolean anomalous() {
        return isAnomaly.orElse(false);
    }

    /** {@code RAW_FEATURE_SKEW body_mass_g JENSEN_SHANNON_DIVERGENCE 0.91 > 0.3 (deployed model 123)}, for logs. */
    public String describe() {
        StringBuilder text = new StringBuilder(objective.name());
        feature.ifPresent(f -> text.append(' ').append(f));
        metric.ifPresent(m -> text.append(' ').append(m));
        if (value.isPresent()) {
            text.append(' ').append(String.format(java.util.Locale.ROOT, "%.4f", value.getAsDouble()));
        }
        if (threshold.isPresent()) {
            text.append(" (threshold ").append(threshold.getAsDouble()).append(')');
        }
        if (value.isEmpty()) {
            text.append(' ').append(status.name());
        }
        if (matchedPredictions.isPresent()) {
            text.append(" over ").append(matchedPredictions.getAsLong()).append(" labelled of ").append(predictions.orElse(0)).append(" predictions");
        }
        return text.append(" on deployed model ").append(deployedModelId).append(" (").append(model).append(')').toString();
    }
}
