package dev.lathe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.Suggestions;
import dev.lathe.quality.GroundTruth;
import dev.lathe.serve.GroundTruthJson;
import dev.lathe.server.ApiException;
import dev.lathe.server.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Vertex AI JSON of monitors (ModelDeploymentMonitoringJob), their runs and alerts. Requests are parsed with a
 * 400 naming the field and the rule for anything wrong; the stored spec is the request's own shape, read back with
 * the same parser. Vertex's objective config maps to objectives as Vertex defines it: a skew config monitors
 * RAW_FEATURE_SKEW, a drift config RAW_FEATURE_DRIFT, and {@code explanationConfig.enableFeatureAttributes} adds
 * the FEATURE_ATTRIBUTION_ variant of each (thresholds from {@code attributionScore*Thresholds}, else the default).
 */
public final class MonitorJson {
    static final Set<String> FIELDS = Set.of("displayName", "endpoint", "modelDeploymentMonitoringObjectiveConfigs",
            "modelDeploymentMonitoringScheduleConfig", "loggingSamplingStrategy", "modelMonitoringAlertConfig");
    /** gcloud's default monitoring frequency: 24 hours. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
    private static final String CONFIGS = "modelDeploymentMonitoringObjectiveConfigs";
    private static final String SKEW = "trainingPredictionSkewDetectionConfig";
    private static final String DRIFT = "predictionDriftDetectionConfig";
    private static final String QUALITY = PredictionQualityObjective.CONFIG;
    private static final Set<String> QUALITY_FIELDS = Set.of("groundTruth", "requestIdColumn", "labelColumn", "instanceIndexColumn", "threshold",
            "metric", "metricThreshold", "labelDelay");
    private static final Pattern ENDPOINT = Pattern.compile("(?:projects/[^/]+/locations/[^/]+/endpoints/)?([^/]+)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,10})(?:\\.0{1,9})?s");

    private MonitorJson() {}

    // ---- requests ----------------------------------------------------------------------------------

    /** A create request (or a stored spec) as a spec; deployed model ids and feature names are checked later. */
    public static MonitorSpec parseSpec(ObjectNode body) {
        Json.onlyFields(body, FIELDS);
        String displayName = Json.requiredString(body, "displayName");
        if (displayName.isBlank() || displayName.codePointCount(0, displayName.length()) > 128) {
            throw ApiException.badField("displayName", "must be 1 to 128 characters, got '" + displayName + "'");
        }
        if (dev.lathe.core.StoredText.hasNul(displayName)) {
            throw ApiException.badField("displayName", dev.lathe.core.StoredText.NO_NUL);
        }
        Matcher endpoint = ENDPOINT.matcher(Json.requiredString(body, "endpoint"));
        if (!endpoint.matches()) {
            throw ApiException.badField("endpoint", "must be projects/{project}/locations/{location}/endpoints/{endpoint} or an endpoint id, got '"
                    + body.get("endpoint").textValue() + "'");
        }
        List<ObjectiveConfig> configs = objectiveConfigs(body.get(CONFIGS));
        Duration interval = DEFAULT_INTERVAL;
        Duration window = null;
        Optional<ObjectNode> schedule = object(body, "modelDeploymentMonitoringScheduleConfig", "modelDeploymentMonitoringScheduleConfig");
        if (schedule.isPresent()) {
            Json.onlyFields(schedule.get(), "modelDeploymentMonitoringScheduleConfig", Set.of("monitorInterval", "monitorWindow"));
            interval = duration(schedule.get(), "monitorInterval", "modelDeploymentMonitoringScheduleConfig.monitorInterval").orElse(DEFAULT_INTERVAL);
            window = duration(schedule.get(), "monitorWindow", "modelDeploymentMonitoringScheduleConfig.monitorWindow").orElse(null);
        }
        if (interval.compareTo(MonitorSpec.MIN_INTERVAL) < 0) {
            throw ApiException.badField("modelDeploymentMonitoringScheduleConfig.monitorInterval", "must be at least 60s, got " + seconds(interval));
        }
        window = window == null ? interval : window;
        if (window.compareTo(MonitorSpec.MIN_INTERVAL) < 0 || window.compareTo(MonitorSpec.MAX_WINDOW) > 0) {
            throw ApiException.badField("modelDeploymentMonitoringScheduleConfig.monitorWindow", "must be from 60s to "
                    + seconds(MonitorSpec.MAX_WINDOW) + ", got " + seconds(window));
        }
        double sampleRate = sampleRate(body);
        Optional<URI> webhook = webhook(body);
        try {
            return new MonitorSpec(displayName, endpoint.group(1), configs, interval, window, sampleRate, webhook);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(CONFIGS, e.getMessage());
        }
    }

