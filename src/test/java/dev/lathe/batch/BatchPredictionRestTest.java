package dev.lathe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPredictionRestTest {
    private static final String JOBS = "/v1/projects/p/locations/us/batchPredictionJobs";

    @TempDir
    Path directory;
    private BatchFixture fixture;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private record Reply(int status, JsonNode json) {}

    @BeforeEach
    void start() throws InterruptedException {
        fixture = new BatchFixture(directory.resolve("data")).withPenguinsModel();
        LatheServer.Builder builder = LatheServer.builder(fixture.platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(l -> {});
        new BatchPredictionModule().configure(builder);
        server = builder.start();
        assertThat(server.awaitReady(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    private Reply call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), Json.MAPPER.readTree(response.body()));
    }

    private JsonNode awaitEnd(String name) throws Exception {
        for (int i = 0; i < 3000; i++) {
            JsonNode job = call("GET", "/v1/" + name, null).json();
            if (job.path("state").asText().matches("JOB_STATE_(SUCCEEDED|FAILED|CANCELLED)")) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + name + " did not finish");
    }

    @Test
    void jobLifecycleOverRest() throws Exception {
        Reply created = call("POST", JOBS, """
                {"displayName": "weights", "model": "projects/p/locations/us/models/d.weight@default",
                 "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "out.w"}}}""");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        String name = created.json().path("name").asText();
        assertThat(name).startsWith("projects/p/locations/us/batchPredictionJobs/");
        assertThat(created.json().path("modelVersionId").asText()).isEqualTo("1");
        // the model by its full name, as Vertex's SDK always sends it, and answered so (probe R)
        assertThat(created.json().path("model").asText()).isEqualTo("projects/p/locations/us/models/d.weight@default");

        JsonNode done = awaitEnd(name);
        assertThat(done.path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
        long rows = (Long) fixture.rows("SELECT count(*) AS n FROM d.penguins").get(0).get("n");
        assertThat(done.path("completionStats").path("successfulCount").asText()).isEqualTo(Long.toString(rows));
        assertThat(done.path("outputInfo").path("bigqueryOutputTable").asText()).isEqualTo("out.w");
        assertThat(done.path("outputInfo").path("bigqueryOutputDataset").asText()).isEqualTo("bq://p.out"); // the SDK's iter_outputs reads it

        JsonNode list = call("GET", JOBS + "?pageSize=1", null).json();
        assertThat(list.path("batchPredictionJobs")).hasSize(1);
        assertThat(list.path("batchPredictionJobs").get(0).path("name").asText()).isEqualTo(name);

        Reply cancelled = call("POST", "/v1/" + name + ":cancel", "{}");
        assertThat(cancelled.json().path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
        Reply deleted = call("DELETE", "/v1/" + name, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("done").asBoolean()).isTrue(); // an operation, as Vertex answers a delete; it was {}
        assertThat(deleted.json().path("name").asText()).startsWith("projects/p/locations/us/operations/");
        assertThat(call("GET", "/v1/" + name, null).status()).isEqualTo(404);
        assertThat(call("GET", JOBS, null).json().path("batchPredictionJobs").findValuesAsText("name")).doesNotContain(name);

        // A deleted job's id is not given to the next (probe F), and a page token stays right while jobs are submitted
        String body = """
                {"model": "d.nosuch", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "out.x"}}}""";
        String next = call("POST", JOBS, body).json().path("name").asText();
        assertThat(next).isNotEqualTo(name);
        call("POST", JOBS, body);
        JsonNode first = call("GET", JOBS + "?pageSize=1", null).json();
        String newest = first.path("batchPredictionJobs").get(0).path("name").asText();
        call("POST", JOBS, body); // submitted between two pages
        JsonNode second = call("GET", JOBS + "?pageSize=1&pageToken=" + first.path("nextPageToken").asText(), null).json();
        assertThat(second.path("batchPredictionJobs").get(0).path("name").asText()).isNotEqualTo(newest).isEqualTo(next);
        // the token is bound to the list's filter (probe qe: with another, the filtered list's newest jobs were skipped)
        var otherFilter = call("GET", JOBS + "?pageSize=1&filter=state%3DJOB_STATE_FAILED&pageToken=" + first.path("nextPageToken").asText(), null);
        assertThat(otherFilter.status()).isEqualTo(400);
        assertThat(otherFilter.json().path("error").path("message").asText()).contains("pageToken", "with this filter");
    }

    /** Probe R: the list's filter (spec 0) was a 400. */
    @Test
    void jobsAreListedByStateAndDisplayName() throws Exception {
        String template = """
                {"displayName": "%s", "model": "%s", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "out.%s"}}}""";
        String good = call("POST", JOBS, template.formatted("good", "d.weight", "good")).json().path("name").asText();
        String bad = call("POST", JOBS, template.formatted("bad", "d.nosuch", "bad")).json().path("name").asText();
        awaitEnd(good);
        awaitEnd(bad);
        java.util.function.Function<String, List<String>> names = filter -> {
            try {
                return call("GET", JOBS + "?filter=" + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8), null).json()
                        .path("batchPredictionJobs").findValuesAsText("name");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(names.apply("state=JOB_STATE_SUCCEEDED")).containsExactly(good);
        assertThat(names.apply("state=JOB_STATE_FAILED AND display_name=\"bad\"")).containsExactly(bad);
        assertThat(names.apply("display_name=good AND state=JOB_STATE_FAILED")).isEmpty();
        assertThat(call("GET", JOBS + "?filter=state%3DDONE", null).status()).isEqualTo(400);
        assertThat(call("GET", JOBS + "?filter=create_time%3E1", null).json().path("error").path("message").asText())
                .contains("state=JOB_STATE_<STATE>");
        // probe ub F5: a NUL, which PostgreSQL's text cannot hold (a 500 there), is refused in a display name and matches no job in a
        // filter, on every store
        Reply nul = call("POST", JOBS, template.formatted("a\\u0000b", "d.weight", "nul"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().path("error").path("message").asText())
                .isEqualTo("Invalid value for 'displayName': must not contain the NUL character (U+0000), which the metadata store cannot keep");
        assertThat(names.apply("display_name=\"go\u0000od\"")).isEmpty();
        assertThat(names.apply("state=JOB_STATE_SUCCEEDED AND display_name=\"good\u0000\"")).isEmpty();
    }

    @Test
    void invalidRequestsAnswer400NamingTheFieldAndRule() throws Exception {
        Reply noModel = call("POST", JOBS, "{\"inputConfig\": {}, \"outputConfig\": {}}");
        assertThat(noModel.status()).isEqualTo(400);
        assertThat(noModel.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("model");

        Reply badFormat = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "xml", "gcsSource": {"uris": ["/a.xml"]}},
                 "outputConfig": {"predictionsFormat": "csv", "gcsDestination": {"outputUriPrefix": "/tmp/x"}}}""");
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat(badFormat.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("inputConfig.instancesFormat");

        // A remote or relative path is refused, not written under the server's working directory (probe F)
        for (String[] path : new String[][] {{"gs://bucket/preds", "is a remote URI (Cloud Storage)"},
                {"relative/dir", "is a relative path, which the server would resolve against its own working directory"}}) {
            Reply remote = call("POST", JOBS, """
                    {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                     "outputConfig": {"predictionsFormat": "csv", "gcsDestination": {"outputUriPrefix": "%s"}}}""".formatted(path[0]));
            assertThat(remote.status()).isEqualTo(400);
            assertThat(remote.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText())
                    .isEqualTo("outputConfig.gcsDestination.outputUriPrefix");
            assertThat(remote.json().path("error").path("message").asText()).contains("'" + path[0] + "' " + path[1]);
        }
        Reply remoteInput = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "csv", "gcsSource": {"uris": ["gs://bucket/a.csv"]}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}}}""");
        assertThat(remoteInput.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("inputConfig.gcsSource.uris[0]");

        // A NUL in a path was a 500 INTERNAL from parsing the path (probe ub F5)
        for (String[] nul : new String[][] {
                {"\"instancesFormat\": \"csv\", \"gcsSource\": {\"uris\": [\"/tmp/a.csv\", \"/tmp/pl\\u0000ain.csv\"]}",
                        "\"predictionsFormat\": \"bigquery\", \"bigqueryDestination\": {\"outputUri\": \"d.o\"}",
                        "inputConfig.gcsSource.uris[1]", "at position 8"},
                {"\"instancesFormat\": \"bigquery\", \"bigquerySource\": {\"inputUri\": \"d.penguins\"}", "\"predictionsFormat\": \"csv\", \"gcsDestination\": {\"outputUriPrefix\": \"/tmp/q\\u0000r\"}",
                        "outputConfig.gcsDestination.outputUriPrefix", "at position 7"}}) {
            Reply refused = call("POST", JOBS, "{\"model\": \"d.weight\", \"inputConfig\": {" + nul[0] + "}, \"outputConfig\": {" + nul[1] + "}}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(nul[2]);
            assertThat(refused.json().path("error").path("message").asText()).contains("holds a NUL character (U+0000) " + nul[3]);
        }

        // Vertex's bq://project.dataset output names no table; it was read as dataset.table (probe re)
        Reply vertexDataset = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "bq://myproj.out"}}}""");
        assertThat(vertexDataset.status()).isEqualTo(400);
        assertThat(vertexDataset.json().path("error").path("message").asText())
                .contains("'bq://myproj.out' is Vertex's bq://project.dataset form").contains("give dataset.table or bq://project.dataset.table");

        Reply twoSources = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.t"}, "query": "SELECT 1"},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}}}""");
        assertThat(twoSources.status()).isEqualTo(400);
        assertThat(twoSources.json().path("error").path("message").asText()).contains("exactly one");

        Reply sideEffect = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "query": "SELECT 1; DROP TABLE d.penguins"},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}}}""");
        assertThat(sideEffect.status()).isEqualTo(400);
        assertThat(sideEffect.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("inputConfig.query");

        Reply misplacedQuery = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"query": "SELECT 1"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}}}""");
        assertThat(misplacedQuery.status()).isEqualTo(400);
        assertThat(misplacedQuery.json().path("error").path("message").asText()).contains("goes in inputConfig.query");

        Reply badThreshold = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.t"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}},
                 "modelParameters": {"threshold": 2}}""");
        assertThat(badThreshold.json().path("error").path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("modelParameters.threshold");
        assertThat(call("GET", JOBS + "/999", null).status()).isEqualTo(404);
        // Vertex's batch explanations: a gap said as one (it was "unknown field"; probe pt)
        Reply explained = call("POST", JOBS, """
                {"model": "d.weight", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.t"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "d.o"}},
                 "generateExplanation": true}""");
        assertThat(explained.status()).isEqualTo(400);
        assertThat(explained.json().path("error").path("message").asText()).contains("batch explanations are not supported yet");
    }

    @Test
    void anUnknownModelGivesAFailedJobWithTheReason() throws Exception {
        Reply created = call("POST", JOBS, """
                {"model": "d.unknown", "inputConfig": {"instancesFormat": "bigquery", "bigquerySource": {"inputUri": "d.penguins"}},
                 "outputConfig": {"predictionsFormat": "bigquery", "bigqueryDestination": {"outputUri": "out.u"}}}""");
        assertThat(created.json().path("state").asText()).isEqualTo("JOB_STATE_FAILED");
        assertThat(created.json().path("error").path("message").asText()).contains("d.unknown");
    }

    /**
     * Probe sd F7: every job error had code 3 (INVALID_ARGUMENT). It is the google.rpc.Code the REST API answers for the
     * same error: NOT_FOUND for a missing model or input, ALREADY_EXISTS for an existing output, ABORTED for a job cut off
     * by its process ending (submit it again), INVALID_ARGUMENT for a job recorded before codes were.
     */
    @Test
    void aFailedJobsErrorCodeIsTheGoogleRpcCodeOfItsCause() throws Exception {
        String input = "\"inputConfig\": {\"instancesFormat\": \"bigquery\", \"bigquerySource\": {\"inputUri\": \"d.%s\"}}";
        String output = "\"outputConfig\": {\"predictionsFormat\": \"bigquery\", \"bigqueryDestination\": {\"outputUri\": \"d.%s\"}}";
        java.util.function.BiFunction<String, String[], JsonNode> job = (model, names) -> {
            try {
                String name = call("POST", JOBS, "{\"model\": \"" + model + "\", " + input.formatted(names[0]) + ", " + output.formatted(names[1])
                        + "}").json().path("name").asText();
                return awaitEnd(name);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(job.apply("d.unknown", new String[] {"penguins", "a"}).path("error").path("code").asInt()).isEqualTo(5);
        assertThat(job.apply("d.weight", new String[] {"nothing", "b"}).path("error").path("code").asInt()).isEqualTo(5);
        JsonNode exists = job.apply("d.weight", new String[] {"penguins", "penguins"});
        assertThat(exists.path("error").path("message").asText()).contains("already exists");
        assertThat(exists.path("error").path("code").asInt()).isEqualTo(6);
        JsonNode ok = job.apply("d.weight", new String[] {"penguins", "c"});
        assertThat(ok.path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
        assertThat(ok.has("error")).isFalse();

        // a job its process left RUNNING, marked interrupted at the next start; and one failed before codes were recorded
        long cut = Long.parseLong(ok.path("name").asText().replaceAll(".*/", ""));
        long old = Long.parseLong(exists.path("name").asText().replaceAll(".*/", ""));
        fixture.platform.metadataStore().inTransaction(c -> {
            try (java.sql.Statement statement = c.createStatement()) {
                statement.executeUpdate("UPDATE batch_jobs SET state = 'RUNNING' WHERE id = " + cut);
                statement.executeUpdate("UPDATE batch_jobs SET error_code = NULL WHERE id = " + old);
            }
            return null;
        });
        fixture.runner.store().recover();
        JsonNode interrupted = call("GET", "/v1/" + ok.path("name").asText(), null).json();
        assertThat(interrupted.path("error").path("message").asText()).startsWith("Interrupted");
        assertThat(interrupted.path("error").path("code").asInt()).isEqualTo(10);
        assertThat(call("GET", "/v1/" + exists.path("name").asText(), null).json().path("error").path("code").asInt()).isEqualTo(3);
    }
}
