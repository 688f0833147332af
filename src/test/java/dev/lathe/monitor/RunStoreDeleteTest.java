package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Warehouse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Deleting a monitor's runs commits only with the metadata side of the delete: a failure there keeps every run. */
class RunStoreDeleteTest {
    private static MonitorRun run(String monitor, Instant end) {
        Finding finding = new Finding("7", "d.m@1", ObjectiveType.RAW_FEATURE_SKEW, Optional.of("x"), Optional.of("JENSEN_SHANNON_DIVERGENCE"),
                OptionalDouble.of(0.5), OptionalDouble.of(0.3), Optional.of(true), FindingStatus.OK, Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty());
        return new MonitorRun(0, monitor, "shop", end.minusSeconds(3600), end, RunTrigger.MANUAL, RunState.SUCCEEDED, 10, 0, 10, Map.of(),
                List.of(), Optional.empty(), List.of(finding), end, end);
    }

    @Test
    void aFailingMetadataDeleteKeepsTheRunsAndASucceedingOneRemovesOnlyThatMonitors() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            RunStore store = new RunStore(warehouse);
            store.initialize();
            Instant end = Instant.parse("2024-05-01T10:00:00Z");
            long kept = store.save(run("a", end)).id();
            long other = store.save(run("b", end)).id();

            assertThatThrownBy(() -> store.delete("a", () -> {
                throw new LatheException(ErrorCode.INTERNAL, "metadata store unavailable");
            })).hasMessageContaining("metadata store unavailable");
            assertThat(store.get("a", kept)).hasValueSatisfying(r -> assertThat(r.findings()).hasSize(1));

            boolean[] metadataDeleted = {false};
            store.delete("a", () -> metadataDeleted[0] = true);
            assertThat(metadataDeleted[0]).isTrue();
            assertThat(store.get("a", kept)).isEmpty();
            assertThat(store.get("b", other)).hasValueSatisfying(r -> assertThat(r.findings()).hasSize(1));
        }
    }
}
