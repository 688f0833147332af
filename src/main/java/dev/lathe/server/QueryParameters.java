package dev.lathe.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The URL query parameters of a request (list paging, ids), URL-decoded, with unknown names refused. */
public final class QueryParameters {
    private final Map<String, String> values = new HashMap<>();

    /** Google API system parameters, taken on every route and ignored (answers are always whole JSON). */
    static final Set<String> SYSTEM = Set.of("$alt", "alt", "$prettyPrint", "prettyPrint", "$fields", "fields", "key", "access_token",
            "quotaUser", "$.xgafv", "upload_protocol", "uploadType");

    public QueryParameters(Optional<String> query, Set<String> accepted) {
        for (String pair : query.orElse("").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (SYSTEM.contains(name)) {
                // Google's system parameters: the generated REST clients send $alt=json;enum-encoding=int with every
                // request, and refusing it failed every list, create and update they made (probe R). Answers are JSON.
                if ((name.equals("$alt") || name.equals("alt")) && !value.isEmpty() && !value.startsWith("json")) {
                    throw ApiException.badField(name, "only JSON answers are served: json (or json;enum-encoding=int), got '" + value + "'");
                }
                continue;
            }
            if (!accepted.contains(name)) {
                throw ApiException.badField(name, "unknown query parameter; accepted: " + String.join(", ", accepted.stream().sorted().toList()));
            }
            values.put(name, value);
        }
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * AIP-132's order_by, as the REST clients send it ({@code orderBy}) or as the field is named ({@code order_by}), over
     * {@code fields}; a field not among them is a 400 naming the parameter and the fields accepted.
     */
    public dev.lathe.registry.OrderBy orderBy(java.util.List<String> fields) {
        Optional<String> camel = get("orderBy");
        Optional<String> snake = get("order_by");
        if (camel.isPresent() && snake.isPresent()) {
            throw ApiException.badField("orderBy", "given twice, as orderBy and as order_by; give one");
        }
        try {
            return dev.lathe.registry.OrderBy.parse(camel.or(() -> snake), fields, "orderBy");
        } catch (dev.lathe.core.LatheException e) {
            throw ApiException.badField("orderBy", e.getMessage());
        }
    }

    public int integer(String name, int fallback) {
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

    /**
     * AIP-158's page size: absent or 0 is {@code fallback}, a size above {@code max} is coerced to {@code max} (it was a
     * 400), a negative one is refused.
     */
    public int pageSize(int fallback, int max) {
        Optional<String> value = get("pageSize");
        if (value.isPresent() && (!value.get().matches("\\d{1,18}"))) {
            // AIP-158's rule, not the range of a long (probe qe: "from 0 to 9223372036854775807" for -1)
            throw ApiException.badField("pageSize", "must be an integer from 0 (the default, " + fallback + ") to " + max
                    + " (a larger one is taken as " + max + "), got '" + value.get() + "'");
        }
        long size = integer("pageSize", fallback, 0, Long.MAX_VALUE);
        return size == 0 ? fallback : (int) Math.min(size, max);
    }

    public long integer(String name, long fallback, long min, long max) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!value.get().matches("-?\\d{1,18}") || Long.parseLong(value.get()) < min || Long.parseLong(value.get()) > max) {
            throw ApiException.badField(name, "must be an integer from " + min + " to " + max + ", got '" + value.get() + "'");
        }
        return Long.parseLong(value.get());
    }
}
