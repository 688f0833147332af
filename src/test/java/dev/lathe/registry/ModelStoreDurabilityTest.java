package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two steps every artifact write is made of: a file forced to the disk, and a folder's entries forced after it. */
class ModelStoreDurabilityTest {
    @TempDir
    Path folder;

    @Test
    void aDurableWriteHoldsExactlyTheBytesAndNeverReplacesAFile() throws Exception {
        Path file = folder.resolve("estimator.bin");
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        ModelStore.writeDurably(file, bytes);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThatThrownBy(() -> ModelStore.writeDurably(file, new byte[] {1})).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        ModelStore.writeDurably(folder.resolve("empty"), new byte[0]);
        assertThat(Files.size(folder.resolve("empty"))).isZero();
    }

    @Test
    void aFoldersEntriesAreForcedAndAMissingFolderIsAnError() throws Exception {
        ModelStore.syncDirectory(folder);
        assertThatThrownBy(() -> ModelStore.syncDirectory(folder.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
