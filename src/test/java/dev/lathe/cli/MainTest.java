package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.lathe.core.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path dataDirectory;

    private record Run(int exitCode, String out, String err) {}

    private Run run(Map<String, String> environment, InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(environment, stdin, false), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(Map.of(), InputStream.nullInputStream(), args);
    }

    @Test
    void runsSeveralStatementsFromExecuteOption() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "-e",
                "CREATE TABLE penguins AS SELECT * FROM (VALUES ('Adelie', 3750.0), ('Gentoo', 5000.0)) t(species, body_mass_g); "
                        + "SELECT species, body_mass_g FROM penguins ORDER BY species");
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("│ Adelie  │      3750.0 │", "│ Gentoo  │      5000.0 │", "2 rows");
        assertThat(dataDirectory.resolve("warehouse.duckdb")).exists();
    }

    /**
     * Running out of memory is the one Error line naming the heap and the option that raises it, and exit code 5 (resource
     * exhausted), as cli.md promises; it was the JVM's stack trace and exit 1 (probe ta F3). Wrapped, too.
     */
    @Test
    void outOfMemoryIsOneLineNamingTheHeapAndExitFive() {
        for (Throwable failure : List.of(new OutOfMemoryError("Java heap space"),
                new IllegalStateException("a worker failed", new OutOfMemoryError("Java heap space")))) {
            StringWriter err = new StringWriter();
            int exitCode = new Main(Map.of(), InputStream.nullInputStream(), false).report(failure, new PrintWriter(err, true));
            assertThat(exitCode).isEqualTo(5);
            assertThat(err.toString()).startsWith("Error: Out of memory: this command's Java heap, at most ")
                    .contains("is full (Java heap space)", "LATHE_JAVA_OPTS='-Xmx").hasLineCount(1);
        }
    }

    /** Probe qa: several -e are joined, and an error in the second was placed at line 3 of the joined text. */
    @Test
    void anErrorInOneOfSeveralExecuteOptionsIsPlacedInIt() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "-e", "SELECT 1 AS a", "-e", "SELECT 2 AS b,\n  nope");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("nope").contains("line 2, column 3 of -e 2");
    }

    /**
     * Probe th F1: invalid UTF-8 in -e ran with U+FFFD in its place, exit 0, where -f refuses it. Checked in a JVM of its
     * own, whose command line holds the bytes (a Java string cannot).
     */
    @Test
    void executeTextThatIsNotUtf8IsRefusedAsAFileIs() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "exec \"$0\" --add-opens=java.base/java.nio=ALL-UNNAMED -cp \"$1\" dev.lathe.cli.Main --data-dir \"$2\" sql --format csv"
                + " -e \"$(printf \"SELECT 'caf\\351' AS x\")\" -e \"$(printf \"SELECT 'Zo\\303\\253 \\357\\277\\275' AS y\")\"";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command, java, System.getProperty("java.class.path"),
                dataDirectory.toString()).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        process.getInputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(err).contains("-e 1 is not UTF-8 text: byte 0xE9 at offset 11 does not decode; give the statements in UTF-8");

        // valid UTF-8 holding U+FFFD itself runs
        builder.command().set(2, command.replace(" -e \"$(printf \"SELECT 'caf\\351' AS x\")\"", ""));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("y\r\nZoë \uFFFD\r\n");
    }

    @Test
    void runsFileAndKeepsTablesBetweenRuns() throws IOException {
        Path script = dataDirectory.resolve("setup.sql");
        Files.writeString(script, "CREATE TABLE t AS SELECT 1 AS a;\nINSERT INTO t VALUES (2);\n");
        assertThat(run("--data-dir", dataDirectory.toString(), "sql", "-f", script.toString()).exitCode()).isZero();
        Run result = run("sql", "--data-dir", dataDirectory.toString(), "--format", "csv", "-e", "SELECT a FROM t ORDER BY a");
        assertThat(result.out()).isEqualTo("a\r\n1\r\n2\r\n");
    }

    @Test
    void csvAndJsonOutputCarryRowsOnlyWithMessagesOnStandardError() {
        Run json = run("--data-dir", dataDirectory.toString(), "sql", "--format", "json", "-e",
                "CREATE TABLE t AS SELECT 1 AS x; INSERT INTO t VALUES (2); SELECT * FROM t ORDER BY x");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).isEqualTo("{\"x\":1}\n{\"x\":2}\n");
        assertThat(json.err()).isEqualTo("OK" + System.lineSeparator() + "1 row affected" + System.lineSeparator());
        // the table format keeps them beside the rows, as before
        Run table = run("--data-dir", dataDirectory.toString(), "sql", "-e", "INSERT INTO t VALUES (3)");
        assertThat(table.out()).isEqualTo("1 row affected" + System.lineSeparator());
        // a repeated column name would lose a value once parsed: the second gets _1
        assertThat(run("--data-dir", dataDirectory.toString(), "sql", "--format", "json", "-e",
                "SELECT * FROM (SELECT 1 AS id, 'l' AS v) l JOIN (SELECT 1 AS id, 'r' AS v) r ON l.id = r.id").out())
                .isEqualTo("{\"id\":1,\"v\":\"l\",\"id_1\":1,\"v_1\":\"r\"}\n");
    }

    /** Probe G: a replica's mistyped --data-dir was created, empty, and then refused. */
    @Test
    void aReplicaOfADataDirectoryThatDoesNotExistDoesNotCreateIt() {
        Path missing = dataDirectory.resolve("nowhere");
        Run result = run("--data-dir", missing.toString(), "server", "--replica", "--port", "0");
        assertThat(result.exitCode()).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(result.err()).contains("has no models/ folder");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aDataDirectoryThatIsAFileIsAClearUserError() throws IOException {
        Path file = Files.writeString(dataDirectory.resolve("not-a-directory"), "x");
        Run result = run("--data-dir", file.toString(), "sql", "-e", "SELECT 1");
        assertThat(result.exitCode()).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(result.err()).isEqualTo("Error: The data directory '" + file + "' (from --data-dir, $LATHE_DATA_DIR or the default"
                + " ./lathe-data) is a file, not a directory; give the path of a directory (it is created when missing)"
                + System.lineSeparator());
    }

    @Test
    void numericShowsAsBigQueryShowsIt() {
        // DuckDB's NUMERIC has scale 9: 3.140000000; BigQuery shows 3.14
        Run numeric = run("--data-dir", dataDirectory.toString(), "sql", "--format", "csv", "-e",
                "SELECT NUMERIC '3.14' AS n, NUMERIC '0' AS z, NUMERIC '1200' AS k, CAST(-0.5 AS DECIMAL(10, 4)) AS d");
        assertThat(numeric.out()).isEqualTo("n,z,k,d\r\n3.14,0,1200,-0.5\r\n");
    }

    @Test
    void scriptsComeFromRepeatedExecuteOptionsStandardInputOrAUtf8File() throws IOException {
        // an -e ending in a comment does not swallow the next one's separator
        Run comments = run("--data-dir", dataDirectory.toString(), "sql", "--format", "csv", "-e", "SELECT 1 AS a -- note",
                "-e", "SELECT 2 AS b # note", "-e", "SELECT 3 AS c");
        assertThat(comments.exitCode()).isZero();
        assertThat(comments.out()).isEqualTo("a\r\n1\r\nb\r\n2\r\nc\r\n3\r\n");
        InputStream stdin = new ByteArrayInputStream("SELECT 5 AS five;".getBytes(StandardCharsets.UTF_8));
        assertThat(run(Map.of(), stdin, "--data-dir", dataDirectory.toString(), "sql", "-f", "-", "--format", "csv").out())
                .isEqualTo("five\r\n5\r\n");
        Path bom = dataDirectory.resolve("bom.sql");
        Files.write(bom, "\uFEFFSELECT 1 AS bom;".getBytes(StandardCharsets.UTF_8));
        assertThat(run("--data-dir", dataDirectory.toString(), "sql", "-f", bom.toString(), "--format", "csv").out())
                .isEqualTo("bom\r\n1\r\n");
        Path latin1 = dataDirectory.resolve("latin1.sql");
        Files.write(latin1, new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\''});
        Run notUtf8 = run("--data-dir", dataDirectory.toString(), "sql", "-f", latin1.toString());
        assertThat(notUtf8.exitCode()).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(notUtf8.err()).contains("latin1.sql' (from -f) is not UTF-8 text: byte 0xE9 at offset 8 does not decode");
        Run directory = run("--data-dir", dataDirectory.toString(), "sql", "-f", dataDirectory.toString());
        assertThat(directory.exitCode()).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(directory.err()).contains("(from -f) is a directory; give the path of a file of statements");
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheQuery() {
        StringWriter err = new StringWriter();
        String[] args = {"--data-dir", dataDirectory.toString(), "sql", "--format", "csv", "-e", "SELECT * FROM range(100000)"};
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false), args);
        int[] writes = {0};
        commandLine.setOut(new PrintWriter(new java.io.Writer() { // a disk that fills after a few blocks
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                if (++writes[0] > 3) {
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }));
        commandLine.setErr(new PrintWriter(err, true));
        assertThat(commandLine.execute(args)).isEqualTo(ErrorCategory.RESOURCE_EXHAUSTED.exitCode());
        assertThat(err.toString()).startsWith("Error: The output could not be written; stopped");
        assertThat(writes[0]).isLessThan(10); // stopped within a check interval, not after 100,000 rows
    }

    @Test
    void writesJsonLines() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "--format", "JSON", "-e", "SELECT 1 AS a, 'x' AS b, NULL AS c");
        assertThat(result.out()).isEqualTo("{\"a\":1,\"b\":\"x\",\"c\":null}\n");
    }

    /** Probe th F8: a missing schema and an existing table or schema were exit 2, not 3 (not found) and 4 (conflict). */
    @Test
    void catalogErrorsExitAsDocumented() {
        String dir = dataDirectory.toString();
        assertThat(run("--data-dir", dir, "sql", "-e", "CREATE SCHEMA th; CREATE TABLE th.t1 (a INT64)").exitCode()).isZero();
        assertThat(run("--data-dir", dir, "sql", "-e", "DROP SCHEMA nope_ds").exitCode()).isEqualTo(ErrorCategory.NOT_FOUND.exitCode());
        assertThat(run("--data-dir", dir, "sql", "-e", "SELECT * FROM nope_ds.t").exitCode()).isEqualTo(ErrorCategory.NOT_FOUND.exitCode());
        assertThat(run("--data-dir", dir, "sql", "-e", "CREATE SCHEMA th").exitCode()).isEqualTo(ErrorCategory.CONFLICT.exitCode());
        Run table = run("--data-dir", dir, "sql", "-e", "CREATE TABLE th.t1 (a INT64)");
        assertThat(table.exitCode()).isEqualTo(ErrorCategory.CONFLICT.exitCode());
        assertThat(table.err()).contains("already exists");
    }

    /** Probe th F10: DuckDB's driver passes an emoji in its messages as four Latin-1 characters ("tð" and C1 controls). */
    @Test
    void anEmojiInADuckDbErrorIsShownAsWritten() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "-e", "SELECT * FROM `t\uD83D\uDE00`");
        assertThat(result.exitCode()).isEqualTo(ErrorCategory.NOT_FOUND.exitCode());
        assertThat(result.err()).contains("t\uD83D\uDE00").doesNotContain("\u00F0");
    }

    @Test
    void failedStatementPrintsOneErrorLineAndUserErrorExitCode() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "-e", "SELECT * FROM no_such_table");
        assertThat(result.exitCode()).isEqualTo(ErrorCategory.NOT_FOUND.exitCode());
        assertThat(result.err()).startsWith("Error: ").contains("no_such_table");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void missingFileIsAClearUserError() {
        Run result = run("--data-dir", dataDirectory.toString(), "sql", "-f", dataDirectory.resolve("nope.sql").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: SQL file").contains("nope.sql", "does not exist");
    }

    @Test
    void debugVariableAddsStackTrace() {
        Run result = run(Map.of("LATHE_DEBUG", "1"), InputStream.nullInputStream(),
                "--data-dir", dataDirectory.toString(), "sql", "-e", "SELEC 1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().count()).isGreaterThan(1);
        assertThat(result.err()).contains("at dev.lathe");
    }

    @Test
    void readsWholeStandardInputWhenNotATerminal() {
        InputStream stdin = new ByteArrayInputStream("SELECT 41 + 1 AS answer;\nSELECT 'two' AS word;\n".getBytes(StandardCharsets.UTF_8));
        Run result = run(Map.of("LATHE_DATA_DIR", dataDirectory.toString()), stdin, "sql", "--format", "csv");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("answer\r\n42\r\nword\r\ntwo\r\n");
    }

    @Test
    void dataDirectoryFromEnvironmentIsCreated() {
        Path nested = dataDirectory.resolve("a/b");
        Run result = run(Map.of("LATHE_DATA_DIR", nested.toString()), InputStream.nullInputStream(), "sql", "-e", "SELECT 1");
        assertThat(result.exitCode()).isZero();
        assertThat(nested.resolve("warehouse.duckdb")).exists();
    }

    @Test
    void rejectsUnknownFormatAndBothSources() {
        Run xml = run("--data-dir", dataDirectory.toString(), "sql", "--format", "xml", "-e", "SELECT 1");
        assertThat(xml.exitCode()).isEqualTo(2);
        // One line saying what is accepted, and where the usage is; not the converter's exception class and the usage text.
        assertThat(xml.err()).isEqualTo("Error: Unknown --format 'xml'; accepted: [table, csv, json]" + System.lineSeparator()
                + "(lathe sql --help shows the usage)" + System.lineSeparator());
        assertThat(run("--data-dir", dataDirectory.toString(), "sql", "--bogus").err()).startsWith("Error: Unknown option: '--bogus'");
        Run both = run("--data-dir", dataDirectory.toString(), "sql", "-e", "SELECT 1", "-f", "x.sql");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("Error: Give statements with -e or with -f, not both" + System.lineSeparator());
    }

    @Test
    void printsVersionAndHelp() {
        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("lathe ");
        // what tells builds apart, every one being 0.1.0-SNAPSHOT (probe ua F6)
        assertThat(version.out()).contains("metadata schema " + dev.lathe.metadata.Migrations.latest(), "HTTP API "
                + dev.lathe.engine.Version.API, "manifest.json formatVersion 1", "estimator.bin LGLM 2 (reads 1 to 2), LKMN 1, LXGT 1, LIMP 1",
                "evaluation.bin 1", "profile.bin 1");
        Run help = run("--help");
        assertThat(help.out()).contains("--data-dir", "sql", "server", "quickstart", "models", "endpoints", "jobs", "monitors")
                .contains("The ./lathe launcher also takes:", "  build   the jar and its start-up cache", "  test    the whole test suite")
                .doesNotContain("aot-training");
        Run sqlHelp = run("--data-dir", dataDirectory.toString(), "sql", "--help");
        assertThat(sqlHelp.exitCode()).isZero();
        assertThat(sqlHelp.out()).contains("Usage: lathe sql", "-e", "--format", "--data-dir");
    }

    @Test
    void findsTheSubcommandToBuildWithoutParsing() {
        assertThat(Main.subcommandNamed("sql", "-e", "SELECT 1")).contains("sql");
        assertThat(Main.subcommandNamed("--data-dir", "d", "models", "list")).contains("models");
        assertThat(Main.subcommandNamed("--data-dir=d", "--metadata-url", "jdbc:sqlite:m.db", "jobs", "get", "j")).contains("jobs");
        assertThat(Main.subcommandNamed("--data-dir", "sql")).isEmpty(); // "sql" is the directory
        assertThat(Main.subcommandNamed("--help", "sql")).isEmpty();
        assertThat(Main.subcommandNamed("sqll")).isEmpty();
        assertThat(Main.subcommandNamed()).isEmpty();
    }

    @Test
    void everyTopLevelOptionWithAValueIsKnownToTheSubcommandFinder() {
        CommandLine full = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        java.util.Set<String> withValues = new java.util.HashSet<>();
        for (CommandLine.Model.OptionSpec option : full.getCommandSpec().options()) {
            if (option.arity().max() > 0) {
                withValues.addAll(java.util.List.of(option.names()));
            }
        }
        assertThat(Main.OPTIONS_WITH_VALUES).containsExactlyInAnyOrderElementsOf(withValues);
    }

    @Test
    void unknownSubcommandIsAnsweredWithTheNearestOne() {
        Run typo = run("--data-dir", dataDirectory.toString(), "sqll", "-e", "SELECT 1");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("sqll", "Did you mean", "sql");
    }

    /** Probe L: options and arguments without a word in their help (undeploy's --deployed-model-id, split's --traffic). */
    @Test
    void everyOptionAndArgumentIsDescribed() {
        CommandLine full = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        List<String> bare = new java.util.ArrayList<>();
        java.util.Deque<CommandLine> commands = new java.util.ArrayDeque<>(List.of(full));
        while (!commands.isEmpty()) {
            CommandLine command = commands.pop();
            commands.addAll(command.getSubcommands().values());
            if (command.getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            for (CommandLine.Model.ArgSpec arg : command.getCommandSpec().args()) {
                boolean described = java.util.Arrays.stream(arg.description()).anyMatch(line -> !line.isBlank());
                if (!described && !arg.hidden()) {
                    bare.add(command.getCommandSpec().qualifiedName() + " " + arg.paramLabel()
                            + (arg instanceof CommandLine.Model.OptionSpec option ? " " + option.longestName() : ""));
                }
            }
        }
        assertThat(bare).isEmpty();
    }

    /** Probe L: `lathe help` was answered "Did you mean: lathe models?". */
    @Test
    void helpDescribesLatheAndEachCommand() {
        Run help = run("help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: lathe", "sql", "endpoints");
        Run sql = run("help", "sql");
        assertThat(sql.exitCode()).isZero();
        assertThat(sql.out()).contains("Usage: lathe sql");
    }

    /** Probe L: "--modle x.y" was "Missing required option '--model'", the typo unmentioned. */
    @Test
    void aTypoInARequiredOptionIsNamedWithTheNearestOne() {
        for (String[] args : List.of(new String[] {"jobs", "submit", "--modle", "d.m", "--input-table", "d.t", "--output-table", "d.o"},
                new String[] {"endpoints", "deploy", "shop", "--modle", "d.m"})) {
            List<String> full = new java.util.ArrayList<>(List.of("--data-dir", dataDirectory.toString()));
            full.addAll(List.of(args));
            Run typo = run(full.toArray(String[]::new));
            assertThat(typo.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(typo.err()).as(String.join(" ", args)).contains("Unknown option", "'--modle'", "--model", "Missing required option");
            assertThat(typo.err().indexOf("--modle")).isLessThan(typo.err().indexOf("Missing required option"));
        }
    }

    /** Probe re: "'abc' is not an int", "'nope' is not a long" (Java's type names). */
    @Test
    void aValueOfTheWrongKindIsSaidInPlainWords() {
        Run size = run("--data-dir", dataDirectory.toString(), "models", "list", "--page-size", "abc");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("'abc' is not a whole number").doesNotContain("an int");
        Run id = run("--data-dir", dataDirectory.toString(), "jobs", "get", "nope");
        assertThat(id.err()).contains("'nope' is not a whole number").doesNotContain("a long");
        Run threshold = run("--data-dir", dataDirectory.toString(), "jobs", "submit", "--model", "d.m", "--input-table", "d.t",
                "--output-table", "d.o", "--threshold", "high");
        assertThat(threshold.err()).contains("'high' is not a number").doesNotContain("Double");
    }

    /** Probe re: `lathe models` alone printed the usage and exited 2 without the Error line every failure has. */
    @Test
    void aGroupWithoutItsSubcommandSaysSo() {
        for (String group : List.of("models", "jobs", "endpoints", "monitors")) {
            Run bare = run("--data-dir", dataDirectory.toString(), group);
            assertThat(bare.exitCode()).as(group).isEqualTo(2);
            assertThat(bare.err()).as(group).startsWith("Error: lathe " + group + " needs a command: ").contains("list");
        }
    }

    /** "--prot 8080" (a transposition) was answered without the option meant. */
    @Test
    void aMistypedOptionIsAnsweredWithTheNearestOne() {
        Run typo = run("--data-dir", dataDirectory.toString(), "server", "--prot", "8080");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("'--prot'", "Did you mean", "--port");
    }

    @Test
    void quickstartRunsThroughTheEngine() {
        Run result = run("--data-dir", dataDirectory.toString(), "quickstart");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("quickstart");
        // the closing hint names the data directory, or plain `./lathe sql` would open an empty ./lathe-data
        assertThat(result.out()).contains("Next, a shell on the same data: ./lathe --data-dir " + dataDirectory.toAbsolutePath() + " sql;");
    }

    @Test
    void theAotTrainingWorkloadRunsTheQuickstartAndAServer() {
        Run result = run("--data-dir", dataDirectory.toString(), "aot-training");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(dataDirectory.resolve("models/quickstart/churn")).isDirectory();
        Run endpoints = run("--data-dir", dataDirectory.toString(), "endpoints", "list");
        assertThat(endpoints.exitCode()).as(endpoints.err()).isZero();
        assertThat(endpoints.out()).contains("churn", "quickstart.churn");
    }

    @Test
    void joinsMultiLineMessagesDroppingCaretLines() {
        assertThat(Main.oneLine("Parser Error: syntax error at or near \"SELEC\"\n\nLINE 1: SELEC 1\n        ^"))
                .isEqualTo("Parser Error: syntax error at or near \"SELEC\" LINE 1: SELEC 1");
    }
}
