package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory keeps its registry in one metadata store; a command naming another is refused, not given a second registry. */
class MetadataBindingTest {
    @TempDir
    Path directory;

    @Test
    void theFirstOpenBindsTheDirectoryAndAnotherStoreIsRefused() throws Exception {
        try (Platform platform = Platform.open(directory)) {
            platform.registry();
        }
        assertThat(Files.readString(directory.resolve(MetadataBinding.FILE_NAME)).strip()).isEqualTo("jdbc:sqlite:metadata.db");
        String other = "jdbc:sqlite:" + directory.resolve("elsewhere.db");
        assertThatThrownBy(() -> Platform.open(directory, other))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("keeps its registry in jdbc:sqlite:" + directory.toAbsolutePath().normalize().resolve("metadata.db"))
                .hasMessageContaining("--metadata-url");
        assertThat(directory.resolve("elsewhere.db")).doesNotExist();
        // The same store spelled another way is the same store; the warehouse was released by the refused open.
        try (Platform again = Platform.open(directory, MetadataStore.defaultUrl(directory))) {
            again.registry();
        }
    }

    @Test
    void commandsOpeningTheRegistryAloneAreBoundToo() {
        try (Platform platform = Platform.open(directory)) {
            platform.registry();
        }
        assertThatThrownBy(() -> Platform.openMetadata(directory, "jdbc:sqlite:" + directory.resolve("other.db")))
                .hasMessageContaining("keeps its registry in jdbc:sqlite:" + directory.toAbsolutePath().normalize().resolve("metadata.db"));
        try (MetadataStore metadata = Platform.openMetadata(directory, MetadataStore.defaultUrl(directory))) {
            assertThat(metadata).isNotNull();
        }
    }

    @Test
    void aCopiedDirectoryKeepsItsBinding(@TempDir Path copies) throws Exception {
        try (Platform platform = Platform.open(directory)) {
            platform.registry();
        }
        Path copy = copies.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        try (Platform platform = Platform.open(copy)) {
            platform.registry();
        }
    }

