package dev.lathe.monitor;

import java.nio.file.Path;

class SqliteMonitorStoreTest extends MonitorStoreContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return "jdbc:sqlite:" + directory.resolve("metadata.db");
    }

    @Override
    void dropMetadata(String url) {}
}
