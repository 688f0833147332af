package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.testing.TestingClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor store's rules (monitors, schedule, one alert per window, deliveries), run on SQLite and PostgreSQL by the subclasses. */
abstract class MonitorStoreContractTest {
    private static final Instant START = Instant.parse("2024-05-01T10:20:30Z");

    @TempDir
    Path directory;
    private String url;
    private MetadataStore metadata;
    private MonitorStore store;
    private final TestingClock clock = new TestingClock(START);

    abstract String newMetadataUrl(Path directory);

    abstract void dropMetadata(String url);

    @BeforeEach
    void open() {
        url = newMetadataUrl(directory);
        metadata = MetadataStore.open(url);
        store = new MonitorStore(metadata, clock);
    }

    @AfterEach
    void close() {
        metadata.close();
        dropMetadata(url);
    }

    private static MonitorSpec spec(Optional<URI> webhook) {
        return new MonitorSpec("shop watch", "shop", List.of(
                new ObjectiveConfig(Optional.empty(), List.of(new ObjectiveSpec(ObjectiveType.RAW_FEATURE_SKEW, 0.3, Map.of("island", 0.1)),
                        new ObjectiveSpec(ObjectiveType.RAW_FEATURE_DRIFT, 0.25, Map.of()))),
                new ObjectiveConfig(Optional.of("123"), List.of(new ObjectiveSpec(ObjectiveType.FEATURE_ATTRIBUTION_SKEW, 0.3, Map.of("sex", 0.5)),
                        new ObjectiveSpec(ObjectiveType.RAW_FEATURE_SKEW, 0.3, Map.of())))),
                Duration.ofHours(1), Duration.ofHours(2), 0.5, webhook);
    }

    private static MonitorRun run(String monitor, Instant end, long id) {
        Finding anomaly = new Finding("123", "d.m@1", ObjectiveType.RAW_FEATURE_SKEW, Optional.of("island"), Optional.of("L_INFTY"),
                OptionalDouble.of(0.8), OptionalDouble.of(0.1), Optional.of(true), FindingStatus.OK, Optional.empty());
        return new MonitorRun(id, monitor, "shop", end.minus(Duration.ofHours(2)), end, RunTrigger.SCHEDULE, RunState.SUCCEEDED, 10, 1, 12,
                Map.of("bad", 1L), List.of(), Optional.empty(), List.of(anomaly), end, end);
    }

