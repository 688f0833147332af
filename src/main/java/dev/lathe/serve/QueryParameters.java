package dev.lathe.serve;

import dev.lathe.server.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The URL query parameters of a request (list paging, the create call's endpointId), with unknown names refused. */
final class QueryParameters {
    private final Map<String, String> values = new HashMap<>();

    QueryParameters(Optional<String> query, Set<String> accepted) {
        for (String pair : query.orElse("").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!accepted.contains(name)) {
                throw ApiException.badField(name, "unknown query parameter; accepted: " + String.join(", ", accepted.stream().sorted().toList()));
            }
            values.put(name, value);
        }
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    int integer(String name, int fallback) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw ApiException.badField(name, "must be an integer, got '" + value.get() + "'");
        }
    }
}
