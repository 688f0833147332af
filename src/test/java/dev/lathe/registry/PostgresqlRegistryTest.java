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
        java.net.URI server = java.net.URI.create(url.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort());
                MetadataStore through = MetadataStore.open(url.replace(":" + server.getPort() + "/", ":" + proxy.port() + "/"))) {
            Registry viaProxy = Registry.openReadOnly(through, store, DeploymentLookup.NONE);
            proxy.loseReplyToTheMessageAfter("DELETE FROM models ");
            assertThatThrownBy(() -> viaProxy.deleteModel("d", "gone")).isInstanceOfSatisfying(LatheException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.METADATA_UNAVAILABLE));
        }
        assertThat(registry.getModel("d", "gone")).isEmpty(); // the commit landed
        assertThat(Files.exists(dataDirectory.resolve("models/d/gone"))).isFalse(); // and the folder was not put back
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(registry.getModel("d", "gone")).isEmpty(); // nor registered again
        assertThat(registry.getModel("d", "kept")).isPresent();
        assertDefaultInvariant();
    }
}
