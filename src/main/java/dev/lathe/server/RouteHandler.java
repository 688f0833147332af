package dev.lathe.server;

/**
 * Answers one route. Runs on a request thread and may block (DuckDB, model scoring), unless the route was added with
 * {@link LatheServer.Builder#nonBlockingRoute}: then it runs on a network thread and must not block there (see
 * {@link ApiRequest#requireRequestThread}). Throw
 * {@link ApiException} or {@link dev.lathe.core.LatheException} for a 4xx/5xx JSON error; anything else
 * becomes a 500 with the stack trace in the server log.
 */
@FunctionalInterface
public interface RouteHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
