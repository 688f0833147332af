package dev.lathe.registry;

import java.nio.file.Path;

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
}
