package dev.lathe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.testing.PostgresSchemas;
import dev.lathe.testing.TcpProxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe E: the PostgreSQL metadata store going away for a moment while a job ran failed the whole job (its progress
 * write met a dead pooled connection), although the job needs the store only to say how far it got. The job now goes on
 * without recording progress, and waits for the store to record how it ended.
 */
class BatchJobMetadataOutageTest {
    @TempDir
    Path directory;

    @Test
    void aBriefMetadataStoreOutageNeitherFailsNorStrandsARunningJob() throws Exception {
        String url = PostgresSchemas.create();
        URI server = URI.create(url.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort())) {
            String proxied = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
            try (Platform platform = Platform.open(directory.resolve("data"), proxied); MetadataStore direct = MetadataStore.open(url);
                    JobRunner runner = new JobRunner(platform, 1)) {
                runner.recover(false);
                try (Engine session = platform.session(line -> {})) {
                    session.execute("CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + BatchFixture.PENGUINS
                            + "']); CREATE MODEL d.weight OPTIONS(model_type = 'LINEAR_REG', input_label_cols = ['body_mass_g']) AS"
                            + " SELECT bill_length_mm, flipper_length_mm, sex, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL;"
                            + " CREATE TABLE d.big AS SELECT p.* FROM d.penguins p, range(1000) r", (statement, result) -> {});
                }
                JobStore watch = new JobStore(direct);
                BatchPredictionJob job = runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"), new JobOutput.Table("out", "big")));
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (watch.require(job.id()).state() == JobState.QUEUED && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                // Every pooled connection dies, and for 1.5 s no new one is let through.
                proxy.cut();
                Thread.sleep(1500);
                proxy.restore();
                BatchPredictionJob ended = watch.require(job.id());
                while (!ended.state().terminal() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    ended = watch.require(job.id());
                }
                assertThat(ended.state()).as("%s", ended.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(ended.successfulCount() + ended.failedCount()).isEqualTo(344_000);
                assertThat(ended.rowsProcessed()).isEqualTo(ended.rowsTotal());
                try (Engine session = platform.session(line -> {})) {
                    List<Long> counts = new java.util.ArrayList<>();
                    session.execute("SELECT count(*) FROM out.big", (statement, result) -> {
                        if (result instanceof dev.lathe.engine.Result.Rows rows) {
                            rows.rows().next();
                            counts.add(rows.rows().getLong(1));
                        }
                    });
                    assertThat(counts).containsExactly(ended.successfulCount());
                }
            }
        } finally {
            PostgresSchemas.drop(url);
        }
    }
}
