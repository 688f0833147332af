package dev.lathe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.testing.PostgresSchemas;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's error is text of Lathe's around text of the user's (a value DuckDB quotes, a query's literal), which may hold a
 * NUL: PostgreSQL's text cannot keep one, so recording the job's end failed there and the job was left RUNNING; SQLite
 * kept it. Both keep it as the six characters backslash, u, 0000 (probe wops 4).
 */
class JobErrorTextTest {
    private static final String WITH_NUL = "Conversion Error: Could not convert string 'a\0b' to INT32";
    private static final String KEPT = "Conversion Error: Could not convert string 'a\\u0000b' to INT32";

    @TempDir
    Path directory;

    @Test
    void aJobErrorWithANulIsKeptOnSqlite() {
        keepsTheError("jdbc:sqlite:" + directory.resolve("metadata.db"));
    }

    @Test
    void aJobErrorWithANulIsKeptOnPostgresql() {
        String url = PostgresSchemas.create();
        try {
            keepsTheError(url);
        } finally {
            PostgresSchemas.drop(url);
        }
    }

    private static void keepsTheError(String url) {
        try (MetadataStore metadata = MetadataStore.open(url)) {
            JobStore jobs = new JobStore(metadata);
            JobSpec spec = BatchFixture.spec("d.weight", new JobInput.Table("d", "t"), new JobOutput.Table("out", "t"));
            // failed at submit
            BatchPredictionJob refused = jobs.create(spec, Optional.of(new LatheException(ErrorCode.INVALID_ARGUMENT, WITH_NUL)));
            assertThat(refused.error()).contains(KEPT);
            // failed while running
            BatchPredictionJob running = jobs.create(spec, Optional.empty());
            assertThat(jobs.start(running.id())).isTrue();
            jobs.finish(running.id(), JobState.FAILED, 0, 10, 0, 0, List.of(), Optional.of(WITH_NUL), 3, Optional.empty());
            BatchPredictionJob failed = jobs.require(running.id());
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.error()).contains(KEPT);
        }
    }
}
