package dev.lathe.serve;

import java.nio.file.Path;

/** The endpoint store's rules on the local PostgreSQL server, each test in its own schema. */
class PostgresqlEndpointStoreTest extends EndpointStoreContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return dev.lathe.testing.PostgresSchemas.create();
    }

    @Override
    void dropMetadata(String url) {
        dev.lathe.testing.PostgresSchemas.drop(url);
    }
}
