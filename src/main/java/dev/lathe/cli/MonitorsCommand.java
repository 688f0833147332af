package dev.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.LatheException;
import dev.lathe.server.Json;
import dev.lathe.server.ServerModules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe monitors create|list|runs|run|alerts|pause|resume|delete}: endpoint monitors through the
 * modelDeploymentMonitoringJobs REST API, on the data directory's running server (whose scheduler runs them), or on
 * a server started for the one call ({@link ServerModules#forOneCall}: no scheduler).
 */
@Command(
        name = "monitors",
        mixinStandardHelpOptions = true,
        description = "Monitors endpoints for skew, drift and prediction quality over the prediction log; runs, alerts.",
        subcommands = {
            MonitorsCommand.Create.class, MonitorsCommand.ListMonitors.class, MonitorsCommand.Runs.class, MonitorsCommand.Run.class,
            MonitorsCommand.Alerts.class, MonitorsCommand.Pause.class, MonitorsCommand.Resume.class, MonitorsCommand.Delete.class
        })
final class MonitorsCommand implements Callable<Integer> {
    static final String BASE = "/v1/projects/local/locations/local/modelDeploymentMonitoringJobs";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingSubcommand(spec);
    }

    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        MonitorsCommand monitors;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return RestCall.run(monitors.main, spec, ServerModules::forOneCall, this::run);
        }

        abstract String run(RestCall.Http http) throws Exception;
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d} or seconds, as the API's Duration string {@code "3600s"}. */
    static String duration(String text, String option) {
        Matcher matcher = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw LatheException.userError(option + " is '" + text + "'; give a duration such as 90s, 15m, 1h or 1d");
        }
        long unit = switch (matcher.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 1;
        };
        return Long.parseLong(matcher.group(1)) * unit + "s";
    }

    static String id(JsonNode resource) {
        return resource.path("name").asText().replaceFirst(".*/", "");
    }

    static String objectives(JsonNode monitor) {
        List<String> names = new ArrayList<>();
        for (JsonNode config : monitor.path("modelDeploymentMonitoringObjectiveConfigs")) {
            JsonNode objective = config.path("objectiveConfig");
            boolean attributions = objective.path("explanationConfig").path("enableFeatureAttributes").asBoolean(false);
            String scope = config.has("deployedModelId") ? config.path("deployedModelId").asText() + ":" : "";
            if (objective.has("trainingPredictionSkewDetectionConfig")) {
                names.add(scope + "skew" + (attributions ? "+attributions" : ""));
            }
            if (objective.has("predictionDriftDetectionConfig")) {
                names.add(scope + "drift" + (attributions ? "+attributions" : ""));
            }
            JsonNode quality = objective.path("predictionQualityConfig");
            if (!quality.isMissingNode()) {
                names.add(scope + "quality " + quality.path("metric").asText() + " vs " + quality.path("metricThreshold").path("value").asText()
                        + " after " + quality.path("labelDelay").asText());
            }
        }
        return String.join(", ", names);
    }

    static String finding(JsonNode stat) {
        StringBuilder text = new StringBuilder(stat.path("objective").asText());
        if (stat.has("featureDisplayName")) {
            text.append(' ').append(stat.path("featureDisplayName").asText());
        }
        if (stat.has("distributionDeviation")) {
            text.append(' ').append(stat.path("metric").asText()).append(String.format(Locale.ROOT, " %.4f", stat.path("distributionDeviation").doubleValue()))
                    .append(stat.path("isAnomaly").asBoolean() ? " > " : " <= ").append(stat.path("anomalyDetectionThreshold").asText());
        } else if (stat.has("metricValue")) {
            text.append(' ').append(stat.path("metric").asText()).append(String.format(Locale.ROOT, " %.4f", stat.path("metricValue").doubleValue()))
                    .append(stat.path("isAnomaly").asBoolean() ? " (worse than " : " (threshold ").append(stat.path("anomalyDetectionThreshold").asText())
                    .append(')');
        } else {
            // A model-level quality finding names its metric where a feature finding names the feature.
            if (!stat.has("featureDisplayName") && stat.has("metric")) {
                text.append(' ').append(stat.path("metric").asText());
            }
            text.append(' ').append(stat.path("dataStatus").asText());
        }
        if (stat.has("matchedPredictionCount")) {
            text.append(", ").append(stat.path("matchedPredictionCount").asText()).append(" of ").append(stat.path("predictionCount").asText())
                    .append(" predictions labelled");
        }
        text.append(" (deployed model ").append(stat.path("deployedModelId").asText()).append(')');
        if (stat.has("message")) {
            text.append(": ").append(stat.path("message").asText());
        }
        return text.toString();
    }

    /** A run's summary line, then its notes, skipped-row reasons, error and anomalies (all findings with {@code everything}). */
    static String describe(JsonNode run, boolean everything) {
        StringBuilder text = new StringBuilder("Run " + run.path("runId").asText() + " " + run.path("state").asText() + " (" + run.path("trigger").asText()
                + ") window " + run.path("windowStartTime").asText() + " to " + run.path("windowEndTime").asText() + ": "
                + count(run.path("rowsRead").asLong(), "row", "rows") + " read, " + run.path("rowsSkipped").asText() + " skipped, "
                + count(run.path("instancesProfiled").asLong(), "instance", "instances") + ", " + count(run.path("anomalyCount").asLong(), "anomaly", "anomalies") + "\n");
        run.path("notes").forEach(note -> text.append("  note: ").append(note.asText()).append('\n'));
        run.path("skippedRowReasons").forEach(r -> text.append("  skipped ").append(r.path("count").asText()).append(": ").append(r.path("reason").asText())
                .append('\n'));
        if (run.has("error")) {
            text.append("  error: ").append(run.path("error").path("message").asText()).append('\n');
        }
        for (JsonNode stat : run.path("featureStats")) {
            if (everything || stat.path("isAnomaly").asBoolean(false)) {
                text.append(stat.path("isAnomaly").asBoolean(false) ? "  ANOMALY " : "  ").append(finding(stat)).append('\n');
            }
        }
        return text.toString();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
        // the first line is the summary `lathe monitors --help` lists; picocli wraps each line and starts a new one at each
        "Creates monitor ID on an endpoint, checked every --interval over the last --window of the prediction log.",
        "What it checks: skew (vs the deployed version's training data) and/or drift (vs the previous window), optionally feature attributions, and/or prediction quality (an ML.EVALUATE metric of the logged predictions against ground truth that arrives later: --quality-metric, --quality-threshold, --ground-truth)."})
    static final class Create extends Subcommand {
        @Parameters(paramLabel = "ID", description = "Monitor id: lower-case letters, digits and hyphens.")
        String id;

        @Option(names = "--endpoint", required = true, paramLabel = "ENDPOINT", description = "The endpoint whose prediction log is checked (its id).")
        String endpoint;

        @Option(names = "--deployed-model", paramLabel = "ID", split = ",", description = "Deployed model ids to monitor (default: all).")
        List<String> deployedModels = List.of();

        @Option(names = "--skew", description = "Compare with the training data (default when none of --skew, --drift, --quality-metric is given).")
        boolean skew;

        @Option(names = "--drift", description = "Compare with the previous window (default when none of --skew, --drift, --quality-metric is given).")
        boolean drift;

        @Option(names = "--quality-metric", paramLabel = "METRIC", description = "Watch this ML.EVALUATE metric of the logged predictions against ground truth: accuracy, precision, recall, f1_score, roc_auc, log_loss (classifiers); mean_absolute_error, mean_squared_error, mean_squared_log_error, median_absolute_error, r2_score, explained_variance (regressors).")
        Optional<String> qualityMetric = Optional.empty();

        @Option(names = "--quality-threshold", paramLabel = "V", description = "Alert when the metric is worse than V: below it for scores (accuracy, roc_auc, r2_score, ...), above it for errors and log_loss.")
        Optional<Double> qualityThreshold = Optional.empty();

        @Option(names = "--ground-truth", paramLabel = "TABLE", description = "The labels, a table dataset.table with request ids and labels.")
        Optional<String> groundTruth = Optional.empty();

        @Option(names = "--request-id-column", paramLabel = "COLUMN", description = "Its request id column (default: request_id).")
        Optional<String> requestIdColumn = Optional.empty();

        @Option(names = "--label-column", paramLabel = "COLUMN", description = "Its label column (default: the model's label, else label).")
        Optional<String> labelColumn = Optional.empty();

        @Option(names = "--instance-index-column", paramLabel = "COLUMN", description = "Its instance index column (default: instance_index, if any).")
        Optional<String> instanceIndexColumn = Optional.empty();

        @Option(names = "--label-delay", paramLabel = "DURATION", description = "How long after a window ends its labels are complete (e.g. 1h); the schedule judges each window only then. Default: 0s.")
        Optional<String> labelDelay = Optional.empty();

        @Option(names = "--attributions", description = "Also compare feature attribution shares (models trained with enable_global_explain for skew).")
        boolean attributions;

        @Option(names = "--threshold", paramLabel = "FEATURE=V", split = ",", description = "Per-feature distance thresholds (0 to 1).")
        Map<String, Double> thresholds = new LinkedHashMap<>();

        @Option(names = "--attribution-threshold", paramLabel = "FEATURE=V", split = ",", description = "Per-feature attribution thresholds.")
        Map<String, Double> attributionThresholds = new LinkedHashMap<>();

        @Option(names = "--default-threshold", paramLabel = "V", defaultValue = "0.3", description = "Default: ${DEFAULT-VALUE}.")
        double defaultThreshold;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "24h", description = "How often windows end (e.g. 1h). Default: ${DEFAULT-VALUE}.")
        String interval;

        @Option(names = "--window", paramLabel = "DURATION", description = "How much of the log a run reads (default: the interval).")
        Optional<String> window = Optional.empty();

        @Option(names = "--sample-rate", paramLabel = "R", defaultValue = "1", description = "Share of logged requests read (0 to 1]. Default: ${DEFAULT-VALUE}.")
        double sampleRate;

        @Option(names = "--webhook", paramLabel = "URL", description = "Alerts are POSTed here as JSON (retried with backoff).")
        Optional<String> webhook = Optional.empty();

        @Option(names = "--display-name", paramLabel = "TEXT", description = "Default: ID.")
        Optional<String> displayName = Optional.empty();

        @Override
        String run(RestCall.Http http) throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode().put("displayName", displayName.orElse(id)).put("endpoint", endpoint);
            ObjectNode objective = Json.MAPPER.createObjectNode();
            boolean quality = quality(objective);
            boolean both = !skew && !drift && !quality;
            if (skew || both) {
                config(objective.putObject("trainingPredictionSkewDetectionConfig"), "Skew");
            }
            if (drift || both) {
                config(objective.putObject("predictionDriftDetectionConfig"), "Drift");
            }
            if (attributions) {
                objective.putObject("explanationConfig").put("enableFeatureAttributes", true);
            }
            ArrayNode configs = body.putArray("modelDeploymentMonitoringObjectiveConfigs");
            if (deployedModels.isEmpty()) {
                configs.addObject().set("objectiveConfig", objective);
            }
            for (String deployed : deployedModels) {
                configs.addObject().put("deployedModelId", deployed).set("objectiveConfig", objective.deepCopy());
            }
            ObjectNode schedule = body.putObject("modelDeploymentMonitoringScheduleConfig").put("monitorInterval", duration(interval, "--interval"));
            window.ifPresent(w -> schedule.put("monitorWindow", duration(w, "--window")));
            body.putObject("loggingSamplingStrategy").putObject("randomSampleConfig").put("sampleRate", sampleRate);
            webhook.ifPresent(url -> body.putObject("modelMonitoringAlertConfig").putObject("webhookConfig").put("uri", url));
            JsonNode created = http.call("POST", BASE + "?modelDeploymentMonitoringJobId=" + id, body);
            return "Created monitor " + id(created) + " on endpoint " + endpoint + ": " + objectives(created) + ", every "
                    + created.path("modelDeploymentMonitoringScheduleConfig").path("monitorInterval").asText() + " over "
                    + created.path("modelDeploymentMonitoringScheduleConfig").path("monitorWindow").asText() + "; next run "
                    + created.path("nextScheduleTime").asText() + "\n";
        }

        /** Adds the prediction quality config when a quality option is given; answers whether one is. */
        private boolean quality(ObjectNode objective) {
            boolean any = qualityMetric.isPresent() || qualityThreshold.isPresent() || groundTruth.isPresent() || requestIdColumn.isPresent()
                    || labelColumn.isPresent() || instanceIndexColumn.isPresent() || labelDelay.isPresent();
            if (!any) {
                return false;
            }
            List<String> missing = new ArrayList<>();
            if (qualityMetric.isEmpty()) {
                missing.add("--quality-metric");
            }
            if (qualityThreshold.isEmpty()) {
                missing.add("--quality-threshold");
            }
            if (groundTruth.isEmpty()) {
                missing.add("--ground-truth");
            }
            if (!missing.isEmpty()) {
                throw LatheException.userError("Prediction quality needs " + String.join(", ", missing) + " too: the metric to watch, the value it"
                        + " must not get worse than, and the ground-truth table (e.g. --quality-metric roc_auc --quality-threshold 0.8"
                        + " --ground-truth d.labels)");
            }
            ObjectNode config = objective.putObject("predictionQualityConfig");
            config.putObject("groundTruth").put("table", groundTruth.get());
            requestIdColumn.ifPresent(c -> config.put("requestIdColumn", c));
            labelColumn.ifPresent(c -> config.put("labelColumn", c));
            instanceIndexColumn.ifPresent(c -> config.put("instanceIndexColumn", c));
            config.put("metric", qualityMetric.get());
            config.putObject("metricThreshold").put("value", qualityThreshold.get());
            labelDelay.ifPresent(d -> config.put("labelDelay", duration(d, "--label-delay")));
            return true;
        }

        private void config(ObjectNode config, String kind) {
            ObjectNode perFeature = config.putObject(kind.toLowerCase(Locale.ROOT) + "Thresholds");
            thresholds.forEach((feature, value) -> perFeature.putObject(feature).put("value", value));
            if (!attributionThresholds.isEmpty()) {
                ObjectNode perAttribution = config.putObject("attributionScore" + kind + "Thresholds");
                attributionThresholds.forEach((feature, value) -> perAttribution.putObject(feature).put("value", value));
            }
            config.putObject("default" + kind + "Threshold").put("value", defaultThreshold);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists monitors: state, endpoint, objectives, schedule.")
    static final class ListMonitors extends Subcommand {
        @Override
        String run(RestCall.Http http) throws Exception {
            List<List<String>> rows = new ArrayList<>();
            Optional<String> token = Optional.empty();
            do {
                JsonNode page = http.call("GET", BASE + "?pageSize=1000" + token.map(t -> "&pageToken=" + t).orElse(""), null);
                for (JsonNode monitor : page.path("modelDeploymentMonitoringJobs")) {
                    JsonNode schedule = monitor.path("modelDeploymentMonitoringScheduleConfig");
                    rows.add(List.of(id(monitor), monitor.path("state").asText().replace("JOB_STATE_", ""), monitor.path("endpoint").asText()
                            .replaceFirst(".*/", ""), objectives(monitor), schedule.path("monitorInterval").asText(), schedule.path("monitorWindow").asText(),
                            monitor.path("nextScheduleTime").asText("")));
                }
                token = Optional.ofNullable(page.get("nextPageToken")).map(JsonNode::asText);
            } while (token.isPresent());
            return ModelsCommand.table(List.of("monitor", "state", "endpoint", "objectives", "interval", "window", "next_run"), rows);
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists a monitor's runs, newest first, with their anomalies.")
    static final class Runs extends Subcommand {
        @Parameters(paramLabel = "ID", description = "The monitor's id (lathe monitors list).")
        String id;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        String run(RestCall.Http http) throws Exception {
            JsonNode runs = http.call("GET", BASE + "/" + id + "/runs?pageSize=" + limit, null).path("monitoringRuns");
            if (runs.isEmpty()) {
                return "Monitor " + id + " has no runs yet\n";
            }
            StringBuilder text = new StringBuilder();
            runs.forEach(run -> text.append(describe(run, false)));
            return text.toString();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a monitor now over the window ending now (or --window-end) and prints every finding.")
    static final class Run extends Subcommand {
        @Parameters(paramLabel = "ID", description = "The monitor's id (lathe monitors list).")
        String id;

        @Option(names = "--window-end", paramLabel = "TIME", description = "UTC end of the window, e.g. 2024-05-01T10:00:00Z (default: now).")
        Optional<String> windowEnd = Optional.empty();

        @Override
        String run(RestCall.Http http) throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode();
            windowEnd.ifPresent(end -> body.put("windowEndTime", end));
            return describe(http.call("POST", BASE + "/" + id + ":run", body), true);
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Lists alerts (of one monitor, or of all), newest first.")
    static final class Alerts extends Subcommand {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "Monitor id (default: all monitors).")
        Optional<String> id = Optional.empty();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        String run(RestCall.Http http) throws Exception {
            JsonNode alerts = http.call("GET", BASE + "/" + id.orElse("-") + "/alerts?pageSize=" + limit, null).path("alerts");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode alert : alerts) {
                JsonNode delivery = alert.path("webhookDelivery");
                List<String> features = new ArrayList<>();
                alert.path("anomalies").forEach(a -> features.add(a.path("objective").asText() + " " + a.path("featureDisplayName").asText(a.path("metric").asText(""))));
                rows.add(List.of(id(alert), alert.path("modelDeploymentMonitoringJob").asText().replaceFirst(".*/", ""),
                        alert.path("windowEndTime").asText(), String.join(", ", features),
                        delivery.path("state").asText() + (delivery.path("attempts").asInt() > 0 ? " after " + delivery.path("attempts").asInt() + " attempt(s)"
                                : "") + (delivery.has("lastError") ? ": " + delivery.path("lastError").asText() : ""),
                        alert.path("alertTime").asText()));
            }
            return ModelsCommand.table(List.of("alert", "monitor", "window_end", "anomalies", "webhook", "alert_time"), rows);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Takes a monitor off the schedule.")
    static final class Pause extends Subcommand {
        @Parameters(paramLabel = "ID", description = "The monitor's id (lathe monitors list).")
        String id;

        @Override
        String run(RestCall.Http http) throws Exception {
            http.call("POST", BASE + "/" + id + ":pause", Json.MAPPER.createObjectNode());
            return "Paused monitor " + id + "\n";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Puts a monitor back on the schedule from the next window.")
    static final class Resume extends Subcommand {
        @Parameters(paramLabel = "ID", description = "The monitor's id (lathe monitors list).")
        String id;

        @Override
        String run(RestCall.Http http) throws Exception {
            http.call("POST", BASE + "/" + id + ":resume", Json.MAPPER.createObjectNode());
            return "Resumed monitor " + id + "; next run " + http.call("GET", BASE + "/" + id, null).path("nextScheduleTime").asText() + "\n";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a monitor with its runs and alerts.")
    static final class Delete extends Subcommand {
        @Parameters(paramLabel = "ID", description = "The monitor's id (lathe monitors list).")
        String id;

        @Override
        String run(RestCall.Http http) throws Exception {
            http.call("DELETE", BASE + "/" + id, null);
            return "Deleted monitor " + id + "\n";
        }
    }

    /** "1 row", "2 rows" (probe L: "1 rows read"). */
    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