    @Test
    void storesTheSpecAsGivenAndSchedulesTheFirstAlignedWindow() {
        Monitor created = store.create("m1", spec(Optional.of(URI.create("http://127.0.0.1:9/hook"))));
        assertThat(created.spec()).isEqualTo(spec(Optional.of(URI.create("http://127.0.0.1:9/hook"))));
        assertThat(created.state()).isEqualTo(MonitorState.ACTIVE);
        assertThat(created.nextWindowEnd()).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(store.get("m1")).contains(created);
        assertThat(store.get("nope")).isEmpty();
        assertThatThrownBy(() -> store.create("m1", spec(Optional.empty()))).isInstanceOf(LatheException.class)
                .hasMessageContaining("already exists").extracting(e -> ((LatheException) e).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThatThrownBy(() -> store.require("nope")).hasMessageContaining("Monitor 'nope' does not exist");
    }

    @Test
    void listsPagesInIdOrderAndOnlyActiveMonitorsAreScheduled() {
        for (String id : List.of("c", "a", "b")) {
            store.create(id, spec(Optional.empty()));
        }
        assertThat(store.list(2, "").stream().map(Monitor::id)).containsExactly("a", "b");
        assertThat(store.list(2, "b").stream().map(Monitor::id)).containsExactly("c");
        store.setState("b", MonitorState.PAUSED);
        assertThat(store.active().stream().map(Monitor::id)).containsExactly("a", "c");
    }

    @Test
    void resumingRestartsTheScheduleAtTheNextBoundaryAndAdvanceIsConditional() {
        store.create("m", spec(Optional.empty()));
        Instant first = Instant.parse("2024-05-01T11:00:00Z");
        assertThat(store.advance("m", first, first.plus(Duration.ofHours(1)))).isTrue();
        assertThat(store.advance("m", first, first.plus(Duration.ofHours(2)))).as("a stale expectation moves nothing").isFalse();
        store.setState("m", MonitorState.PAUSED);
        clock.set(Instant.parse("2024-05-02T08:00:00Z"));
        Monitor resumed = store.setState("m", MonitorState.ACTIVE);
        assertThat(resumed.nextWindowEnd()).isEqualTo(Instant.parse("2024-05-02T09:00:00Z"));
        assertThat(resumed.updateTime()).isEqualTo(Instant.parse("2024-05-02T08:00:00Z"));
    }

    @Test
    void oneAlertPerMonitorAndWindowWhateverReRunsIt() {
        store.create("m", spec(Optional.of(URI.create("http://127.0.0.1:9/hook"))));
        store.create("other", spec(Optional.empty()));
        Instant end = Instant.parse("2024-05-01T12:00:00Z");
        MonitorRun first = run("m", end, 7);
        Alert alert = store.createAlert(first, first.anomalies(), Optional.of(URI.create("http://127.0.0.1:9/hook"))).orElseThrow();
        assertThat(alert.runId()).isEqualTo(7);
        assertThat(alert.anomalies()).isEqualTo(first.anomalies());
        assertThat(alert.deliveryState()).isEqualTo(DeliveryState.PENDING);
        assertThat(store.createAlert(run("m", end, 8), first.anomalies(), Optional.empty())).as("same window again").isEmpty();
        assertThat(store.createAlert(run("m", end.plus(Duration.ofHours(1)), 9), first.anomalies(), Optional.empty())).isPresent();
        Alert other = store.createAlert(run("other", end, 10), first.anomalies(), Optional.empty()).orElseThrow();
        assertThat(other.deliveryState()).isEqualTo(DeliveryState.NOT_CONFIGURED);
        assertThat(store.alerts(Optional.of("m"), 10, 0)).hasSize(2);
        assertThat(store.alerts(Optional.empty(), 10, 0).stream().map(Alert::id)).containsExactly(other.id(), other.id() - 1, alert.id());
        assertThat(store.alerts(Optional.empty(), 1, 1)).hasSize(1);
    }

    @Test
    void recordsDeliveriesAndListsThePendingOnes() {
        store.create("m", spec(Optional.of(URI.create("http://127.0.0.1:9/hook"))));
        MonitorRun run = run("m", Instant.parse("2024-05-01T12:00:00Z"), 1);
        Alert alert = store.createAlert(run, run.anomalies(), Optional.of(URI.create("http://127.0.0.1:9/hook"))).orElseThrow();
        assertThat(store.pendingDeliveries()).extracting(Alert::id).containsExactly(alert.id());
        store.recordDelivery(alert.id(), DeliveryState.PENDING, 1, Optional.of("HTTP 503"), Optional.empty());
        assertThat(store.requireAlert(alert.id()).lastError()).contains("HTTP 503");
        // the webhook's answer is quoted, NUL and all: kept escaped on either store (probe wops 4: PostgreSQL refused the write)
        store.recordDelivery(alert.id(), DeliveryState.PENDING, 1, Optional.of("HTTP 500: a\0b"), Optional.empty());
        assertThat(store.requireAlert(alert.id()).lastError()).contains("HTTP 500: a\\u0000b");
        Instant delivered = Instant.parse("2024-05-01T12:00:05Z");
        store.recordDelivery(alert.id(), DeliveryState.DELIVERED, 2, Optional.empty(), Optional.of(delivered));
        Alert done = store.requireAlert(alert.id());
        assertThat(done.deliveryState()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(done.deliveryAttempts()).isEqualTo(2);
        assertThat(done.lastError()).isEmpty();
        assertThat(done.deliveredAt()).contains(delivered);
        assertThat(store.pendingDeliveries()).isEmpty();
    }

    @Test
    void deletingAMonitorDeletesItsAlerts() {
        store.create("m", spec(Optional.empty()));
        MonitorRun run = run("m", Instant.parse("2024-05-01T12:00:00Z"), 1);
        store.createAlert(run, run.anomalies(), Optional.empty());
        store.delete("m");
        assertThat(store.get("m")).isEmpty();
        assertThat(store.alerts(Optional.empty(), 10, 0)).isEmpty();
        assertThatThrownBy(() -> store.delete("m")).hasMessageContaining("does not exist");
        // The id is free again, and its window gets an alert of its own.
        store.create("m", spec(Optional.empty()));
        assertThat(store.createAlert(run, run.anomalies(), Optional.empty())).isPresent();
    }
}
