package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModules;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MonitorsCommandTest {
    @TempDir
    Path dataDirectory;

    private record Run(int exitCode, String out, String err) {}

    private Run lathe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDirectory.toString()));
        all.addAll(List.of(args));
        return new Run(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run run = lathe(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    /** Penguins twice as heavy as any in the training data. */
    private static String heavyPenguins() {
        StringBuilder instances = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            instances.append(i == 0 ? "" : ", ").append("{\"species\": \"").append(i % 2 == 0 ? "Adelie" : "Gentoo").append("\", \"island\": \"")
                    .append(i % 2 == 0 ? "Dream" : "Biscoe").append("\", \"bill_length_mm\": ").append(38 + i * 0.5).append(", \"bill_depth_mm\": ")
                    .append(15 + i * 0.2).append(", \"body_mass_g\": ").append(12000 + i * 50).append(", \"sex\": \"").append(i % 3 == 0 ? "MALE" : "FEMALE")
                    .append("\"}");
        }
        return instances.append(']').toString();
    }

    /** A flipper length regressor deployed on endpoint shop, which logs every request. */
    private void deployFlipper() throws Exception {
        Path csv = Path.of(getClass().getResource("/dev/lathe/samples/penguins.csv").toURI());
        ok("sql", "-e", """
                CREATE SCHEMA p;
                LOAD DATA INTO p.raw FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL p.flipper OPTIONS (model_type = 'linear_reg', input_label_cols = ['flipper_length_mm'])
                AS SELECT * EXCEPT (year) FROM p.raw WHERE flipper_length_mm IS NOT NULL""".formatted(csv));
        ok("endpoints", "create", "shop", "--logging-rate", "1");
        ok("endpoints", "deploy", "shop", "--model", "p.flipper");
    }

    @Test
    void monitorCommandsCreateRunAndListWithAndWithoutAServer() throws Exception {
        deployFlipper();
        ok("endpoints", "predict", "shop", "--instances", heavyPenguins());

        // Without a server: a server is started for each call, without a scheduler.
        Run created = ok("monitors", "create", "m1", "--endpoint", "shop", "--threshold", "island=0.9", "--interval", "1h");
        assertThat(created.out()).contains("Created monitor m1 on endpoint shop: skew, drift, every 3600s over 3600s; next run");
        Run run = ok("monitors", "run", "m1");
        assertThat(run.out()).contains("SUCCEEDED (MANUAL)").contains("1 row read, 0 skipped, 20 instances")
                .contains("ANOMALY RAW_FEATURE_SKEW body_mass_g JENSEN_SHANNON_DIVERGENCE").contains("RAW_FEATURE_SKEW island L_INFTY")
                .contains("<= 0.9").contains("RAW_FEATURE_DRIFT body_mass_g NO_BASELINE_DATA");
        assertThat(ok("monitors", "alerts").out()).contains("m1").contains("RAW_FEATURE_SKEW body_mass_g").contains("NOT_CONFIGURED");

        try (Platform platform = Platform.open(dataDirectory)) {
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {});
            ServerModules.standard().forEach(module -> module.configure(builder));
            try (LatheServer server = builder.start()) {
                assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                assertThat(ok("monitors", "list").out()).contains("m1").contains("RUNNING").contains("shop").contains("skew, drift").contains("3600s");
                assertThat(ok("monitors", "runs", "m1").out()).contains("SUCCEEDED (MANUAL)").contains("ANOMALY RAW_FEATURE_SKEW body_mass_g");
                Run past = ok("monitors", "run", "m1", "--window-end", "2001-01-01T00:00:00Z");
                assertThat(past.out()).contains("NO_DATA").contains("0 rows read");
                ok("monitors", "pause", "m1");
                assertThat(ok("monitors", "list").out()).contains("PAUSED");
                assertThat(ok("monitors", "resume", "m1").out()).contains("next run");
                assertThat(ok("monitors", "alerts", "m1").out().lines().filter(l -> l.contains("RAW_FEATURE_SKEW"))).as("one alert per window")
                        .hasSize(1);

                Run unknown = lathe("monitors", "create", "m2", "--endpoint", "nope");
                assertThat(unknown.exitCode()).isNotZero();
                assertThat(unknown.err()).contains("'nope' does not exist");
                Run feature = lathe("monitors", "create", "m2", "--endpoint", "shop", "--threshold", "islands=0.2");
                assertThat(feature.err()).contains("skewThresholds.islands").contains("did you mean 'island'");
                assertThat(lathe("monitors", "create", "m2", "--endpoint", "shop", "--interval", "5x").err()).contains("--interval is '5x'");
                assertThat(ok("monitors", "delete", "m1").out()).contains("Deleted monitor m1");
                assertThat(lathe("monitors", "runs", "m1").err()).contains("'m1' does not exist");
            }
        }
    }

    @Test
    void createsAPredictionQualityMonitorFromFlagsAndRejectsBadValues() throws Exception {
        deployFlipper();
        String penguin = "[{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
                + "\"body_mass_g\": 3700, \"sex\": \"MALE\"}]";
        ok("endpoints", "predict", "shop", "--instances", penguin);
        ok("endpoints", "predict", "shop", "--instances", penguin);
        // Labels arrive later, under the request ids the server gave the two requests; no penguin has 400 mm flippers.
        ok("sql", "-e", "CREATE TABLE p.labels AS SELECT request_id, 400.0 AS flipper_length_mm FROM lathe_logs.request_response_logging");

        assertThat(ok("monitors", "create", "--help").out()).contains("--quality-metric").contains("--quality-threshold").contains("--ground-truth")
                .contains("--label-column").contains("--label-delay");
        Run created = ok("monitors", "create", "q1", "--endpoint", "shop", "--quality-metric", "mean_absolute_error", "--quality-threshold", "50",
                "--ground-truth", "p.labels", "--label-column", "flipper_length_mm", "--label-delay", "0s", "--interval", "1h");
        assertThat(created.out()).contains("Created monitor q1 on endpoint shop: quality mean_absolute_error vs 50.0 after 0s, every 3600s")
                .doesNotContain("skew");
        Run run = ok("monitors", "run", "q1");
        assertThat(run.out()).contains("SUCCEEDED (MANUAL)").contains("ANOMALY PREDICTION_QUALITY mean_absolute_error")
                .contains("(worse than 50.0), 2 of 2 predictions labelled");
        assertThat(ok("monitors", "alerts", "q1").out()).contains("PREDICTION_QUALITY mean_absolute_error");
        assertThat(ok("monitors", "list").out()).contains("quality mean_absolute_error vs 50.0 after 0s");

        Run incomplete = lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "r2_score");
        assertThat(incomplete.exitCode()).isNotZero();
        assertThat(incomplete.err()).contains("needs --quality-threshold, --ground-truth too");
        Run wrongType = lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "roc_auc", "--quality-threshold", "0.8",
                "--ground-truth", "p.labels");
        assertThat(wrongType.exitCode()).isNotZero();
        assertThat(wrongType.err()).contains("predictionQualityConfig.metric").contains("'roc_auc' is not a metric").contains("r2_score");
        assertThat(lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "r2score", "--quality-threshold", "0.8",
                "--ground-truth", "p.labels").err()).contains("did you mean 'r2_score'");
        assertThat(lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "r2_score", "--quality-threshold", "0.8",
                "--ground-truth", "p.labels", "--label-delay", "soon").err()).contains("--label-delay is 'soon'");
        assertThat(lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "r2_score", "--quality-threshold", "high",
                "--ground-truth", "p.labels").exitCode()).isNotZero();
        assertThat(lathe("monitors", "create", "q2", "--endpoint", "shop", "--quality-metric", "r2_score", "--quality-threshold", "0.8",
                "--ground-truth", "p.nolabels").err()).contains("p.nolabels not found");
        assertThat(lathe("monitors", "runs", "q2").err()).as("no failed create left a monitor").contains("'q2' does not exist");
    }
}
