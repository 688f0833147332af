package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema's version as stores of older Lathes hold it, and what an open that must not migrate says of them. */
class MigrationsTest {
    @TempDir
    Path folder;

    /** Probe ua F5: a replica beside a primary not yet upgraded said the store "has no Lathe schema yet". */
    @Test
    void aReplicaNamesTheOlderSchemaVersionItFinds() {
        String url = "jdbc:sqlite:" + folder.resolve("metadata.db");
        OlderSchema.create(url, 4);
        LatheException e = catchThrowableOfType(LatheException.class, () -> MetadataStore.openExisting(url).close());
        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(e.getMessage()).contains("has schema version 4, older than this Lathe's " + Migrations.latest(),
                "start (or upgrade) the primary").doesNotContain("no Lathe schema");
        assertThat(OlderSchema.version(url)).isEqualTo(4);

        try (MetadataStore migrated = MetadataStore.open(url)) { // the primary's open migrates it
            assertThat(migrated.schemaVersion()).isEqualTo(Migrations.latest());
        }
        MetadataStore.openExisting(url).close();
    }

    /** Probe ua F6: "use the Lathe release that wrote it", where every build is 0.1.0-SNAPSHOT, could not be followed. */
    @Test
    void aNewerStoreNamesTheSchemaABuildMustRead() throws Exception {
        String url = "jdbc:sqlite:" + folder.resolve("metadata.db");
        OlderSchema.create(url, Migrations.latest());
        try (var connection = java.sql.DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO schema_migrations VALUES (" + (Migrations.latest() + 1) + ", 'future', '2027-01-01T00:00:00Z')");
        }
        LatheException e = catchThrowableOfType(LatheException.class, () -> MetadataStore.open(url).close());
        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(e.getMessage()).contains("has schema version " + (Migrations.latest() + 1), "use a Lathe build whose metadata"
                + " schema is " + (Migrations.latest() + 1) + " or newer (./lathe --version shows a build's)");
    }

    @Test
    void aStoreWithoutSchemaIsStillSaidToHaveNone() {
        String url = "jdbc:sqlite:" + folder.resolve("metadata.db");
        OlderSchema.create(url, 0);
        LatheException e = catchThrowableOfType(LatheException.class, () -> MetadataStore.openExisting(url).close());
        assertThat(e.getMessage()).contains("has no Lathe schema yet");
    }
}
