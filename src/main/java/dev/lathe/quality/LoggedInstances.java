package dev.lathe.quality;

import dev.lathe.core.DataType;
import dev.lathe.core.Field;
import dev.lathe.core.model.ModelTask;
import dev.lathe.warehouse.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL that turns the prediction log into one row per predicted instance, joined with its label. Everything runs
 * in DuckDB: the log is filtered on endpoint and time (bound parameters), each response is decoded with DuckDB's
 * JSON functions (Vertex {@code predictions} objects or Open Inference Protocol {@code outputs} tensors, as the
 * server writes them), requests are exploded into instances, and the ground truth is joined on request id and
 * instance index (a label without an index matches instance 0 of a single-instance request; written as comparisons,
 * {@code single_only <= is_single}, so that DuckDB joins by hash: an OR in the condition makes it a nested loop).
 * The result is a temporary table with the window index, the instance's key, whether it has a
 * label and a decoded prediction, the label, and the predicted value (regression) or one probability per class in
 * ascending class order (classification; the server lists them highest class first).
 */
final class LoggedInstances {
    static final String WINDOW = "__window";
    static final String REQUEST_ID = "__request_id";
    static final String INSTANCE = "__instance";
    static final String LABELLED = "__labelled";
    static final String DECODED = "__decoded";
    static final String LABEL = "__label";
    static final String VALUE = "__p";

    private LoggedInstances() {}

    /** The ground-truth columns to join on and score against. */
    record TruthColumns(String requestId, String label, Optional<String> instanceIndex) {}

    /**
     * {@code CREATE TEMP TABLE table AS ...}; parameters: window start (epoch microseconds), window size
     * (microseconds), endpoint, range start and end (epoch microseconds), and the deployed model id when
     * {@code byDeployedModel}.
     */
    static String create(String table, TableName log, boolean byDeployedModel, PredictionShape shape, String truth, TruthColumns columns) {
        int width = shape.width();
        boolean classification = shape.task() == ModelTask.CLASSIFICATION;
        String key = "predicted_" + shape.label();
        String vertexPath = classification ? "$.predictions[*]." + jsonKey(key + "_probs") + "[*].prob" : "$.predictions[*]." + jsonKey(key);
        String tensor = classification ? key + "_probs.prob" : key;
        String perInstance = classification
                ? "list_transform(range(__instances), lambda i: list_reverse(__values[i * %d + 1 : i * %d + %d]))".formatted(width, width, width)
                : "__values";
        String listType = classification ? "DOUBLE[][]" : "DOUBLE[]";
        List<String> values = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            values.add("i.__prediction" + (classification ? "[" + (c + 1) + "]" : "") + " AS " + Sql.quote(VALUE + c));
        }
        String instanceIndex = columns.instanceIndex().map(c -> "CAST(" + Sql.quote(c) + " AS BIGINT)").orElse("CAST(NULL AS BIGINT)");
        return """
                CREATE TEMP TABLE %s AS
                WITH logged AS (
                    SELECT request_id AS __request_id, CAST((epoch_us(logging_time) - ?) // ? AS BIGINT) AS __window,
                           response_payload AS __response, request_payload AS __request
                    FROM %s
                    WHERE endpoint = ? AND logging_time >= make_timestamp(?) AND logging_time < make_timestamp(?)%s
                ), decoded AS (
                    SELECT __request_id, __window,
                           CASE WHEN json_exists(__response, '$.predictions')
                                THEN TRY_CAST(json_extract(__response, %s) AS DOUBLE[])
                                ELSE TRY_CAST(json_extract(__response, '$.outputs[*].data')[
                                         list_position(json_extract_string(__response, '$.outputs[*].name'), %s)] AS DOUBLE[])
                           END AS __values,
                           greatest(1, COALESCE(CAST(json_array_length(__response, '$.predictions') AS BIGINT),
                                    TRY_CAST(json_extract(__response, '$.outputs[0].shape[0]') AS BIGINT),
                                    TRY_CAST(json_extract(__request, '$.inputs[0].shape[0]') AS BIGINT), 1)) AS __instances
                    FROM logged
                ), checked AS (
                    SELECT *, COALESCE(list_count(__values) = __instances * %d AND len(__values) = __instances * %d, FALSE) AS __decoded
                    FROM decoded
                ), instances AS (
                    SELECT __request_id, __window, __instances, __decoded, unnest(range(__instances)) AS __instance,
                           unnest(CASE WHEN __decoded THEN %s ELSE list_resize(CAST([] AS %s), __instances) END) AS __prediction
                    FROM checked
                ), truth AS (
                    SELECT CAST(%s AS VARCHAR) AS __request_id, COALESCE(%s, 0) AS __instance_index, %s IS NULL AS __single_only,
                           %s AS __label
                    FROM (%s) AS __truth
                    WHERE %s IS NOT NULL
                )
                SELECT i.__window AS %s, i.__request_id AS %s, i.__instance AS %s, t.__request_id IS NOT NULL AS %s, i.__decoded AS %s,
                       t.__label AS %s, %s
                FROM instances AS i LEFT JOIN truth AS t
                  ON t.__request_id = i.__request_id AND t.__instance_index = i.__instance AND t.__single_only <= (i.__instances = 1)
                """.formatted(Sql.quote(table), log.sql(), byDeployedModel ? " AND deployed_model_id = ?" : "", Sql.literal(vertexPath),
                Sql.literal(tensor), width, width, perInstance, listType, Sql.quote(columns.requestId()), instanceIndex, instanceIndex,
                Sql.quote(columns.label()), truth, Sql.quote(columns.label()), Sql.quote(WINDOW), Sql.quote(REQUEST_ID),
                Sql.quote(INSTANCE), Sql.quote(LABELLED), Sql.quote(DECODED), Sql.quote(LABEL), String.join(", ", values));
    }

    /** Per window index: instances logged, labelled, and labelled without a decodable prediction. */
    static String counts(String table) {
        return "SELECT %s, count(*), count(*) FILTER (WHERE %s), count(*) FILTER (WHERE %s AND NOT %s) FROM %s GROUP BY 1"
                .formatted(Sql.quote(WINDOW), Sql.quote(LABELLED), Sql.quote(LABELLED), Sql.quote(DECODED), Sql.quote(table));
    }

    /** The labelled, decoded instances in window order, for {@link WindowScores}. */
    static String scored(String table) {
        return "SELECT * FROM %s WHERE %s AND %s ORDER BY %s".formatted(Sql.quote(table), Sql.quote(LABELLED), Sql.quote(DECODED),
                Sql.quote(WINDOW));
    }

    /** The fields {@link WindowScores} reads, in its column order. */
    static List<Field> scoredFields(PredictionShape shape) {
        List<Field> fields = new ArrayList<>(List.of(Field.of(WINDOW, DataType.INT64), Field.of(REQUEST_ID, DataType.STRING),
                Field.of(INSTANCE, DataType.INT64),
                shape.task() == ModelTask.REGRESSION ? Field.of(LABEL, DataType.FLOAT64) : Field.of(LABEL, shape.labelType())));
        for (int c = 0; c < shape.width(); c++) {
            fields.add(Field.of(VALUE + c, DataType.FLOAT64));
        }
        return fields;
    }

    /** A JSONPath member name, quoted so that any column name works. */
    private static String jsonKey(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
