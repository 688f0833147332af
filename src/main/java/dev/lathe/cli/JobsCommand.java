package dev.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.batch.BatchPredictionJob;
import dev.lathe.batch.JobJson;
import dev.lathe.batch.JobRunner;
import dev.lathe.batch.JobSpec;
import dev.lathe.batch.JobStore;
import dev.lathe.batch.JobsClient;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Platform;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.server.ApiException;
import dev.lathe.server.Json;
import dev.lathe.server.LatheClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe jobs submit|list|get|cancel|wait}: batch prediction jobs. While a server of the data directory runs
 * the commands use its REST routes; otherwise {@code submit} runs the job in this process and waits for it.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Submits and follows batch prediction jobs.",
        subcommands = {JobsCommand.Submit.class, JobsCommand.ListJobs.class, JobsCommand.Get.class, JobsCommand.Cancel.class,
            JobsCommand.Wait.class})
final class JobsCommand implements Callable<Integer> {
    private static final String PARENT = JobsClient.PARENT;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingSubcommand(spec);
    }

    /** One job as lines: state, progress, counts, output, error and the first bad rows. */
    static void print(JsonNode job, PrintWriter out) {
        String name = job.path("name").asText();
        out.println("Job " + name.substring(name.lastIndexOf('/') + 1) + " " + job.path("state").asText() + "  model "
                + job.path("model").asText().replaceFirst("^.*/models/", "") // dataset.model[@...], as the user names it
                + (job.has("modelVersionId") ? " (version " + job.path("modelVersionId").asText() + ")" : ""));
        JsonNode stats = job.path("completionStats");
        out.println("  rows " + job.path("progress").path("rowsProcessed").asText() + "/" + job.path("progress").path("rowsTotal").asText()
                + "  succeeded " + stats.path("successfulCount").asText() + "  failed " + stats.path("failedCount").asText());
        JsonNode info = job.path("outputInfo");
        if (info.has("bigqueryOutputTable")) {
            out.println("  output table " + info.path("bigqueryOutputTable").asText());
        } else if (info.has("gcsOutputDirectory")) {
            out.println("  output directory " + info.path("gcsOutputDirectory").asText());
        }
        if (job.has("error")) {
            out.println("  error: " + job.path("error").path("message").asText());
        }
        for (JsonNode failure : job.path("partialFailures")) {
            out.println("  bad " + failure.path("message").asText());
        }
        out.flush();
    }

    int run(CommandSpec command, Action action) {
        try {
            Path dataDirectory = main.dataDirectory();
            Optional<LatheClient> server = LatheClient.discover(dataDirectory);
            return action.run(dataDirectory, server.map(c -> new JobsClient(c.baseUri())), command.commandLine().getOut());
        } catch (ApiException e) {
            return main.report(LatheException.userError(e.getMessage()), command.commandLine().getErr());
        } catch (RuntimeException e) {
            return main.report(e, command.commandLine().getErr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return main.report(LatheException.internal("Interrupted", e), command.commandLine().getErr());
        }
    }

    @FunctionalInterface
    interface Action {
        int run(Path dataDirectory, Optional<JobsClient> server, PrintWriter out) throws InterruptedException;
    }

    /** Reads jobs from the metadata store directly (no server runs). */
    private int withStore(Path dataDirectory, java.util.function.Function<JobStore, Integer> work) {
        try (MetadataStore metadata = ModelsCommand.openBesideServer(dataDirectory, main.metadataUrl(dataDirectory))) {
            return work.apply(new JobStore(metadata));
        }
    }

    /** Polls the server until the job ends, printing each change; 0 when it succeeded. */
    static int follow(JobsClient client, long id, PrintWriter out) throws InterruptedException {
        String last = "";
        while (true) {
            JsonNode job = client.get(id);
            String now = job.path("state").asText() + job.path("progress").path("rowsProcessed").asText();
            if (!now.equals(last)) {
                print(job, out);
                last = now;
            }
            if (List.of("JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED").contains(job.path("state").asText())) {
                return job.path("state").asText().equals("JOB_STATE_SUCCEEDED") ? 0 : 1;
            }
            Thread.sleep(200);
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submits a batch prediction job.")
    static final class Submit implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "dataset.model, dataset.model@3 or dataset.model@alias.")
        String model;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name.")
        Optional<String> name = Optional.empty();

        @Option(names = "--input-table", paramLabel = "DATASET.TABLE", description = "Warehouse table to predict.")
        Optional<String> inputTable = Optional.empty();

        @Option(names = "--input-query", paramLabel = "SQL", description = "SELECT over the warehouse to predict.")
        Optional<String> inputQuery = Optional.empty();

        @Option(names = "--input-files", paramLabel = "FILES", description = "Comma-separated input files (or globs); repeatable; a value"
                + " starting with ^DELIM^ is split on DELIM instead (a name with a comma: '^:^a,b.csv:c.csv').")
        List<String> inputFiles = List.of();

        @Option(names = "--input-format", paramLabel = "FORMAT", description = "csv, jsonl or parquet (for --input-files; default from the extension).")
        Optional<String> inputFormat = Optional.empty();

        @Option(names = "--output-table", paramLabel = "DATASET.TABLE", description = "New table for the predictions (bad rows: <table>_errors).")
        Optional<String> outputTable = Optional.empty();

        @Option(names = "--output-dir", paramLabel = "DIR", description = "New or empty directory for predictions_0001.<ext> and errors_0001.<ext>.")
        Optional<String> outputDirectory = Optional.empty();

        @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv, jsonl or parquet (for --output-dir). Default: ${DEFAULT-VALUE}.")
        String outputFormat = "csv";

        @Option(names = "--threshold", paramLabel = "P", description = "Binary classification threshold (default 0.5).")
        Optional<Double> threshold = Optional.empty();

        @Option(names = "--wait", description = "With a server: wait for the job to finish, showing progress (without a server it always waits).")
        boolean await;

        @Override
        public Integer call() {
            return jobs.run(spec, (dataDirectory, server, out) -> {
                ObjectNode body = body();
                if (server.isPresent()) {
                    JsonNode job = server.get().submit(body);
                    String name = job.path("name").asText();
                    return await ? follow(server.get(), Long.parseLong(name.substring(name.lastIndexOf('/') + 1)), out) : submitted(job, out);
                }
                JobSpec jobSpec = JobJson.parseRequest(body);
                WarehouseWait.Access access = WarehouseWait.serverOrWarehouse(dataDirectory, jobs.main.metadataUrl(dataDirectory),
                        System.err::println);
                if (access instanceof WarehouseWait.Server started) { // a server started while this command waited for the warehouse
                    JobsClient client = new JobsClient(started.client().baseUri());
                    JsonNode job = client.submit(body);
                    String name = job.path("name").asText();
                    return await ? follow(client, Long.parseLong(name.substring(name.lastIndexOf('/') + 1)), out) : submitted(job, out);
                }
                try (Platform platform = ((WarehouseWait.Direct) access).platform();
                        JobRunner runner = new JobRunner(platform, 1)) {
                    runner.recover(false);
                    // SIGTERM or Ctrl-C: the job is cancelled and recorded so, not left RUNNING with nothing running it
                    Thread stop = new Thread(runner::close, "lathe-jobs-stop");
                    Runtime.getRuntime().addShutdownHook(stop);
                    try {
                        BatchPredictionJob submitted = runner.submit(jobSpec);
                        BatchPredictionJob done = runner.await(submitted.id(), Duration.ofDays(365), Duration.ofMillis(200),
                                job -> print(JobJson.resource(job, PARENT), out));
                        return done.state() == dev.lathe.batch.JobState.SUCCEEDED ? 0 : 1;
                    } finally {
                        try {
                            Runtime.getRuntime().removeShutdownHook(stop);
                        } catch (IllegalStateException e) {
                            // the JVM is stopping: the hook runs
                        }
                    }
                }
            });
        }

        /** A file format flag checked here, in the command's terms (the server's error named outputConfig.predictionsFormat). */
        private static void requireFileFormat(String flag, String format, String where) {
            if (!List.of("csv", "jsonl", "parquet").contains(format)) {
                throw LatheException.userError("Invalid value for " + flag + ": must be csv, jsonl or parquet, got '" + format + "'" + where);
            }
        }

        /** Prints a job submitted without --wait; 1 when it failed at once (its model did not resolve), as --wait exits. */
        private int submitted(JsonNode job, PrintWriter out) {
            print(job, out);
            return job.path("state").asText().equals("JOB_STATE_FAILED") ? 1 : 0;
        }

        private ObjectNode body() {
            int inputs = (inputTable.isPresent() ? 1 : 0) + (inputQuery.isPresent() ? 1 : 0) + (inputFiles.isEmpty() ? 0 : 1);
            if (inputs != 1) {
                throw LatheException.userError("Give exactly one input: --input-table DATASET.TABLE, --input-query SQL or --input-files FILES");
            }
            if (outputTable.isPresent() == outputDirectory.isPresent()) {
                throw LatheException.userError("Give exactly one output: --output-table DATASET.TABLE or --output-dir DIR");
            }
            ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
            name.ifPresent(n -> body.put("displayName", n));
            ObjectNode input = body.putObject("inputConfig");
            if (inputTable.isPresent()) {
                input.put("instancesFormat", "bigquery").putObject("bigquerySource").put("inputUri", inputTable.get());
            } else if (inputQuery.isPresent()) {
                input.put("instancesFormat", "bigquery").put("query", inputQuery.get());
            } else {
                List<String> files = ListFlag.items("--input-files", inputFiles);
                String first = files.get(0);
                String format = inputFormat.orElseGet(() -> first.substring(first.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT));
                requireFileFormat("--input-format", format, inputFormat.isPresent() ? "" : " (taken from the extension of " + first
                        + "; give --input-format csv, jsonl or parquet)");
                input.put("instancesFormat", format);
                ArrayNode uris = input.putObject("gcsSource").putArray("uris");
                files.forEach(f -> uris.add(Path.of(f).toAbsolutePath().toString()));
            }
            ObjectNode output = body.putObject("outputConfig");
            if (outputTable.isPresent()) {
                output.put("predictionsFormat", "bigquery").putObject("bigqueryDestination").put("outputUri", outputTable.get());
            } else {
                requireFileFormat("--output-format", outputFormat, "");
                output.put("predictionsFormat", outputFormat).putObject("gcsDestination")
                        .put("outputUriPrefix", Path.of(outputDirectory.get()).toAbsolutePath().toString());
            }
            threshold.ifPresent(t -> body.putObject("modelParameters").put("threshold", t));
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists batch prediction jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N jobs. Default: ${DEFAULT-VALUE}.")
        int limit = 50;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = OutputFormat.Converter.class,
                description = "table or json ({\"batchPredictionJobs\": [...]}, Vertex's list). Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.TABLE;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                // -1 listed every job and 0 none, where `models list --page-size` refuses both (probe L)
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be between 1 and 1000, but got " + limit);
            }
            boolean json = ModelsCommand.requireTableOrJson(format, "jobs") == OutputFormat.JSON;
            return jobs.run(spec, (dataDirectory, server, out) -> {
                List<JsonNode> listed = new ArrayList<>();
                if (server.isPresent()) {
                    server.get().list(limit).path("batchPredictionJobs").forEach(listed::add);
                } else {
                    jobs.withStore(dataDirectory, store -> {
                        store.list(limit, Optional.empty()).forEach(job -> listed.add(JobJson.resource(job, PARENT)));
                        return 0;
                    });
                }
                if (json) {
                    ObjectNode page = Json.MAPPER.createObjectNode();
                    listed.forEach(page.putArray("batchPredictionJobs")::add);
                    out.println(page);
                    out.flush();
                } else {
                    listed.forEach(job -> print(job, out));
                }
                return 0;
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one job.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job id.")
        long id;

        @Option(names = "--json", description = "Print the Vertex BatchPredictionJob JSON (as --format json).")
        boolean json;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = OutputFormat.Converter.class,
                description = "table or json (the Vertex BatchPredictionJob JSON), as the other commands take it. Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.TABLE;

        @Override
        public Integer call() {
            boolean asJson = json || ModelsCommand.requireTableOrJson(format, "jobs") == OutputFormat.JSON;
            return jobs.run(spec, (dataDirectory, server, out) -> {
                JsonNode job = server.isPresent() ? server.get().get(id)
                        : jobs.withStoreJson(dataDirectory, store -> JobJson.resource(store.require(id), PARENT));
                if (asJson) {
                    out.println(job.toString());
                    out.flush();
                } else {
                    print(job, out);
                }
                return 0;
            });
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a queued or running job.")
    static final class Cancel implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job id.")
        long id;

        @Override
        public Integer call() {
            return jobs.run(spec, (dataDirectory, server, out) -> {
                JsonNode job = server.isPresent() ? server.get().cancel(id)
                        : jobs.withStoreJson(dataDirectory, store -> JobJson.resource(store.cancel(id), PARENT));
                print(job, out);
                String state = job.path("state").asText();
                if (!state.equals("JOB_STATE_CANCELLED") && !state.equals("JOB_STATE_CANCELLING")) {
                    // it had ended: cancelling printed the job and said nothing of it (probe L)
                    spec.commandLine().getErr().println("Job " + id + " had already ended (" + state + "); nothing was cancelled");
                }
                return 0;
            });
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, description = "Waits for a job to finish, showing its progress.")
    static final class Wait implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job id.")
        long id;

        @Override
        public Integer call() {
            return jobs.run(spec, (dataDirectory, server, out) -> {
                if (server.isPresent()) {
                    return follow(server.get(), id, out);
                }
                // No server: nothing runs the job but an in-process submit, which waits itself; show where it stands.
                JsonNode job = jobs.withStoreJson(dataDirectory, store -> JobJson.resource(store.require(id), PARENT));
                print(job, out);
                String state = job.path("state").asText();
                if (List.of("JOB_STATE_QUEUED", "JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_CANCELLING").contains(state)) {
                    // probe pu: a RUNNING job and exit 1 at once, no word why
                    spec.commandLine().getErr().println("Job " + id + " is " + state + ", but no Lathe server runs for this data directory,"
                            + " so nothing runs it now: a `jobs submit` without a server runs its job itself and ends with it (one"
                            + " killed left its job so). `lathe server`, or the next `jobs submit`, marks such a job failed as"
                            + " interrupted and runs the queued ones.");
                }
                return state.equals("JOB_STATE_SUCCEEDED") ? 0 : 1;
            });
        }
    }

    private JsonNode withStoreJson(Path dataDirectory, java.util.function.Function<JobStore, JsonNode> work) {
        try (MetadataStore metadata = ModelsCommand.openBesideServer(dataDirectory, main.metadataUrl(dataDirectory))) {
            return work.apply(new JobStore(metadata));
        }
    }
}
