package dev.lathe.serve;

import java.nio.file.Path;

/** {@link ReplicaTest} with the registry and endpoints in PostgreSQL, as a deployment with several hosts has them. */
class PostgresqlReplicaTest extends ReplicaTest {
    @Override
    protected String metadataUrl(Path dataDirectory) {
        return dev.lathe.testing.PostgresSchemas.create();
    }

    @Override
    protected void dropMetadata(String url) {
        dev.lathe.testing.PostgresSchemas.drop(url);
    }
}
