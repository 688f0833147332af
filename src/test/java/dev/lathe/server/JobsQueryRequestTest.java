package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Platform;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        return send(server, method, path, body);
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
        JsonNode legacy = refused("{\"query\": \"SELECT 1\", \"useLegacySql\": true}");
        assertThat(legacy.path("field").asText()).isEqualTo("useLegacySql");
        assertThat(legacy.path("description").asText()).contains("only GoogleSQL").contains("set it to false");
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

    private static String parameter(String name, String type, String value) {
        return "{" + (name == null ? "" : "\"name\": \"" + name + "\", ") + "\"parameterType\": {\"type\": \"" + type
                + "\"}, \"parameterValue\": {\"value\": " + value + "}}";
    }

    /** Named parameters of every scalar type are bound as values of that type, in BigQuery's JSON shapes. */
    @Test
    void namedParametersAreBoundAsTypedValues() throws Exception {
        String body = "{\"query\": \"SELECT @i + 1 AS i, @f * 2 AS f, @n AS n, @b AS b, @s AS s, @y AS y, @d AS d, @dt AS dt,"
                + " @t AS t, @ts AS ts, @j AS j, @nothing IS NULL AS nothing, @I AS again\", \"parameterMode\": \"NAMED\","
                + " \"queryParameters\": [" + String.join(", ", parameter("i", "INT64", "\"9007199254740993\""),
                        parameter("f", "FLOAT64", "\"1.25\""), parameter("n", "NUMERIC", "\"3.10\""), parameter("b", "BOOL", "\"true\""),
                        parameter("s", "STRING", "\"it's \\\\ 'quoted' \\n and \\u00e9\""), parameter("y", "BYTES", "\"AP8=\""),
                        parameter("d", "DATE", "\"2024-02-29\""), parameter("dt", "DATETIME", "\"2024-02-29 10:30:00\""),
                        parameter("t", "TIME", "\"10:30:00.5\""), parameter("ts", "TIMESTAMP", "\"2024-01-01 00:00:00.5+00:00\""),
                        parameter("j", "JSON", "\"{\\\"a\\\": [1, 2]}\""), parameter("nothing", "STRING", "null")) + "]}";
        JsonNode answer = ok(body);
        JsonNode row = answer.path("rows").get(0).path("f");
        List<String> types = new ArrayList<>();
        answer.path("schema").path("fields").forEach(field -> types.add(field.path("type").asText()));
        assertThat(types).containsExactly("INTEGER", "FLOAT", "NUMERIC", "BOOLEAN", "STRING", "BYTES", "DATE", "TIMESTAMP", "TIME",
                "TIMESTAMP", "JSON", "BOOLEAN", "INTEGER");
        List<String> values = new ArrayList<>();
        row.forEach(cell -> values.add(cell.path("v").asText()));
        assertThat(values).containsExactly("9007199254740994", "2.5", "3.1", "true", "it's \\ 'quoted' \n and \u00e9", "AP8=", "2024-02-29",
                "1709202600", "10:30:00.5", "1704067200.5", "{\"a\": [1, 2]}", "true", "9007199254740993");
    }

    /** A value is only ever a value: text that would end its literal and add SQL stays the string it was. */
    @Test
    void aStringParameterCannotAddSql() throws Exception {
        ok("{\"query\": \"CREATE TABLE kept AS SELECT 1 AS x\"}");
        String attack = "x'); DROP TABLE kept; SELECT ('";
        JsonNode answer = ok("{\"query\": \"SELECT @v AS v, LENGTH(@v) AS n\", \"queryParameters\": [" + parameter("v", "STRING",
                Json.MAPPER.writeValueAsString(attack)) + "]}");
        assertThat(answer.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo(attack);
        assertThat(answer.path("statements")).hasSize(1);
        assertThat(ok("{\"query\": \"SELECT x FROM kept\"}").path("totalRows").asText()).isEqualTo("1");
    }

    /** Positional ? parameters take the parameters in order; ? and @ in strings and comments are text. */
    @Test
    void positionalParametersAreTakenInOrder() throws Exception {
        JsonNode answer = ok("{\"query\": \"SELECT ? - ? AS d, '?@x' AS s -- ? @y\\n\", \"parameterMode\": \"POSITIONAL\","
                + " \"queryParameters\": [" + parameter(null, "INT64", "\"10\"") + ", " + parameter(null, "INT64", "\"3\"") + "]}");
        assertThat(answer.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("7");
        assertThat(answer.path("rows").get(0).path("f").get(1).path("v").asText()).isEqualTo("?@x");
    }

    /** ARRAY and STRUCT parameters, nested, in BigQuery's arrayType/arrayValues and structTypes/structValues shapes. */
    @Test
    void arrayAndStructParameters() throws Exception {
        JsonNode answer = ok("""
                {"query": "SELECT ARRAY_LENGTH(@a) AS n, @a[OFFSET(1)] AS second, @s.name AS name, ARRAY_LENGTH(@s.scores) AS k, ARRAY_LENGTH(@empty) AS e",
                 "queryParameters": [
                   {"name": "a", "parameterType": {"type": "ARRAY", "arrayType": {"type": "INT64"}},
                    "parameterValue": {"arrayValues": [{"value": "4"}, {"value": "5"}, {"value": "6"}]}},
                   {"name": "s", "parameterType": {"type": "STRUCT", "structTypes": [{"name": "name", "type": {"type": "STRING"}},
                      {"name": "scores", "type": {"type": "ARRAY", "arrayType": {"type": "FLOAT64"}}}]},
                    "parameterValue": {"structValues": {"name": {"value": "o'k"}, "scores": {"arrayValues": [{"value": "0.5"}]}}}},
                   {"name": "empty", "parameterType": {"type": "ARRAY", "arrayType": {"type": "STRING"}}, "parameterValue": {}}]}""");
        List<String> values = new ArrayList<>();
        answer.path("rows").get(0).path("f").forEach(cell -> values.add(cell.path("v").asText()));
        assertThat(values).containsExactly("3", "5", "o'k", "1", "0");
    }

    /** A parameter the query uses but the request lacks, a value not of its type, and a mode the query does not match are 400s naming it. */
    @Test
    void missingOrMistypedParametersAreRefusedNamingThem() throws Exception {
        JsonNode missing = refused("{\"query\": \"SELECT @a + @b\", \"queryParameters\": [" + parameter("a", "INT64", "\"1\"") + "]}");
        assertThat(missing.path("field").asText()).isEqualTo("queryParameters");
        assertThat(missing.path("description").asText()).contains("@b at line 1, column 13").contains("given: @a");
        JsonNode mistyped = refused("{\"query\": \"SELECT @a\", \"queryParameters\": [" + parameter("a", "INT64", "\"1.5\"") + "]}");
        assertThat(mistyped.path("field").asText()).isEqualTo("queryParameters[0].parameterValue.value");
        assertThat(mistyped.path("description").asText()).contains("@a is INT64").contains("'1.5'");
        JsonNode date = refused("{\"query\": \"SELECT @d\", \"queryParameters\": [" + parameter("d", "DATE", "\"tomorrow\"") + "]}");
        assertThat(date.path("description").asText()).contains("@d is DATE").contains("2024-01-31");
        JsonNode type = refused("{\"query\": \"SELECT @g\", \"queryParameters\": [" + parameter("g", "GEOGRAPHY", "\"POINT(1 2)\"") + "]}");
        assertThat(type.path("field").asText()).isEqualTo("queryParameters[0].parameterType.type");
        assertThat(type.path("description").asText()).contains("GEOGRAPHY parameters are not supported");
        JsonNode mode = refused("{\"query\": \"SELECT ?\", \"parameterMode\": \"NAMED\", \"queryParameters\": []}");
        assertThat(mode.path("field").asText()).isEqualTo("parameterMode");
        assertThat(mode.path("description").asText()).contains("positional parameter ? at line 1, column 8");
        JsonNode count = refused("{\"query\": \"SELECT ?, ?\", \"queryParameters\": [" + parameter(null, "INT64", "\"1\"") + "]}");
        assertThat(count.path("description").asText()).contains("parameter 2, but 1 is given");
        JsonNode unnamed = refused("{\"query\": \"SELECT @a\", \"parameterMode\": \"NAMED\", \"queryParameters\": ["
                + parameter(null, "INT64", "\"1\"") + "]}");
        assertThat(unnamed.path("field").asText()).isEqualTo("queryParameters[0].name");
    }

    /** A model's version suffix (MODEL d.m@1) is no parameter, beside one that is. */
    @Test
    void aModelVersionIsNoParameter() throws Exception {
        ok("""
                {"query": "CREATE SCHEMA params; CREATE MODEL params.line OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, 2 * x AS y FROM UNNEST([1.0, 2.0, 3.0, 4.0]) AS x"}""");
        JsonNode answer = ok("""
                {"query": "SELECT ROUND(predicted_y) AS y FROM ML.PREDICT(MODEL params.line@1, (SELECT @x AS x))",
                 "queryParameters": [{"name": "x", "parameterType": {"type": "FLOAT64"}, "parameterValue": {"value": "10"}}]}""");
        assertThat(answer.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("20.0");
    }

    /** Each field of an answer's schema as "name TYPE". */
    private static List<String> nameAndType(JsonNode answer) {
        List<String> fields = new ArrayList<>();
        answer.path("schema").path("fields").forEach(field -> fields.add(field.path("name").asText() + " " + field.path("type").asText()));
        return fields;
    }

    private JsonNode dryRun(String sql) throws Exception {
        return ok(Json.MAPPER.createObjectNode().put("query", sql).put("dryRun", true).toString());
    }

    /** A dry run answers the query's schema and no rows, jobComplete false as BigQuery's, and runs nothing. */
    @Test
    void aDryRunAnswersTheSchemaAndRunsNothing() throws Exception {
        ok("{\"query\": \"CREATE SCHEMA dry; CREATE TABLE dry.t AS SELECT 1 AS x\"}");
        JsonNode answer = dryRun("SELECT x, 'a' AS s, x / 2 AS h FROM dry.t");
        assertThat(nameAndType(answer)).containsExactly("x INTEGER", "s STRING", "h FLOAT");
        assertThat(answer.has("rows")).isFalse();
        assertThat(answer.has("totalRows")).isFalse();
        assertThat(answer.path("jobComplete").asBoolean(true)).isFalse();
        assertThat(answer.path("cacheHit").isBoolean()).isTrue();
        JsonNode changes = dryRun("INSERT INTO dry.t VALUES (2); CREATE TABLE dry.u AS SELECT 1 AS y; DELETE FROM dry.t WHERE true");
        assertThat(changes.has("schema")).isFalse();
        assertThat(changes.path("statements")).hasSize(3);
        assertThat(ok("{\"query\": \"SELECT x FROM dry.t\"}").path("totalRows").asText()).isEqualTo("1");
        assertThat(send("POST", "/v1/queries", "{\"query\": \"SELECT * FROM dry.u\"}").statusCode()).isEqualTo(404);
    }

    /** A dry run binds a wildcard table's union as it is now, without its _TABLE_SUFFIX in the star (probe vp F2). */
    @Test
    void aDryRunReadsAWildcardTable() throws Exception {
        ok("{\"query\": \"CREATE SCHEMA drywild; CREATE TABLE drywild.t_1 AS SELECT 1 AS x; CREATE TABLE drywild.t_2 AS SELECT 'b' AS y\"}");
        JsonNode answer = dryRun("SELECT *, _TABLE_SUFFIX AS s FROM `drywild.t_*`");
        assertThat(nameAndType(answer)).containsExactly("x INTEGER", "y STRING", "s STRING");
        HttpResponse<String> none = send("POST", "/v1/queries", "{\"query\": \"SELECT * FROM `drywild.u_*`\", \"dryRun\": true}");
        assertThat(none.body()).contains("does not match any table");
    }

    /** A statement that would fail fails its dry run, as it would when run; an ML function is refused, naming it. */
    @Test
    void aDryRunFailsWhereTheQueryWould() throws Exception {
        HttpResponse<String> unknown = send("POST", "/v1/queries", "{\"query\": \"SELECT nope FROM (SELECT 1 AS x)\", \"dryRun\": true}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("nope").contains("line 1, column 8");
        HttpResponse<String> predict = send("POST", "/v1/queries", "{\"query\": \"SELECT * FROM ML.PREDICT(MODEL d.m, (SELECT 1 AS x))\","
                + " \"dryRun\": true}");
        assertThat(predict.statusCode()).isEqualTo(400);
        assertThat(predict.body()).contains("dry run of a query calling ML.PREDICT").contains("not supported");
    }

    /** A dry run of CREATE MODEL checks its options and binds its training query, and trains and registers nothing. */
    @Test
    void aDryRunOfCreateModelTrainsNothing() throws Exception {
        ok("{\"query\": \"CREATE SCHEMA drymodels\"}");
        String create = "CREATE MODEL drymodels.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS"
                + " SELECT x, 3 * x AS y FROM UNNEST([1.0, 2.0, 3.0]) AS x";
        JsonNode answer = dryRun(create);
        assertThat(answer.path("message").asText()).isEqualTo("Would train model drymodels.m (LINEAR_REG)");
        assertThat(answer.path("jobComplete").asBoolean(true)).isFalse();
        HttpResponse<String> badOption = send("POST", "/v1/queries", Json.MAPPER.createObjectNode()
                .put("query", create.replace("linear_reg", "linear_regg")).put("dryRun", true).toString());
        assertThat(badOption.statusCode()).isEqualTo(400);
        assertThat(badOption.body()).contains("linear_regg");
        HttpResponse<String> badQuery = send("POST", "/v1/queries", Json.MAPPER.createObjectNode()
                .put("query", create.replace("3 * x", "3 * z")).put("dryRun", true).toString());
        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(badQuery.body()).contains("z");
        // CREATE (not OR REPLACE) fails on a model that exists: the dry run left none
        ok(Json.MAPPER.createObjectNode().put("query", create).toString());
    }

    /**
     * defaultDataset is the request's: in a session of its own, the default an earlier request's USE set is the
     * default again after it (it was reset to main).
     */
    @Test
    void defaultDatasetIsTheRequestsOnly() throws Exception {
        ok("{\"query\": \"CREATE SCHEMA da; CREATE SCHEMA db; CREATE TABLE da.t AS SELECT 'a' AS v; CREATE TABLE db.t AS SELECT 'b' AS v\"}");
        JsonNode created = ok("{\"query\": \"USE da\", \"createSession\": true}");
        String inSession = ", \"connectionProperties\": [{\"key\": \"session_id\", \"value\": \""
                + created.path("sessionInfo").path("sessionId").asText() + "\"}]}";
        assertThat(ok("{\"query\": \"SELECT v FROM t\", \"defaultDataset\": {\"projectId\": \"p\", \"datasetId\": \"db\"}" + inSession)
                .path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("b");
        assertThat(ok("{\"query\": \"SELECT v FROM t\"" + inSession).path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("a");
        // outside a session, nothing carries to the pool's next request
        assertThat(ok("{\"query\": \"SELECT v FROM t\", \"defaultDataset\": {\"datasetId\": \"db\"}}").path("rows").get(0).path("f")
                .get(0).path("v").asText()).isEqualTo("b");
        JsonNode schema = ok("{\"query\": \"SELECT current_schema(), current_setting('search_path')\"}").path("rows").get(0).path("f");
        assertThat(schema.get(0).path("v").asText()).isEqualTo("main");
        assertThat(schema.get(1).path("v").asText()).isEmpty();
        ok("{\"query\": \"CALL BQ.ABORT_SESSION()\"" + inSession);
    }

    /** Minutes of work unless cancelled. */
    private static final String ENDLESS = "SELECT count(*) AS n FROM range(1000000000000) t(i) WHERE i % 7 = 3";
    /** A second or so of work on a slow machine: still running after 0 ms, done well within a minute. */
    private static final String SLOW = "SELECT count(*) AS n FROM range(30000000) t(i) WHERE i % 7 = 3";

    private HttpResponse<String> send(LatheServer to, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(LatheServer to, String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(to, method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static String query(String sql, String more) {
        return "{\"query\": " + Json.MAPPER.valueToTree(sql) + more + "}";
    }

    /**
     * jobs.query's timeoutMs: a script still running after it goes on, its request answers {@code jobComplete: false} with a
     * jobReference, and jobs.getQueryResults ({@code GET /v1/queries/{jobId}}) waits for it, as BigQuery's clients expect.
     */
    @Test
    void aQueryPastItsTimeoutIsAJobThatGetQueryResultsWaitsFor() throws Exception {
        JsonNode first = ok(server, "POST", "/v1/queries", query(SLOW, ", \"timeoutMs\": 0"));
        assertThat(first.path("kind").asText()).isEqualTo("bigquery#queryResponse");
        assertThat(first.path("jobComplete").asBoolean(true)).isFalse();
        assertThat(first.has("rows")).isFalse();
        String jobId = first.path("jobReference").path("jobId").asText();
        assertThat(jobId).matches("lathe_[0-9a-f]{32}");
        assertThat(first.path("jobReference").path("location").asText()).isEqualTo("local");

        // google-cloud-bigquery polls with maxResults=0: the state and the schema, no rows
        JsonNode polled = ok(server, "GET", "/v1/queries/" + jobId + "?maxResults=0&timeoutMs=60000", null);
        assertThat(polled.path("jobComplete").asBoolean()).isTrue();
        assertThat(polled.path("kind").asText()).isEqualTo("bigquery#getQueryResultsResponse");
        assertThat(polled.path("jobReference").path("jobId").asText()).isEqualTo(jobId);
        assertThat(polled.has("rows")).isFalse();
        assertThat(polled.path("totalRows").asText()).isEqualTo("1");
        assertThat(polled.path("schema").path("fields").get(0).path("name").asText()).isEqualTo("n");

        JsonNode result = ok(server, "GET", "/v1/queries/" + jobId, null);
        assertThat(result.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("4285714");
        assertThat(result.path("jobComplete").asBoolean()).isTrue();
        // asked again, the same answer (BigQuery keeps a job's result)
        assertThat(ok(server, "GET", "/v1/queries/" + jobId, null).path("rows")).isEqualTo(result.path("rows"));
    }

    @Test
    void aJobStillRunningAnswersJobCompleteFalseAgainAndIsCancelled() throws Exception {
        String jobId = ok(server, "POST", "/v1/queries", query(ENDLESS, ", \"timeoutMs\": 100")).path("jobReference").path("jobId").asText();
        JsonNode again = ok(server, "GET", "/v1/queries/" + jobId + "?timeoutMs=200", null);
        assertThat(again.path("jobComplete").asBoolean(true)).isFalse();
        assertThat(again.path("jobReference").path("jobId").asText()).isEqualTo(jobId);

        JsonNode cancelled = ok(server, "POST", "/v1/queries/" + jobId + "/cancel", null);
        assertThat(cancelled.path("cancelled").asBoolean()).isTrue();
        HttpResponse<String> failure = send(server, "GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null);
        assertThat(failure.statusCode()).as(failure.body()).isEqualTo(499);
        assertThat(failure.body()).contains("CANCELLED", "Cancelled: SELECT count(*)");
    }

    @Test
    void aFailedJobAnswersItsError() throws Exception {
        String jobId = ok(server, "POST", "/v1/queries", query(SLOW + "; SELECT * FROM no_such_table", ", \"timeoutMs\": 0"))
                .path("jobReference").path("jobId").asText();
        HttpResponse<String> failure = send(server, "GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null);
        assertThat(failure.statusCode()).as(failure.body()).isBetween(400, 404);
        assertThat(failure.body()).contains("no_such_table");
    }

    @Test
    void aJobsRowsPastItsFirstPageComeWithItsJobIdsPageToken() throws Exception {
        String sql = "SELECT i FROM range(5) t(i) WHERE i < (" + SLOW + ") ORDER BY i";
        String jobId = ok(server, "POST", "/v1/queries", query(sql, ", \"timeoutMs\": 0, \"maxResults\": 2")).path("jobReference")
                .path("jobId").asText();
        JsonNode first = ok(server, "GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null);
        assertThat(first.path("rows")).hasSize(2);
        assertThat(first.path("totalRows").asText()).isEqualTo("5");
        JsonNode next = ok(server, "GET", "/v1/queries/" + jobId + "?pageToken=" + first.path("pageToken").asText(), null);
        assertThat(next.path("rows")).hasSize(3);
        assertThat(next.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("2");
        // the first page is the query's: a smaller maxResults cannot be answered from it
        HttpResponse<String> smaller = send(server, "GET", "/v1/queries/" + jobId + "?maxResults=1", null);
        assertThat(smaller.statusCode()).as(smaller.body()).isEqualTo(400);
        assertThat(smaller.body()).contains("maxResults");
    }

    /** BigQuery's jobTimeoutMs: the script is cancelled once it has run that long, and fails with the reason timeout. */
    @Test
    void aJobPastItsJobTimeoutMsIsCancelledAndFailsAsTimedOut() throws Exception {
        HttpResponse<String> waited = send("POST", "/v1/queries", query(ENDLESS, ", \"jobTimeoutMs\": \"300\", \"timeoutMs\": 60000"));
        assertThat(waited.statusCode()).as(waited.body()).isEqualTo(400);
        assertThat(waited.body()).contains("\"reason\":\"timeout\"", "DEADLINE_EXCEEDED", "ran past its jobTimeoutMs of 300 ms");
        // a job its request no longer waits for times out all the same, and jobs.getQueryResults answers so
        String jobId = ok(server, "POST", "/v1/queries", query(ENDLESS, ", \"jobTimeoutMs\": 300, \"timeoutMs\": 0")).path("jobReference")
                .path("jobId").asText();
        HttpResponse<String> polled = send("GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null);
        assertThat(polled.statusCode()).as(polled.body()).isEqualTo(400);
        assertThat(polled.body()).contains("Job " + jobId + " timed out");
        // a script within its limit is answered
        assertThat(ok(query("SELECT 1 AS x", ", \"jobTimeoutMs\": 60000")).path("rows").get(0).path("f").get(0).path("v").asText())
                .isEqualTo("1");
        assertThat(refused(query("SELECT 1 AS x", ", \"jobTimeoutMs\": 0")).path("field").asText()).isEqualTo("jobTimeoutMs");
    }

    @Test
    void anUnknownJobIsA404NamingIt() throws Exception {
        HttpResponse<String> missing = send(server, "GET", "/v1/queries/lathe_0123456789abcdef0123456789abcdef", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Job lathe_0123456789abcdef0123456789abcdef not found");
    }

    @Test
    void withoutTimeoutMsAQuickQueryIsAnsweredInFull() throws Exception {
        JsonNode answer = ok(server, "POST", "/v1/queries", query("SELECT 42 AS answer", ""));
        assertThat(answer.path("jobComplete").asBoolean()).isTrue();
        assertThat(answer.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("42");
        // its rows past the first page come with its pageToken; its first page was in its answer
        JsonNode paged = ok(server, "POST", "/v1/queries", query("SELECT i FROM range(3) t(i)", ", \"maxResults\": 1"));
        String jobId = paged.path("jobReference").path("jobId").asText();
        HttpResponse<String> first = send(server, "GET", "/v1/queries/" + jobId, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
        assertThat(first.body()).contains("'pageToken': is required: job " + jobId + " was answered in full");
    }

    /**
     * A lathe sql of HTTP API 1 sends statementResults and no timeoutMs and reads the answer as the script's end: it waits
     * for the end, where a BigQuery client without timeoutMs gets BigQuery's 10 s (a 10 s query is too slow for a unit test).
     */
    @Test
    void anOlderLatheCliWithoutTimeoutMsWaitsForTheEnd() {
        assertThat(QueryService.defaultTimeoutMs(false)).isEqualTo(10_000L);
        assertThat(QueryService.defaultTimeoutMs(true)).isEqualTo(0xFFFF_FFFFL);
    }

    /** The job no longer depends on its first request: that connection closing after jobComplete: false cancels nothing. */
    @Test
    void theFirstRequestsConnectionClosingAfterItsAnswerLeavesTheJobRunning() throws Exception {
        byte[] body = query(SLOW, ", \"timeoutMs\": 0").getBytes(StandardCharsets.UTF_8);
        String answer;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/queries HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode first = Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        String jobId = first.path("jobReference").path("jobId").asText();
        Thread.sleep(2 * ClientWatch.PERIOD.toMillis()); // past the watch's look at the closed connection, had it still watched
        JsonNode result = ok(server, "GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null);
        assertThat(result.path("rows").get(0).path("f").get(0).path("v").asText()).isEqualTo("4285714");
    }

    /** Scripts whose request no longer waits hold no request thread: --threads bounds them still. */
    @Test
    void noMoreScriptsRunThanTheServersThreads(@TempDir Path directory) throws Exception {
        try (Platform own = Platform.open(directory)) {
            LatheServer small = LatheServer.builder(own, ServerConfig.defaults().withPort(0).withMaxThreads(8)).accessLog(line -> {})
                    .log(line -> {}).start();
            try {
                List<String> jobIds = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    jobIds.add(ok(small, "POST", "/v1/queries", query(ENDLESS, ", \"timeoutMs\": 0")).path("jobReference").path("jobId").asText());
                }
                HttpResponse<String> refused = send(small, "POST", "/v1/queries", query("SELECT 1 AS x", ""));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
                assertThat(refused.body()).contains("Too many queries running: 8 run now");
                for (String jobId : jobIds) {
                    ok(small, "POST", "/v1/queries/" + jobId + "/cancel", null);
                    assertThat(send(small, "GET", "/v1/queries/" + jobId + "?timeoutMs=60000", null).statusCode()).isEqualTo(499);
                }
                assertThat(ok(small, "POST", "/v1/queries", query("SELECT 1 AS x", "")).path("jobComplete").asBoolean()).isTrue();
            } finally {
                small.stop();
            }
        }
    }

    /** A stop's drain waits for a job its request no longer waits for, then cancels it, saying so in the stop's log. */
    @Test
    void aStopCancelsAJobStillRunningAfterTheDrainAndSaysSo(@TempDir Path directory) throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (Platform own = Platform.open(directory)) {
            LatheServer stopping = LatheServer.builder(own, ServerConfig.defaults().withPort(0).withDrainTimeout(Duration.ofMillis(500)))
                    .accessLog(line -> {}).log(log::add).start();
            String jobId = ok(stopping, "POST", "/v1/queries", query(ENDLESS, ", \"timeoutMs\": 0, \"requestId\": \"r1\"")).path("jobReference")
                    .path("jobId").asText();
            long started = System.nanoTime();
            stopping.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(log).anySatisfy(line -> assertThat(line).contains("cancelled query job " + jobId + " (requestId r1)"));
        }
    }
}
