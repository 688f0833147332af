package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matches a method and path to a route. Templates are '/'-separated segments, each literal or holding one
 * variable with an optional literal prefix and suffix, as in Google's custom verbs:
 * {@code /v1/endpoints/{endpoint}:predict}. Literal paths are found by one hash lookup.
 */
final class Router {
    /** A registered route; the per-route metric children hang off it so the hot path does no lookups. */
    static final class Route {
        final String method;
        final String template;
        final RouteHandler handler;
        final Segment[] segments;
        final HttpMetrics.RouteMetrics metrics;
        /** Whether the handler may run on the network thread ({@link LatheServer.Builder#nonBlockingRoute}). */
        final boolean nonBlocking;
        private final HttpMetrics http;
        /** A GET route's metrics for the HEAD requests it answers, made at the first: most routes never see one. */
        private volatile HttpMetrics.RouteMetrics headMetrics;

        Route(String method, String template, RouteHandler handler, HttpMetrics metrics) {
            this(method, template, handler, metrics, false);
        }

        Route(String method, String template, RouteHandler handler, HttpMetrics metrics, boolean nonBlocking) {
            this.method = method;
            this.template = template;
            this.handler = handler;
            this.segments = parse(template);
            this.metrics = metrics.route(template, method);
            this.nonBlocking = nonBlocking;
            this.http = metrics;
        }

        /** The metrics of a request with {@code method} this route answers: its own, or for a GET route a HEAD's. */
        HttpMetrics.RouteMetrics metrics(String requestMethod) {
            if (requestMethod.equals(method)) {
                return metrics;
            }
            HttpMetrics.RouteMetrics head = headMetrics;
            if (head == null) {
                synchronized (this) {
                    head = headMetrics;
                    if (head == null) {
                        head = http.route(template, requestMethod);
                        headMetrics = head;
                    }
                }
            }
            return head;
        }
    }

    record Segment(String prefix, String variable, String suffix) {
        boolean literal() {
            return variable == null;
        }
    }

    record Match(Route route, Map<String, String> params) {}

    /** No route for the path, or the path exists with other methods. */
    record Miss(boolean pathKnown, Set<String> allowed) {}

    private final Map<String, Map<String, Route>> literal = new HashMap<>();
    private final List<Route> templated = new ArrayList<>();

    void add(Route route) {
        recent.clear();
        boolean isLiteral = true;
        for (Segment segment : route.segments) {
            isLiteral &= segment.literal();
        }
        if (isLiteral) {
            Route previous = literal.computeIfAbsent(route.template, t -> new HashMap<>()).putIfAbsent(route.method, route);
            if (previous != null) {
                throw new IllegalArgumentException("Route " + route.method + " " + route.template + " is registered twice");
            }
        } else {
            for (Route other : templated) {
                if (other.method.equals(route.method) && other.template.equals(route.template)) {
                    throw new IllegalArgumentException("Route " + route.method + " " + route.template + " is registered twice");
                }
            }
            templated.add(route);
        }
    }

    /** Templated paths matched lately, with the method they matched for: a serving path is matched once, not per request. */
    private final Map<String, Recent> recent = new ConcurrentHashMap<>();
    private static final int RECENT_PATHS = 4_096;

    private record Recent(String method, Match match) {}

    /**
     * The matching route, or a {@link Miss}. A HEAD request without a HEAD route matches the path's GET route, which
     * answers it as a GET without the body (RFC 9110, 9.3.2: a general-purpose server supports HEAD on what it serves
     * by GET; it was a 405).
     */
    Object find(String method, String path) {
        Recent hit = recent.get(path);
        if (hit != null && hit.method.equals(method)) {
            return hit.match;
        }
        Object found = lookUp(method, path);
        if (found instanceof Match match && !match.params().isEmpty()) {
            if (recent.size() >= RECENT_PATHS) {
                recent.clear(); // many distinct ids: start over rather than track recency
            }
            recent.put(path, new Recent(method, new Match(match.route(), Collections.unmodifiableMap(match.params()))));
        }
        return found;
    }

    private Object lookUp(String method, String path) {
        Object found = lookUpExactly(method, path);
        if (found instanceof Miss miss && method.equals("HEAD") && miss.allowed().contains("GET")) {
            return lookUpExactly("GET", path);
        }
        return found;
    }

    private Object lookUpExactly(String method, String path) {
        Map<String, Route> byMethod = literal.get(path);
        if (byMethod != null) {
            Route route = byMethod.get(method);
            if (route != null) {
                return new Match(route, Map.of());
            }
        }
        String[] parts = templated.isEmpty() ? new String[0] : split(path);
        for (Route route : templated) { // the method first: a request is served without building the Miss
            if (route.method.equals(method)) {
                Map<String, String> params = match(route.segments, parts);
                if (params != null) {
                    return new Match(route, params);
                }
            }
        }
        Set<String> allowed = byMethod == null ? new TreeSet<>() : new TreeSet<>(byMethod.keySet());
        for (Route route : templated) {
            if (!route.method.equals(method) && match(route.segments, parts) != null) {
                allowed.add(route.method);
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD"); // answered as GET is (find)
        }
        return new Miss(!allowed.isEmpty(), allowed);
    }

    private static Map<String, String> match(Segment[] segments, String[] parts) {
        if (segments.length != parts.length) {
            return null;
        }
        // Every literal segment before any allocation: most templates sharing the segment count differ in a literal.
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].literal() && !segments[i].prefix.equals(parts[i])) {
                return null;
            }
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            Segment segment = segments[i];
            String part = parts[i];
            if (segment.literal()) {
                if (!segment.prefix.equals(part)) {
                    return null;
                }
                continue;
            }
            int valueLength = part.length() - segment.prefix.length() - segment.suffix.length();
            if (valueLength <= 0 || !part.startsWith(segment.prefix) || !part.endsWith(segment.suffix)) {
                return null;
            }
            String value = part.substring(segment.prefix.length(), part.length() - segment.suffix.length());
            if (value.indexOf(':') >= 0) {
                // a ':' starts a custom verb (":predict"): no name holds one, so GET .../endpoints/e:predict is not GET of
                // an endpoint named "e:predict" (a 404) but a method the verb's route does not allow (a 405, Allow: POST)
                return null;
            }
            if (params == null) {
                params = new LinkedHashMap<>(4);
            }
            params.put(segment.variable, value);
        }
        return params == null ? Map.of() : params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }

    static Segment[] parse(String template) {
        requireNonNull(template, "template is null");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("Route template must start with '/', got '" + template + "'");
        }
        String[] parts = split(template);
        Segment[] segments = new Segment[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int open = part.indexOf('{');
            if (open < 0) {
                segments[i] = new Segment(part, null, "");
                continue;
            }
            int close = part.indexOf('}', open);
            if (close < 0 || part.indexOf('{', open + 1) >= 0 || close == open + 1) {
                throw new IllegalArgumentException("Route template segment '" + part + "' of '" + template
                        + "' must hold at most one {name} variable");
            }
            segments[i] = new Segment(part.substring(0, open), part.substring(open + 1, close), part.substring(close + 1));
        }
        return segments;
    }
}
