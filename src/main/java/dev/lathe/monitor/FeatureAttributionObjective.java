package dev.lathe.monitor;

import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * FEATURE_ATTRIBUTION_SKEW and FEATURE_ATTRIBUTION_DRIFT: each feature's share of the total mean absolute attribution
 * over the window's explained instances, against the same share in the training data (ML.GLOBAL_EXPLAIN, stored
 * when the version was trained with ENABLE_GLOBAL_EXPLAIN) or in the previous window. The value is the absolute
 * difference of the shares, in [0, 1]: shares make models whose attributions are in grams, log-odds or margins
 * comparable, and a feature gaining or losing 0.3 of the model's attention is what the default threshold flags.
 */
final class FeatureAttributionObjective implements Objective {
    static final String METRIC = "ATTRIBUTION_SHARE_DEVIATION";
    private final ObjectiveType type;

    FeatureAttributionObjective(ObjectiveType type) {
        if (!MonitorJson.isAttribution(type)) {
            throw new IllegalArgumentException(type + " is not a feature attribution objective");
        }
        this.type = type;
    }

    @Override
    public ObjectiveType type() {
        return type;
    }

    @Override
    public List<String> thresholdNames(ModelRuntime runtime) {
        return runtime.attributionFeatures();
    }

    @Override
    public boolean needsExplanations() {
        return true;
    }

    /** Attributions come from the explained sample; the window's feature profile is never read. */
    @Override
    public boolean needsProfile() {
        return false;
    }

    @Override
    public List<Finding> evaluate(WindowContext context, ObjectiveSpec spec) {
        String id = context.deployed().id();
        Map<String, Double> baseline;
        Map<String, Double> window;
        try {
            if (type == ObjectiveType.FEATURE_ATTRIBUTION_SKEW) {
                Optional<Map<String, Double>> training = context.runtime().globalAttributions();
                if (training.isEmpty()) {
                    return List.of(Finding.without(id, context.modelName(), type, FindingStatus.NO_BASELINE, "Model " + context.modelName()
                            + " was trained without ENABLE_GLOBAL_EXPLAIN = TRUE, so it has no training attributions to compare with; retrain it "
                            + "with that option to monitor " + type));
                }
                baseline = training.get();
            } else {
                baseline = context.meanAbsoluteAttributions(context.previous());
            }
            window = context.meanAbsoluteAttributions(context.window());
        } catch (LatheException e) {
            return List.of(Finding.without(id, context.modelName(), type, FindingStatus.NOT_COMPUTED, e.getMessage()));
        }
        double baselineTotal = baseline.values().stream().mapToDouble(Double::doubleValue).sum();
        double windowTotal = window.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Finding> findings = new ArrayList<>();
        for (String feature : thresholdNames(context.runtime())) {
            double threshold = spec.threshold(feature);
            FindingStatus status = window.isEmpty() ? FindingStatus.NO_STUDY_DATA : baseline.isEmpty() ? FindingStatus.NO_BASELINE_DATA
                    : FindingStatus.OK;
            OptionalDouble value = OptionalDouble.empty();
            Optional<Boolean> anomaly = Optional.empty();
            if (status == FindingStatus.OK) {
                double deviation = Math.abs(share(window, feature, windowTotal) - share(baseline, feature, baselineTotal));
                value = OptionalDouble.of(deviation);
                anomaly = Optional.of(deviation > threshold);
            }
            findings.add(new Finding(id, context.modelName(), type, Optional.of(feature), Optional.of(METRIC), value, OptionalDouble.of(threshold),
                    anomaly, status, Optional.empty()));
        }
        return findings;
    }

    private static double share(Map<String, Double> attributions, String feature, double total) {
        return total > 0 ? attributions.getOrDefault(feature, 0.0) / total : 0;
    }
}
