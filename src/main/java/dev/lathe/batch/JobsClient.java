package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.server.Json;
import dev.lathe.server.LocalHttp;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/** The batch prediction routes of a running Lathe server, for the CLI; answers the Vertex-shaped job JSON. */
public final class JobsClient {
    /** The project and location the CLI uses; Lathe has one warehouse, so they only name the collection. */
    public static final String PARENT = "projects/local/locations/local";

    private final URI base;

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
        LocalHttp.Response response;
        try {
            response = LocalHttp.send(base.resolve("/v1/" + PARENT + "/batchPredictionJobs" + suffix), method,
                    body == null ? null : Json.bytes(body), LocalHttp.CONNECT_TIMEOUT, Optional.empty());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " did not answer: " + e.getMessage(), e);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " answered HTTP " + response.status() + " without JSON", e);
        }
        if (response.status() != 200) {
            String message = json.path("error").path("message").asText("HTTP " + response.status());
            ErrorCode code = response.status() == 404 ? ErrorCode.TABLE_NOT_FOUND
                    : response.status() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
            throw new LatheException(code, message);
        }
        return json;
    }
}
