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
                .hasMessageContaining("keeps its registry in jdbc:sqlite:metadata.db").hasMessageContaining("--metadata-url");
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
                .hasMessageContaining("keeps its registry in jdbc:sqlite:metadata.db");
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
        assertThat(MetadataBinding.identity(directory, "jdbc:sqlite:/var/lib/lathe/meta.db")).isEqualTo("jdbc:sqlite:/var/lib/lathe/meta.db");
    }
}
