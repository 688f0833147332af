package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.batch.BatchPredictionModule;
import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobsCommandTest {
    private static final Path PENGUINS = Path.of("src/test/resources/datasets/penguins.csv").toAbsolutePath();

    @TempDir
    Path dataDirectory;
    @TempDir
    Path files;

    private record Run(int exitCode, String out, String err) {}

    private Run lathe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDirectory.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    private void setUp() {
        Run setup = lathe("sql", "-e", "CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + PENGUINS + "']);"
                + "CREATE MODEL d.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT bill_length_mm, sex, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(setup.exitCode()).as(setup.err()).isZero();
    }

    @Test
    void submitWithoutAServerRunsTheJobInProcessAndWaits() {
        setUp();
        Run submitted = lathe("jobs", "submit", "--model", "d.weight", "--input-files", PENGUINS.toString(), "--output-dir",
                files.resolve("out").toString(), "--output-format", "parquet");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("JOB_STATE_SUCCEEDED").contains("output directory");
        assertThat(Files.exists(files.resolve("out/predictions_0001.parquet"))).isTrue();
        Run list = lathe("jobs", "list");
        assertThat(list.out()).contains("Job 1 JOB_STATE_SUCCEEDED  model d.weight (version 1)"); // the short name, as written
        Run get = lathe("jobs", "get", "1", "--json");
        assertThat(get.out()).contains("\"state\":\"JOB_STATE_SUCCEEDED\"");
        // --format json as the models commands take it (probe re: jobs took --json only, list no JSON at all)
        assertThat(lathe("jobs", "get", "1", "--format", "json").out()).isEqualTo(get.out());
        assertThat(lathe("jobs", "list", "--format", "json").out()).startsWith("{\"batchPredictionJobs\":[{").contains("JOB_STATE_SUCCEEDED");
        assertThat(lathe("jobs", "list", "--format", "csv").err()).contains("--format csv is for query results; jobs commands accept table or json");
        Run missing = lathe("jobs", "get", "7");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("7");
        Run late = lathe("jobs", "cancel", "1"); // it ended: said so (probe L)
        assertThat(late.exitCode()).isZero();
        assertThat(late.err()).contains("Job 1 had already ended (JOB_STATE_SUCCEEDED); nothing was cancelled");
        // a job a killed `jobs submit` left RUNNING: `jobs wait` says why nothing runs it (probe pu: exit 1, no word)
        try (dev.lathe.metadata.MetadataStore metadata = dev.lathe.engine.Platform.openMetadata(dataDirectory, dev.lathe.metadata.MetadataStore.defaultUrl(dataDirectory))) {
            dev.lathe.batch.JobStore store = new dev.lathe.batch.JobStore(metadata);
            long id = store.create(dev.lathe.batch.JobJson.parseRequest((com.fasterxml.jackson.databind.node.ObjectNode)
                    dev.lathe.server.Json.MAPPER.readTree("{\"model\": \"d.weight\", \"inputConfig\": {\"instancesFormat\": \"bigquery\","
                            + " \"bigquerySource\": {\"inputUri\": \"d.penguins\"}}, \"outputConfig\": {\"predictionsFormat\": \"bigquery\","
                            + " \"bigqueryDestination\": {\"outputUri\": \"d.cut\"}}}")), java.util.Optional.empty()).id();
            metadata.inTransaction(c -> {
                try (java.sql.PreparedStatement update = c.prepareStatement("UPDATE batch_jobs SET state = 'RUNNING' WHERE id = ?")) {
                    update.setLong(1, id);
                    update.executeUpdate();
                }
                return null;
            });
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Run stranded = lathe("jobs", "wait", "2");
        assertThat(stranded.exitCode()).isEqualTo(1);
        assertThat(stranded.err()).contains("Job 2 is JOB_STATE_RUNNING, but no Lathe server runs for this data directory");
        for (String limit : new String[] {"0", "-1", "1001"}) { // -1 listed every job, 0 none (probe L)
            Run bad = lathe("jobs", "list", "--limit", limit);
            assertThat(bad.exitCode()).as(limit).isEqualTo(2);
            assertThat(bad.err()).as(limit).contains("--limit must be between 1 and 1000, but got " + limit);
        }
        // formats in the command's terms (probe re: "'outputConfig.predictionsFormat': must be one of bigquery, ...")
        Run xml = lathe("jobs", "submit", "--model", "d.weight", "--input-table", "d.penguins", "--output-dir", files.resolve("x").toString(),
                "--output-format", "xml");
        assertThat(xml.exitCode()).isEqualTo(2);
        assertThat(xml.err()).contains("Invalid value for --output-format: must be csv, jsonl or parquet, got 'xml'");
        Run txt = lathe("jobs", "submit", "--model", "d.weight", "--input-files", files.resolve("a.txt").toString(), "--output-table", "d.t");
        assertThat(txt.err()).contains("Invalid value for --input-format: must be csv, jsonl or parquet, got 'txt' (taken from the extension of");
        assertThat(Files.exists(files.resolve("x"))).isFalse();
    }

    /**
     * --input-files takes a name with a comma: a value starting with ^DELIM^ is split on DELIM, as gcloud's list flags
     * are, and the flag is repeatable (probe wops 3: every comma split the list, so such a file could not be given).
     */
    @Test
    void inputFilesTakesANameWithACommaAfterADelimiterOfItsOwn() throws Exception {
        setUp();
        Path comma = Files.copy(PENGUINS, files.resolve("a,b.csv"));
        Path plain = Files.copy(PENGUINS, files.resolve("c.csv"));
        Run escaped = lathe("jobs", "submit", "--model", "d.weight", "--input-files", "^:^" + comma + ":" + plain, "--output-table", "d.escaped");
        assertThat(escaped.exitCode()).as(escaped.err()).isZero();
        Run repeated = lathe("jobs", "submit", "--model", "d.weight", "--input-files", "^;^" + comma, "--input-files", plain.toString(),
                "--output-table", "d.repeated");
        assertThat(repeated.exitCode()).as(repeated.err()).isZero();
        long rows = Files.readAllLines(PENGUINS).size() - 1;
        Run counts = lathe("sql", "--format", "csv", "-e", "SELECT (SELECT count(*) FROM d.escaped) AS escaped, (SELECT count(*) FROM d.repeated) AS repeated");
        assertThat(counts.out()).contains((2 * rows) + "," + (2 * rows));
        Run unnamed = lathe("jobs", "submit", "--model", "d.weight", "--input-files", "^" + comma, "--output-table", "d.unnamed");
        assertThat(unnamed.exitCode()).isEqualTo(2);
        assertThat(unnamed.err()).contains("--input-files '^" + comma + "' starts with '^' but names no delimiter")
                .contains("'^:^a,b.csv:c.csv'");
        Run empty = lathe("jobs", "submit", "--model", "d.weight", "--input-files", plain + ",," + plain, "--output-table", "d.empty");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("has an empty item between its ','s");
    }

    @Test
    void submitAndWaitGoThroughTheRunningServer() throws Exception {
        setUp();
        try (Platform platform = Platform.open(dataDirectory)) {
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(l -> {});
            new BatchPredictionModule().configure(builder);
            try (LatheServer server = builder.start()) {
                assertThat(server.awaitReady(30, TimeUnit.SECONDS)).isTrue();
                Run submitted = lathe("jobs", "submit", "--model", "d.weight@1", "--input-table", "d.penguins", "--output-table", "out.w", "--wait");
                assertThat(submitted.exitCode()).as(submitted.err()).isZero();
                assertThat(submitted.out()).contains("JOB_STATE_SUCCEEDED").contains("output table out.w");
                Run waited = lathe("jobs", "wait", "1");
                assertThat(waited.out()).contains("JOB_STATE_SUCCEEDED");
                Run invalid = lathe("jobs", "submit", "--model", "d.weight", "--input-table", "d.penguins");
                assertThat(invalid.exitCode()).isNotZero();
                assertThat(invalid.err()).contains("--output-table");
                // A job that fails at once (its model does not resolve) exits 1 without --wait too, as with it (probe F)
                Run failed = lathe("jobs", "submit", "--model", "d.nosuch", "--input-table", "d.penguins", "--output-table", "out.n");
                assertThat(failed.exitCode()).isEqualTo(1);
                assertThat(failed.out()).contains("JOB_STATE_FAILED");
                assertThat(submitted.out().split("JOB_STATE_SUCCEEDED", -1)).hasSize(2); // printed once, not twice
                Run unknown = lathe("jobs", "get", "999");
                assertThat(unknown.exitCode()).isEqualTo(3);
            }
        }
    }
}