    @Test
    void theIdentityLeavesCredentialsOut() {
        assertThat(MetadataBinding.identity(directory, "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=secret&currentSchema=s1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=s1");
        assertThat(MetadataBinding.identity(directory, "jdbc:postgresql://bob:pw@db:5432/lathe")).isEqualTo("jdbc:postgresql://db:5432/lathe");
        // one host however spelled (a server started with localhost refused a command given 127.0.0.1)
        assertThat(MetadataBinding.identity(directory, "jdbc:postgresql://localhost:5432/test?user=postgres"))
                .isEqualTo(MetadataBinding.identity(directory, "jdbc:postgresql://127.0.0.1:5432/test"))
                .isEqualTo(MetadataBinding.identity(directory, "jdbc:postgresql://bob@[::1]:5432/test"));
        assertThat(MetadataBinding.identity(directory, "jdbc:sqlite:/var/lib/lathe/meta.db")).isEqualTo("jdbc:sqlite:/var/lib/lathe/meta.db");
    }

    /**
     * Probe E: two data directories opened against one PostgreSQL store mixed their registries (the second's model
     * folders registered into the first's). The store belongs to the directory that opened it first; another is refused,
     * by a server's open and by a registry-only command alike, while the owner and its replicas go on.
     */
    @Test
    void aStoreHoldsOneDirectorysRegistryAndAnotherDirectoryIsRefused(@TempDir Path other) throws Exception {
        String url = dev.lathe.testing.PostgresSchemas.create();
        try {
            try (Platform platform = Platform.open(directory, url)) {
                platform.session(line -> {}).execute("CREATE SCHEMA d; CREATE MODEL d.m OPTIONS (model_type = 'linear_reg',"
                        + " input_label_cols = ['y']) AS SELECT i * 2.0 AS y, i AS x FROM range(20) t(i)", (statement, result) -> {});
            }
            assertThat(Files.readString(directory.resolve(MetadataBinding.ID_FILE)).strip()).hasSize(36);
            Path second = other.resolve("second");
            assertThatThrownBy(() -> Platform.open(second, url))
                    .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                    .hasMessageContaining("holds the registry of the data directory " + directory.toAbsolutePath().normalize())
                    .hasMessageContaining("not of " + second.toAbsolutePath().normalize())
                    .hasMessageContaining("a store of its own");
            assertThatThrownBy(() -> Platform.openMetadata(second, url)).hasMessageContaining("holds the registry of the data directory");
            // a replica on another directory (one without the owner's id file) is refused too
            Path third = other.resolve("third");
            Files.createDirectories(third.resolve("models"));
            assertThatThrownBy(() -> Platform.openReplica(third, url)).hasMessageContaining("has no directory-id file, so it is not that directory");
            try (Platform owner = Platform.open(directory, url); Platform replica = Platform.openReplica(directory, url)) {
                assertThat(owner.registry().resolve("d", "m", java.util.Optional.empty())).isEqualTo(1);
                assertThat(replica.registry().resolve("d", "m", java.util.Optional.empty())).isEqualTo(1);
            }
        } finally {
            dev.lathe.testing.PostgresSchemas.drop(url);
        }
    }

    /**
     * Probe qe: a copy of the directory (the same id) opened as a primary on the same PostgreSQL store while the original
     * was still there: the two diverged, each one's new versions without files in the other. Refused; a directory moved
     * away from its recorded path (the original gone) takes the store.
     */
    @Test
    void aCopyIsRefusedAsASecondPrimaryAndAMovedDirectoryTakesItsStore(@TempDir Path other) throws Exception {
        String url = dev.lathe.testing.PostgresSchemas.create();
        try {
            try (Platform platform = Platform.open(directory, url)) {
                platform.registry();
            }
            Path copy = other.resolve("copy");
            Files.createDirectories(copy.resolve("models"));
            Files.copy(directory.resolve(MetadataBinding.ID_FILE), copy.resolve(MetadataBinding.ID_FILE));
            assertThatThrownBy(() -> Platform.open(copy, url))
                    .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                    .hasMessageContaining("of which " + copy.toAbsolutePath().normalize() + " is a copy")
                    .hasMessageContaining("--replica");
            try (Platform replica = Platform.openReplica(copy, url)) { // a copy may serve as a replica
                assertThat(replica.registry()).isNotNull();
            }
            Files.delete(directory.resolve(MetadataBinding.ID_FILE)); // the original gone: the copy is the directory, moved
            try (Platform moved = Platform.open(copy, url)) {
                moved.registry();
            }
            Files.copy(copy.resolve(MetadataBinding.ID_FILE), directory.resolve(MetadataBinding.ID_FILE));
            assertThatThrownBy(() -> Platform.open(directory, url)).hasMessageContaining("of which " + directory.toAbsolutePath().normalize()
                    + " is a copy"); // the store now records the moved path
        } finally {
            dev.lathe.testing.PostgresSchemas.drop(url);
        }
    }

    /**
     * Probe L: the refusal named the store as jdbc:sqlite:metadata.db, and that URL given back was opened in the working
     * directory, a second, empty registry. A relative SQLite path is the data directory's file.
     */
    @Test
    void aRelativeSqliteUrlIsTheDataDirectorysFile() throws Exception {
        try (Platform platform = Platform.open(directory)) {
            platform.session(line -> {}).execute("CREATE SCHEMA d; CREATE MODEL d.m OPTIONS (model_type = 'linear_reg',"
                    + " input_label_cols = ['y']) AS SELECT i * 2.0 AS y, i AS x FROM range(20) t(i)", (statement, result) -> {});
            platform.registry().setAlias("d", "m", 1, "champion");
        }
        try (Platform again = Platform.open(directory, "jdbc:sqlite:metadata.db")) {
            assertThat(again.registry().resolve("d", "m", java.util.Optional.of("champion"))).isEqualTo(1);
        }
        assertThat(Path.of("metadata.db").toAbsolutePath()).doesNotExist();
        assertThatThrownBy(() -> Platform.open(directory, "jdbc:sqlite:other.db")).hasMessageContaining("would open jdbc:sqlite:"
                + directory.toAbsolutePath().normalize().resolve("other.db"));
        assertThat(MetadataBinding.resolve(directory, "jdbc:sqlite:sub/m.db?journal_mode=WAL"))
                .isEqualTo("jdbc:sqlite:" + directory.toAbsolutePath().normalize().resolve("sub/m.db") + "?journal_mode=WAL");
        assertThat(MetadataBinding.resolve(directory, "jdbc:sqlite:/abs/m.db")).isEqualTo("jdbc:sqlite:/abs/m.db");
    }

    /** Probe L: a store that never opened (a typo in a PostgreSQL URL) was recorded, pinning the directory to it. */
    @Test
    void aStoreThatDoesNotOpenIsNotRecorded() throws Exception {
        assertThatThrownBy(() -> Platform.open(directory, "jdbc:postgresql://127.0.0.1:1/nowhere?user=x&connectTimeout=2"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.METADATA_UNAVAILABLE));
        assertThat(directory.resolve(MetadataBinding.FILE_NAME)).doesNotExist();
        try (Platform platform = Platform.open(directory)) {
            platform.registry();
        }
        assertThat(Files.readString(directory.resolve(MetadataBinding.FILE_NAME)).strip()).isEqualTo("jdbc:sqlite:metadata.db");
    }
}
