package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** One HTTP request as a route sees it: method, path, the route template's variables, headers and body. */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> pathParams;
    private final Function<String, String> headers;
    private final byte[] body;
    private final boolean networkThread;
    private final Function<Runnable, ClientWatch> watchClient;
    /** What the handler chose on the network thread ({@link #carry}), given to its run again on a request thread. */
    private Object carried;

    ApiRequest(String method, String path, String query, Map<String, String> pathParams, Function<String, String> headers, byte[] body) {
        this(method, path, query, pathParams, headers, body, false, null);
    }

    ApiRequest(String method, String path, String query, Map<String, String> pathParams, Function<String, String> headers, byte[] body,
            boolean networkThread, Object carried) {
        this(method, path, query, pathParams, headers, body, networkThread, carried, action -> ClientWatch.NONE);
    }

    ApiRequest(String method, String path, String query, Map<String, String> pathParams, Function<String, String> headers, byte[] body,
            boolean networkThread, Object carried, Function<Runnable, ClientWatch> watchClient) {
        this.watchClient = requireNonNull(watchClient, "watchClient is null");
        this.carried = carried;
        this.method = requireNonNull(method, "method is null");
        this.path = requireNonNull(path, "path is null");
        this.query = query;
        this.pathParams = requireNonNull(pathParams, "pathParams is null");
        this.headers = requireNonNull(headers, "headers is null");
        this.body = requireNonNull(body, "body is null");
        this.networkThread = networkThread;
    }

    /**
     * For a handler of a {@link LatheServer.Builder#nonBlockingRoute}: call before anything that may block (I/O, a
     * lock, DuckDB) and before any effect; on the network thread it ends the handler, which the server runs again, from
     * the start, on a request thread.
     */
    public void requireRequestThread() {
        if (networkThread) {
            throw RequestThreadRequired.INSTANCE;
        }
    }

    /**
     * {@code choose}'s value, computed once per request: a handler run again on a request thread
     * ({@link #requireRequestThread}) gets what it chose on the network thread. A traffic split's draw must be: drawn
     * again, a deployed model that needs a request thread got p² of the traffic instead of p (probe qd: a 30 % canary with
     * a TRANSFORM got 9.9 %).
     */
    @SuppressWarnings("unchecked")
    public <T> T carry(java.util.function.Supplier<T> choose) {
        if (carried == null) {
            carried = requireNonNull(choose.get(), "chosen is null");
        }
        return (T) carried;
    }

    /** What {@link #carry} chose, for the server to give the handler's next run; null when nothing was. */
    Object carried() {
        return carried;
    }

    /** Whether the handler runs on the network thread that read the request (see {@link #requireRequestThread}). */
    public boolean onNetworkThread() {
        return networkThread;
    }

    /** {@link #requireRequestThread}'s signal to the server; never seen by clients. */
    static final class RequestThreadRequired extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final RequestThreadRequired INSTANCE = new RequestThreadRequired();

        private RequestThreadRequired() {
            super("runs again on a request thread", null, false, false);
        }
    }

    /**
     * Runs {@code action} if the client closes its connection before the answer (killed while a long statement runs):
     * close the returned watch before the answer, and the action does not run after that.
     */
    public ClientWatch whenClientGone(Runnable action) {
        return watchClient.apply(action);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The raw query string (after '?'), if any. */
    public Optional<String> queryString() {
        return Optional.ofNullable(query);
    }

    /** A variable of the route template, e.g. {@code endpoint} in {@code /v1/endpoints/{endpoint}:predict}. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("The route has no path variable '" + name + "'; it has " + pathParams.keySet());
        }
        return value;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.apply(name));
    }

    public byte[] body() {
        return body;
    }

    /** The body parsed as a JSON object; 400 naming line and column when it is not JSON, or not an object. */
    public ObjectNode jsonObject() {
        JsonNode node = Json.parse(body);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("The request body must be a JSON object ({...}), got " + Json.kind(node));
        }
        return object;
    }
}
