package dev.lathe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields of BigQuery's jobs.query request (QueryRequest) that {@code POST /v1/queries} takes beyond the ones
 * {@link QueryService} acts on itself: each is checked as BigQuery types it, so a body written from the jobs.query
 * reference or captured from a BigQuery client is taken (google-cloud-bigquery sends {@code formatOptions} with every
 * query; they were refused as "unknown field", probe vp F6). A field Lathe cannot honour is refused as not supported,
 * naming it; a name that is no QueryRequest field is refused as unknown, with the nearest one.
 */
final class QueryRequestFields {
    private QueryRequestFields() {}

    /** Every QueryRequest field Lathe takes, and Lathe's own {@code statementResults}. */
    static final List<String> ACCEPTED = List.of("kind", "query", "maxResults", "defaultDataset", "timeoutMs", "dryRun", "useQueryCache",
            "useLegacySql", "parameterMode", "queryParameters", "location", "formatOptions", "connectionProperties", "labels",
            "maximumBytesBilled", "requestId", "createSession", "jobCreationMode", "preserveNulls", "jobTimeoutMs", "statementResults");

    /**
     * QueryRequest fields Lathe cannot honour, with why; each is taken at its default value (false, or absent), which
     * asks for nothing.
     */
    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("destinationEncryptionConfiguration", "Lathe's warehouse has no Cloud KMS keys to encrypt a destination table with"),
            Map.entry("continuous", "Lathe runs no continuous queries; only false is taken"),
            Map.entry("maxSlots", "Lathe has no slots to limit"),
            Map.entry("reservation", "Lathe has no reservations"),
            Map.entry("writeIncrementalResults", "Lathe answers a query's results once it has ended; only false is taken"),
            Map.entry("queryResultsFormat", "Lathe answers results as JSON rows only"),
            Map.entry("resultsFormatSerializationOptions", "Lathe answers results as JSON rows only"));

    private static final Set<String> JOB_CREATION_MODES = Set.of("JOB_CREATION_MODE_UNSPECIFIED", "JOB_CREATION_REQUIRED", "JOB_CREATION_OPTIONAL");
    /** BigQuery's label keys and values: lowercase letters (any script), digits, '_' and '-', keys starting with a letter. */
    private static final Pattern LABEL_KEY = Pattern.compile("\\p{Ll}[\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");

    /**
     * Refuses a field that is not a QueryRequest field (with the nearest one) or one Lathe cannot honour, and checks the
     * type of those it takes without acting on them: {@code kind}, {@code location},
     * {@code useQueryCache}, {@code labels}, {@code maximumBytesBilled}, {@code jobCreationMode}, {@code preserveNulls}.
     */
    static void check(ObjectNode body) {
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String unsupported = UNSUPPORTED.get(name);
            if (unsupported != null) {
                JsonNode value = body.get(name);
                if (!value.isNull() && !(value.isBoolean() && !value.booleanValue())) {
                    throw ApiException.badField(name, "is not supported: " + unsupported + "; omit the field");
                }
            } else if (!ACCEPTED.contains(name)) {
                throw ApiException.badField(name, "unknown field" + dev.lathe.core.Suggestions.didYouMeanOrStop(name, ACCEPTED)
                        + " Accepted: " + String.join(", ", ACCEPTED));
            }
        }
        Json.optionalString(body, "kind").filter(kind -> !kind.equals("bigquery#queryRequest")).ifPresent(kind -> {
            throw ApiException.badField("kind", "must be bigquery#queryRequest when given, got '" + kind + "'");
        });
        // BigQuery's wait for the query before answering jobComplete: false (a uint32), honoured by QueryService
        Json.optionalLong(body, "timeoutMs", 0, 0xFFFF_FFFFL);
        Json.optionalString(body, "location");
        Json.optionalBoolean(body, "useQueryCache");
        Json.optionalBoolean(body, "preserveNulls");
        Json.optionalString(body, "jobCreationMode").filter(mode -> !JOB_CREATION_MODES.contains(mode)).ifPresent(mode -> {
            throw ApiException.badField("jobCreationMode", "must be one of " + String.join(", ", JOB_CREATION_MODES.stream().sorted().toList())
                    + ", got '" + mode + "'");
        });
        // an int64, as a string or a number; Lathe bills no bytes, so no query goes past it
        Json.optionalLong(body, "maximumBytesBilled", 0, Long.MAX_VALUE);
        labels(body.get("labels"));
    }

    private static void labels(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw ApiException.badField("labels", "must be an object of string keys and values ({\"team\": \"ml\"}), got " + Json.kind(node));
        }
        if (node.size() > 64) {
            throw ApiException.badField("labels", "holds " + node.size() + " labels; at most 64 are taken");
        }
        for (var entries = node.fields(); entries.hasNext(); ) {
            var entry = entries.next();
            String key = entry.getKey();
            if (!LABEL_KEY.matcher(key).matches()) {
                throw ApiException.badField("labels." + key, "a label key must be 1 to 63 lowercase letters, digits, '_' or '-', starting"
                        + " with a letter");
            }
            if (!entry.getValue().isTextual() || !LABEL_VALUE.matcher(entry.getValue().textValue()).matches()) {
                throw ApiException.badField("labels." + key, "a label value must be a string of at most 63 lowercase letters, digits, '_'"
                        + " or '-', got " + Json.kind(entry.getValue()));
            }
        }
    }

    /**
     * {@code formatOptions}: true when TIMESTAMP values are to be answered as int64 microseconds since the epoch
     * ({@code useInt64Timestamp}, or {@code timestampOutputFormat} INT64), false for BigQuery's default, seconds since
     * the epoch as a decimal.
     */
    static boolean int64Timestamps(ObjectNode body) {
        JsonNode node = body.get("formatOptions");
        if (node == null || node.isNull()) {
            return false;
        }
        if (!(node instanceof ObjectNode options)) {
            throw ApiException.badField("formatOptions", "must be an object ({\"useInt64Timestamp\": true}), got " + Json.kind(node));
        }
        Json.onlyFields(options, "formatOptions", List.of("useInt64Timestamp", "timestampOutputFormat"));
        JsonNode useInt64 = options.path("useInt64Timestamp");
        JsonNode output = options.path("timestampOutputFormat");
        if (!useInt64.isMissingNode() && !useInt64.isNull() && !useInt64.isBoolean()) {
            throw ApiException.badField("formatOptions.useInt64Timestamp", "must be true or false, got " + Json.kind(useInt64));
        }
        if (!output.isMissingNode() && !output.isNull() && !output.isTextual()) {
            throw ApiException.badField("formatOptions.timestampOutputFormat", "must be a string, got " + Json.kind(output));
        }
        boolean int64 = useInt64.asBoolean(false);
        String format = output.isTextual() ? output.textValue() : "TIMESTAMP_OUTPUT_FORMAT_UNSPECIFIED";
        return switch (format) {
            case "TIMESTAMP_OUTPUT_FORMAT_UNSPECIFIED" -> int64;
            case "INT64", "FLOAT64" -> {
                if (useInt64.isBoolean() && int64 != format.equals("INT64")) {
                    throw ApiException.badField("formatOptions.timestampOutputFormat", format + " contradicts useInt64Timestamp: "
                            + int64 + "; give one of them");
                }
                yield format.equals("INT64");
            }
            case "ISO8601_STRING" -> throw ApiException.badField("formatOptions.timestampOutputFormat",
                    "ISO8601_STRING is not supported; accepted: INT64 (microseconds since the epoch) or FLOAT64 (seconds, the default)");
            default -> throw ApiException.badField("formatOptions.timestampOutputFormat",
                    "must be INT64, FLOAT64 or TIMESTAMP_OUTPUT_FORMAT_UNSPECIFIED, got '" + format + "'");
        };
    }
}
