package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.server.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The batch prediction routes of a running Lathe server, for the CLI; answers the Vertex-shaped job JSON. */
public final class JobsClient {
    /** The project and location the CLI uses; Lathe has one warehouse, so they only name the collection. */
    public static final String PARENT = "projects/local/locations/local";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public JobsClient(URI base) {
        this.base = requireNonNull(base, "base is null");
    }

    public JsonNode submit(ObjectNode body) {
        return send("POST", "", body);
    }

    public JsonNode get(long id) {
        return send("GET", "/" + id, null);
    }

    public JsonNode list(int pageSize) {
        return send("GET", "?pageSize=" + pageSize, null);
    }

    public JsonNode cancel(long id) {
        return send("POST", "/" + id + ":cancel", Json.MAPPER.createObjectNode());
    }

    public JsonNode delete(long id) {
        return send("DELETE", "/" + id, null);
    }

    private JsonNode send(String method, String suffix, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/" + PARENT + "/batchPredictionJobs" + suffix))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatheException.internal("Interrupted while waiting for the Lathe server at " + base, e);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " answered HTTP " + response.statusCode() + " without JSON", e);
        }
        if (response.statusCode() != 200) {
            String message = json.path("error").path("message").asText("HTTP " + response.statusCode());
            ErrorCode code = response.statusCode() == 404 ? ErrorCode.TABLE_NOT_FOUND
                    : response.statusCode() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
            throw new LatheException(code, message);
        }
        return json;
    }
}
