package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointSpec;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.serve.store.EndpointUpdate;
import dev.lathe.serve.store.FieldViolationException;
import dev.lathe.serve.store.TrafficSplit;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint store's rules, run on SQLite and on PostgreSQL by the subclasses. */
abstract class EndpointStoreContractTest {
    @TempDir
    Path directory;
    private String url;
    private MetadataStore metadata;
    private EndpointStore store;

    abstract String newMetadataUrl(Path directory);

    abstract void dropMetadata(String url);

    @BeforeEach
    void open() {
        url = newMetadataUrl(directory);
        metadata = MetadataStore.open(url);
        store = new EndpointStore(metadata);
        // Deployed models reference model versions: register two versions of d.m directly.
        metadata.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO models VALUES ('d', 'm', 3, 'now', 'now')")) {
                insert.executeUpdate();
            }
            for (int version = 1; version <= 2; version++) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO model_versions VALUES ('d', 'm', ?, 'LINEAR_REG', 'REGRESSION', '', "
                        + "'{}', '{}', '{}', '', '', 0, '', '[]', NULL, 'test', 'now', 'now', 'now')")) {
                    insert.setInt(1, version);
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        metadata.close();
        dropMetadata(url);
    }

    private Endpoint create(String id) {
        return store.create(new EndpointSpec(id, id, "", Map.of(), 0));
    }

    @Test
    void deployWithTheZeroKeyGivesTheNewModelItsShareAndWithoutASplitNone() {
        create("e");
        String first = store.deploy("e", "d", "m", 1, Optional.empty(), Optional.of(Map.of(TrafficSplit.NEW_MODEL_KEY, 100))).deployedModelId();
        EndpointStore.Deployment second = store.deploy("e", "d", "m", 2, Optional.empty(), Optional.empty());
        assertThat(first).matches("[0-9]{1,10}");
        assertThat(second.endpoint().trafficSplit()).isEqualTo(Map.of(first, 100));
        assertThat(store.endpointsServing("d", "m", 2)).containsExactly("e");
        assertThat(store.endpointsServing("d", "m", 3)).isEmpty();
    }

    @Test
    void deployingAVersionDeletedMeanwhileIsNotFoundAndDeletingOneDeployedMeanwhileIsRefused() {
        create("e");
        // The version was resolved, then deleted by another request before the deploy's transaction: not an internal error.
        assertThatThrownBy(() -> store.deploy("e", "d", "m", 7, Optional.empty(), Optional.of(Map.of(TrafficSplit.NEW_MODEL_KEY, 100))))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
                .hasMessageContaining("d.m version 7 was deleted while it was being deployed");
        assertThat(store.get("e").orElseThrow().deployedModels()).isEmpty();
        // And the other order: rows of a deployed version cannot go, whichever check ran first.
        store.deploy("e", "d", "m", 1, Optional.empty(), Optional.of(Map.of(TrafficSplit.NEW_MODEL_KEY, 100)));
        assertThatThrownBy(() -> metadata.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_versions WHERE dataset = 'd' AND name = 'm' AND version = 1")) {
                return delete.executeUpdate();
            }
        })).satisfies(e -> assertThat(MetadataStore.foreignKeyViolation((java.sql.SQLException) e.getCause())).isTrue());
    }

    @Test
    void aRefusedChangeLeavesEverythingAsItWas() {
        create("e");
        String first = store.deploy("e", "d", "m", 1, Optional.empty(), Optional.of(Map.of("0", 100))).deployedModelId();
        Endpoint before = store.require("e");
        assertThatThrownBy(() -> store.deploy("e", "d", "m", 2, Optional.empty(), Optional.of(Map.of("0", 60, first, 30))))
                .isInstanceOfSatisfying(FieldViolationException.class, e -> assertThat(e.field()).isEqualTo("trafficSplit"))
                .hasMessageContaining("sum to 100").hasMessageContaining("90");
        assertThatThrownBy(() -> store.undeploy("e", "42", Optional.empty())).hasMessageContaining("no deployed model '42'");
        assertThat(store.require("e")).isEqualTo(before);
    }

    @Test
    void undeployIsRefusedWhileTheModelHasTrafficUnlessTheNewSplitRemovesIt() {
        create("e");
        String a = store.deploy("e", "d", "m", 1, Optional.empty(), Optional.of(Map.of("0", 100))).deployedModelId();
        String b = store.deploy("e", "d", "m", 2, Optional.empty(), Optional.empty()).deployedModelId();
        assertThatThrownBy(() -> store.undeploy("e", a, Optional.empty())).hasMessageContaining(a).hasMessageContaining("100%");
        assertThatThrownBy(() -> store.undeploy("e", a, Optional.of(Map.of(b, 90, a, 10)))).hasMessageContaining("'" + a + "'");
        Endpoint after = store.undeploy("e", a, Optional.of(Map.of(b, 100, a, 0))); // naming it with 0 % removes its traffic
        assertThat(after.trafficSplit()).isEqualTo(Map.of(b, 100));
        assertThat(store.undeploy("e", b, Optional.empty()).trafficSplit()).as("the last model leaves an empty split").isEmpty();
        store.delete("e");
        assertThat(store.get("e")).isEmpty();
    }

    @Test
    void deleteIsRefusedWhileModelsAreDeployedAndUnknownEndpointsAreNotFound() {
        create("e");
        store.deploy("e", "d", "m", 1, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> store.delete("e")).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION)).hasMessageContaining("undeploy them first");
        assertThatThrownBy(() -> store.require("f")).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND)).hasMessageContaining("'f' not found");
        assertThatThrownBy(() -> create("e")).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    /** Probe sb: logging turned off keeps its rate (it was stored as 0), and logs at 0 meanwhile. */
    @Test
    void loggingTurnedOffKeepsItsRate() {
        Endpoint off = store.create(new EndpointSpec("g", "g", "", Map.of(), 0.3, false));
        assertThat(off.loggingEnabled()).isFalse();
        assertThat(off.loggingSamplingRate()).isEqualTo(0.3);
        assertThat(off.loggingRate()).isZero();
        Endpoint on = store.update("g", new EndpointUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(true), Optional.empty()));
        assertThat(on.loggingRate()).as("the kept rate").isEqualTo(0.3);
        Endpoint never = store.create(new EndpointSpec("h", "h", "", Map.of(), 0.0, false));
        assertThat(store.update("h", new EndpointUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(true), Optional.empty())).loggingRate()).as("on without a rate kept").isEqualTo(1.0);
        assertThat(never.loggingEnabled()).isFalse();
    }

    @Test
    void updatesCheckTheEtagAndListPagesByKey() {
        Endpoint e = create("b");
        create("a");
        create("c");
        Endpoint updated = store.update("b", new EndpointUpdate(Optional.of("Bee"), Optional.empty(), Optional.of(Map.of("team", "ml")), Optional.empty(),
                Optional.of(0.5), Optional.of(e.etag())));
        assertThat(updated.displayName()).isEqualTo("Bee");
        assertThat(updated.loggingSamplingRate()).isEqualTo(0.5);
        assertThat(updated.etag()).isNotEqualTo(e.etag());
        assertThatThrownBy(() -> store.update("b", new EndpointUpdate(Optional.of("x"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(e.etag())))).hasMessageContaining("etag");
        var first = store.list(2, Optional.empty());
        assertThat(first.items()).extracting(Endpoint::id).containsExactly("a", "b");
        assertThat(store.list(2, first.nextPageToken()).items()).extracting(Endpoint::id).containsExactly("c");
    }

    @Test
    void withNewModelScalesTheOthersToTheRest() {
        // nothing to scale: all or nothing, and a share between is refused rather than turned into 100 (probe D)
        assertThat(TrafficSplit.withNewModel(Map.of(), 100)).isEqualTo(Map.of("0", 100));
        assertThat(TrafficSplit.withNewModel(Map.of(), 0)).isEmpty();
        assertThat(TrafficSplit.withNewModel(Map.of("7", 0), 0)).isEqualTo(Map.of("7", 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficSplit.withNewModel(Map.of(), 20))
                .hasMessage("Invalid value for '--traffic': the endpoint's models take no traffic now, so there are no others to give"
                        + " the remaining 80% to; deploy with --traffic 100 (all traffic) or --traffic 0 (none, then set the split with"
                        + " 'lathe endpoints split')");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficSplit.withNewModel(Map.of(), 101))
                .hasMessageStartingWith("Invalid value for '--traffic': a percentage must be an integer from 0 to 100");
        Map<String, Integer> split = TrafficSplit.withNewModel(Map.of("1", 50, "2", 50), 25);
        assertThat(split.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(split.get("0")).isEqualTo(25);
    }
}
