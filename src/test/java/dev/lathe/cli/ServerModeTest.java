package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerDiscovery;
import dev.lathe.server.ServerInfo;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerModeTest {
    private static final String TYPES = "SELECT 1 AS i, 2.5::DOUBLE AS d, 'x,y' AS s, NULL AS n, [1, 2] AS l, "
            + "{'label': 'a', 'prob': 0.25} AS st, DATE '2024-01-02' AS day, TIMESTAMP '2024-01-02 03:04:05.25' AS ts, 1.50 AS dec";

    @TempDir
    Path dataDirectory;

    private record Run(int exitCode, String out, String err) {}

    private Run lathe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    private Run sql(String format, String script) {
        return lathe("--data-dir", dataDirectory.toString(), "sql", "--format", format, "-e", script);
    }

    @Test
    void sqlGoesThroughTheRunningServerAndPrintsWhatDirectModePrints() throws Exception {
        Path csv = Path.of(getClass().getResource("/dev/lathe/samples/penguins.csv").toURI());
        String predict = "SELECT predicted_body_mass_g, species FROM ML.PREDICT(MODEL p.weight, "
                + "(SELECT * FROM p.raw WHERE body_mass_g IS NOT NULL ORDER BY body_mass_g, species LIMIT 3))";
        Run setup = sql("table", """
                CREATE SCHEMA p;
                LOAD DATA INTO p.raw FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL p.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
                AS SELECT * FROM p.raw WHERE body_mass_g IS NOT NULL""".formatted(csv));
        assertThat(setup.exitCode()).as(setup.err()).isZero();
        Map<String, String> direct = Map.of(
                "table", sql("table", TYPES + ";\n" + predict).out(),
                "csv", sql("csv", TYPES + ";\n" + predict).out(),
                "json", sql("json", TYPES + ";\n" + predict).out());

        Map<String, String> remote = new java.util.HashMap<>();
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            for (String format : direct.keySet()) {
                Run run = sql(format, TYPES + ";\n" + predict);
                assertThat(run.exitCode()).as(run.err()).isZero();
                remote.put(format, run.out());
            }
            // The server holds the DuckDB file: a direct open would fail with the lock error; through the server it works.
            Run created = sql("table", "CREATE TABLE p.copy AS SELECT * FROM p.raw; SELECT count(*) AS n FROM p.copy");
            assertThat(created.exitCode()).as(created.err()).isZero();
            Run failure = sql("table", "SELECT * FROM ML.PREDICT(MODEL p.missing, (SELECT 1 AS x))");
            assertThat(failure.exitCode()).isEqualTo(3);
            assertThat(failure.err()).startsWith("Error: ").contains("p.missing");
        }
        assertThat(remote).isEqualTo(direct);
        assertThat(Files.exists(ServerDiscovery.file(dataDirectory))).isFalse();
    }

    /** {@code script}'s output in each format, without a server (key "direct table", ...) and through one ("server table", ...). */
    private Map<String, Run> directAndThroughServer(String script) {
        Map<String, Run> runs = new java.util.TreeMap<>();
        for (String format : List.of("table", "csv", "json")) {
            runs.put("direct " + format, sql(format, script));
        }
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {}).start()) {
            for (String format : List.of("table", "csv", "json")) {
                runs.put("server " + format, sql(format, script));
            }
        }
        return runs;
    }

    private static void assertSameInBothModes(Map<String, Run> runs) {
        for (String format : List.of("table", "csv", "json")) {
            Run direct = runs.get("direct " + format);
            assertThat(direct.exitCode()).as(direct.err()).isZero();
            assertThat(runs.get("server " + format)).as(format).isEqualTo(direct);
        }
    }

    /**
     * Probe sc F3: a MAP printed as a JSON object without a server but as a list of key/value records through one. The
     * server marks a MAP's record, and the CLI prints it as the object direct mode prints.
     */
    @Test
    void aMapPrintsTheSameObjectWithAndWithoutAServer() {
        Map<String, Run> runs = directAndThroughServer("SELECT MAP {'k1': 1, 'k2': NULL} AS m, MAP {[1]: 'x'} AS m2, "
                + "{'inner': MAP {DATE '2024-01-02': 2.5::DOUBLE}} AS st, CAST(NULL AS MAP(VARCHAR, INTEGER)) AS none");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo(
                "{\"m\":{\"k1\":1,\"k2\":null},\"m2\":{\"[1]\":\"x\"},\"st\":{\"inner\":{\"2024-01-02\":2.5}},\"none\":null}\n");
    }

    /**
     * Probe sc F1, F2: through a server a list of lists failed the CLI (NumberFormatException: For input string: "[1, 2]"),
     * a list of lists of strings printed its inner lists as strings and a list of MAPs lost their keys and values. BigQuery
     * has no array of arrays: the server sends each inner list in a record marked LIST, which the CLI reads back.
     */
    @Test
    void nestedListsAndListsOfMapsPrintTheSameWithAndWithoutAServer() {
        Map<String, Run> runs = directAndThroughServer("SELECT [[1, 2], [3]] AS v, [[1.5], [2.5]] AS d, [['a', 'b'], ['c']] AS w, "
                + "{'a': [[1]]} AS st, [MAP {'k': 1}] AS lm, [[[1], NULL, []]] AS deep, [[{'x': [[2]]}]] AS ls, "
                + "MAP {'m': [[3]]} AS ml, [NULL, [4]] AS hole, CAST(NULL AS INTEGER[][]) AS none");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo("{\"v\":[[1,2],[3]],\"d\":[[1.5],[2.5]],\"w\":[[\"a\",\"b\"],[\"c\"]],"
                + "\"st\":{\"a\":[[1]]},\"lm\":[{\"k\":1}],\"deep\":[[[1],null,[]]],\"ls\":[[{\"x\":[[2]]}]],\"ml\":{\"m\":[[3]]},"
                + "\"hole\":[null,[4]],\"none\":null}\n");
    }

    /**
     * Probe sc F4: DuckDB's infinite dates printed as the far dates the JDBC driver makes of them, -infinity as the year
     * +290309. They print as DuckDB writes them, with or without a server, and finite dates as before.
     */
    @Test
    void infiniteDatesAndTimestampsPrintAsInfinity() {
        Map<String, Run> runs = directAndThroughServer("SELECT '-infinity'::TIMESTAMP AS a, 'infinity'::TIMESTAMP AS b, "
                + "'infinity'::DATE AS c, '-infinity'::DATE AS d, 'infinity'::TIMESTAMPTZ AS e, '-infinity'::TIMESTAMPTZ AS f, "
                + "'infinity'::TIMESTAMP_NS AS g, '-infinity'::TIMESTAMP_MS AS h, ['infinity'::DATE, DATE '2024-01-02'] AS l, "
                + "{'t': '-infinity'::TIMESTAMP} AS st, TIMESTAMP '294247-01-10 04:00:54.775806' AS latest, "
                + "TIMESTAMP '2024-01-02 03:04:05.5' AS ts");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo("{\"a\":\"-infinity\",\"b\":\"infinity\",\"c\":\"infinity\","
                + "\"d\":\"-infinity\",\"e\":\"infinity\",\"f\":\"-infinity\",\"g\":\"infinity\",\"h\":\"-infinity\","
                + "\"l\":[\"infinity\",\"2024-01-02\"],\"st\":{\"t\":\"-infinity\"},\"latest\":\"+294247-01-10 04:00:54.775806\","
                + "\"ts\":\"2024-01-02 03:04:05.5\"}\n");
        assertThat(runs.get("direct csv").out()).startsWith("a,b,c,d,e,f,g,h,l,st,latest,ts\r\n-infinity,infinity,infinity,-infinity,");
    }

    /**
     * Probe sc F5: a table holding the TIME 24:00:00 (DuckDB's last TIME) could be created but never printed: the JDBC
     * driver's LocalTime stops at 23:59:59.999999999, and the whole result failed ("Invalid value for NanoOfDay").
     */
    @Test
    void theTimeTwentyFourOClockPrints() {
        Run created = sql("csv", "CREATE TABLE times AS SELECT * FROM (VALUES (1, TIME '24:00:00'), (2, TIME '10:00:00.25'), (3, NULL)) t(i, v)");
        assertThat(created.exitCode()).as(created.err()).isZero();
        Map<String, Run> runs = directAndThroughServer("SELECT * FROM times ORDER BY i; SELECT '24:00:00'::TIME AS midnight");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo(
                "{\"i\":1,\"v\":\"24:00:00\"}\n{\"i\":2,\"v\":\"10:00:00.25\"}\n{\"i\":3,\"v\":null}\n{\"midnight\":\"24:00:00\"}\n");
    }

    /** Probe th F12: a TIMETZ prints with its seconds, 10:00:00+02, with and without a server. */
    @Test
    void aTimeWithTimeZonePrintsTheSameWithAndWithoutAServer() {
        Map<String, Run> runs = directAndThroughServer("SELECT TIMETZ '10:00:00+02' AS t, TIMETZ '10:00:01.5-05:30' AS u");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo("{\"t\":\"10:00:00+02\",\"u\":\"10:00:01.5-05:30\"}\n");
    }

    /**
     * Probe sc F12: a UNION's value printed as its member's (2, a number) without a server and as text ("2") through one.
     * The server sends a UNION as the record of its members, the value under its own type's, and the CLI prints that value.
     */
    @Test
    void aUnionPrintsItsValueTheSameWithAndWithoutAServer() {
        Map<String, Run> runs = directAndThroughServer("SELECT union_value(num := 2) AS un, "
                + "union_value(s := 'x')::UNION(num INTEGER, s VARCHAR) AS mixed, "
                + "[union_value(num := 3)::UNION(num INTEGER, s VARCHAR), union_value(s := 'y'), NULL] AS list, "
                + "union_value(st := {'a': 1}) AS struct_member, "
                + "union_value(l := [1, 2])::UNION(n INTEGER, l INTEGER[]) AS list_member, "
                + "union_value(d := 2.5::DOUBLE)::UNION(i INTEGER, d DOUBLE) AS d, "
                + "union_value(t := 'infinity'::TIMESTAMP)::UNION(s VARCHAR, t TIMESTAMP) AS t, "
                + "union_value(num := NULL::INTEGER)::UNION(num INTEGER, s VARCHAR) AS none");
        assertSameInBothModes(runs);
        assertThat(runs.get("direct json").out()).isEqualTo("{\"un\":2,\"mixed\":\"x\",\"list\":[3,\"y\",null],\"struct_member\":{\"a\":1},"
                + "\"list_member\":[1,2],\"d\":2.5,\"t\":\"infinity\",\"none\":null}\n");
    }

    @Test
    void aTransactionThroughTheServerCommitsAndOneLeftOpenIsRolledBack() {
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            assertThat(sql("csv", "CREATE TABLE t AS SELECT 1 AS x").exitCode()).isZero();
            // Sent as one request from BEGIN to COMMIT: the server rolls back what a request leaves open.
            Run committed = sql("csv", "BEGIN TRANSACTION; INSERT INTO t VALUES (2); SELECT count(*) AS n FROM t; COMMIT; SELECT sum(x) AS s FROM t");
            assertThat(committed.exitCode()).as(committed.err()).isZero();
            assertThat(committed.err()).contains("1 row affected"); // csv: messages on standard error
            // a query inside the transaction prints its rows, as without a server (only "1 row" was printed: probe qa)
            assertThat(committed.out().strip().lines().toList()).containsExactly("n", "2", "s", "3");
            Run paged = sql("csv", "BEGIN; SELECT i FROM range(25000) t(i) ORDER BY i; SELECT 'after' AS a; COMMIT");
            assertThat(paged.exitCode()).as(paged.err()).isZero();
            List<String> lines = paged.out().strip().lines().toList();
            assertThat(lines).hasSize(25_003).startsWith("i", "0", "1").endsWith("24999", "a", "after");
            Run open = sql("csv", "BEGIN TRANSACTION; INSERT INTO t VALUES (40)");
            assertThat(open.exitCode()).isEqualTo(4); // FAILED_PRECONDITION: the script's change was not kept
            assertThat(open.err()).contains("ended inside a transaction (BEGIN without COMMIT), so it was rolled back");
            assertThat(sql("csv", "SELECT sum(x) AS s FROM t").out()).contains("3").doesNotContain("43");
        }
        // The same without a server: the script fails, its change rolled back.
        Run direct = sql("csv", "BEGIN TRANSACTION; INSERT INTO t VALUES (40)");
        assertThat(direct.exitCode()).isEqualTo(4);
        assertThat(direct.err()).contains("ended inside a transaction");
        assertThat(sql("csv", "SELECT sum(x) AS s FROM t").out()).contains("3").doesNotContain("43");
    }

    /**
     * Probe sc: the interactive shell sends each input on its own; through a server its BEGIN was refused ("the script
     * ended inside a transaction"), the next statements committed one by one, and ROLLBACK found nothing to roll back. In
     * the shell's server session a transaction spans inputs, as on a connection of its own without a server.
     */
    @Test
    void aShellsTransactionThroughTheServerSpansItsInputs() {
        StringWriter out = new StringWriter();
        ResultPrinter printer = new ResultPrinter(new CsvFormatter(), new PrintWriter(out, true));
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform);
                SqlRunner shell = runner()) {
            assertThat(shell).isInstanceOf(SqlRunner.Remote.class);
            shell.run("CREATE TABLE t AS SELECT 1 AS x", printer);
            shell.run("BEGIN TRANSACTION;", printer);
            shell.run("INSERT INTO t VALUES (20)", printer);
            shell.run("ROLLBACK;", printer);
            shell.run("BEGIN; INSERT INTO t VALUES (2);", printer);
            shell.run("COMMIT;", printer);
            out.getBuffer().setLength(0);
            shell.run("SELECT sum(x) AS s FROM t", printer);
            assertThat(out.toString().lines().toList()).containsExactly("s", "3");
            // a script left inside a transaction still fails at its end, rolled back, as in direct mode
            shell.run("BEGIN; INSERT INTO t VALUES (40);", printer);
            org.assertj.core.api.Assertions.assertThatThrownBy(shell::endScript).hasMessageContaining("ended inside a transaction");
            out.getBuffer().setLength(0);
            shell.run("SELECT sum(x) AS s FROM t", printer);
            assertThat(out.toString().lines().toList()).containsExactly("s", "3");
        }
    }

    /**
     * Probe qa: through a server, temporary tables and variables lived in pooled connections: another client read them,
     * and a script's own could vanish. A script runs in a session of its own, as on its own connection without a server.
     */
    @Test
    void aScriptsTemporaryTablesAndVariablesAreItsOwnThroughTheServer() {
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            Run own = sql("csv", "CREATE TEMP TABLE scratch AS SELECT 'alice private row' AS v; SET VARIABLE api_key = 'alice-secret';"
                    + " SELECT v, getvariable('api_key') AS k FROM scratch");
            assertThat(own.exitCode()).as(own.err()).isZero();
            assertThat(own.out().strip().lines().toList()).containsExactly("v,k", "alice private row,alice-secret");
            Run other = sql("csv", "SELECT v FROM scratch");
            assertThat(other.exitCode()).isEqualTo(3); // not found, as without a server
            assertThat(other.err()).contains("scratch does not exist");
            Run variable = sql("csv", "SELECT getvariable('api_key') IS NULL AS unset");
            assertThat(variable.out().strip().lines().toList()).containsExactly("unset", "true");
        }
    }

    @Test
    void aLargeResultThroughTheServerPrintsEveryRowPageByPage() {
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            // 25,000 rows: three pages of the client's 10,000, the same text as the warehouse gives directly
            Run through = sql("csv", "SELECT i, 'row ' || i AS s FROM range(25000) t(i) ORDER BY i");
            assertThat(through.exitCode()).as(through.err()).isZero();
            List<String> lines = through.out().lines().toList();
            assertThat(lines).hasSize(25_001);
            assertThat(lines.get(0)).isEqualTo("i,s");
            assertThat(lines.get(10_001)).isEqualTo("10000,row 10000");
            assertThat(lines.get(25_000)).isEqualTo("24999,row 24999");
        }
    }

    @Test
    void anErrorThroughTheServerIsPlacedInTheScript() {
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            Run failed = sql("csv", "-- a comment\nSELECT 1 AS a;\n\n  SELECT\n    nosuch_col FROM range(1)");
            assertThat(failed.exitCode()).isNotZero();
            assertThat(failed.err()).contains("nosuch_col").contains("(at line 5, column 5)");
            // a statement after another on its line: its column in the script, not padded with a space per character
            // before it (probe qa: a second 5.8 MB INSERT on the line went as 11.7 MB, past the request limit)
            Run sameLine = sql("csv", "SELECT 1 AS a;   SELECT nosuch_col FROM range(1)");
            assertThat(sameLine.err()).contains("nosuch_col").contains("(at line 1, column 25)");
            String values = "(1)" + ",(1)".repeat(1_500_000); // 6 MB: two on one line passed the 10 MiB limit padded
            Run large = sql("csv", "CREATE TABLE big (x INT); INSERT INTO big VALUES " + values + "; INSERT INTO big VALUES " + values
                    + "; SELECT count(*) AS n FROM big");
            assertThat(large.exitCode()).as(large.err()).isZero();
            assertThat(large.out().strip().lines().toList()).containsExactly("n", "3000002");
        }
    }

    /** The shell's Ctrl-C through a server: the server cancels the statement, and the script's next one does not start. */
    @Test
    void cancellingARemoteRunnerCancelsTheStatementOnTheServer() throws Exception {
        StringWriter out = new StringWriter();
        ResultPrinter printer = new ResultPrinter(new CsvFormatter(), new PrintWriter(out, true));
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform);
                SqlRunner runner = runner()) {
            assertThat(runner).isInstanceOf(SqlRunner.Remote.class);
            java.util.concurrent.CompletableFuture<Void> script = java.util.concurrent.CompletableFuture.runAsync(() -> runner.run(
                    "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3; CREATE TABLE after_cancel AS SELECT 1 AS x", printer));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!script.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                runner.cancel(); // as the shell's Ctrl-C handler does
            }
            Throwable failure = script.handle((ok, e) -> e).get().getCause();
            assertThat(failure).isInstanceOf(dev.lathe.core.LatheException.class);
            assertThat(((dev.lathe.core.LatheException) failure).code()).isEqualTo(dev.lathe.core.ErrorCode.CANCELLED);
            assertThat(failure.getMessage()).startsWith("Cancelled: SELECT count(*)");
            runner.run("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'after_cancel'", printer);
        }
        assertThat(out.toString().lines().toList()).containsExactly("n", "0"); // the cancelled query printed nothing
    }

    /**
     * Probe sc: Ctrl-C (or SIGTERM) ended a `lathe sql -e` process that ran its statement through a server, and the server
     * ran the statement on and committed it: a "cancelled" CREATE TABLE was there afterwards. The process cancels it first.
     */
    @Test
    void aScriptProcessEndedBySignalCancelsItsStatementOnTheServer() throws Exception {
        try (Platform platform = Platform.open(dataDirectory);
                LatheServer server = server(platform)) {
            java.net.URI metrics = server.info().baseUri().resolve("/metrics");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", Main.class.getName(), "--data-dir",
                    dataDirectory.toString(), "sql", "-e",
                    "CREATE TABLE never AS SELECT count(*) AS n FROM range(1000000000000) t(i) WHERE i % 7 = 3");
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                // the statement's request, and this scrape, on two scrapes in a row: the CLI's short discovery request (GET
                // /healthz) counts too while it lasts, and a SIGTERM before the statement was sent left nothing to cancel
                int seen = 0;
                while (seen < 2 && System.nanoTime() < deadline) {
                    seen = inFlight(metrics) >= 2 ? seen + 1 : 0;
                    Thread.sleep(300);
                }
                assertThat(inFlight(metrics)).as("the CLI's statement runs in the server").isEqualTo(2);
                cli.destroy(); // SIGTERM; the shutdown hooks run as for Ctrl-C
                assertThat(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                while (inFlight(metrics) > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(inFlight(metrics)).as("the statement was cancelled, not left running").isEqualTo(1);
            } finally {
                cli.destroyForcibly();
            }
            StringWriter out = new StringWriter();
            try (SqlRunner runner = SqlRunner.open(dataDirectory, dev.lathe.metadata.MetadataStore.defaultUrl(dataDirectory), line -> {},
                    line -> {})) {
                runner.run("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'never'",
                        new ResultPrinter(new CsvFormatter(), new PrintWriter(out, true)));
            }
            assertThat(out.toString().lines().toList()).containsExactly("n", "0");
        }
    }

    /**
     * Probe sg: a statement of a client's session still running when the server stopped held the stop past its drain
     * for as long as it ran (37 s for a 5 s drain), then committed with its answer dropped. The stop cancels it.
     */
    @Test
    void aStopCancelsASessionsStatementStillRunningAfterTheDrain() throws Exception {
        // threads of their own: the common pool has one worker on two cores, and the stop waited behind the script
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (Platform platform = Platform.open(dataDirectory)) {
            LatheServer server = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)
                    .withDrainTimeout(java.time.Duration.ofMillis(500))).log(line -> {}).start();
            SqlRunner runner = runner();
            assertThat(runner).isInstanceOf(SqlRunner.Remote.class);
            java.util.concurrent.CompletableFuture<Void> script = java.util.concurrent.CompletableFuture.runAsync(() -> runner.run(
                    "CREATE TABLE never AS SELECT count(*) AS n FROM range(1000000000000) t(i) WHERE i % 7 = 3",
                    new ResultPrinter(new CsvFormatter(), new PrintWriter(new StringWriter(), true))), threads);
            java.net.URI metrics = server.info().baseUri().resolve("/metrics");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (inFlight(metrics) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long start = System.nanoTime();
            java.util.concurrent.CompletableFuture<Void> stop = java.util.concurrent.CompletableFuture.runAsync(server::stop, threads);
            stop.get(60, java.util.concurrent.TimeUnit.SECONDS); // before: as long as the statement, here for ever
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
            assertThat(script.handle((ok, e) -> e).get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            runner.close();
        } finally {
            threads.shutdownNow();
        }
        StringWriter out = new StringWriter();
        try (SqlRunner direct = runner()) {
            direct.run("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'never'",
                    new ResultPrinter(new CsvFormatter(), new PrintWriter(out, true)));
        }
        assertThat(out.toString().lines().toList()).containsExactly("n", "0");
    }

    /** A server of the test's data directory on a free port, quiet. */
    private static LatheServer server(Platform platform) {
        return LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false)).log(line -> {}).start();
    }

    /** A runner of the test's data directory: through its server when one runs, as `lathe sql` opens one. */
    private SqlRunner runner() {
        return SqlRunner.open(dataDirectory, dev.lathe.metadata.MetadataStore.defaultUrl(dataDirectory), line -> {}, line -> {});
    }

    private static long inFlight(java.net.URI metrics) throws Exception {
        String text = new String(metrics.toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("lathe_http_requests_in_flight ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(l.indexOf(' ') + 1).strip())).findFirst().orElse(-1);
    }

    @Test
    void aScriptGoesOnAgainstTheWarehouseWhenItsServerStops() throws Exception {
        List<String> notices = new ArrayList<>();
        StringWriter out = new StringWriter();
        ResultPrinter printer = new ResultPrinter(new CsvFormatter(), new PrintWriter(out, true));
        Platform platform = Platform.open(dataDirectory);
        LatheServer server = server(platform);
        try (SqlRunner runner = SqlRunner.open(dataDirectory, dev.lathe.metadata.MetadataStore.defaultUrl(dataDirectory), line -> {},
                notices::add)) {
            assertThat(runner).isInstanceOf(SqlRunner.Remote.class);
            runner.run("CREATE TABLE t AS SELECT 1 AS x", printer);
            server.stop();
            platform.close();
            // The server is gone: the statements it never received run on the warehouse, none is lost or run twice.
            runner.run("INSERT INTO t VALUES (2); SELECT sum(x) AS total, count(*) AS n FROM t", printer);
        }
        assertThat(out.toString()).contains("3,2");
        assertThat(notices).singleElement().satisfies(n -> assertThat(n).contains("stopped").contains("line 1"));
    }

    @Test
    void staleDiscoveryFileIsIgnoredAndRemoved() {
        long noSuchProcess = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        ServerDiscovery.write(dataDirectory, new ServerInfo(noSuchProcess, "127.0.0.1", 1, Instant.now().toString(), "test"));
        Run run = sql("csv", "SELECT 42 AS answer");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("answer\r\n42\r\n");
        assertThat(Files.exists(ServerDiscovery.file(dataDirectory))).isFalse();
    }
}
