package dev.lathe.monitor;

import dev.lathe.quality.PredictionQuality;
import java.util.EnumMap;
import java.util.Map;

/** The objective of each {@link ObjectiveType}: the one list to extend with a new kind of check. */
final class Objectives {
    private final Map<ObjectiveType, Objective> byType = new EnumMap<>(ObjectiveType.class);

    private Objectives() {}

    static Objectives standard(PredictionQuality quality) {
        Objectives objectives = new Objectives();
        objectives.add(new FeatureDistributionObjective(ObjectiveType.RAW_FEATURE_SKEW));
        objectives.add(new FeatureDistributionObjective(ObjectiveType.RAW_FEATURE_DRIFT));
        objectives.add(new FeatureAttributionObjective(ObjectiveType.FEATURE_ATTRIBUTION_SKEW));
        objectives.add(new FeatureAttributionObjective(ObjectiveType.FEATURE_ATTRIBUTION_DRIFT));
        objectives.add(new PredictionQualityObjective(quality));
        for (ObjectiveType type : ObjectiveType.values()) {
            if (!objectives.byType.containsKey(type)) {
                throw new IllegalStateException("objective type " + type + " has no implementation");
            }
        }
        return objectives;
    }

    private void add(Objective objective) {
        byType.put(objective.type(), objective);
    }

    Objective of(ObjectiveType type) {
        return byType.get(type);
    }
}
