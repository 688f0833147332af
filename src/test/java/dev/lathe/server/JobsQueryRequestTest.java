package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Platform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/queries} takes BigQuery's jobs.query request (QueryRequest) as BigQuery's clients send it (probe vp F6). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsQueryRequestTest {
    private Platform platform;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path directory) {
        platform = Platform.open(directory);
        server = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {}).start();
    }

    @AfterAll
    void stop() {
        server.stop();
        platform.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/queries", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** The 400's field violation: field and description. */
    private JsonNode refused(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/queries", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return Json.MAPPER.readTree(response.body()).path("error").path("details").get(0).path("fieldViolations").get(0);
    }

    /** The body google-cloud-bigquery's query_and_wait sends, with the other fields a client may set: all taken. */
    @Test
    void aClientsRequestBodyIsTaken() throws Exception {
        JsonNode answer = ok("""
                {"kind": "bigquery#queryRequest", "query": "SELECT 1 AS x", "useLegacySql": false, "formatOptions": {"useInt64Timestamp": true},
                 "timeoutMs": 10000, "location": "US", "requestId": "0b0c3f06-7c3e-4f0e-a4c4-3b8d3c1b6a0e", "useQueryCache": true,
                 "labels": {"team": "ml", "run-id": "r_1"}, "jobCreationMode": "JOB_CREATION_OPTIONAL", "maximumBytesBilled": "1000000000",
                 "preserveNulls": true, "maxResults": 10, "continuous": false, "writeIncrementalResults": false}""");
        assertThat(answer.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("1");
        assertThat(answer.path("jobComplete").asBoolean()).isTrue();
    }

    /** A QueryRequest field Lathe cannot honour is refused as not supported, not as an unknown field. */
    @Test
    void aFieldLatheCannotHonourIsRefusedAsNotSupported() throws Exception {
        JsonNode encryption = refused("""
                {"query": "SELECT 1", "destinationEncryptionConfiguration": {"kmsKeyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}}""");
        assertThat(encryption.path("field").asText()).isEqualTo("destinationEncryptionConfiguration");
        assertThat(encryption.path("description").asText()).startsWith("is not supported: ").contains("KMS").doesNotContain("unknown");
        JsonNode continuous = refused("{\"query\": \"SELECT 1\", \"continuous\": true}");
        assertThat(continuous.path("field").asText()).isEqualTo("continuous");
        assertThat(continuous.path("description").asText()).contains("not supported").contains("only false");
    }

    /** A misspelled field is still unknown, with the QueryRequest field it is nearest to. */
    @Test
    void aMisspelledFieldIsUnknownWithTheNearestField() throws Exception {
        JsonNode misspelled = refused("{\"query\": \"SELECT 1\", \"timeoutMS\": 10}");
        assertThat(misspelled.path("field").asText()).isEqualTo("timeoutMS");
        assertThat(misspelled.path("description").asText()).startsWith("unknown field; did you mean 'timeoutMs'? Accepted: ");
        JsonNode far = refused("{\"query\": \"SELECT 1\", \"zzz\": 10}");
        assertThat(far.path("description").asText()).startsWith("unknown field. Accepted: kind, query, ");
    }

    /** The fields Lathe takes without acting on them are still checked as BigQuery types them. */
    @Test
    void acceptedFieldsAreTypeChecked() throws Exception {
        assertThat(refused("{\"query\": \"SELECT 1\", \"timeoutMs\": -1}").path("field").asText()).isEqualTo("timeoutMs");
        assertThat(refused("{\"query\": \"SELECT 1\", \"kind\": \"bigquery#job\"}").path("description").asText())
                .contains("bigquery#queryRequest");
        JsonNode label = refused("{\"query\": \"SELECT 1\", \"labels\": {\"Team\": \"ml\"}}");
        assertThat(label.path("field").asText()).isEqualTo("labels.Team");
        assertThat(label.path("description").asText()).contains("lowercase");
        assertThat(refused("{\"query\": \"SELECT 1\", \"jobCreationMode\": \"SOMETIMES\"}").path("description").asText())
                .contains("JOB_CREATION_OPTIONAL");
        assertThat(refused("{\"query\": \"SELECT 1\", \"formatOptions\": {\"useInt64Timestamp\": \"yes\"}}").path("field").asText())
                .isEqualTo("formatOptions.useInt64Timestamp");
        assertThat(refused("{\"query\": \"SELECT 1\", \"formatOptions\": {\"useInt64Timestamps\": true}}").path("field").asText())
                .isEqualTo("formatOptions.useInt64Timestamps");
    }

    /**
     * formatOptions.useInt64Timestamp answers TIMESTAMP values as int64 microseconds (what google-cloud-bigquery asks for
     * and parses with int()), in records and arrays too; without it, seconds, BigQuery's default.
     */
    @Test
    void useInt64TimestampAnswersMicroseconds() throws Exception {
        String select = "SELECT TIMESTAMP '2024-01-01 00:00:00.5+00' AS t, STRUCT(TIMESTAMP '1969-12-31 23:59:59.25+00' AS u) AS s,"
                + " [TIMESTAMP '1970-01-01 00:00:01+00'] AS a, DATE '2024-01-01' AS d";
        JsonNode seconds = ok(Json.MAPPER.createObjectNode().put("query", select).toString()).path("rows").get(0).path("f");
        assertThat(seconds.get(0).path("v").asText()).isEqualTo("1704067200.5");
        assertThat(seconds.get(1).path("v").path("f").get(0).path("v").asText()).isEqualTo("-0.75");
        JsonNode body = Json.MAPPER.createObjectNode().put("query", select).set("formatOptions",
                Json.MAPPER.createObjectNode().put("useInt64Timestamp", true));
        JsonNode micros = ok(body.toString()).path("rows").get(0).path("f");
        assertThat(micros.get(0).path("v").asText()).isEqualTo("1704067200500000");
        assertThat(micros.get(1).path("v").path("f").get(0).path("v").asText()).isEqualTo("-750000");
        assertThat(micros.get(2).path("v").get(0).path("v").asText()).isEqualTo("1000000");
        assertThat(micros.get(3).path("v").asText()).isEqualTo("2024-01-01"); // a DATE is no TIMESTAMP
        JsonNode int64 = Json.MAPPER.createObjectNode().put("query", select).set("formatOptions",
                Json.MAPPER.createObjectNode().put("timestampOutputFormat", "INT64"));
        assertThat(ok(int64.toString()).path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("1704067200500000");
    }

    /** The pages past the first keep the query's TIMESTAMP encoding; a page asked for in the other one is refused. */
    @Test
    void pagesKeepTheQuerysTimestampEncoding() throws Exception {
        JsonNode first = ok("""
                {"query": "SELECT TIMESTAMP '2024-01-01 00:00:00+00' + INTERVAL (i) SECOND AS t FROM range(3) AS r(i) ORDER BY t",
                 "maxResults": 1, "formatOptions": {"useInt64Timestamp": true}}""");
        assertThat(first.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("1704067200000000");
        String page = "/v1/queries/" + first.path("jobReference").path("jobId").asText() + "?pageToken=" + first.path("pageToken").asText();
        HttpResponse<String> other = send("GET", page + "&formatOptions.useInt64Timestamp=false", null);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("formatOptions.useInt64Timestamp").contains("microseconds");
        HttpResponse<String> next = send("GET", page + "&formatOptions.useInt64Timestamp=true&timeoutMs=10000&location=US", null);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(next.body()).path("rows").get(1).path("f").get(0).path("v").asText()).isEqualTo("1704067202000000");
    }
}
