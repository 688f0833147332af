package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The objectives monitored for one deployed model ({@code deployedModelId}), or for every deployed model of the
 * endpoint that has no config of its own (empty id: Vertex AI lists each deployed model; Lathe also lets one config
 * cover all, including models deployed later). Objectives are kept in {@link ObjectiveType} order; an attribution
 * objective comes with its raw counterpart and the same default threshold, as in Vertex AI's objective config.
 */
public record ObjectiveConfig(Optional<String> deployedModelId, List<ObjectiveSpec> objectives) {
    public ObjectiveConfig {
        requireNonNull(deployedModelId, "deployedModelId is null");
        objectives = objectives.stream().sorted(java.util.Comparator.comparing(ObjectiveSpec::type)).toList();
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("an objective config needs at least one objective");
        }
        for (ObjectiveSpec objective : objectives) {
            // Vertex AI's shape: attributions are an option of a skew or drift config, sharing its default threshold.
            Optional<ObjectiveType> raw = switch (objective.type()) {
                case FEATURE_ATTRIBUTION_SKEW -> Optional.of(ObjectiveType.RAW_FEATURE_SKEW);
                case FEATURE_ATTRIBUTION_DRIFT -> Optional.of(ObjectiveType.RAW_FEATURE_DRIFT);
                case RAW_FEATURE_SKEW, RAW_FEATURE_DRIFT, PREDICTION_QUALITY -> Optional.empty();
            };
            if (raw.isPresent() && objectives.stream().noneMatch(o -> o.type() == raw.get() && o.defaultThreshold() == objective.defaultThreshold())) {
                throw new IllegalArgumentException(objective.type() + " needs " + raw.get() + " with the same default threshold");
            }
        }
    }
}