    private static List<ObjectiveConfig> objectiveConfigs(JsonNode node) {
        if (!(node instanceof ArrayNode array) || array.isEmpty()) {
            throw ApiException.badField(CONFIGS, "required; give a non-empty array of {\"deployedModelId\": \"...\" (optional: all deployed models), "
                    + "\"objectiveConfig\": {\"" + SKEW + "\": {...}, \"" + DRIFT + "\": {...}, \"" + QUALITY + "\": {...}}}");
        }
        List<ObjectiveConfig> configs = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = CONFIGS + "[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode config)) {
                throw ApiException.badField(where, "must be an object {deployedModelId, objectiveConfig}");
            }
            Json.onlyFields(config, where, Set.of("deployedModelId", "objectiveConfig"));
            Optional<String> deployedModelId = optionalText(config, "deployedModelId", where + ".deployedModelId");
            ObjectNode objectiveConfig = object(config, "objectiveConfig", where + ".objectiveConfig").orElseThrow(() -> ApiException.badField(
                    where + ".objectiveConfig", "required; give {\"" + SKEW + "\": {...}}, {\"" + DRIFT + "\": {...}} and/or {\"" + QUALITY
                    + "\": {...}}"));
            for (ObjectiveConfig existing : configs) {
                if (existing.deployedModelId().equals(deployedModelId)) {
                    throw ApiException.badField(where + ".deployedModelId", deployedModelId.map(id -> "deployed model " + id + " has two configs")
                            .orElse("only one config may leave deployedModelId out (it covers every deployed model without its own config)"));
                }
            }
            configs.add(new ObjectiveConfig(deployedModelId, objectives(objectiveConfig, where + ".objectiveConfig")));
        }
        return configs;
    }

    private static List<ObjectiveSpec> objectives(ObjectNode config, String where) {
        if (config.has("trainingDataset")) {
            throw ApiException.badField(where + ".trainingDataset", "not supported: skew is measured against the training profile stored with "
                    + "the deployed model version at CREATE MODEL; leave trainingDataset out");
        }
        Json.onlyFields(config, where, Set.of(SKEW, DRIFT, "explanationConfig", QUALITY));
        boolean attributions = false;
        Optional<ObjectNode> explanation = object(config, "explanationConfig", where + ".explanationConfig");
        if (explanation.isPresent()) {
            Json.onlyFields(explanation.get(), where + ".explanationConfig", Set.of("enableFeatureAttributes"));
            JsonNode enable = explanation.get().get("enableFeatureAttributes");
            if (enable != null && !enable.isBoolean()) {
                throw ApiException.badField(where + ".explanationConfig.enableFeatureAttributes", "must be true or false, got " + enable);
            }
            attributions = enable != null && enable.booleanValue();
        }
        List<ObjectiveSpec> objectives = new ArrayList<>();
        Optional<ObjectNode> skew = object(config, SKEW, where + "." + SKEW);
        skew.ifPresent(s -> objectives.addAll(pair(s, where + "." + SKEW, "skew", ObjectiveType.RAW_FEATURE_SKEW,
                ObjectiveType.FEATURE_ATTRIBUTION_SKEW)));
        Optional<ObjectNode> drift = object(config, DRIFT, where + "." + DRIFT);
        drift.ifPresent(d -> objectives.addAll(pair(d, where + "." + DRIFT, "drift", ObjectiveType.RAW_FEATURE_DRIFT,
                ObjectiveType.FEATURE_ATTRIBUTION_DRIFT)));
        object(config, QUALITY, where + "." + QUALITY).ifPresent(q -> objectives.add(ObjectiveSpec.predictionQuality(quality(q, where + "."
                + QUALITY))));
        if (objectives.isEmpty()) {
            throw ApiException.badField(where, "give " + SKEW + " (vs the training data), " + DRIFT + " (vs the previous window) and/or " + QUALITY
                    + " (vs ground truth)");
        }
        boolean wantsAttributions = attributions;
        List<ObjectiveSpec> chosen = objectives.stream().filter(o -> wantsAttributions || !isAttribution(o.type())).toList();
        for (ObjectiveSpec objective : objectives) {
            if (!wantsAttributions && isAttribution(objective.type()) && !objective.thresholds().isEmpty()) {
                throw ApiException.badField(thresholdsField(where, objective.type()), "attribution thresholds need "
                        + "explanationConfig.enableFeatureAttributes = true");
            }
        }
        return chosen;
    }

    /** The raw objective and its attribution variant from one Vertex skew or drift config. */
    private static List<ObjectiveSpec> pair(ObjectNode config, String where, String kind, ObjectiveType raw, ObjectiveType attribution) {
        String capital = kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1);
        Json.onlyFields(config, where, Set.of(kind + "Thresholds", "attributionScore" + capital + "Thresholds", "default" + capital + "Threshold"));
        double defaultThreshold = ObjectiveSpec.DEFAULT_THRESHOLD;
        Optional<ObjectNode> given = object(config, "default" + capital + "Threshold", where + ".default" + capital + "Threshold");
        if (given.isPresent()) {
            defaultThreshold = thresholdValue(given.get(), where + ".default" + capital + "Threshold");
        }
        return List.of(new ObjectiveSpec(raw, defaultThreshold, thresholds(config, kind + "Thresholds", where)),
                new ObjectiveSpec(attribution, defaultThreshold, thresholds(config, "attributionScore" + capital + "Thresholds", where)));
    }

    private static Map<String, Double> thresholds(ObjectNode config, String field, String where) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        Optional<ObjectNode> map = object(config, field, where + "." + field);
        if (map.isPresent()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.get().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String path = where + "." + field + "." + entry.getKey();
                if (!(entry.getValue() instanceof ObjectNode threshold)) {
                    throw ApiException.badField(path, "must be a ThresholdConfig {\"value\": 0.3}");
                }
                thresholds.put(entry.getKey(), thresholdValue(threshold, path));
            }
        }
        return thresholds;
    }

    private static double thresholdValue(ObjectNode threshold, String where) {
        Json.onlyFields(threshold, where, Set.of("value"));
        JsonNode value = threshold.get("value");
        if (value == null || !value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
            throw ApiException.badField(where + ".value", "must be a number from 0 to 1 (distances and attribution deviations lie in [0, 1]), got "
                    + value);
        }
        return value.doubleValue();
    }

    /** A PREDICTION_QUALITY config: the ground truth as :evaluatePredictions takes it, the metric, its threshold, the label delay. */
    private static PredictionQualityConfig quality(ObjectNode config, String where) {
        Json.onlyFields(config, where, QUALITY_FIELDS);
        GroundTruth truth = GroundTruthJson.parse(config.get("groundTruth"), where + ".groundTruth");
        Optional<String> requestId = optionalText(config, "requestIdColumn", where + ".requestIdColumn");
        Optional<String> label = optionalText(config, "labelColumn", where + ".labelColumn");
        Optional<String> index = optionalText(config, "instanceIndexColumn", where + ".instanceIndexColumn");
        OptionalDouble binary = OptionalDouble.empty();
        JsonNode threshold = config.get("threshold");
        if (threshold != null && !threshold.isNull()) {
            if (!threshold.isNumber() || !(threshold.doubleValue() >= 0 && threshold.doubleValue() <= 1)) {
                throw ApiException.badField(where + ".threshold", "must be a number from 0 to 1 (ML.EVALUATE's binary threshold on the predicted"
                        + " probability; the alert threshold is metricThreshold), got " + threshold);
            }
            binary = OptionalDouble.of(threshold.doubleValue());
        }
        String metric = optionalText(config, "metric", where + ".metric").orElseThrow(() -> ApiException.badField(where + ".metric",
                "required; give one of ML.EVALUATE's metrics: " + String.join(", ", QualityMetrics.NAMES)));
        if (!QualityMetrics.isKnown(metric)) {
            throw ApiException.badField(where + ".metric", "'" + metric + "' is not one of ML.EVALUATE's metrics" + Suggestions.withChoices(metric,
                    QualityMetrics.NAMES, "They"));
        }
        ObjectNode given = object(config, "metricThreshold", where + ".metricThreshold").orElseThrow(() -> ApiException.badField(where
                + ".metricThreshold", "required; give {\"value\": V}: an alert is raised when " + metric + " is " + QualityMetrics.alertSide(metric)
                + " V"));
        Json.onlyFields(given, where + ".metricThreshold", Set.of("value"));
        JsonNode value = given.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw ApiException.badField(where + ".metricThreshold.value", "must be a number (an alert is raised when " + metric + " is "
                    + QualityMetrics.alertSide(metric) + " it), got " + value);
        }
        Duration delay = duration(config, "labelDelay", where + ".labelDelay").orElse(Duration.ZERO);
        if (delay.compareTo(PredictionQualityConfig.MAX_LABEL_DELAY) > 0) {
            throw ApiException.badField(where + ".labelDelay", "must be at most " + seconds(PredictionQualityConfig.MAX_LABEL_DELAY) + ", got "
                    + seconds(delay));
        }
        return new PredictionQualityConfig(truth, requestId, label, index, binary, metric, value.doubleValue(), delay);
    }

    static boolean isAttribution(ObjectiveType type) {
        return switch (type) {
            case FEATURE_ATTRIBUTION_SKEW, FEATURE_ATTRIBUTION_DRIFT -> true;
            case RAW_FEATURE_SKEW, RAW_FEATURE_DRIFT, PREDICTION_QUALITY -> false;
        };
    }

    /** Where an objective's per-feature thresholds are in the request, for errors naming a feature. */
    static String thresholdsField(String objectiveConfig, ObjectiveType type) {
        return objectiveConfig + switch (type) {
            case RAW_FEATURE_SKEW -> "." + SKEW + ".skewThresholds";
            case FEATURE_ATTRIBUTION_SKEW -> "." + SKEW + ".attributionScoreSkewThresholds";
            case RAW_FEATURE_DRIFT -> "." + DRIFT + ".driftThresholds";
            case FEATURE_ATTRIBUTION_DRIFT -> "." + DRIFT + ".attributionScoreDriftThresholds";
            case PREDICTION_QUALITY -> "." + QUALITY;
        };
    }

    /** The request path of config {@code index}'s objective config. */
    static String objectiveConfigField(int index) {
        return CONFIGS + "[" + index + "].objectiveConfig";
    }

    private static double sampleRate(ObjectNode body) {
        Optional<ObjectNode> strategy = object(body, "loggingSamplingStrategy", "loggingSamplingStrategy");
        if (strategy.isEmpty()) {
            return 1.0;
        }
        Json.onlyFields(strategy.get(), "loggingSamplingStrategy", Set.of("randomSampleConfig"));
        Optional<ObjectNode> random = object(strategy.get(), "randomSampleConfig", "loggingSamplingStrategy.randomSampleConfig");
        if (random.isEmpty()) {
            return 1.0;
        }
        Json.onlyFields(random.get(), "loggingSamplingStrategy.randomSampleConfig", Set.of("sampleRate"));
        JsonNode rate = random.get().get("sampleRate");
        if (rate == null || !rate.isNumber() || !(rate.doubleValue() > 0 && rate.doubleValue() <= 1)) {
            throw ApiException.badField("loggingSamplingStrategy.randomSampleConfig.sampleRate", "must be a number in (0, 1], got " + rate);
        }
        return rate.doubleValue();
    }

    private static Optional<URI> webhook(ObjectNode body) {
        Optional<ObjectNode> alerts = object(body, "modelMonitoringAlertConfig", "modelMonitoringAlertConfig");
        if (alerts.isEmpty()) {
            return Optional.empty();
        }
        Json.onlyFields(alerts.get(), "modelMonitoringAlertConfig", Set.of("enableLogging", "webhookConfig"));
        JsonNode logging = alerts.get().get("enableLogging");
        if (logging != null && !logging.isBoolean()) {
            throw ApiException.badField("modelMonitoringAlertConfig.enableLogging", "must be true or false (alerts are always logged), got " + logging);
        }
        Optional<ObjectNode> webhook = object(alerts.get(), "webhookConfig", "modelMonitoringAlertConfig.webhookConfig");
        if (webhook.isEmpty()) {
            return Optional.empty();
        }
        Json.onlyFields(webhook.get(), "modelMonitoringAlertConfig.webhookConfig", Set.of("uri"));
        Optional<String> text = optionalText(webhook.get(), "uri", "modelMonitoringAlertConfig.webhookConfig.uri");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text.get(), "not an http or https URL with a host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw ApiException.badField("modelMonitoringAlertConfig.webhookConfig.uri", "must be an http:// or https:// URL, got '" + text.get() + "'");
        }
    }

    private static Optional<Duration> duration(ObjectNode object, String field, String where) {
        Optional<String> text = optionalText(object, field, where);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = DURATION.matcher(text.get());
        if (!matcher.matches()) {
            throw ApiException.badField(where, "must be a whole number of seconds as a Duration string such as \"3600s\", got '" + text.get() + "'");
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(matcher.group(1))));
    }

    private static String seconds(Duration duration) {
        return duration.getSeconds() + "s";
    }

    private static Optional<String> optionalText(ObjectNode object, String field, String where) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiException.badField(where, "must be a non-empty string, got " + node);
        }
        return Optional.of(node.textValue());
    }

    private static Optional<ObjectNode> object(ObjectNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badField(where, "must be an object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of(object);
    }

    // ---- resources ---------------------------------------------------------------------------------

    /** The spec in the request's shape (what the store keeps and the resource shows). */
    public static ObjectNode specJson(MonitorSpec spec, String parent) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("displayName", spec.displayName());
        json.put("endpoint", parent.isEmpty() ? spec.endpointId() : parent + "/endpoints/" + spec.endpointId());
        ArrayNode configs = json.putArray(CONFIGS);
        for (ObjectiveConfig config : spec.objectiveConfigs()) {
            ObjectNode item = configs.addObject();
            config.deployedModelId().ifPresent(id -> item.put("deployedModelId", id));
            ObjectNode objectiveConfig = item.putObject("objectiveConfig");
            boolean attributions = false;
            for (ObjectiveSpec objective : config.objectives()) {
                attributions |= isAttribution(objective.type());
                if (objective.quality().isPresent()) {
                    objectiveConfig.set(QUALITY, qualityJson(objective.quality().get()));
                    continue;
                }
                String block = switch (objective.type()) {
                    case RAW_FEATURE_SKEW, FEATURE_ATTRIBUTION_SKEW -> SKEW;
                    case RAW_FEATURE_DRIFT, FEATURE_ATTRIBUTION_DRIFT -> DRIFT;
                    case PREDICTION_QUALITY -> throw new IllegalStateException("PREDICTION_QUALITY without its config");
                };
                String kind = block.equals(SKEW) ? "Skew" : "Drift";
                ObjectNode target = objectiveConfig.has(block) ? (ObjectNode) objectiveConfig.get(block) : objectiveConfig.putObject(block);
                String field = isAttribution(objective.type()) ? "attributionScore" + kind + "Thresholds" : kind.toLowerCase(Locale.ROOT) + "Thresholds";
                ObjectNode thresholds = target.putObject(field);
                objective.thresholds().forEach((feature, value) -> thresholds.putObject(feature).put("value", value));
                target.putObject("default" + kind + "Threshold").put("value", objective.defaultThreshold());
            }
            if (attributions) {
                objectiveConfig.putObject("explanationConfig").put("enableFeatureAttributes", true);
            }
        }
        json.putObject("modelDeploymentMonitoringScheduleConfig").put("monitorInterval", seconds(spec.interval()))
                .put("monitorWindow", seconds(spec.window()));
        json.putObject("loggingSamplingStrategy").putObject("randomSampleConfig").put("sampleRate", spec.sampleRate());
        ObjectNode alerts = json.putObject("modelMonitoringAlertConfig").put("enableLogging", true);
        spec.webhook().ifPresent(uri -> alerts.putObject("webhookConfig").put("uri", uri.toString()));
        return json;
    }

    private static ObjectNode qualityJson(PredictionQualityConfig config) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("groundTruth", GroundTruthJson.json(config.groundTruth()));
        config.requestIdColumn().ifPresent(c -> json.put("requestIdColumn", c));
        config.labelColumn().ifPresent(c -> json.put("labelColumn", c));
        config.instanceIndexColumn().ifPresent(c -> json.put("instanceIndexColumn", c));
        config.classificationThreshold().ifPresent(t -> json.put("threshold", t));
        json.put("metric", config.metric());
        json.putObject("metricThreshold").put("value", config.metricThreshold());
        json.put("labelDelay", seconds(config.labelDelay()));
        return json;
    }

    public static String parent(String project, String location) {
        return "projects/" + project + "/locations/" + location;
    }

    public static ObjectNode monitor(Monitor monitor, String parent) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", parent + "/modelDeploymentMonitoringJobs/" + monitor.id());
        json.setAll(specJson(monitor.spec(), parent));
        json.put("state", monitor.state().vertexName());
        json.put("scheduleState", monitor.state() == MonitorState.ACTIVE ? "PENDING" : "OFFLINE");
        if (monitor.state() == MonitorState.ACTIVE) {
            json.put("nextScheduleTime", monitor.nextRunTime().toString());
        }
        json.put("createTime", monitor.createTime().toString());
        json.put("updateTime", monitor.updateTime().toString());
        return json;
    }

    public static ObjectNode run(MonitorRun run, String parent) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", parent + "/modelDeploymentMonitoringJobs/" + run.monitorId() + "/runs/" + run.id());
        json.put("runId", Long.toString(run.id()));
        json.put("state", run.state().name());
        json.put("trigger", run.trigger().name());
        json.put("windowStartTime", run.windowStart().toString());
        json.put("windowEndTime", run.windowEnd().toString());
        json.put("rowsRead", Long.toString(run.rowsRead()));
        json.put("rowsSkipped", Long.toString(run.rowsSkipped()));
        json.put("instancesProfiled", Long.toString(run.instances()));
        ArrayNode reasons = json.putArray("skippedRowReasons");
        run.skipReasons().forEach((reason, count) -> reasons.addObject().put("reason", reason).put("count", Long.toString(count)));
        ArrayNode notes = json.putArray("notes");
        run.notes().forEach(notes::add);
        run.error().ifPresent(e -> json.putObject("error").put("code", 13).put("message", e));
        json.put("anomalyCount", run.anomalies().size());
        ArrayNode stats = json.putArray("featureStats");
        for (Finding finding : run.findings()) {
            stats.add(finding(finding));
        }
        json.put("startTime", run.startTime().toString());
        json.put("endTime", run.endTime().toString());
        return json;
    }

    static ObjectNode finding(Finding finding) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("deployedModelId", finding.deployedModelId());
        json.put("model", finding.model());
        json.put("objective", finding.objective().name());
        finding.feature().ifPresent(f -> json.put("featureDisplayName", f));
        finding.metric().ifPresent(m -> json.put("metric", m));
        if (finding.value().isPresent()) {
            // Vertex AI's name for a distance; a prediction quality metric is not one.
            json.put(finding.objective() == ObjectiveType.PREDICTION_QUALITY ? "metricValue" : "distributionDeviation", finding.value().getAsDouble());
        }
        if (finding.threshold().isPresent()) {
            json.put("anomalyDetectionThreshold", finding.threshold().getAsDouble());
        }
        finding.isAnomaly().ifPresent(a -> json.put("isAnomaly", a));
        json.put("dataStatus", finding.status().name());
        finding.message().ifPresent(m -> json.put("message", m));
        finding.predictions().ifPresent(n -> json.put("predictionCount", Long.toString(n)));
        finding.matchedPredictions().ifPresent(n -> json.put("matchedPredictionCount", Long.toString(n)));
        return json;
    }

    public static ObjectNode alert(Alert alert, String parent) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", parent + "/modelDeploymentMonitoringJobs/" + alert.monitorId() + "/alerts/" + alert.id());
        json.put("modelDeploymentMonitoringJob", parent + "/modelDeploymentMonitoringJobs/" + alert.monitorId());
        json.put("runId", Long.toString(alert.runId()));
        json.put("windowStartTime", alert.windowStart().toString());
        json.put("windowEndTime", alert.windowEnd().toString());
        json.put("anomalyCount", alert.anomalies().size());
        ArrayNode anomalies = json.putArray("anomalies");
        alert.anomalies().forEach(a -> anomalies.add(finding(a)));
        ObjectNode delivery = json.putObject("webhookDelivery");
        alert.webhook().ifPresent(uri -> delivery.put("uri", uri.toString()));
        delivery.put("state", alert.deliveryState().name());
        delivery.put("attempts", alert.deliveryAttempts());
        alert.lastError().ifPresent(e -> delivery.put("lastError", e));
        alert.deliveredAt().ifPresent(t -> delivery.put("deliverTime", t.toString()));
        json.put("alertTime", alert.createTime().toString());
        return json;
    }

    /** The optional body of {@code :run}: {@code {"windowEndTime": "2024-05-01T10:00:00Z"}}. */
    public static Optional<Instant> runWindowEnd(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode node = Json.parse(body);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("The :run body must be a JSON object ({} or {\"windowEndTime\": \"...\"})");
        }
        Json.onlyFields(object, Set.of("windowEndTime"));
        Optional<String> text = optionalText(object, "windowEndTime", "windowEndTime");
        try {
            return text.map(Instant::parse);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badField("windowEndTime", "must be an RFC 3339 UTC time such as 2024-05-01T10:00:00Z, got '" + text.get() + "'");
        }
    }
}
