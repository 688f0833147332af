package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe pu: on a full disk every command, even a SELECT, failed with SQLite's "disk I/O error" and the advice to give
 * another --metadata-url. The failure names the full disk where the store's file lies on one.
 */
class MetadataStoreFullDiskTest {
    @TempDir
    Path folder;

    @Test
    void aSqliteStoreOnAFullDiskSaysTheDiskIsFull() {
        String url = "jdbc:sqlite:" + folder.resolve("data/metadata.db");
        assertThat(MetadataStore.fullDisk(url, path -> 12 * 1024)).hasValueSatisfying(text -> assertThat(text)
                .contains("the disk holding " + folder.resolve("data") + " is full (12 KB free)", "free space on it"));
        assertThat(MetadataStore.fullDisk(url, path -> 50L << 20)).isEmpty();
        assertThat(MetadataStore.fullDisk("jdbc:postgresql://127.0.0.1:5432/test", path -> 0)).isEmpty();
    }
}
