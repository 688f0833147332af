package dev.lathe.monitor;

import java.nio.file.Path;

/** The monitor store's rules on the local PostgreSQL server, each test in its own schema. */
class PostgresqlMonitorStoreTest extends MonitorStoreContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return dev.lathe.testing.PostgresSchemas.create();
    }

    @Override
    void dropMetadata(String url) {
        dev.lathe.testing.PostgresSchemas.drop(url);
    }
}
