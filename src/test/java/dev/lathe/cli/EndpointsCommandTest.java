package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModules;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EndpointsCommandTest {
    private static final String INSTANCE = "{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
            + "\"flipper_length_mm\": 181, \"sex\": \"MALE\"}";

    @TempDir
    Path dataDirectory;

    private record Run(int exitCode, String out, String err) {}

    private Run lathe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDirectory.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run run = lathe(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private static String deployedId(Run run) {
        Matcher matcher = Pattern.compile("deployed model (\\d+)").matcher(run.out());
        assertThat(matcher.find()).as(run.out()).isTrue();
        return matcher.group(1);
    }

    @Test
    void endpointCommandsWorkAgainstARunningServerAndWithoutOne() throws Exception {
        Path csv = Path.of(getClass().getResource("/dev/lathe/samples/penguins.csv").toURI());
        ok("sql", "-e", """
                CREATE SCHEMA p;
                LOAD DATA INTO p.raw FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL p.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
                AS SELECT * EXCEPT (year) FROM p.raw WHERE body_mass_g IS NOT NULL;
                CREATE OR REPLACE MODEL p.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], l2_reg = 2)
                AS SELECT * EXCEPT (year) FROM p.raw WHERE body_mass_g IS NOT NULL""".formatted(csv));
        // Without a server: the commands open the data directory themselves.
        assertThat(ok("endpoints", "create", "shop", "--logging-rate", "0.5").out()).contains("endpoints/shop");
        String first = deployedId(ok("endpoints", "deploy", "shop", "--model", "p.weight@1"));

        try (Platform platform = Platform.open(dataDirectory)) {
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {});
            ServerModules.standard().forEach(module -> module.configure(builder));
            try (LatheServer server = builder.start()) {
                assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                String second = deployedId(ok("endpoints", "deploy", "shop", "--model", "p.weight@2", "--traffic", "20"));
                String listed = ok("endpoints", "list").out();
                assertThat(ok("endpoints", "list", "--format", "json").out()).startsWith("{\"endpoints\":[{").contains("\"deployedModels\"");
                assertThat(listed).contains("shop").containsPattern(first + " +│ p.weight@1 +│ +80%").containsPattern(second + " +│ p.weight@2 +│ +20%");
                Run bad = lathe("endpoints", "split", "shop", "--traffic", first + "=50," + second + "=40");
                assertThat(bad.exitCode()).isEqualTo(2); // cli.md: 2 bad input, 3 not found, 4 conflict, through the server too
                assertThat(lathe("endpoints", "get", "nowhere").exitCode()).isEqualTo(3);
                assertThat(lathe("endpoints", "create", "shop").exitCode()).isEqualTo(4);
                assertThat(bad.err()).contains("'--traffic'").contains("sum to 100");
                assertThat(ok("endpoints", "split", "shop", "--traffic", first + "=0," + second + "=100").out())
                        .isEqualTo("Traffic split of shop: " + first + " (p.weight@1) 0%, " + second + " (p.weight@2) 100%\n");
                String predicted = ok("endpoints", "predict", "shop", "--instances", "[" + INSTANCE + "]").out();
                assertThat(predicted).contains("predicted_body_mass_g").contains("\"deployedModelId\" : \"" + second + "\"");
                Path jsonl = Files.writeString(dataDirectory.resolve("instances.jsonl"), INSTANCE + "\n" + INSTANCE + "\n");
                assertThat(ok("endpoints", "predict", "shop", "--file", jsonl.toString()).out().split("predicted_body_mass_g", -1)).hasSize(3);
                Run refused = lathe("models", "delete", "p.weight@2");
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.err()).contains("shop");
                ok("endpoints", "undeploy", "shop", "--deployed-model-id", first);
                assertThat(ok("endpoints", "get", "shop").out()).doesNotContain(first).contains("\"samplingRate\" : 0.5");
            }
        }
        ok("endpoints", "undeploy", "shop", "--deployed-model-id", deployedIdOf(ok("endpoints", "list").out()));
        assertThat(ok("endpoints", "delete", "shop").out()).contains("Deleted endpoint shop");
        Run missing = lathe("endpoints", "get", "shop");
        assertThat(missing.err()).contains("'shop' not found");
        assertThat(missing.exitCode()).isEqualTo(3);
    }

    /** Probe D: --traffic on an endpoint without traffic, a repeated id in a split, a missing --file, bad --instances. */
    @Test
    void trafficAndFileOptionsAreCheckedAsTheUserWroteThem() throws Exception {
        ok("sql", "-e", "CREATE SCHEMA q; LOAD DATA INTO q.raw FROM FILES (format = 'CSV', uris = ['"
                + Path.of(getClass().getResource("/dev/lathe/samples/penguins.csv").toURI()) + "'])");
        ok("sql", "-e", "CREATE MODEL q.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT * EXCEPT (year) FROM q.raw WHERE body_mass_g IS NOT NULL");
        ok("endpoints", "create", "dark");
        Run canary = lathe("endpoints", "deploy", "dark", "--model", "q.weight", "--traffic", "20");
        assertThat(canary.exitCode()).isEqualTo(2);
        assertThat(canary.err()).contains("Invalid value for '--traffic': the endpoint's models take no traffic now");
        assertThat(ok("endpoints", "get", "dark").out()).contains("\"deployedModels\" : [ ]"); // nothing deployed
        String dark = deployedId(ok("endpoints", "deploy", "dark", "--model", "q.weight", "--traffic", "0"));
        assertThat(ok("endpoints", "list").out()).containsPattern(dark + " +│ q.weight@1 +│ +0%");
        Run twice = lathe("endpoints", "split", "dark", "--traffic", dark + "=50," + dark + "=50");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("--traffic names deployed model " + dark + " twice");
        Run missing = lathe("endpoints", "predict", "dark", "--file", dataDirectory.resolve("nowhere.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        Path cut = Files.writeString(dataDirectory.resolve("cut.jsonl"), "{\"species\": \"Adelie\"\n{\"a\": 1}\n");
        Run malformed = lathe("endpoints", "predict", "dark", "--file", cut.toString());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("line 1, column 21: not valid JSON").contains("(start marker at line 1, column 1)")
                .doesNotContain("REDACTED"); // Jackson's "[Source: REDACTED (...)]" reached the user (probe L)
        assertThat(missing.err()).contains("Instances file '" + dataDirectory.resolve("nowhere.jsonl").toAbsolutePath()
                + "' (from --file) does not exist");
        Run directory = lathe("endpoints", "predict", "dark", "--file", dataDirectory.toString());
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains("(from --file) is a directory");
        Run bare = lathe("endpoints"); // no subcommand: the list, as bad usage (it exited 0)
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("deploy").contains("predict");
        Run badJson = lathe("endpoints", "predict", "dark", "--instances", "{bad");
        assertThat(badJson.exitCode()).isEqualTo(2);
        assertThat(badJson.err()).contains("--instances is not valid JSON at line 1, column 2");
    }

    /** Probe L: the CLI's errors named the REST fields its flags fill, and REST-only remedies. */
    @Test
    void errorsNameTheCommandsFlagsNotTheRestFields() {
        Run rate = lathe("endpoints", "create", "x1", "--logging-rate", "1.5");
        assertThat(rate.exitCode()).isEqualTo(2);
        assertThat(rate.err()).contains("Invalid value for '--logging-rate': must be a number from 0 to 1").doesNotContain("samplingRate");
        assertThat(lathe("endpoints", "create", "Shop").err()).contains("Invalid value for NAME: must be 1 to 63 lower-case letters");
        assertThat(RestCall.inCliTerms("lathe endpoints undeploy", "Deployed model 1 still receives 100% of the traffic; give a trafficSplit"
                + " without it (summing to 100 over [2, 3]) or move its traffic first"))
                .isEqualTo("Deployed model 1 still receives 100% of the traffic; move its traffic to the others (2, 3) first with lathe endpoints split");
        assertThat(RestCall.inCliTerms("lathe endpoints split", "Invalid value for 'trafficSplit': the percentages must sum to 100"))
                .isEqualTo("Invalid value for '--traffic': the percentages must sum to 100");
        assertThat(RestCall.inCliTerms("lathe endpoints get", "Invalid value for 'trafficSplit'")).isEqualTo("Invalid value for 'trafficSplit'");
    }

    private static String deployedIdOf(String listed) {
        Matcher matcher = Pattern.compile("│ (\\d{10}) ").matcher(listed);
        assertThat(matcher.find()).as(listed).isTrue();
        return matcher.group(1);
    }
}
