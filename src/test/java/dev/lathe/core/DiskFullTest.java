package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A full disk's message names the disk's folder and what to do, which DuckDB's "Could not write file" does not (probe ta F6). */
class DiskFullTest {
    @Test
    void theFolderIsTheQuotedFilesOrABatchJobsOutputFolder() {
        assertThat(DiskFull.folder("TransactionContext Error: Failed to commit: Could not write file \"/data/d/warehouse.duckdb.wal\":"
                + " No space left on device")).hasValue(Path.of("/data/d"));
        // a batch job writes into a hidden staging folder beside the output it is given
        assertThat(DiskFull.folder("IO Error: Could not write file \"/data/out/.preds.lathe-job-12.tmp/predictions_0001.csv\": No space"
                + " left on device")).hasValue(Path.of("/data/out"));
        assertThat(DiskFull.folder("No space left on device")).isEmpty();
        assertThat(DiskFull.advice("No space left on device")).isEqualTo("; the disk is full: free space on it and run it again");
    }

    @Test
    void fullDisksAndQuotasAreRecognised() {
        assertThat(DiskFull.is("IO Error: Could not write file \"/x\": No space left on device")).isTrue();
        assertThat(DiskFull.is("write failed: Disk quota exceeded")).isTrue();
        assertThat(DiskFull.is("Parser Error: syntax error")).isFalse();
    }

    @Test
    void theAdviceSaysHowMuchIsFreeWhereTheFolderExists(@org.junit.jupiter.api.io.TempDir Path directory) {
        assertThat(DiskFull.advice("Could not write file \"" + directory.resolve("missing/file.csv") + "\": No space left on device"))
                .startsWith("; the disk holding " + directory.resolve("missing") + " is full (").contains(" KB free)")
                .endsWith(": free space on it and run it again");
    }
}
