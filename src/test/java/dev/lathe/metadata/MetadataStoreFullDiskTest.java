package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite store's file the environment will not let Lathe write. Probe pu: on a full disk every command, even a SELECT,
 * failed with SQLite's "disk I/O error" and the advice to give another --metadata-url. The failure names the full disk
 * where the store's file lies on one.
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

    /**
     * Probe sg: a metadata.db this process cannot write (chmod 444, chattr +i, a read-only mount) failed every change with
     * "[SQLITE_READONLY] Attempt to write a readonly database" as an internal error (exit 1, HTTP 500), and a server on it
     * never became ready. The change is refused as unavailable (exit 6, HTTP 503), naming the file, its folder and what to
     * check; reads go on working.
     */
    @Test
    void aReadOnlySqliteFileIsUnavailableNamingTheFileAndWhatToDo() {
        String url = MetadataStore.defaultUrl(folder);
        try (MetadataStore store = MetadataStore.open(url)) {
            store.requireWritable();
        }
        // opened read-only by SQLite's URI parameter: as root, file modes do not stop a write
        try (MetadataStore store = MetadataStore.open("jdbc:sqlite:file:" + folder.resolve("metadata.db").toAbsolutePath() + "?mode=ro")) {
            assertThat(store.<Integer>read(Migrations::currentVersion)).isEqualTo(Migrations.latest());
            org.assertj.core.api.Assertions.assertThatThrownBy(store::requireWritable)
                    .isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> {
                        assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                        assertThat(e.category().exitCode()).isEqualTo(6);
                        assertThat(e.getMessage()).startsWith("The metadata store " + folder.resolve("metadata.db").toAbsolutePath()
                                + " is read-only for this process").contains("nothing was changed", "its folder " + folder.toAbsolutePath(),
                                "writable by the user running Lathe", "chattr -i");
                    });
        }
    }

    /**
     * Probe sg: metadata.db deleted while a server ran: every later change was answered 200, written into the deleted file
     * and lost when the server stopped. A write finds the file gone (or another in its place) and is refused as
     * unavailable, telling to restart; nothing is written, and every later write is refused too. Reads go on.
     */
    @Test
    void writesAreRefusedOnceTheOpenedFileIsDeletedOrReplaced() throws Exception {
        for (boolean replaced : new boolean[] {false, true}) {
            Path directory = java.nio.file.Files.createDirectories(folder.resolve(replaced ? "replaced" : "deleted"));
            Path file = directory.resolve("metadata.db");
            try (MetadataStore store = MetadataStore.open(MetadataStore.defaultUrl(directory))) {
                store.inTransaction(c -> execute(c, "CREATE TABLE counted (x INTEGER)"));
                store.inTransaction(c -> execute(c, "INSERT INTO counted VALUES (1)"));
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    java.nio.file.Files.deleteIfExists(directory.resolve("metadata.db" + suffix));
                }
                if (replaced) { // a backup moved into place
                    Path backup = java.nio.file.Files.writeString(folder.resolve("backup.db"), "");
                    java.nio.file.Files.move(backup, file);
                }
                for (int attempt = 0; attempt < 2; attempt++) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.inTransaction(c -> execute(c, "INSERT INTO counted VALUES (2)")))
                            .isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> {
                                assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE);
                                assertThat(e.getMessage()).startsWith("The metadata store " + file.toAbsolutePath()
                                        + (replaced ? " was replaced by another file" : " was deleted") + " while this process had it open")
                                        .contains("nothing was changed", "Restart the process");
                            });
                }
                assertThat(store.<Long>read(c -> {
                    try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rows = s.executeQuery("SELECT count(*) FROM counted")) {
                        rows.next();
                        return rows.getLong(1);
                    }
                })).isEqualTo(1);
            }
        }
    }

    private static Object execute(java.sql.Connection connection, String sql) throws java.sql.SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }
}
