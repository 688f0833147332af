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
                penguinsModel(platform, "; CREATE TABLE d.big AS SELECT p.* FROM d.penguins p, range(1000) r");
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
                BatchPredictionJob ended = awaitEnd(watch, job.id(), deadline);
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

    /**
     * A job whose start (QUEUED to RUNNING) committed but whose reply was lost, the store then gone for a moment: the start
     * was tried again, found the job no longer QUEUED and gave up, so the job stayed RUNNING, never run, until the next
     * start of the process failed it (the test above met it under load, its cut coming while the start's reply was on its
     * way). The second try knows the start it made.
     */
    @Test
    void aStartWhoseReplyIsLostDoesNotStrandTheJob() throws Exception {
        String url = PostgresSchemas.create();
        try (TcpProxy proxy = TcpProxy.toServerOf(url)) {
            try (Platform platform = Platform.open(directory.resolve("data"), proxy.through(url)); MetadataStore direct = MetadataStore.open(url);
                    JobRunner runner = new JobRunner(platform, 1)) {
                runner.recover(false);
                penguinsModel(platform, "");
                JobStore watch = new JobStore(direct);
                proxy.loseReplyToTheMessageAfter("SET state = 'RUNNING'");
                BatchPredictionJob job = runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                        new JobOutput.Table("out", "weights")));
                long deadline = System.nanoTime() + 60_000_000_000L;
                BatchPredictionJob started = watch.require(job.id());
                while ((proxy.armed() || started.state() == JobState.QUEUED) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    started = watch.require(job.id()); // the COMMIT passed on, the server may take a moment to make it
                }
                assertThat(started.state()).as("the start committed").isEqualTo(JobState.RUNNING);
                Thread.sleep(1500); // the runner's start failed, and its next try too
                proxy.restore();
                BatchPredictionJob ended = awaitEnd(watch, job.id(), deadline);
                assertThat(ended.state()).as("%s", ended.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(ended.successfulCount() + ended.failedCount()).isEqualTo(344);
            }
        } finally {
            PostgresSchemas.drop(url);
        }
    }

    /** d.penguins and d.weight, a linear regression of body mass, made through {@code platform}, then the statements {@code more}. */
    private static void penguinsModel(Platform platform, String more) {
        try (Engine session = platform.session(line -> {})) {
            session.execute("CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + BatchFixture.PENGUINS
                    + "']); CREATE MODEL d.weight OPTIONS(model_type = 'LINEAR_REG', input_label_cols = ['body_mass_g']) AS"
                    + " SELECT bill_length_mm, flipper_length_mm, sex, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL" + more,
                    (statement, result) -> {});
        }
    }

    /** The job once it ended, or as it is at {@code deadline}. */
    private static BatchPredictionJob awaitEnd(JobStore watch, long id, long deadline) throws InterruptedException {
        BatchPredictionJob job = watch.require(id);
        while (!job.state().terminal() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            job = watch.require(id);
        }
        return job;
    }
}
