package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each objective makes the window reader do: profile the instances, keep a sample to explain. */
class ObjectiveNeedsTest {
    @Test
    void onlyDistributionObjectivesProfileAndOnlyAttributionObjectivesExplain() {
        for (ObjectiveType type : new ObjectiveType[] {ObjectiveType.RAW_FEATURE_SKEW, ObjectiveType.RAW_FEATURE_DRIFT}) {
            Objective objective = new FeatureDistributionObjective(type);
            assertThat(objective.needsProfile()).as(type.name()).isTrue();
            assertThat(objective.needsExplanations()).as(type.name()).isFalse();
        }
        for (ObjectiveType type : new ObjectiveType[] {ObjectiveType.FEATURE_ATTRIBUTION_SKEW, ObjectiveType.FEATURE_ATTRIBUTION_DRIFT}) {
            Objective objective = new FeatureAttributionObjective(type);
            assertThat(objective.needsProfile()).as(type.name()).isFalse();
            assertThat(objective.needsExplanations()).as(type.name()).isTrue();
        }
    }
}
