package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a monitor watches and how: the endpoint, the objectives per deployed model, the schedule (windows of
 * {@code window} ending every {@code interval}, aligned to the interval since the epoch, each run {@link #labelDelay}
 * after it ends), the share of logged requests it reads, and where alerts are POSTed.
 */
public record MonitorSpec(String displayName, String endpointId, List<ObjectiveConfig> objectiveConfigs, Duration interval, Duration window,
        double sampleRate, Optional<URI> webhook) {
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(366);

    public MonitorSpec {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(endpointId, "endpointId is null");
        objectiveConfigs = List.copyOf(objectiveConfigs);
        requireNonNull(interval, "interval is null");
        requireNonNull(window, "window is null");
        requireNonNull(webhook, "webhook is null");
        if (objectiveConfigs.isEmpty()) {
            throw new IllegalArgumentException("a monitor needs at least one objective config");
        }
        Set<Optional<String>> seen = new HashSet<>();
        for (ObjectiveConfig config : objectiveConfigs) {
            if (!seen.add(config.deployedModelId())) {
                throw new IllegalArgumentException("two objective configs for " + config.deployedModelId().map(id -> "deployed model " + id)
                        .orElse("all deployed models"));
            }
        }
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("interval must be whole seconds, at least 60 s, got " + interval);
        }
        if (window.compareTo(MIN_INTERVAL) < 0 || window.compareTo(MAX_WINDOW) > 0 || window.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("window must be whole seconds from 60 s to 366 days, got " + window);
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be in (0, 1], got " + sampleRate);
        }
    }

    /**
     * How long after a window ends the scheduler runs it: the longest labelDelay of its PREDICTION_QUALITY objectives
     * (their labels must have arrived), else zero. One run judges every objective of a window, so the others wait too.
     */
    public Duration labelDelay() {
        return objectiveConfigs.stream().flatMap(c -> c.objectives().stream()).flatMap(o -> o.quality().stream())
                .map(PredictionQualityConfig::labelDelay).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The objectives of a deployed model: its own config, else the config for all; empty when it is not monitored. */
    public Optional<List<ObjectiveSpec>> objectivesFor(String deployedModelId) {
        Optional<ObjectiveConfig> own = objectiveConfigs.stream().filter(c -> c.deployedModelId().equals(Optional.of(deployedModelId))).findFirst();
        return own.or(() -> objectiveConfigs.stream().filter(c -> c.deployedModelId().isEmpty()).findFirst()).map(ObjectiveConfig::objectives);
    }
}
