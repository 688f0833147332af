package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.LatheException;
import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.TableName;
import dev.lathe.server.ApiException;
import dev.lathe.server.Json;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON of a ground truth, {@code {"table": "dataset.table"}} or {@code {"query": "SELECT ..."}}, as
 * {@code :evaluatePredictions} and prediction quality monitors take it; a 400 names the field otherwise.
 */
public final class GroundTruthJson {
    private GroundTruthJson() {}

    /** Parses {@code node}, the value of {@code field} (its request path, for errors). */
    public static GroundTruth parse(JsonNode node, String field) {
        String rule = "required; give {\"table\": \"dataset.table\"} or {\"query\": \"SELECT request_id, label FROM ...\"}";
        if (!(node instanceof ObjectNode object) || object.size() != 1) {
            throw ApiException.badField(field, rule);
        }
        Json.onlyFields(object, Set.of("table", "query"));
        Optional<String> table = Json.optionalString(object, "table");
        if (table.isPresent()) {
            return field(field + ".table", table.get(), v -> new GroundTruth.Table(TableName.parse(v, field + ".table")));
        }
        return new GroundTruth.Query(Json.optionalString(object, "query").orElseThrow(() -> ApiException.badField(field, rule)));
    }

    /** Parses a field's value; a LatheException becomes a 400 naming the field. */
    static <T, R> R field(String name, T value, Function<T, R> parse) {
        try {
            return parse.apply(value);
        } catch (LatheException e) {
            throw ApiException.badField(name, e.getMessage());
        }
    }

    /** The JSON of {@code truth} (a table or a query). */
    public static ObjectNode json(GroundTruth truth) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        switch (truth) {
            case GroundTruth.Table table -> json.put("table", table.name().toString());
            case GroundTruth.Query query -> json.put("query", query.sql());
            case GroundTruth.Relation relation -> throw new IllegalArgumentException("a DuckDB relation has no JSON form");
        }
        return json;
    }
}
