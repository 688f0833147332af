package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, the whole body and any extra response headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public ApiResponse {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        headers = Map.copyOf(headers); // the same map when it is already an immutable one (Map.of)
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100 to 599, got " + status);
        }
    }

    public ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    /** This response with extra headers (e.g. Vertex's X-Vertex-AI-Deployed-Model-Id). */
    public ApiResponse withHeaders(Map<String, String> extra) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(extra);
        return new ApiResponse(status, contentType, body, all);
    }

    /** A JSON body: a Jackson tree or any object Jackson can write. */
    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, JSON, Json.bytes(body));
    }

    /** A body that is already JSON text. */
    public static ApiResponse jsonBytes(int status, byte[] body) {
        return new ApiResponse(status, JSON, body);
    }

    public static ApiResponse text(int status, String body) {
        return new ApiResponse(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
