package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.testing.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The registry contract on the local PostgreSQL server, each test in its own schema. */
class PostgresqlRegistryTest extends RegistryContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return dev.lathe.testing.PostgresSchemas.create();
    }

    @Override
    void dropMetadata(String url) {
        dev.lathe.testing.PostgresSchemas.drop(url);
    }

    /**
     * Probe pu2: a DROP MODEL whose COMMIT reached PostgreSQL but whose reply was lost put the model's folder back, and the
     * next open registered it again as a copied folder, its aliases gone. The outcome is asked of the registry instead.
     */
    @Test
    void aDropWhoseCommitReplyIsLostIsNotUndone() throws Exception {
        train("d", "gone");
        train("d", "kept");
        try (TcpProxy proxy = proxy(); MetadataStore through = MetadataStore.open(through(proxy))) {
            proxy.loseReplyToTheMessageAfter("DELETE FROM models ");
            dropFails(through, "gone");
        }
        assertThat(registry.getModel("d", "gone")).isEmpty(); // the commit landed
        assertThat(Files.exists(dataDirectory.resolve("models/d/gone"))).isFalse(); // and the folder was not put back
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(registry.getModel("d", "gone")).isEmpty(); // nor registered again
        assertThat(registry.getModel("d", "kept")).isPresent();
        assertDefaultInvariant();
    }

    /**
     * Probe pu3: a DROP whose COMMIT never reached PostgreSQL, the store then unreachable, left the model registered with
     * its folder in the trash until the process restarted. The process asks again at its next use of the registry.
     */
    @Test
    void aDropWhoseOutcomeCouldNotBeAskedIsSettledOnceTheStoreAnswers() throws Exception {
        train("d", "kept");
        try (TcpProxy proxy = proxy(); MetadataStore through = MetadataStore.open(through(proxy))) {
            proxy.loseTheMessageAfter("DELETE FROM models ");
            Registry viaProxy = dropFails(through, "kept");
            assertThat(Files.exists(dataDirectory.resolve("models/d/kept"))).isFalse(); // outcome unknown: the trash waits
            proxy.restore();
            assertThat(viaProxy.resolve("d", "kept", java.util.Optional.empty())).isEqualTo(1); // the store answers again
        }
        assertThat(store.versions("d", "kept")).containsExactly(1); // the DROP rolled back: put back in this process
        assertDefaultInvariant();
    }

    /** DROP MODEL d.{@code name} through {@code through}, which fails with the store unavailable; the registry it used. */
    private Registry dropFails(MetadataStore through, String name) {
        Registry viaProxy = Registry.openReadOnly(through, store, DeploymentLookup.NONE);
        assertThatThrownBy(() -> viaProxy.deleteModel("d", name)).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.METADATA_UNAVAILABLE));
        return viaProxy;
    }

    /** A proxy to this test's PostgreSQL server. */
    private TcpProxy proxy() throws java.io.IOException {
        return TcpProxy.toServerOf(url);
    }

    /** This test's metadata URL through {@code proxy}. */
    private String through(TcpProxy proxy) {
        return proxy.through(url);
    }
}
