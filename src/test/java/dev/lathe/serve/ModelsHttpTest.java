package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The registry over REST (Vertex ModelService shapes) on a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsHttpTest {
    private static final String BASE = "/v1/projects/p/locations/local/models";
    private Platform platform;
    private Engine session;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("penguins.csv");
        try (var in = ModelsHttpTest.class.getResourceAsStream("/dev/lathe/samples/penguins.csv")) {
            Files.copy(in, csv);
        }
        platform = Platform.open(directory.resolve("data"));
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT flipper_length_mm, bill_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.other OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL;
                """.formatted(csv), (text, result) -> {});
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {});
        new ModelsModule().configure(builder);
        server = builder.start();
        assertThat(server.awaitReady(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterAll
    void stop() {
        server.stop();
        session.close();
        platform.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void listsSearchesAndPagesModels() throws Exception {
        JsonNode page = ok("GET", BASE + "?pageSize=1", null);
        assertThat(page.path("models")).hasSize(1);
        String token = page.path("nextPageToken").asText();
        assertThat(token).isNotEmpty();
        assertThat(ok("GET", BASE + "?pageSize=1&pageToken=" + token, null).path("models")).hasSize(1);
        // the token is the unfiltered list's: with a filter it would skip the filtered list's first items (probe qe)
        HttpResponse<String> otherFilter = send("GET", BASE + "?pageSize=1&filter=other&pageToken=" + token, null);
        assertThat(otherFilter.statusCode()).isEqualTo(400);
        assertThat(otherFilter.body()).contains("pageToken", "with the same orderBy and filter");
        assertThat(ok("GET", BASE + "?filter=other", null).path("models")).hasSize(1);
        assertThat(send("GET", BASE + "?pageSize=abc", null).statusCode()).isEqualTo(400);
        assertThat(ok("GET", BASE + "?pageSize=0", null).path("models")).hasSize(2); // AIP-158: 0 is the default size
        assertThat(ok("GET", BASE + "?pageSize=100000", null).path("models")).hasSize(2); // AIP-158: above the maximum is coerced
        HttpResponse<String> negative = send("GET", BASE + "?pageSize=-1", null);
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("must be an integer from 0 (the default", "to 1000 (a larger one is taken as 1000)");
        assertThat(send("GET", BASE + "?colour=red", null).body()).contains("colour");
    }

    /** Spec 0 and 2.2: lists take order_by (it was a 400, "unknown query parameter", for every SDK call that set one). */
    @Test
    void listsModelsAndVersionsInTheOrderAsked() throws Exception {
        java.util.function.Function<JsonNode, List<String>> names = page -> {
            List<String> shown = new java.util.ArrayList<>();
            page.path("models").forEach(m -> shown.add(m.path("displayName").asText() + "@" + m.path("versionId").asText()));
            return shown;
        };
        assertThat(names.apply(ok("GET", BASE + "?orderBy=create_time%20desc", null))).containsExactly("d.other@1", "d.mass@2");
        assertThat(names.apply(ok("GET", BASE + "?order_by=display_name", null))).containsExactly("d.mass@2", "d.other@1");
        assertThat(names.apply(ok("GET", BASE + "?orderBy=displayName%20DESC,%20createTime", null))).containsExactly("d.other@1", "d.mass@2");
        // paged by position, the order carried in the token
        JsonNode first = ok("GET", BASE + "?orderBy=create_time%20desc&pageSize=1", null);
        assertThat(names.apply(first)).containsExactly("d.other@1");
        String token = first.path("nextPageToken").asText();
        JsonNode second = ok("GET", BASE + "?orderBy=create_time%20desc&pageSize=1&pageToken=" + token, null);
        assertThat(names.apply(second)).containsExactly("d.mass@2");
        assertThat(second.has("nextPageToken")).isFalse();
        HttpResponse<String> otherOrder = send("GET", BASE + "?orderBy=create_time&pageSize=1&pageToken=" + token, null);
        assertThat(otherOrder.statusCode()).isEqualTo(400);
        assertThat(otherOrder.body()).contains("not valid for this list in this order");
        assertThat(send("GET", BASE + "?pageSize=1&pageToken=" + token, null).statusCode()).isEqualTo(400);
        // nor with another filter (probe pw: the filtered list's first items were skipped)
        assertThat(send("GET", BASE + "?orderBy=create_time%20desc&pageSize=1&filter=d.&pageToken=" + token, null).statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = send("GET", BASE + "?orderBy=colour%20desc", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("orderBy", "'colour desc'", "display_name, create_time, update_time");
        assertThat(send("GET", BASE + "?orderBy=create_time,create_time", null).body()).contains("names create_time twice");
        assertThat(send("GET", BASE + "?orderBy=create_time%20sideways", null).statusCode()).isEqualTo(400);

        assertThat(names.apply(ok("GET", BASE + "/d.mass:listVersions?orderBy=create_time%20desc", null))).containsExactly("d.mass@2", "d.mass@1");
        assertThat(names.apply(ok("GET", BASE + "/d.mass:listVersions?orderBy=createTime", null))).containsExactly("d.mass@1", "d.mass@2");
        JsonNode newest = ok("GET", BASE + "/d.mass:listVersions?orderBy=create_time%20desc&pageSize=1", null);
        assertThat(names.apply(newest)).containsExactly("d.mass@2");
        assertThat(names.apply(ok("GET", BASE + "/d.mass:listVersions?orderBy=create_time%20desc&pageSize=1&pageToken="
                + newest.path("nextPageToken").asText(), null))).containsExactly("d.mass@1");
        assertThat(send("GET", BASE + "/d.mass:listVersions?orderBy=display_name", null).body()).contains("create_time, update_time");
    }

    /**
     * Probe R, parsing answers with Vertex AI's own client types: ListModels items carried versionAliases as a map (no
     * client could read the page), a Model's name was "d.mass@2" (the SDK then built "d.mass@2@2"), a delete operation's
     * metadata had no @type, error details were untyped, and the $alt parameter every generated REST client sends was a 400.
     */
    @Test
    void answersAreVertexModelResourcesThatItsClientsParse() throws Exception {
        JsonNode listed = ok("GET", BASE + "?%24alt=json%3Benum-encoding%3Dint", null).path("models");
        for (JsonNode model : listed) {
            assertThat(model.path("name").asText()).startsWith("projects/p/locations/local/models/d.").doesNotContain("@");
            assertThat(model.path("versionAliases").isArray()).as("%s", model).isTrue();
            assertThat(model.path("displayName").asText()).isEqualTo(model.path("name").asText().replaceFirst(".*/", ""));
        }
        // where a version serves: Vertex's DeployedModelRef list
        dev.lathe.serve.store.EndpointStore endpoints = new dev.lathe.serve.store.EndpointStore(platform.metadataStore());
        endpoints.create(new dev.lathe.serve.store.EndpointSpec("refs", "refs", "", java.util.Map.of(), 0));
        String deployedId = endpoints.deploy("refs", "d", "mass", 1, java.util.Optional.empty(), java.util.Optional.empty()).deployedModelId();
        JsonNode served = ok("GET", BASE + "/d.mass@1", null).path("deployedModels");
        assertThat(served).hasSize(1);
        assertThat(served.get(0).path("endpoint").asText()).isEqualTo("projects/p/locations/local/endpoints/refs");
        assertThat(served.get(0).path("deployedModelId").asText()).isEqualTo(deployedId);
        // deleting the whole model names every deployment at once (probe re: the first alone, one refusal per deployment)
        endpoints.create(new dev.lathe.serve.store.EndpointSpec("refs2", "refs2", "", java.util.Map.of(), 0));
        String second = endpoints.deploy("refs2", "d", "mass", 2, java.util.Optional.empty(), java.util.Optional.empty()).deployedModelId();
        HttpResponse<String> refused = send("DELETE", BASE + "/d.mass", null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("version 1 to endpoint refs").contains("version 2 to endpoint refs2").contains("nothing was deleted");
        endpoints.undeploy("refs2", second, java.util.Optional.empty());
        endpoints.delete("refs2");
        endpoints.undeploy("refs", deployedId, java.util.Optional.empty());
        endpoints.delete("refs");
        assertThat(ok("GET", BASE + "/d.mass@1", null).path("deployedModels")).isEmpty();
        JsonNode version = ok("GET", BASE + "/d.mass@1?prettyPrint=false", null);
        assertThat(version.path("name").asText()).isEqualTo("projects/p/locations/local/models/d.mass");
        assertThat(version.path("versionId").asText()).isEqualTo("1");
        assertThat(version.path("createTime").asText()).isNotEmpty();
        // the model's times, as the list gives them, beside the version's (probe pw: GET gave the version's as the model's)
        JsonNode newest = ok("GET", BASE + "/d.mass", null);
        JsonNode inList = ok("GET", BASE + "?filter=display_name%3D%22d.mass%22", null).path("models").get(0);
        assertThat(newest.path("createTime")).isEqualTo(inList.path("createTime")).isEqualTo(version.path("createTime"));
        assertThat(newest.path("updateTime")).isEqualTo(inList.path("updateTime"));
        assertThat(newest.path("versionCreateTime").asText()).isGreaterThan(version.path("versionCreateTime").asText());
        assertThat(ok("GET", BASE + "/d.mass:listVersions?%24alt=json", null).path("models").get(0).path("name").asText())
                .isEqualTo("projects/p/locations/local/models/d.mass");
        assertThat(send("GET", BASE + "?%24alt=proto", null).statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(send("GET", BASE + "?colour=red", null).body()).path("error");
        assertThat(error.path("details").get(0).path("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
        assertThat(error.path("details").get(1).path("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        // an etag that changes with the version, and an update naming a stale one is ABORTED (AIP-154)
        String etag = ok("GET", BASE + "/d.mass@2", null).path("etag").asText();
        assertThat(etag).isNotEmpty();
        String changed = ok("PATCH", BASE + "/d.mass@2?updateMask=labels", "{\"labels\": {\"stage\": \"x\"}, \"etag\": \"" + etag + "\"}")
                .path("etag").asText();
        assertThat(changed).isNotEqualTo(etag);
        JsonNode stale = Json.MAPPER.readTree(send("PATCH", BASE + "/d.mass@2?updateMask=labels", "{\"labels\": {}, \"etag\": \"" + etag
                + "\"}").body()).path("error");
        assertThat(stale.path("code").asInt()).isEqualTo(409);
        assertThat(stale.path("status").asText()).isEqualTo("ABORTED");
        assertThat(ok("GET", BASE + "/d.mass@2", null).path("labels").toString()).isEqualTo("{\"stage\":\"x\"}"); // unchanged
        // labels by Vertex's rule: international lowercase letters, up to 64 characters
        assertThat(ok("PATCH", BASE + "/d.mass@2?updateMask=labels", "{\"labels\": {\"équipe\": \"" + "z".repeat(64) + "\"}}")
                .path("labels").path("équipe").asText()).hasSize(64);
        assertThat(send("PATCH", BASE + "/d.mass@2?updateMask=labels", "{\"labels\": {\"Team\": \"x\"}}").statusCode()).isEqualTo(400);
        // a list item carries its (default) version's labels, as the Model resource does (probe R2)
        assertThat(ok("GET", BASE + "?filter=display_name%3D%22d.mass%22", null).path("models").get(0).path("labels").path("équipe").asText())
                .hasSize(64);
        // ListVersions' filter (spec 2.2) on a version's labels
        JsonNode labelled = ok("GET", BASE + "/d.mass:listVersions?filter=" + java.net.URLEncoder.encode("labels:équipe",
                java.nio.charset.StandardCharsets.UTF_8), null).path("models");
        assertThat(labelled).hasSize(1);
        assertThat(labelled.get(0).path("versionId").asText()).isEqualTo("2");
        assertThat(send("GET", BASE + "/d.mass:listVersions?filter=display_name%3Dx", null).statusCode()).isEqualTo(400);
        ok("PATCH", BASE + "/d.mass@2?updateMask=labels", "{\"labels\": {}}");
        // probe ub F5: a NUL, which PostgreSQL's text cannot hold (a 500 there), is refused on every store, naming the field
        for (String field : List.of("description", "versionDescription")) {
            JsonNode nul = Json.MAPPER.readTree(send("PATCH", BASE + "/d.mass@2?updateMask=" + field, "{\"" + field + "\": \"x\\u0000y\"}")
                    .body()).path("error");
            assertThat(nul.path("code").asInt()).as(field).isEqualTo(400);
            assertThat(nul.path("message").asText()).as(field).contains("description must not contain the NUL character (U+0000)");
        }
    }

    @Test
    void getsVersionsAndMovesAliases() throws Exception {
        assertThat(ok("GET", BASE + "/d.mass", null).path("versionId").asText()).isEqualTo("2");
        assertThat(ok("GET", BASE + "/d.mass@1", null).path("versionId").asText()).isEqualTo("1");
        assertThat(ok("GET", BASE + "/d.mass:listVersions", null).path("models")).hasSize(2);
        JsonNode merged = ok("POST", BASE + "/d.mass@1:mergeVersionAliases", "{\"versionAliases\": [\"champion\"]}");
        assertThat(merged.path("versionAliases").toString()).contains("champion");
        assertThat(ok("GET", BASE + "/d.mass@champion", null).path("versionId").asText()).isEqualTo("1");
        ok("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"champion\"]}");
        assertThat(ok("GET", BASE + "/d.mass@champion", null).path("versionId").asText()).isEqualTo("2");
        ok("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"-champion\"]}");
        assertThat(send("GET", BASE + "/d.mass@champion", null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = send("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"Not Valid\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(send("POST", BASE + "/d.mass:mergeVersionAliases", "{\"versionAliases\": [\"x1\"]}").statusCode()).isEqualTo(400);

        // All or nothing: a refused change (malformed, an alias no version carries, removing default) changes nothing.
        ok("POST", BASE + "/d.mass@1:mergeVersionAliases", "{\"versionAliases\": [\"good-one\"]}");
        String before = ok("GET", BASE + "/d.mass:listVersions", null).path("models").toString();
        assertThat(send("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"staging\", \"BAD\"]}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"staging\", \"-nonexistent\"]}")
                .body()).contains("has no alias 'nonexistent'").contains("nothing was changed");
        HttpResponse<String> moveDefault = send("POST", BASE + "/d.mass@2:mergeVersionAliases",
                "{\"versionAliases\": [\"good-one\", \"-default\"]}");
        assertThat(moveDefault.statusCode()).isEqualTo(400); // FAILED_PRECONDITION is 400 in Google's HTTP mapping
        assertThat(moveDefault.body()).contains("\"status\":\"FAILED_PRECONDITION\"");
        assertThat(ok("GET", BASE + "/d.mass:listVersions", null).path("models").toString()).isEqualTo(before);
        // '-alias' removes it from the addressed version only; an alias another version holds is refused, not taken away.
        HttpResponse<String> elsewhere = send("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"-good-one\"]}");
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("'good-one' is on version 1").contains("nothing was changed");
        // Adding and removing the same alias in one request cancel out (Vertex).
        ok("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"good-one\", \"-good-one\"]}");
        assertThat(ok("GET", BASE + "/d.mass:listVersions", null).path("models").toString()).isEqualTo(before);
        JsonNode both = ok("POST", BASE + "/d.mass@2:mergeVersionAliases", "{\"versionAliases\": [\"good-one\", \"staging\"]}");
        assertThat(both.path("versionAliases").toString()).contains("good-one").contains("staging");
    }

    @Test
    void labelsAndDescriptionsAreSetBySqlAndByPatch() throws Exception {
        // ALTER MODEL (BigQuery's DDL) on the default version; labels replace, description is searchable.
        session.execute("ALTER MODEL d.mass SET OPTIONS (description = 'Body mass from flipper and bill', labels = [('team', 'zoo')])",
                (text, result) -> {});
        JsonNode version = ok("GET", BASE + "/d.mass", null);
        assertThat(version.path("versionDescription").asText()).isEqualTo("Body mass from flipper and bill");
        assertThat(version.path("labels").path("team").asText()).isEqualTo("zoo");
        assertThat(ok("GET", BASE + "?filter=flipper%20and%20bill", null).path("models")).hasSize(1);
        assertThat(ok("GET", BASE + "?filter=flipper%20AND%20bill", null).path("models")).hasSize(1); // free text: no operator
        // Vertex's AIP-160 filters on the default version's labels and the name; anything else is refused, not empty.
        assertThat(ok("GET", BASE + "?filter=labels.team%3Dzoo", null).path("models").get(0).path("model").asText()).isEqualTo("mass");
        assertThat(ok("GET", BASE + "?filter=labels.team%3D%22zoo%22%20AND%20labels.team%3A*", null).path("models")).hasSize(1);
        assertThat(ok("GET", BASE + "?filter=labels.team%3Dcircus", null).path("models")).isEmpty();
        // the spec's has-key form, labels:key (probe E)
        assertThat(ok("GET", BASE + "?filter=labels%3Ateam", null).path("models")).hasSize(1);
        assertThat(ok("GET", BASE + "?filter=labels%3Anosuch", null).path("models")).isEmpty();
        assertThat(ok("GET", BASE + "?filter=display_name%3D%22d.other%22", null).path("models").get(0).path("model").asText())
                .isEqualTo("other");
        HttpResponse<String> unsupported = send("GET", BASE + "?filter=create_time%3E%222026-01-01%22", null);
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.body()).contains("labels.<key>=<value>");
        // Vertex's UpdateModel: with a mask only the named fields change, whatever else the body holds.
        JsonNode patched = ok("PATCH", BASE + "/d.mass@1?updateMask=labels", "{\"labels\": {\"stage\": \"old\"}, \"description\": \"ignored\"}");
        assertThat(patched.path("versionId").asText()).isEqualTo("1");
        assertThat(patched.path("labels").toString()).isEqualTo("{\"stage\":\"old\"}");
        assertThat(patched.path("versionDescription").asText()).isEmpty();
        assertThat(ok("PATCH", BASE + "/d.mass@1", "{\"versionDescription\": \"first try\"}").path("versionDescription").asText())
                .isEqualTo("first try");
        HttpResponse<String> badLabel = send("PATCH", BASE + "/d.mass@1", "{\"labels\": {\"Team\": \"x\"}}");
        assertThat(badLabel.statusCode()).isEqualTo(400);
        assertThat(send("PATCH", BASE + "/d.mass@1?updateMask=display_name", "{}").body()).contains("updateMask");
        assertThat(send("PATCH", BASE + "/d.mass@1", "{\"bogus\": 1}").body()).contains("bogus").contains("not a field");
        assertThat(send("PATCH", BASE + "/d.mass@1", "{\"displayName\": \"x\"}").body()).contains("cannot be changed");
        // The whole resource sent back, as clients do, changes only what differs in the updatable fields.
        JsonNode whole = ok("GET", BASE + "/d.mass@1", null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) whole).put("versionDescription", "whole resource");
        assertThat(ok("PATCH", BASE + "/d.mass@1", whole.toString()).path("versionDescription").asText()).isEqualTo("whole resource");
        assertThat(ok("GET", BASE + "/d.mass@1", null).path("labels").toString()).isEqualTo("{\"stage\":\"old\"}");
    }

    @Test
    void deletesAVersionThenTheModel() throws Exception {
        assertThat(send("DELETE", BASE + "/d.other@1:deleteVersion", null).body()).contains("only version");
        JsonNode deleted = ok("DELETE", BASE + "/d.other", null);
        assertThat(deleted.path("metadata").path("@type").asText()).isEqualTo("type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata");
        assertThat(deleted.path("done").asBoolean()).isTrue();
        assertThat(deleted.path("name").asText()).startsWith("projects/p/locations/local/operations/"); // a Vertex operation
        assertThat(send("GET", BASE + "/d.other", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", BASE + "/d.nothing", null).statusCode()).isEqualTo(404);
    }
}
