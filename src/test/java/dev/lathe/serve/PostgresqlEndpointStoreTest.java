package dev.lathe.serve;

import java.nio.file.Path;

/** The endpoint store's rules on the local PostgreSQL server, each test in its own schema. */
class PostgresqlEndpointStoreTest extends EndpointStoreContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return PostgresSchemas.create();
    }

    @Override
    void dropMetadata(String url) {
        PostgresSchemas.drop(url);
    }
}
