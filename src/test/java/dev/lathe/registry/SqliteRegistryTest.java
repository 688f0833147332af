package dev.lathe.registry;

import dev.lathe.metadata.MetadataStore;
import java.nio.file.Path;

/** The registry contract on SQLite: {@code metadata.db} in the data directory (the default). */
class SqliteRegistryTest extends RegistryContractTest {
    @Override
    String newMetadataUrl(Path directory) {
        return MetadataStore.defaultUrl(directory);
    }

    @Override
    void dropMetadata(String url) {
        // The temporary data directory goes with the test.
    }
}
