package dev.lathe.monitor;

import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.profile.Comparison;
import dev.lathe.profile.DataProfile;
import dev.lathe.registry.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * RAW_FEATURE_SKEW and RAW_FEATURE_DRIFT: the window's profile of each raw feature against the training profile
 * stored with the deployed version (skew) or the previous window's (drift), with ML.VALIDATE_DATA_SKEW's
 * distances (Jensen-Shannon divergence on the baseline's deciles for numbers, L-infinity for categories).
 */
final class FeatureDistributionObjective implements Objective {
    private final ObjectiveType type;

    FeatureDistributionObjective(ObjectiveType type) {
        if (MonitorJson.isAttribution(type)) {
            throw new IllegalArgumentException(type + " is not a feature distribution objective");
        }
        this.type = type;
    }

    @Override
    public ObjectiveType type() {
        return type;
    }

    @Override
    public List<String> thresholdNames(ModelRuntime runtime) {
        return runtime.inputColumns().stream().map(ModelManifest.Column::name).toList();
    }

    @Override
    public boolean needsExplanations() {
        return false;
    }

    @Override
    public List<Finding> evaluate(WindowContext context, ObjectiveSpec spec) {
        String id = context.deployed().id();
        DataProfile baseline;
        String baselineName;
        if (type == ObjectiveType.RAW_FEATURE_SKEW) {
            try {
                baseline = context.runtime().requireTrainingProfile(type.name());
            } catch (LatheException e) {
                return List.of(Finding.without(id, context.modelName(), type, FindingStatus.NO_BASELINE, e.getMessage()));
            }
            baselineName = "the training data of " + context.modelName();
        } else {
            baseline = context.previous().profile();
            baselineName = "the previous window";
        }
        List<String> features = thresholdNames(context.runtime()).stream().filter(f -> baseline.column(f).isPresent()).toList();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        spec.thresholds().forEach((feature, value) -> {
            if (features.stream().anyMatch(f -> f.equalsIgnoreCase(feature))) {
                thresholds.put(feature, value);
            }
        });
        Comparison.Settings settings = new Comparison.Settings(spec.defaultThreshold(), Comparison.Metric.L_INFTY, spec.defaultThreshold(),
                Comparison.Metric.JENSEN_SHANNON_DIVERGENCE, thresholds, Comparison.Settings.DEFAULT_BUCKETS);
        List<Comparison.FeatureResult> results;
        try {
            results = Comparison.compare(baseline, baselineName, context.window().profile(), "the logged instances of deployed model " + id, features,
                    settings);
        } catch (LatheException e) {
            // Mismatched schemas (a feature numeric on one side, categorical on the other) are said, not scored.
            return List.of(Finding.without(id, context.modelName(), type, FindingStatus.NOT_COMPUTED, e.getMessage()));
        }
        List<Finding> findings = new ArrayList<>();
        for (Comparison.FeatureResult result : results) {
            FindingStatus status = switch (result.status()) {
                case OK -> FindingStatus.OK;
                case NO_BASELINE_DATA -> FindingStatus.NO_BASELINE_DATA;
                case NO_STUDY_DATA -> FindingStatus.NO_STUDY_DATA;
            };
            findings.add(new Finding(id, context.modelName(), type, Optional.of(result.input()), Optional.of(result.metric().name()), result.value(),
                    OptionalDouble.of(result.threshold()), result.isAnomaly(), status, Optional.empty()));
        }
        return findings;
    }
}
