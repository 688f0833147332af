package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.quality.QualityReport;
import dev.lathe.quality.QualitySpec;
import dev.lathe.quality.TableName;
import dev.lathe.quality.WindowQuality;
import dev.lathe.quality.Windows;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST .../endpoints/{endpoint}:evaluatePredictions}: the endpoint's logged predictions scored against ground
 * truth per window ({@link PredictionQuality}), a custom verb on the endpoint resource in Vertex AI's style. Body:
 * {@code {groundTruth: {table} | {query}, startTime, endTime, windowSize?, deployedModelId?, requestIdColumn?,
 * labelColumn?, instanceIndexColumn?, threshold?, logTable?}}.
 */
final class PredictionQualityRoutes {
    private static final Set<String> FIELDS = Set.of("groundTruth", "startTime", "endTime", "windowSize", "deployedModelId", "requestIdColumn",
            "labelColumn", "instanceIndexColumn", "threshold", "logTable");

    private final PredictionQuality quality;

    PredictionQualityRoutes(PredictionQuality quality) {
        this.quality = requireNonNull(quality, "quality is null");
    }

    void register(LatheServer.Builder builder) {
        builder.route("POST", EndpointRoutes.COLLECTION + "/{endpoint}:evaluatePredictions", Errors.guard(this::evaluate));
    }

    private ApiResponse evaluate(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, FIELDS);
        QualitySpec spec = QualitySpec.of(request.pathParam("endpoint"), GroundTruthJson.parse(body.get("groundTruth"), "groundTruth"));
        spec = Json.optionalString(body, "deployedModelId").map(spec::withDeployedModelId).orElse(spec);
        spec = Json.optionalString(body, "requestIdColumn").map(spec::withRequestIdColumn).orElse(spec);
        spec = Json.optionalString(body, "labelColumn").map(spec::withLabelColumn).orElse(spec);
        spec = Json.optionalString(body, "instanceIndexColumn").map(spec::withInstanceIndexColumn).orElse(spec);
        spec = Json.optionalString(body, "logTable").map(t -> GroundTruthJson.field("logTable", t, v -> TableName.parse(v, "logTable")))
                .map(spec::withLogTable).orElse(spec);
        JsonNode threshold = body.get("threshold");
        if (threshold != null && !threshold.isNull()) {
            if (!threshold.isNumber() || !(threshold.doubleValue() >= 0 && threshold.doubleValue() <= 1)) {
                throw ApiException.badField("threshold", "must be a number from 0 to 1, got " + Instances.describe(threshold));
            }
            spec = spec.withThreshold(threshold.doubleValue());
        }
        Instant start = GroundTruthJson.field("startTime", Json.requiredString(body, "startTime"), v -> Windows.parseTime(v, "startTime"));
        Instant end = GroundTruthJson.field("endTime", Json.requiredString(body, "endTime"), v -> Windows.parseTime(v, "endTime"));
        Optional<Duration> size = Json.optionalString(body, "windowSize")
                .map(v -> GroundTruthJson.field("windowSize", v, s -> Windows.parseSize(s, "windowSize")));
        Windows windows = size.map(d -> new Windows(start, end, d)).orElseGet(() -> Windows.single(start, end));
        QualityReport report;
        try {
            report = quality.evaluate(spec, windows);
        } catch (LatheException e) {
            // A table or column of the request that is not there is a bad request here, not a missing resource.
            if (e.code() == ErrorCode.TABLE_NOT_FOUND || e.code() == ErrorCode.COLUMN_NOT_FOUND) {
                throw new ApiException(400, "INVALID_ARGUMENT", e.getMessage(), List.of(), e.code().name());
            }
            throw e;
        }
        return ApiResponse.json(200, json(request, report));
    }

    private static Map<String, Object> json(ApiRequest request, QualityReport report) {
        List<Map<String, Object>> windows = new ArrayList<>();
        for (WindowQuality window : report.windows()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("startTime", window.start().toString());
            json.put("endTime", window.end().toString());
            json.put("rowsLogged", window.rowsLogged());
            json.put("rowsMatched", window.rowsMatched());
            json.put("rowsWithoutLabel", window.rowsWithoutLabel());
            json.put("rowsWithoutPrediction", window.rowsWithoutPrediction());
            json.put("status", window.status().name());
            window.reason().ifPresent(reason -> json.put("reason", reason));
            json.put("metrics", window.metrics());
            windows.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("endpoint", EndpointJson.parent(request.pathParam("project"), request.pathParam("location")) + "/endpoints/"
                + request.pathParam("endpoint"));
        json.put("models", report.models());
        json.put("metricNames", report.metricNames());
        json.put("windows", windows);
        return json;
    }
}
