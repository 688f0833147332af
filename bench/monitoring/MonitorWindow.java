import dev.lathe.engine.Platform;
import dev.lathe.monitor.Monitoring;
import dev.lathe.monitor.MonitoringModule;
import dev.lathe.serve.EndpointsModule;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One monitoring run over a large window: {@code MonitorWindow <data dir> <penguins.csv> <rows> <instances per row> [attributions]}.
 * Trains a linear model on penguins, deploys it to an endpoint with request logging, writes {@code rows} synthetic
 * log rows of {@code instances per row} instances each into one hour of the prediction log, then times a
 * skew + drift run over that hour (drift reads the empty hour before) and prints the heap's peak during the run.
 */
public final class MonitorWindow {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path csv = Path.of(args[1]).toAbsolutePath();
        long rows = Long.parseLong(args[2]);
        int perRow = Integer.parseInt(args[3]);
        boolean attributions = args.length > 4 && args[4].equals("attributions");
        try (Platform platform = Platform.open(data)) {
            platform.session(line -> {}).execute("""
                    CREATE SCHEMA d;
                    LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s']);
                    CREATE MODEL d.flipper OPTIONS (model_type = 'linear_reg', input_label_cols = ['flipper_length_mm'], enable_global_explain = TRUE) AS
                      SELECT * EXCLUDE (year) FROM d.penguins WHERE flipper_length_mm IS NOT NULL;""".formatted(csv), (text, result) -> {});
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {});
            new EndpointsModule().configure(builder);
            MonitoringModule module = new MonitoringModule(Clock.systemUTC(), Optional.empty(), dev.lathe.monitor.WebhookPolicy.DEFAULT);
            module.configure(builder);
            try (LatheServer server = builder.start()) {
                server.awaitReady(5, TimeUnit.MINUTES);
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port() + "/v1/projects/p/locations/l/";
                post(http, base + "endpoints?endpointId=shop", "{\"displayName\": \"shop\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, \"samplingRate\": 1}}");
                String deployed = post(http, base + "endpoints/shop:deployModel", "{\"deployedModel\": {\"model\": \"d.flipper\"}, \"trafficSplit\": {\"0\": 100}}")
                        .replaceAll("(?s).*\"deployedModel\":\\{\"id\":\"(\\d+)\".*", "$1");
                post(http, base + "endpoints/shop:predict", "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39, "
                        + "\"bill_depth_mm\": 18, \"body_mass_g\": 3700, \"sex\": \"MALE\"}]}");
                try (Connection connection = platform.warehouse().connect(); Statement statement = connection.createStatement()) {
                    for (int attempt = 0; attempt < 400; attempt++) {
                        try (ResultSet set = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'lathe_logs'")) {
                            set.next();
                            if (set.getLong(1) > 0) {
                                break;
                            }
                        }
                        Thread.sleep(25);
                    }
                    long start = System.nanoTime();
                    statement.execute("""
                            INSERT INTO lathe_logs.request_response_logging
                            SELECT 'shop', '%s', TIMESTAMP '2030-01-01 10:00:00' + to_microseconds(i * 3600000000 // %d), uuid()::VARCHAR,
                              '{"instances": [' || array_to_string(list_transform(range(%d), k -> format(
                                '{{"species": "{}", "island": "{}", "bill_length_mm": {}, "bill_depth_mm": {}, "body_mass_g": {}, "sex": "{}"}}',
                                ['Adelie', 'Gentoo', 'Chinstrap'][(i + k) %% 3 + 1], ['Dream', 'Biscoe', 'Torgersen'][(i * 7 + k) %% 3 + 1],
                                35 + (i * 7 + k) %% 20, 14 + (i + k) %% 7, 3000 + (i * 13 + k) %% 3000, ['MALE', 'FEMALE'][(i + k) %% 2 + 1])), ', ') || ']}',
                              '{}', 'd.flipper', '1'
                            FROM range(%d) t(i)""".formatted(deployed, rows, perRow, rows));
                    System.out.printf("wrote %d log rows x %d instances in %.1f s%n", rows, perRow, (System.nanoTime() - start) / 1e9);
                }
                String objective = "{\"trainingPredictionSkewDetectionConfig\": {}, \"predictionDriftDetectionConfig\": {}"
                        + (attributions ? ", \"explanationConfig\": {\"enableFeatureAttributes\": true}" : "") + "}";
                post(http, base + "modelDeploymentMonitoringJobs?modelDeploymentMonitoringJobId=bench", "{\"displayName\": \"bench\", \"endpoint\": \"shop\", "
                        + "\"modelDeploymentMonitoringObjectiveConfigs\": [{\"objectiveConfig\": " + objective + "}], "
                        + "\"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"3600s\"}}");
                Monitoring monitoring = module.monitoring().orElseThrow();
                for (int repeat = 0; repeat < 3; repeat++) {
                    System.gc();
                    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                    long start = System.nanoTime();
                    var run = monitoring.runNow("bench", Optional.of(Instant.parse("2030-01-01T11:00:00Z")));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                            .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                    System.out.printf("RESULT run=%d state=%s rows=%d instances=%d seconds=%.2f instances_per_s=%.0f heap_peak_mb=%d anomalies=%d%n", repeat,
                            run.state(), run.rowsRead(), run.instances(), seconds, run.instances() / seconds, peak >> 20, run.anomalies().size());
                }
            }
        }
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
