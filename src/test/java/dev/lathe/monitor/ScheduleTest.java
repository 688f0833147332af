package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void windowsEndAtMultiplesOfTheIntervalSinceTheEpoch() {
        Duration hour = Duration.ofHours(1);
        assertThat(Monitor.alignedEndAtOrAfter(Instant.parse("2024-05-01T10:20:30Z"), hour)).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(Monitor.alignedEndAtOrAfter(Instant.parse("2024-05-01T11:00:00Z"), hour)).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(Monitor.alignedEndAtOrAfter(Instant.parse("2024-05-01T11:00:00.000001Z"), hour)).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(Monitor.alignedEndAtOrAfter(Instant.parse("2024-05-01T10:20:30Z"), Duration.ofSeconds(90)))
                .isEqualTo(Instant.parse("2024-05-01T10:21:00Z"));
    }

    @Test
    void webhookBackoffDoublesUpToItsCap() {
        WebhookPolicy policy = new WebhookPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(List.of(1, 2, 3, 4, 5).stream().map(policy::backoffAfter)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(WebhookPolicy.DEFAULT.backoffAfter(4)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aConfigWithoutDeployedModelCoversTheModelsWithoutTheirOwn() {
        ObjectiveSpec skew = new ObjectiveSpec(ObjectiveType.RAW_FEATURE_SKEW, 0.3, Map.of());
        ObjectiveSpec drift = new ObjectiveSpec(ObjectiveType.RAW_FEATURE_DRIFT, 0.3, Map.of());
        MonitorSpec spec = new MonitorSpec("w", "shop", List.of(new ObjectiveConfig(Optional.empty(), List.of(skew)),
                new ObjectiveConfig(Optional.of("7"), List.of(drift))), Duration.ofHours(1), Duration.ofHours(1), 1, Optional.empty());
        assertThat(spec.objectivesFor("7")).contains(List.of(drift));
        assertThat(spec.objectivesFor("8")).contains(List.of(skew));
        MonitorSpec only = new MonitorSpec("w", "shop", List.of(new ObjectiveConfig(Optional.of("7"), List.of(drift))), Duration.ofHours(1),
                Duration.ofHours(1), 1, Optional.empty());
        assertThat(only.objectivesFor("8")).isEmpty();
        assertThatThrownBy(() -> new ObjectiveConfig(Optional.empty(), List.of(new ObjectiveSpec(ObjectiveType.FEATURE_ATTRIBUTION_DRIFT, 0.3,
                Map.of())))).hasMessageContaining("needs RAW_FEATURE_DRIFT");
    }
}
