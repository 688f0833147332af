package dev.lathe.serve;

import java.nio.file.Path;

class SqliteEndpointStoreTest extends EndpointStoreContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return "jdbc:sqlite:" + directory.resolve("metadata.db");
    }

    @Override
    void dropMetadata(String url) {}
}
