package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
    void concurrentDurableWritesHoldEachFilesBytesAndReportTheFirstFailure() throws Exception {
        Map<String, Supplier<byte[]>> contents = new LinkedHashMap<>();
        for (int f = 0; f < 6; f++) {
            byte[] bytes = new byte[10_000 * (f + 1)];
            Arrays.fill(bytes, (byte) f);
            contents.put("file" + f + ".bin", () -> bytes);
        }
        ModelStore.writeAllDurably(folder, contents);
        for (int f = 0; f < 6; f++) {
            byte[] read = Files.readAllBytes(folder.resolve("file" + f + ".bin"));
            assertThat(read).hasSize(10_000 * (f + 1)).containsOnly((byte) f);
        }
        // a file that exists is never replaced, and a serializer's failure reaches the caller as it was thrown
        assertThatThrownBy(() -> ModelStore.writeAllDurably(folder, Map.of("file0.bin", () -> new byte[] {9})))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(folder.resolve("file0.bin"))).hasSize(10_000);
        assertThatThrownBy(() -> ModelStore.writeAllDurably(folder, Map.of("new.bin", () -> {
            throw new IllegalStateException("cannot serialize");
        }))).isInstanceOf(IllegalStateException.class).hasMessage("cannot serialize");
    }

    @Test
    void aFoldersEntriesAreForcedAndAMissingFolderIsAnError() throws Exception {
        ModelStore.syncDirectory(folder);
        assertThatThrownBy(() -> ModelStore.syncDirectory(folder.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
