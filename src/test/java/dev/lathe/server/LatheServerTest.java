package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Platform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatheServerTest {
    private Path dataDirectory;
    private Platform platform;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    // Written by server threads while a test reads it: a copy-on-write list iterates a stable snapshot.
    private final List<String> accessLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger blockingRuns = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    void start(@TempDir Path directory) {
        dataDirectory = directory;
        platform = Platform.open(dataDirectory);
        server = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withMaxRequestBytes(4096))
                .nonBlockingRoute("POST", "/test/where", request -> ApiResponse.json(200, Map.of("networkThread", request.onNetworkThread(),
                        "bytes", request.body().length, "body", new String(request.body(), java.nio.charset.StandardCharsets.UTF_8))))
                .nonBlockingRoute("POST", "/v2/test/where", request -> ApiResponse.json(200, Map.of("bytes", request.body().length)))
                .route("GET", "/test/unavailable", request -> {
                    throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.METADATA_UNAVAILABLE, "Metadata store x is unavailable");
                })
                .route("GET", "/test/out-of-memory", request -> {
                    throw new IllegalStateException("a worker failed", new OutOfMemoryError("Java heap space"));
                })
                .nonBlockingRoute("POST", "/test/blocks", request -> {
                    blockingRuns.incrementAndGet();
                    request.requireRequestThread();
                    return ApiResponse.json(200, Map.of("networkThread", request.onNetworkThread(), "body", new String(request.body(),
                            java.nio.charset.StandardCharsets.UTF_8)));
                })
                .accessLog(accessLines::add)
                .log(line -> {})
                .start();
    }

    @AfterAll
    void stop() {
        server.stop();
        platform.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode query(String sql) throws Exception {
        HttpResponse<String> response = post("/v1/queries", Json.MAPPER.createObjectNode().put("query", sql).toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private JsonNode error(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    /**
     * Running out of memory answers 429 RESOURCE_EXHAUSTED naming the server's heap and how to start it with more, not 500
     * "Internal error (OutOfMemoryError)" (probe ta F3); the server answers the next request.
     */
    @Test
    void outOfMemoryIsResourceExhaustedNamingTheHeap() throws Exception {
        HttpResponse<String> response = get("/test/out-of-memory");
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(error(response).path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error(response).path("message").asText()).startsWith("Out of memory: the server's Java heap, at most ")
                .contains("LATHE_JAVA_OPTS='-Xmx", "./lathe server");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    /** A SUM of INT64 past INT64's range fails as BigQuery's does, rather than answering DuckDB's 128-bit total. */
    @Test
    void anInt64SumPastItsRangeIsAnError() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"SELECT SUM(x) AS s FROM UNNEST([9223372036854775807, 1]) AS x\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).startsWith("int64 overflow: column s of the result holds 9223372036854775808");
        assertThat(query("SELECT SUM(x) AS s FROM UNNEST([9223372036854775807, -1]) AS x").path("rows").get(0).path("f").get(0).path("v")
                .asText()).isEqualTo("9223372036854775806");
    }

    /** BigQuery's sessions: createSession, connectionProperties' session_id, CALL BQ.ABORT_SESSION() (probe qa). */
    @Test
    void aSessionKeepsItsTemporaryObjectsAndAPooledRequestSeesNone() throws Exception {
        JsonNode created = Json.MAPPER.readTree(post("/v1/queries", "{\"query\": \"CREATE TEMP TABLE mine AS SELECT 42 AS answer\","
                + " \"createSession\": true}").body());
        String id = created.path("sessionInfo").path("sessionId").asText();
        assertThat(id).isNotEmpty();
        String inSession = ", \"connectionProperties\": [{\"key\": \"session_id\", \"value\": \"" + id + "\"}]}";
        for (int i = 0; i < 3; i++) { // pooled requests between, which must neither see it nor take it away
            assertThat(post("/v1/queries", "{\"query\": \"SELECT * FROM mine\"}").statusCode()).isEqualTo(404); // TABLE_NOT_FOUND
            JsonNode mine = Json.MAPPER.readTree(post("/v1/queries", "{\"query\": \"SELECT answer FROM mine\"" + inSession).body());
            assertThat(mine.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("42");
        }
        assertThat(post("/v1/queries", "{\"query\": \"CALL BQ.ABORT_SESSION()\"" + inSession).statusCode()).isEqualTo(200);
        HttpResponse<String> ended = post("/v1/queries", "{\"query\": \"SELECT answer FROM mine\"" + inSession);
        assertThat(ended.statusCode()).isEqualTo(404);
        assertThat(ended.body()).contains("Session " + id + " not found");
    }

    @Test
    void queryReturnsBigQuerySchemaAndEncodedValuesOfTheLastStatement() throws Exception {
        JsonNode response = query("""
                CREATE SCHEMA IF NOT EXISTS shop;
                CREATE OR REPLACE TABLE shop.items AS SELECT * FROM (VALUES
                    (1, 2.5::DOUBLE, 'pen', [1, 2], {'label': 'a', 'prob': 0.25}),
                    (2, NULL, NULL, NULL, NULL)) t(id, price, name, tags, best);
                SELECT * FROM shop.items ORDER BY id""");
        assertThat(response.path("kind").asText()).isEqualTo("bigquery#queryResponse");
        assertThat(response.path("jobComplete").asBoolean()).isTrue();
        assertThat(response.path("totalRows").asText()).isEqualTo("2");
        JsonNode fields = response.path("schema").path("fields");
        assertThat(fields.findValuesAsText("name")).startsWith("id", "price", "name", "tags", "best");
        assertThat(fields.get(0).path("type").asText()).isEqualTo("INTEGER");
        assertThat(fields.get(1).path("type").asText()).isEqualTo("FLOAT");
        assertThat(fields.get(2).path("type").asText()).isEqualTo("STRING");
        assertThat(fields.get(3).path("mode").asText()).isEqualTo("REPEATED");
        assertThat(fields.get(4).path("type").asText()).isEqualTo("RECORD");
        assertThat(fields.get(4).path("fields").findValuesAsText("name")).containsExactly("label", "prob");

        JsonNode first = response.path("rows").get(0).path("f");
        assertThat(first.get(0).path("v").asText()).isEqualTo("1");
        assertThat(first.get(0).path("v").isTextual()).isTrue();
        assertThat(Double.parseDouble(first.get(1).path("v").asText())).isEqualTo(2.5);
        assertThat(first.get(2).path("v").asText()).isEqualTo("pen");
        assertThat(first.get(3).path("v").findValuesAsText("v")).containsExactly("1", "2");
        assertThat(first.get(4).path("v").path("f").get(0).path("v").asText()).isEqualTo("a");
        JsonNode second = response.path("rows").get(1).path("f");
        for (int c = 1; c < 5; c++) {
            assertThat(second.get(c).path("v").isNull()).as("column %d of the NULL row", c).isTrue();
        }
        assertThat(response.path("statements")).hasSize(3);
        assertThat(response.path("statements").get(2).path("message").asText()).isEqualTo("2 rows");

        // A DML statement's count, as jobs.query gives it.
        JsonNode dml = query("CREATE OR REPLACE TABLE dml AS SELECT 1 AS x; INSERT INTO dml VALUES (2), (3)");
        assertThat(dml.path("numDmlAffectedRows").asText()).isEqualTo("2");
        assertThat(dml.path("message").asText()).isEqualTo("2 rows affected");
        assertThat(query("INSERT INTO dml VALUES (4)").path("message").asText()).isEqualTo("1 row affected");

        // A transaction a request leaves open is rolled back at its end: the pooled session's next request does not run
        // inside it. The request fails saying so; it answered "OK" for changes that were not kept (probe L).
        query("CREATE TABLE main.tx AS SELECT 1 AS x");
        HttpResponse<String> open = post("/v1/queries", Json.MAPPER.createObjectNode().put("query", "BEGIN TRANSACTION; INSERT INTO main.tx VALUES (2)").toString());
        assertThat(open.statusCode()).isEqualTo(400);
        assertThat(error(open).path("message").asText()).contains("ended inside a transaction (BEGIN without COMMIT), so it was rolled back");
        assertThat(query("SELECT count(*) AS n FROM main.tx").path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("1");
        query("DROP TABLE main.tx");

        // TIME with its seconds, as BigQuery and DuckDB write it ("11:00" was LocalTime's text: probe M).
        assertThat(query("SELECT TIME '11:00:00' AS t, TIME '11:00:00.5' AS u").path("rows").get(0).path("f").toString())
                .isEqualTo("[{\"v\":\"11:00:00\"},{\"v\":\"11:00:00.5\"}]");

        // BYTES are base64, as in BigQuery's jobs.query.
        JsonNode bytes = query("SELECT CAST('ab' AS BYTES) || from_hex('00ff') AS b");
        assertThat(bytes.path("schema").path("fields").get(0).path("type").asText()).isEqualTo("BYTES");
        assertThat(bytes.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("YWIA/w==");

        // A MAP is a repeated record whose cells follow its schema: key, then value.
        JsonNode map = query("SELECT MAP {'k': 10, 'j': 20} AS m");
        assertThat(map.path("schema").path("fields").get(0).path("fields").findValuesAsText("name")).containsExactly("key", "value");
        assertThat(map.path("schema").path("fields").get(0).path("duckdbType").asText()).isEqualTo("MAP"); // Lathe's mark: one map

        // BigQuery has no array of arrays: each inner list is a record of one repeated field, "element", marked LIST.
        JsonNode nested = query("SELECT [[1, 2], [3]] AS v");
        JsonNode list = nested.path("schema").path("fields").get(0);
        assertThat(List.of(list.path("type").asText(), list.path("mode").asText(), list.path("duckdbType").asText()))
                .containsExactly("RECORD", "REPEATED", "LIST");
        assertThat(list.path("fields").get(0).toString()).isEqualTo("{\"name\":\"element\",\"type\":\"INTEGER\",\"mode\":\"REPEATED\"}");
        assertThat(nested.path("rows").get(0).path("f").get(0).path("v").toString())
                .isEqualTo("[{\"v\":{\"f\":[{\"v\":[{\"v\":\"1\"},{\"v\":\"2\"}]}]}},{\"v\":{\"f\":[{\"v\":[{\"v\":\"3\"}]}]}}]");
        JsonNode entries = map.path("rows").get(0).path("f").get(0).path("v");
        for (int e = 0; e < 2; e++) {
            JsonNode cells = entries.get(e).path("v").path("f");
            assertThat(List.of(cells.get(0).path("v").asText(), cells.get(1).path("v").asText()))
                    .isEqualTo(e == 0 ? List.of("k", "10") : List.of("j", "20"));
        }
    }

    @Test
    void maxResultsLimitsRowsButNotTotalRows() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"SELECT * FROM range(10)\", \"maxResults\": 3}");
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.path("rows")).hasSize(3);
        assertThat(json.path("totalRows").asText()).isEqualTo("10");
    }

    @Test
    void theRowsPastAPageComeWithItsPageTokenAsFromJobsGetQueryResults() throws Exception {
        JsonNode first = Json.MAPPER.readTree(post("/v1/queries",
                "{\"query\": \"SELECT i, 'é' || i AS s FROM range(10) t(i)\", \"maxResults\": 4}").body());
        assertThat(first.path("rows")).hasSize(4);
        String job = first.path("jobReference").path("jobId").asText();
        assertThat(job).startsWith("lathe_");
        List<String> values = new java.util.ArrayList<>(first.path("rows").findValuesAsText("v"));
        JsonNode page = first;
        int pages = 1;
        while (page.has("pageToken")) {
            HttpResponse<String> next = get("/v1/queries/" + job + "?maxResults=4&pageToken=" + page.path("pageToken").asText());
            assertThat(next.statusCode()).isEqualTo(200);
            page = Json.MAPPER.readTree(next.body());
            assertThat(page.path("kind").asText()).isEqualTo("bigquery#getQueryResultsResponse");
            assertThat(page.path("totalRows").asText()).isEqualTo("10");
            assertThat(page.path("schema")).isEqualTo(first.path("schema"));
            values.addAll(page.path("rows").findValuesAsText("v"));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.addAll(List.of(Integer.toString(i), "é" + i));
        }
        assertThat(values).isEqualTo(expected);
        // read to the end: the spilled rows are gone (other tests' unread ones stay until they expire)
        assertThat(dataDirectory.resolve("query-results/" + job + ".rows.jsonl")).doesNotExist();
        assertThat(dataDirectory.resolve("query-results/" + job + ".meta.json")).doesNotExist();
        HttpResponse<String> gone = get("/v1/queries/" + job + "?pageToken=4-0");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("not found").contains("run the query again");
        assertThat(get("/v1/queries/" + job + "?pageToken=four").statusCode()).isEqualTo(400);
        // without a pageToken: jobs.getQueryResults of a job that answered jobComplete: false, which this one did not
        HttpResponse<String> withoutToken = get("/v1/queries/" + job);
        assertThat(withoutToken.statusCode()).isEqualTo(404);
        assertThat(withoutToken.body()).contains("Job " + job + " not found");
        // a result that fits its page spills nothing, and a later statement's result replaces an earlier one's spill
        long spills;
        try (var files = java.nio.file.Files.list(dataDirectory.resolve("query-results"))) {
            spills = files.count();
        }
        JsonNode small = Json.MAPPER.readTree(post("/v1/queries", "{\"query\": \"SELECT * FROM range(3)\", \"maxResults\": 3}").body());
        assertThat(small.has("pageToken")).isFalse();
        JsonNode last = Json.MAPPER.readTree(post("/v1/queries",
                "{\"query\": \"SELECT * FROM range(100); SELECT 1 AS one\", \"maxResults\": 3}").body());
        assertThat(last.has("pageToken")).isFalse();
        try (var files = java.nio.file.Files.list(dataDirectory.resolve("query-results"))) {
            assertThat(files.count()).isEqualTo(spills);
        }
    }

    @Test
    void trainsAndPredictsThroughSql() throws Exception {
        Path csv = Path.of(getClass().getResource("/dev/lathe/samples/penguins.csv").toURI());
        JsonNode created = query("""
                CREATE SCHEMA IF NOT EXISTS p;
                LOAD DATA INTO p.raw FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE OR REPLACE MODEL p.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
                AS SELECT * FROM p.raw WHERE body_mass_g IS NOT NULL""".formatted(csv));
        assertThat(created.path("message").asText()).contains("p.weight");
        assertThat(created.has("schema")).isFalse();

        JsonNode predicted = query("SELECT predicted_body_mass_g, body_mass_g FROM ML.PREDICT(MODEL p.weight, "
                + "(SELECT * FROM p.raw WHERE body_mass_g IS NOT NULL ORDER BY body_mass_g LIMIT 5))");
        assertThat(predicted.path("schema").path("fields").get(0).path("name").asText()).isEqualTo("predicted_body_mass_g");
        assertThat(predicted.path("schema").path("fields").get(0).path("type").asText()).isEqualTo("FLOAT");
        assertThat(predicted.path("rows")).hasSize(5);
        double prediction = Double.parseDouble(predicted.path("rows").get(0).path("f").get(0).path("v").asText());
        assertThat(prediction).isBetween(2000.0, 7000.0);

        // BigQuery's defaultDataset names the dataset of an unqualified model too, not only of tables (probe re)
        HttpResponse<String> unqualified = post("/v1/queries", "{\"query\": \"SELECT count(*) FROM ML.PREDICT(MODEL weight, TABLE raw)\","
                + " \"defaultDataset\": {\"datasetId\": \"p\"}}");
        assertThat(unqualified.statusCode()).as(unqualified.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(unqualified.body()).path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("344");
        assertThat(error(post("/v1/queries", "{\"query\": \"SELECT * FROM ML.PREDICT(MODEL weight, TABLE p.raw)\"}")).path("message").asText())
                .contains("needs a dataset: write dataset.weight (or set a default dataset: USE dataset, or a request's defaultDataset)");
        // a USE (or SET schema, SET search_path) in one request is not the next request's default: the pool's next
        // request, another client's, resolved its unqualified names in p
        assertThat(query("USE p; SET search_path = 'p'; SELECT count(*) FROM raw").path("rows").get(0).path("f").get(0).path("v").asText())
                .isEqualTo("344");
        for (int i = 0; i < 3; i++) {
            JsonNode schema = query("SELECT current_schema(), current_setting('search_path')").path("rows").get(0).path("f");
            assertThat(schema.get(0).path("v").asText()).isEqualTo("main");
            assertThat(schema.get(1).path("v").asText()).isEmpty();
        }
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\n  \"query\": \"SELECT 1\",,\n}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asText()).contains("not valid JSON").contains("line 2");
    }

    @Test
    void missingQueryNamesTheField() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("query");
        assertThat(error(response).path("details").get(0).path("fieldViolations").get(0).path("description").asText()).contains("required");
    }

    @Test
    void queryThatIsNotAStringNamesTheExpectedType() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": 42}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("'query'").contains("must be a string").contains("42");
    }

    @Test
    void unknownFieldIsRejectedWithTheAcceptedOnes() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"SELECT 1\", \"qeury\": 1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("qeury").contains("query");
    }

    @Test
    void answersCarryTheirContentTypeAndLength() throws Exception {
        HttpResponse<String> json = post("/v1/queries", "{\"query\": \"SELECT 1 AS one\"}");
        assertThat(json.headers().allValues("Content-Type")).containsExactly("application/json");
        assertThat(json.headers().firstValueAsLong("Content-Length")).hasValue(json.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(get("/healthz").headers().allValues("Content-Type")).containsExactly("text/plain; charset=utf-8");
        // A content type without a pre-encoded field goes out as given.
        assertThat(get("/metrics").headers().allValues("Content-Type")).containsExactly("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void oversizedBodyIs413NamingTheLimit() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"" + "x".repeat(5000) + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("message").asText()).contains("4096");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void bodyFarOverTheLimitStillGetsThe413NotAReset() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = post("/v1/queries", "{\"query\": \"" + "x".repeat(2 << 20) + "\"}");
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(error(response).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("body");
        }
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void sqlErrorIs400WithDuckDbsMessage() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"SELECT * FROM no_such_table_here\"}");
        assertThat(response.statusCode()).isBetween(400, 404);
        assertThat(error(response).path("message").asText()).contains("no_such_table_here");
    }

    /** jobs.cancel's counterpart: a query sent with a requestId is stopped by POST /v1/queries/{requestId}/cancel. */
    @Test
    void aQuerySentWithARequestIdIsCancelledByIt() throws Exception {
        String body = Json.MAPPER.createObjectNode().put("query", "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3")
                .put("requestId", "q-1").toString();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> running = http.sendAsync(HttpRequest.newBuilder(uri("/v1/queries"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode cancel;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        do { // until the query has reached its session, there is nothing to cancel
            Thread.sleep(50);
            HttpResponse<String> twice = post("/v1/queries", body);
            if (twice.statusCode() == 409) { // running: a second query with its requestId is refused
                assertThat(error(twice).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("requestId");
            }
            HttpResponse<String> answer = post("/v1/queries/q-1/cancel", "");
            assertThat(answer.statusCode()).isEqualTo(200);
            cancel = Json.MAPPER.readTree(answer.body());
        } while (!cancel.path("cancelled").asBoolean() && System.nanoTime() < deadline);

        HttpResponse<String> cancelled = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(499);
        assertThat(error(cancelled).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(error(cancelled).path("message").asText()).startsWith("Cancelled: SELECT count(*) FROM range(1000000000000)");
        JsonNode none = Json.MAPPER.readTree(post("/v1/queries/q-1/cancel", "").body());
        assertThat(none.path("cancelled").asBoolean()).isFalse();
        assertThat(none.path("message").asText()).contains("No query with requestId 'q-1' is running");
        assertThat(query("SELECT 42 AS answer").path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("42");
        HttpResponse<String> bad = post("/v1/queries", "{\"query\": \"SELECT 1\", \"requestId\": \"a b\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad).path("message").asText()).contains("'requestId'").contains("letters, digits");
    }

    /**
     * A client killed while its statement runs (kill -9: no cancel is sent) closes its connection; the server sees it and
     * cancels the statement, which leaves nothing behind (probe wops 2: it ran to its end).
     */
    @Test
    void aStatementWhoseClientIsGoneIsCancelled() throws Exception {
        String body = Json.MAPPER.createObjectNode().put("query", "CREATE TABLE gone AS SELECT count(*) AS n FROM range(1000000000000) t(i)"
                + " WHERE i % 7 = 3").put("requestId", "q-gone").toString();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/queries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String probe = "{\"query\": \"SELECT 1\", \"requestId\": \"q-gone\"}";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        java.net.Socket client = null;
        try {
            // running once a second query with its requestId is refused; a probe that came first made the statement's
            // request the refused one (its answer is there to read), and it is sent again
            HttpResponse<String> before = null;
            do {
                if (client == null || client.getInputStream().available() > 0) {
                    if (client != null) {
                        client.close();
                    }
                    client = new java.net.Socket("127.0.0.1", server.port());
                    client.getOutputStream().write(head);
                    client.getOutputStream().write(bytes);
                    client.getOutputStream().flush();
                }
                Thread.sleep(50);
                assertThat(System.nanoTime()).as("the statement never started: %s", before == null ? "" : before.body()).isLessThan(deadline);
            } while ((before = post("/v1/queries", probe)).statusCode() != 409 || client.getInputStream().available() > 0);
        } finally {
            if (client != null) {
                client.close(); // as a killed process's connections are
            }
        }
        try {
            deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> after;
            while ((after = post("/v1/queries", probe)).statusCode() == 409) {
                assertThat(System.nanoTime()).as("the statement of a gone client still runs").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'gone'").path("rows").get(0)
                    .path("f").get(0).path("v").asText()).isEqualTo("0");
        } finally {
            post("/v1/queries/q-gone/cancel", ""); // without the fix, it would run on past the test
        }
    }

    @Test
    void unknownModelIs404() throws Exception {
        HttpResponse<String> response = post("/v1/queries", "{\"query\": \"SELECT * FROM ML.PREDICT(MODEL nowhere.nothing, (SELECT 1 AS x))\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).path("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(error(response).path("details").findValuesAsText("reason")).contains("MODEL_NOT_FOUND");
    }

    /** A dependency that cannot be reached is a 503 UNAVAILABLE, which clients retry, not a 500. */
    @Test
    void anUnreachableMetadataStoreIs503() throws Exception {
        HttpResponse<String> response = get("/test/unavailable");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(error(response).path("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error(response).path("details").findValuesAsText("reason")).contains("METADATA_UNAVAILABLE");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> missing = get("/v1/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).path("status").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> wrongMethod = get("/v1/queries");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void nonBlockingRoutesRunOnTheNetworkThreadOnlyWithASmallBodyOfKnownLength() throws Exception {
        // A client of its own: a new connection, whose first requests are all inline (see the turn test below).
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode small = Json.MAPPER.readTree(fresh.send(HttpRequest.newBuilder(uri("/test/where"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1, 2, 3]}")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(small.path("networkThread").asBoolean()).isTrue();
        assertThat(small.path("bytes").asInt()).isEqualTo(24);
        JsonNode empty = Json.MAPPER.readTree(fresh.send(HttpRequest.newBuilder(uri("/test/where"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(empty.path("networkThread").asBoolean()).isTrue();
        assertThat(empty.path("bytes").asInt()).isZero();
        // Chunked (no Content-Length): read as it arrives, then answered on a request thread.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/test/where")).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream("{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(chunked.body()).path("networkThread").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readTree(chunked.body()).path("bytes").asInt()).isEqualTo(8);
        // Over the request limit: refused as on any route, once the body is read and dropped.
        HttpResponse<String> large = post("/test/where", "x".repeat(5000));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(error(large).path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    }

    /**
     * On one keep-alive connection, every INLINE_TURN-th request to a non-blocking route is answered on a request thread,
     * which returns the selector to its other connections; the others are answered inline, and every answer is the same.
     */
    @Test
    void everyInlineTurnthRequestOfAConnectionIsAnsweredOnARequestThread() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            byte[] request = ("POST /test/where HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            List<Integer> onRequestThreads = new java.util.ArrayList<>();
            for (int n = 1; n <= 2 * LatheServer.INLINE_TURN; n++) {
                out.write(request);
                out.flush();
                JsonNode answer = Json.MAPPER.readTree(readResponseBody(in));
                assertThat(answer.path("bytes").asInt()).isEqualTo(2);
                if (!answer.path("networkThread").asBoolean()) {
                    onRequestThreads.add(n);
                }
            }
            assertThat(onRequestThreads).containsExactly(LatheServer.INLINE_TURN, 2 * LatheServer.INLINE_TURN);
        }
    }

    /**
     * After a read that emptied the socket, a connection does not read it again before the selector says bytes came
     * ({@link DrainAwareEndPoint}): every answer on one keep-alive connection is still right when the next request comes
     * in pieces, in one write with the one before it (pipelined), or after a pause, and the reads skipped are counted.
     */
    @Test
    void aConnectionSkipsReadsItsEmptiedSocketCannotAnswerAndMissesNoBytes() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            long skippedBefore = server.skippedReads();
            String body = "{\"instances\": [1, 2]}";
            String request = "POST /test/where HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            java.util.function.Consumer<String> send = text -> {
                try {
                    out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            // Keep-alive requests one after the other (every INLINE_TURN-th answered on a request thread).
            for (int n = 0; n < 2 * LatheServer.INLINE_TURN; n++) {
                send.accept(request);
                assertThat(Json.MAPPER.readTree(readResponseBody(in)).path("bytes").asInt()).isEqualTo(body.length());
            }
            assertThat(server.skippedReads() - skippedBefore).as("reads skipped after answering").isGreaterThanOrEqualTo(LatheServer.INLINE_TURN);
            // The next request in pieces, each after a pause: its head split in the middle of a header, then its body.
            int headEnd = request.indexOf("\r\n\r\n") + 4;
            for (String piece : List.of(request.substring(0, 20), request.substring(20, headEnd), request.substring(headEnd, headEnd + 5),
                    request.substring(headEnd + 5))) {
                Thread.sleep(50);
                send.accept(piece);
            }
            assertThat(Json.MAPPER.readTree(readResponseBody(in)).path("body").asText()).isEqualTo(body);
            // Two requests in one write, then a GET after a pause: three answers, in order.
            send.accept(request + request.replace(body, "{}").replace("Content-Length: " + body.length(), "Content-Length: 2"));
            assertThat(Json.MAPPER.readTree(readResponseBody(in)).path("bytes").asInt()).isEqualTo(body.length());
            assertThat(Json.MAPPER.readTree(readResponseBody(in)).path("bytes").asInt()).isEqualTo(2);
            Thread.sleep(50);
            send.accept("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readResponseBody(in)).isEqualTo("ok");
        }
    }

    /**
     * A client that goes away in the middle of a small body (read on the network thread) or a large one (on a request
     * thread) costs its own request only, counted as the client's error (400), and the server answers the next.
     */
    @Test
    void aBodyCutOffByTheClientFailsOnlyItsRequestAsAClientError() throws Exception {
        for (int cut : new int[] {0, 7, -1}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                // -1: no Content-Length, so the body is read on a request thread
                String body = "{\"instances\": [1, 2, 3]}";
                String request = "POST /test/where HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + (cut < 0 ? "Transfer-Encoding: chunked\r\n\r\n5\r\n" + body.substring(0, 5) + "\r\n"
                                : "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, cut));
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(100);
            }
        }
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                accessLines.stream().filter(line -> line.contains("POST /test/where 400")).count() < 3 && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(accessLines.stream().filter(line -> line.contains("POST /test/where 400"))).hasSize(3);
        assertThat(accessLines).noneMatch(line -> line.contains("POST /test/where 500"));
        assertThat(accessLines).allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z .*")); // as server.md shows
        HttpResponse<String> after = post("/test/where", "{\"instances\": [4]}");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(after.body()).path("body").asText()).isEqualTo("{\"instances\": [4]}");
    }

    /** One HTTP/1.1 response with a Content-Length, read off a keep-alive connection: its body. */
    private static String readResponseBody(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aNonBlockingHandlerThatMustBlockRunsAgainOnARequestThreadAndIsCountedOnce() throws Exception {
        int before = blockingRuns.get();
        // A new connection, so that this request is answered inline first (not on a request thread by its turn).
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(uri("/test/blocks")).POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.path("networkThread").asBoolean()).isFalse();
        assertThat(json.path("body").asText()).isEqualTo("{\"x\": 1}");
        assertThat(blockingRuns.get() - before).isEqualTo(2);
        // counted right after the answer is handed to Jetty to write, so the client may have it a moment earlier
        String counted = "lathe_http_requests_total{route=\"/test/blocks\",method=\"POST\",status=\"200\"} ";
        String metrics = get("/metrics").body();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !metrics.contains(counted) && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
            metrics = get("/metrics").body();
        }
        assertThat(metrics).contains(counted + "1");
    }

    /** Probe qd: a request Jetty refuses itself (a suspicious path character) answered 400 but was not in /metrics. */
    @Test
    void requestsJettyRefusesItselfAreCounted() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /v1/a%5Cb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) { // a control character: the parser's own 400
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /v1/c\u001bd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("HTTP/1.1 400");
        }
        String metrics = get("/metrics").body();
        assertThat(metrics).containsPattern("lathe_http_requests_total\\{route=\"unmatched\",method=\"GET\",status=\"400\"} [1-9]");
        assertThat(metrics).containsPattern("lathe_http_errors_total\\{route=\"unmatched\",reason=\"INVALID_ARGUMENT\"} [1-9]");
        // Probe sb F1: they are in the access log too, one line each like a routed request's (the path as it was sent)
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                accessLines.stream().noneMatch(line -> line.contains(" 400 ") && line.contains("/v1/a%5Cb")) && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(accessLines).anySatisfy(line -> assertThat(line).containsPattern(" GET /v1/a%5Cb 400 [0-9]+B [0-9.]+ms$"));
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                accessLines.stream().noneMatch(line -> line.contains(" 400 ") && !line.contains("/v1/a%5Cb")) && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(accessLines).anySatisfy(line -> assertThat(line).doesNotContain("/v1/a%5Cb").containsPattern(" 400 [0-9]+B [0-9.]+ms$")
                .doesNotContain("\u001b"));
    }

    /** One request written as is on a connection of its own ({@code Connection: close}): the whole answer, head and body. */
    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The JSON body of a raw answer. */
    private static JsonNode rawBody(String answer) throws Exception {
        return Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    /**
     * Probe tb F6: what the HTTP layer refuses itself under /v2 answers the Open Inference Protocol's {"error": "..."}, as
     * the routes' own errors there do, and Google's error object elsewhere. (A request line the parser refuses before it
     * has a path, one with %00 in it, cannot be told apart: it stays in Google's shape.)
     */
    @Test
    void errorsJettyRaisesItselfUnderV2HaveTheOpenInferenceProtocolsShape() throws Exception {
        String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
        for (String request : List.of("GET /v2/models//d.m HTTP/1.1\r\n", "GET /v2/models/d.m%2Fversions%2F1 HTTP/1.1\r\n",
                "POST /v2/models/d.m/infer HTTP/1.1\r\n" + big)) {
            String answer = raw(request + "Host: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
            assertThat(answer).as(request.substring(0, 30)).matches("(?s)HTTP/1.1 4(00|31) .*");
            JsonNode error = rawBody(answer).path("error");
            assertThat(error.isTextual()).as(answer).isTrue();
            assertThat(error.textValue()).isNotEmpty();
        }
        JsonNode google = rawBody(raw("GET /v1/models//d.m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).path("error");
        assertThat(google.path("code").asInt()).isEqualTo(400);
        assertThat(google.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    private HttpResponse<String> head(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Probe tb F4: HEAD on every GET route answers as GET, headers and Content-Length included, without the body. */
    @Test
    void headIsAnsweredAsGetWithoutTheBody() throws Exception {
        for (String path : List.of("/healthz", "/readyz", "/test/unavailable")) {
            HttpResponse<String> get = get(path);
            HttpResponse<String> head = head(path);
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path)
                    .hasValue(get.body().getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(head("/metrics").statusCode()).isEqualTo(200);
        assertThat(head("/v1/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> postOnly = head("/v1/queries");
        assertThat(postOnly.statusCode()).isEqualTo(405);
        assertThat(postOnly.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> wrongMethod = post("/healthz", "{}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, HEAD");
        // the connection goes on after a body-less answer: a GET sent right behind a HEAD on the same socket is answered whole
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 200").contains("Content-Length: 2\r\n").endsWith("\r\n\r\nok");
            assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
            assertThat(answers.indexOf("ok")).isEqualTo(answers.length() - 2); // one body, the GET's
        }
        String metrics = get("/metrics").body();
        assertThat(metrics).containsPattern("lathe_http_requests_total\\{route=\"/healthz\",method=\"HEAD\",status=\"200\"} [1-9]");
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zipped = new java.util.zip.GZIPOutputStream(out)) {
            zipped.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] bytes, boolean raw) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(bytes);
        deflater.finish();
        byte[] out = new byte[bytes.length + 64];
        int length = deflater.deflate(out);
        deflater.end();
        return java.util.Arrays.copyOf(out, length);
    }

    /**
     * Probe tb F5: a gzip or deflate body is inflated, held to the body limit once inflated; any other coding is a 415
     * listing the accepted ones. A gzip body was \"not valid JSON\", a declared br was ignored and the body read as is.
     */
    @Test
    void aCompressedBodyIsInflatedAndAnUnknownCodingIs415() throws Exception {
        byte[] json = "{\"instances\": [{\"a\": 41, \"n\": 2}]}".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/test/where", "/test/blocks")) { // a non-blocking route's and a request thread's
            for (Object[] coded : new Object[][] {{"gzip", gzip(json)}, {"x-gzip", gzip(json)}, {"deflate", deflate(json, false)},
                    {"deflate", deflate(json, true)}, {"GZIP", gzip(json)}, {"identity", json}, {"gzip, gzip", gzip(gzip(json))},
                    {"deflate, gzip", gzip(deflate(json, false))}}) {
                HttpResponse<String> response = post(path, (byte[]) coded[1], "Content-Encoding", (String) coded[0]);
                assertThat(response.statusCode()).as(path + " " + coded[0] + ": " + response.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(response.body()).path("body").asText()).isEqualTo(new String(json, StandardCharsets.UTF_8));
            }
        }
        for (String coding : List.of("br", "zstd", "compress", "gzip, br")) {
            HttpResponse<String> response = post("/test/where", json, "Content-Encoding", coding);
            assertThat(response.statusCode()).as(coding).isEqualTo(415);
            assertThat(response.headers().firstValue("Accept-Encoding")).contains("gzip, deflate, identity");
            assertThat(error(response).path("message").asText()).contains("Content-Encoding '" + coding.replace("gzip, ", "") + "'")
                    .contains("is not supported").contains("gzip or deflate");
            assertThat(error(response).path("details").get(1).path("reason").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        }
        HttpResponse<String> oip = post("/v2/test/where", json, "Content-Encoding", "br"); // OIP's error shape under /v2
        assertThat(oip.statusCode()).isEqualTo(415);
        assertThat(error(oip).textValue()).isEqualTo("The request body's Content-Encoding 'br' is not supported; send the body as is"
                + " (identity), or compressed with gzip or deflate");
        // held to the limit (4096 bytes here) once inflated, however small it came
        byte[] bomb = gzip(("{\"query\": \"" + " ".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(4096);
        HttpResponse<String> inflated = post("/test/where", bomb, "Content-Encoding", "gzip");
        assertThat(inflated.statusCode()).isEqualTo(413);
        assertThat(error(inflated).path("message").asText()).contains("decompresses (Content-Encoding: gzip) to more than 4096 bytes")
                .contains("--max-request-bytes");
        HttpResponse<String> notGzip = post("/test/where", json, "Content-Encoding", "gzip");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(error(notGzip).path("message").asText()).contains("not valid gzip data, as its Content-Encoding says");
        // a route reading JSON gets the inflated body
        assertThat(Json.MAPPER.readTree(post("/v1/queries", gzip("{\"query\": \"SELECT 42 AS x\"}".getBytes(StandardCharsets.UTF_8)),
                "Content-Encoding", "gzip").body()).path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("42");
    }

    /**
     * Probe tb F5: a body whose Content-Type is not JSON is a 415 naming the accepted ones; it was parsed as JSON whatever
     * it declared. No Content-Type, a JSON one with parameters, an application/*+json one and curl -d's form type (which the
     * docs' examples send) are read as before.
     */
    @Test
    void aBodyOfAContentTypeThatIsNotJsonIs415() throws Exception {
        byte[] json = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(post("/test/where", json).statusCode()).isEqualTo(200); // none
        for (String type : List.of("application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
                "application/merge-patch+json", "application/x-www-form-urlencoded")) {
            HttpResponse<String> response = post("/test/where", json, "Content-Type", type);
            assertThat(response.statusCode()).as(type).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(response.body()).path("body").asText()).isEqualTo("{\"x\": 1}");
        }
        for (String type : List.of("application/xml", "text/plain", "text/plain; charset=utf-8", "multipart/form-data; boundary=x",
                "application/octet-stream", "text/json+xml")) {
            HttpResponse<String> response = post("/test/where", json, "Content-Type", type);
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(response.headers().firstValue("Accept-Post")).contains("application/json");
            assertThat(error(response).path("message").asText()).isEqualTo("The request body's Content-Type '" + type + "' is not supported:"
                    + " it is read as JSON; send Content-Type: application/json (or an application/*+json type, or none)");
            assertThat(error(response).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("Content-Type");
        }
        // Triton's binary tensor extension is told as such, in OIP's shape under /v2
        HttpResponse<String> binary = post("/v2/test/where", json, "Content-Type", "application/octet-stream",
                "Inference-Header-Content-Length", "9");
        assertThat(binary.statusCode()).isEqualTo(415);
        assertThat(error(binary).textValue()).contains("binary tensor data extension").contains("binary_data=False");
        // a request without a body is not held to it
        assertThat(http.send(HttpRequest.newBuilder(uri("/healthz")).header("Content-Type", "text/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsByRouteTemplateWithHistogramBuckets() throws Exception {
        get("/healthz");
        get("/healthz");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("# TYPE lathe_http_requests_total counter");
        assertThat(metrics).containsPattern("lathe_http_requests_total\\{route=\"/healthz\",method=\"GET\",status=\"200\"} [2-9]");
        assertThat(metrics).contains("lathe_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"+Inf\"}");
        assertThat(metrics).contains("lathe_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.001\"}");
        assertThat(metrics).contains("lathe_http_requests_in_flight");
        // written by the access log's own thread, shortly after the answer
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                accessLines.stream().noneMatch(line -> line.contains("GET /healthz 200")) && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(accessLines).anySatisfy(line -> assertThat(line).contains("GET /healthz 200"));
    }

    @Test
    void parallelQueriesAllSucceed() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String body = "{\"query\": \"SELECT sum(range) AS s FROM range(" + (100_000 + i) + ")\"}";
            responses.add(http.sendAsync(HttpRequest.newBuilder(uri("/v1/queries")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = responses.get(i).get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            long n = 100_000 + i;
            assertThat(Json.MAPPER.readTree(response.body()).path("rows").get(0).path("f").get(0).path("v").asText())
                    .isEqualTo(Long.toString(n * (n - 1) / 2));
        }
    }

    @Test
    void discoveryFileNamesThePort() {
        assertThat(ServerDiscovery.read(dataDirectory)).hasValueSatisfying(info -> assertThat(info.port()).isEqualTo(server.port()));
    }

    @Test
    void readinessWaitsForStartupHooksAndStopDrainsInFlightRequests(@TempDir Path otherDirectory) throws Exception {
        CountDownLatch hookMayFinish = new CountDownLatch(1);
        CountDownLatch requestStarted = new CountDownLatch(1);
        CountDownLatch requestMayFinish = new CountDownLatch(1);
        List<String> slowAccess = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer slow = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(20)))
                    .log(line -> {})
                    .accessLog(slowAccess::add)
                    .startupHook("load deployed models", platform -> hookMayFinish.await())
                    .route("GET", "/test/slow/{id}", request -> {
                        requestStarted.countDown();
                        requestMayFinish.await();
                        return ApiResponse.text(200, "done " + request.pathParam("id"));
                    })
                    .start();
            URI base = URI.create("http://127.0.0.1:" + slow.port());
            assertThat(Files.exists(ServerDiscovery.file(otherDirectory))).isTrue();
            HttpResponse<String> before = http.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).contains("load deployed models").contains("STARTING");
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            hookMayFinish.countDown();
            assertThat(slow.awaitReady(10, TimeUnit.SECONDS)).isTrue();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(base.resolve("/test/slow/7")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(requestStarted.await(10, TimeUnit.SECONDS)).isTrue();
            try (java.net.Socket keepAlive = new java.net.Socket("127.0.0.1", slow.port())) {
                keepAlive.setSoTimeout(10_000);
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(keepAlive.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                var out = keepAlive.getOutputStream();
                out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(slow::stop);
                Thread.sleep(200); // let the stop begin while the request is still running
                // A request read from an open connection during the drain is refused saying why (probe O: Jetty's bare
                // "Service Unavailable"), with a Retry-After.
                int length = 0;
                for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) { // the rest of the 200
                    if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(header.substring(header.indexOf(':') + 1).strip());
                    }
                }
                assertThat(in.read(new char[length], 0, length)).isEqualTo(length); // its body (ASCII)
                out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                StringBuilder refused = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    refused.append(line).append('\n');
                }
                // Jetty may also have closed the idle connection by then (on a loaded host the stop gets that far within the
                // 200 ms above): the client then opens another, which is refused. An answer, when one comes, says why.
                if (!refused.isEmpty()) {
                    assertThat(refused.toString()).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                            .contains("The server is stopping").contains("SERVER_UNAVAILABLE");
                }
                requestMayFinish.countDown();
                HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
                assertThat(finished.statusCode()).isEqualTo(200);
                assertThat(finished.body()).isEqualTo("done 7");
                stopping.get(30, TimeUnit.SECONDS);
                // the stop wrote out the access log: the drained request, and the refused one when it was answered (probe sb F1)
                assertThat(slowAccess).anySatisfy(line -> assertThat(line).contains("GET /test/slow/7 200"));
                if (!refused.isEmpty()) {
                    assertThat(slowAccess).anySatisfy(line -> assertThat(line).contains("GET /healthz 503"));
                }
            }
            assertThat(Files.exists(ServerDiscovery.file(otherDirectory))).isFalse();
        }
    }
    /**
     * Probe sb: Jetty's graceful stop gives every connection a 1 s idle timeout, so a request whose body upload paused
     * for a second during the drain failed its read and was answered 400 (not retryable); the drain finishes it.
     */
    @Test
    void aRequestWhoseBodyPausesDuringTheDrainIsFinished(@TempDir Path otherDirectory) throws Exception {
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer slow = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(20)))
                    .log(line -> {})
                    .route("POST", "/test/echo", request -> ApiResponse.text(200, "got " + new String(request.body(),
                            java.nio.charset.StandardCharsets.UTF_8)))
                    .start();
            assertThat(slow.awaitReady(10, TimeUnit.SECONDS)).isTrue();
            try (java.net.Socket client = new java.net.Socket("127.0.0.1", slow.port())) {
                client.setSoTimeout(15_000);
                var out = client.getOutputStream();
                out.write("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"a\""
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300); // the request is in flight, its body incomplete
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(slow::stop);
                Thread.sleep(1_500); // longer than the 1 s Jetty gives connections at a stop
                out.write(": 12345}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                String answer = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("got {\"a\": 12345}");
                stopping.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Probe ub F1: bodies were read on request threads, so as many connections as there were threads, each sending its
     * headers and then a byte of its body now and then, kept every other request waiting (/healthz included) for as long
     * as they trickled. Bodies are now read as they arrive without a thread: with 8 threads and 30 slow uploads (to a
     * blocking route, to a non-blocking one with a body too large to read inline, and compressed), /healthz, a query and a
     * prediction-style route still answer at once, and a slow body that does arrive whole is served.
     */
    @Test
    void slowBodiesDoNotHoldTheRequestThreads(@TempDir Path otherDirectory) throws Exception {
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer small = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withMaxThreads(8).withMaxRequestBytes(200_000))
                    .log(line -> {})
                    .accessLog(line -> {})
                    .route("POST", "/test/echo", request -> ApiResponse.text(200, "got " + request.body().length))
                    .nonBlockingRoute("POST", "/test/where", request -> ApiResponse.text(200, "got " + request.body().length))
                    .start();
            List<java.net.Socket> slow = new ArrayList<>();
            try {
                assertThat(small.awaitReady(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 30; i++) {
                    String head = switch (i % 3) {
                        case 0 -> "POST /v1/queries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
                        case 1 -> "POST /test/where HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
                        default -> "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 200\r\n\r\n";
                    };
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", small.port());
                    slow.add(socket);
                    socket.getOutputStream().write((head + "{").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
                Thread.sleep(500); // every slow request has reached the server
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (int round = 0; round < 3; round++) {
                    long started = System.nanoTime();
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/healthz"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isEqualTo(200);
                    HttpResponse<String> query = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/v1/queries"))
                            .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 42 AS answer\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
                    assertThat(query.body()).contains("42");
                    HttpResponse<String> large = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/test/where"))
                            .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(large.body()).isEqualTo("got 70000");
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                    for (java.net.Socket socket : slow) { // one more byte each, as the probe's clients did
                        socket.getOutputStream().write(' ');
                        socket.getOutputStream().flush();
                    }
                    Thread.sleep(200);
                }
                // a slow body that arrives whole is answered as any other
                java.net.Socket last = slow.get(1);
                last.setSoTimeout(10_000);
                last.getOutputStream().write(" ".repeat(100_000 - 4).getBytes(StandardCharsets.US_ASCII));
                last.getOutputStream().flush();
                String answer = readResponseBody(new java.io.BufferedInputStream(last.getInputStream()));
                assertThat(answer).isEqualTo("got 100000");
            } finally {
                for (java.net.Socket socket : slow) {
                    socket.close();
                }
                small.stop();
            }
        }
    }

    /**
     * Bodies read as they arrive are no longer bounded by the request threads, so many large uploads at once could fill the
     * heap: past their first 64 KiB each they are counted against a budget from their first bytes until their answer is
     * written, and one that would go past it is a 503 to send again; the budget is whole again once they are answered.
     */
    @Test
    void requestBodiesHoldAtMostTheirBudgetAndGiveItBack(@TempDir Path otherDirectory) throws Exception {
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer small = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withMaxRequestBytes(1_000_000))
                    .log(line -> {})
                    .accessLog(line -> {})
                    .bodyBudget(300_000) // the first body's 300,000 fits; the second's growth beside it does not
                    .route("POST", "/test/echo", request -> ApiResponse.text(200, "got " + request.body().length))
                    .start();
            try (java.net.Socket first = new java.net.Socket("127.0.0.1", small.port());
                    java.net.Socket second = new java.net.Socket("127.0.0.1", small.port())) {
                assertThat(small.awaitReady(10, TimeUnit.SECONDS)).isTrue();
                first.setSoTimeout(10_000);
                second.setSoTimeout(10_000);
                String head = "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n";
                first.getOutputStream().write((head + "x".repeat(200_000)).getBytes(StandardCharsets.US_ASCII)); // its buffer: 300,000
                first.getOutputStream().flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (small.bodyBytesHeld() < 200_000 - 64 * 1024 && System.nanoTime() < deadline) { // its buffer grows as it comes
                    Thread.sleep(20);
                }
                assertThat(small.bodyBytesHeld()).isBetween(200_000L - 64 * 1024, 300_000L - 64 * 1024);
                second.getOutputStream().write((head + "y".repeat(200_000)).getBytes(StandardCharsets.US_ASCII));
                second.getOutputStream().flush();
                StringBuilder refused = new StringBuilder(); // the answer, while the rest of the body is not sent
                byte[] chunk = new byte[4096];
                for (int n; !refused.toString().endsWith("}}") && (n = second.getInputStream().read(chunk)) > 0; ) {
                    refused.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                }
                assertThat(refused.toString()).startsWith("HTTP/1.1 503").contains("REQUEST_BODIES_OVER_BUDGET", "send the request again");
                first.getOutputStream().write("x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
                first.getOutputStream().flush();
                assertThat(readResponseBody(new java.io.BufferedInputStream(first.getInputStream()))).isEqualTo("got 300000");
                while (small.bodyBytesHeld() != 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(small.bodyBytesHeld()).as("given back once answered").isZero();
                HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + small.port() + "/test/echo")).POST(HttpRequest.BodyPublishers.ofString("z".repeat(300_000))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(again.body()).isEqualTo("got 300000");
            } finally {
                small.stop();
            }
        }
    }

    /**
     * A body that arrives slower than the rule (within the grace after the headers, plus 1 s for every so many bytes) is
     * answered 408 naming the rule, counted and logged; one that keeps to it is served, and an oversized one still gets its
     * 413 (with a Content-Length over the limit, and without one).
     */
    @Test
    void aBodyThatTricklesIsAnswered408NamingTheRule(@TempDir Path otherDirectory) throws Exception {
        List<String> access = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer strict = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withMaxRequestBytes(4096))
                    .bodyRate(Duration.ofSeconds(1), 500)
                    .log(line -> {})
                    .accessLog(access::add)
                    .route("POST", "/test/echo", request -> ApiResponse.text(200, "got " + request.body().length))
                    .nonBlockingRoute("POST", "/test/fast", request -> ApiResponse.text(200, "got " + request.body().length))
                    .start();
            try (java.net.Socket trickle = new java.net.Socket("127.0.0.1", strict.port());
                    java.net.Socket trickleFast = new java.net.Socket("127.0.0.1", strict.port());
                    java.net.Socket steady = new java.net.Socket("127.0.0.1", strict.port())) {
                trickle.setSoTimeout(10_000);
                trickleFast.setSoTimeout(10_000);
                steady.setSoTimeout(10_000);
                long started = System.nanoTime();
                trickle.getOutputStream().write("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n{"
                        .getBytes(StandardCharsets.US_ASCII));
                // a small body to a non-blocking route, read on the network thread: held to the same rule
                trickleFast.getOutputStream().write("POST /test/fast HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"
                        .getBytes(StandardCharsets.US_ASCII));
                // 1,500 bytes in three parts a second apart: 1 s plus 1 s per 500 bytes received is always ahead of them
                String steadyHead = "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1500\r\n\r\n";
                steady.getOutputStream().write((steadyHead + " ".repeat(600)).getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 8; i++) {
                    Thread.sleep(250);
                    if (i == 3) {
                        steady.getOutputStream().write(" ".repeat(600).getBytes(StandardCharsets.US_ASCII));
                    }
                    try {
                        trickle.getOutputStream().write(' ');
                    } catch (java.io.IOException closed) {
                        break; // answered and closed
                    }
                }
                steady.getOutputStream().write(" ".repeat(300).getBytes(StandardCharsets.US_ASCII));
                assertThat(readResponseBody(new java.io.BufferedInputStream(steady.getInputStream()))).isEqualTo("got 1500");
                String answer = new String(trickle.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                assertThat(answer).startsWith("HTTP/1.1 408");
                JsonNode error = rawBody(answer).path("error");
                assertThat(error.path("status").asText()).isEqualTo("DEADLINE_EXCEEDED");
                assertThat(error.path("message").asText()).contains("arrived too slowly (").contains(" of its 200 bytes in ")
                        .contains("within 1.0 s of the request's headers, plus 1 s for every 500 bytes received");
                assertThat(error.path("details").findValuesAsText("reason")).contains("REQUEST_BODY_TOO_SLOW");
                assertThat(error.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("body");
                String fast = new String(trickleFast.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(fast).startsWith("HTTP/1.1 408");
                assertThat(rawBody(fast).path("error").path("message").asText()).contains("(1 of its 50 bytes in ");
            }
            // over the limit, with a Content-Length and without one (chunked): 413 as before
            for (String request : List.of("Content-Length: 5000\r\n\r\n" + "x".repeat(5000),
                    "Transfer-Encoding: chunked\r\n\r\n1388\r\n" + "x".repeat(5000) + "\r\n0\r\n\r\n")) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", strict.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(("POST /test/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + request)
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(answer).as(request.substring(0, 20)).startsWith("HTTP/1.1 413");
                    assertThat(rawBody(answer).path("error").path("message").asText()).contains("the limit is 4096 bytes");
                }
            }
            assertThat(strict.metrics().scrape()).contains("reason=\"REQUEST_BODY_TOO_SLOW\"");
            strict.stop();
        }
        assertThat(access).anySatisfy(line -> assertThat(line).contains("POST /test/echo 408"));
    }

    /**
     * Probe sb F4: with standard output a pipe nobody reads, the access log's writer blocked in println holding the
     * stream's lock, and the stop blocked printing its first line behind it: SIGTERM left the server serving for good,
     * nothing drained, flushed or removed. The stop now completes within a bound, runs its hooks and removes the
     * discovery file; its lines are written once the output moves again.
     */
    @Test
    void stopCompletesWhileStandardOutputIsNotRead(@TempDir Path otherDirectory) throws Exception {
        CountDownLatch readerWakes = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stuck = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.io.PrintStream stdout = new java.io.PrintStream(new java.io.OutputStream() { // a pipe whose reader stopped reading
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) throws java.io.IOException {
                while (stuck.get()) {
                    try {
                        readerWakes.await();
                        stuck.set(false);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                if (b == '\n') {
                    written.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
        CountDownLatch hookRan = new CountDownLatch(1);
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer server = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(2)))
                    .log(stdout::println)
                    .accessLog(stdout::println)
                    .onStop(hookRan::countDown)
                    .start();
            try {
                assertThat(server.awaitReady(10, TimeUnit.SECONDS)).isTrue();
                stuck.set(true);
                URI healthz = URI.create("http://127.0.0.1:" + server.port() + "/healthz");
                assertThat(http.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline
                        && Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("lathe-access-log")
                                && t.getState() == Thread.State.WAITING); ) {
                    Thread.sleep(10); // the access log's writer is stuck in println, holding the stream's lock
                }

                int port = server.port();
                long start = System.nanoTime();
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
                stopping.get(LatheServer.ACCESS_LOG_CLOSE.plus(LatheServer.STOP_LOG_WAIT).plusSeconds(10).toSeconds(), TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LatheServer.ACCESS_LOG_CLOSE.plus(LatheServer.STOP_LOG_WAIT)
                        .plusSeconds(5));
                assertThat(hookRan.getCount()).isZero();
                assertThat(Files.exists(ServerDiscovery.file(otherDirectory))).isFalse();
                try (java.net.Socket refused = new java.net.Socket()) {
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> refused.connect(
                            new java.net.InetSocketAddress("127.0.0.1", port), 2_000))).isInstanceOf(java.io.IOException.class);
                }
            } finally {
                readerWakes.countDown();
                server.stop();
            }
        }
    }

    @Test
    void aCommandsOwnServerWritesNoDiscoveryFile(@TempDir Path otherDirectory) {
        try (Platform other = Platform.open(otherDirectory);
                LatheServer quiet = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {})
                        .discoverable(false).start()) {
            assertThat(quiet.port()).isPositive();
            assertThat(Files.exists(ServerDiscovery.file(otherDirectory))).isFalse();
        }
    }

    @Test
    void aFailedStartupHookKeepsTheServerNotReadyButTheLaterHooksStillRun(@TempDir Path otherDirectory) throws Exception {
        CountDownLatch laterRan = new CountDownLatch(1);
        try (Platform other = Platform.open(otherDirectory)) {
            LatheServer.Builder builder = LatheServer.builder(other, ServerConfig.defaults().withPort(0).withAccessLog(false));
            LatheServer broken = builder.log(line -> {})
                    .startupHook("load deployed models", platform -> {
                        throw new IllegalStateException("estimator.bin is corrupt");
                    })
                    .startupHook("batch prediction jobs", platform -> laterRan.countDown())
                    .start();
            try {
                assertThat(laterRan.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(broken.awaitReady(10, TimeUnit.SECONDS)).isFalse();
                assertThat(builder.readyNow()).isFalse();
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port() + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(503);
                JsonNode body = Json.MAPPER.readTree(ready.body());
                assertThat(body.path("status").asText()).isEqualTo("FAILED");
                assertThat(body.path("startupHooks").get(0).path("error").asText()).contains("estimator.bin is corrupt");
                assertThat(body.path("startupHooks").get(1).path("state").asText()).isEqualTo("DONE");
            } finally {
                broken.stop();
            }
        }
    }

    /**
     * Probe sg: on a metadata.db it could not write, the server started, its start-up hook failed with SQLite's
     * "[SQLITE_READONLY] Attempt to write a readonly database", it never became ready and answered every change 500. It
     * refuses to start now, in one line naming the file (exit 6 through lathe server), and leaves no discovery file.
     */
    @Test
    void aServerRefusesToStartOnAMetadataStoreItCannotWrite(@TempDir Path otherDirectory) throws Exception {
        Platform.open(otherDirectory).close();
        Path file = otherDirectory.resolve("metadata.db");
        boolean immutable = readOnly(file);
        try (Platform other = Platform.open(otherDirectory)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatheServer.builder(other, ServerConfig.defaults().withPort(0)
                    .withAccessLog(false)).log(line -> {}).start()).isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> {
                        assertThat(e.category().exitCode()).isEqualTo(6);
                        assertThat(e.getMessage()).contains(file.toAbsolutePath() + " is read-only");
                    });
            assertThat(Files.exists(ServerDiscovery.file(otherDirectory))).isFalse();
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", file.toString()).start().waitFor();
            }
            file.toFile().setWritable(true);
        }
    }

    /** Makes {@code file} read-only (as root, whom file modes do not stop, immutable); skips the test where neither works. */
    private static boolean readOnly(Path file) throws Exception {
        assertThat(file.toFile().setWritable(false, false)).isTrue();
        if (Files.isWritable(file)) {
            int chattr;
            try {
                chattr = new ProcessBuilder("chattr", "+i", file.toString()).redirectErrorStream(true).start().waitFor();
            } catch (java.io.IOException e) {
                chattr = -1;
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr == 0 && !Files.isWritable(file),
                    "cannot make a file read-only for this user (root without chattr)");
            return true;
        }
        return false;
    }
}
