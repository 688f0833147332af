package dev.lathe.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPredictionJobTest {
    @TempDir
    Path directory;
    private BatchFixture fixture;

    @BeforeEach
    void open() {
        fixture = new BatchFixture(directory.resolve("data")).withPenguinsModel();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Runs d.weight over one input file into table out.{@code table}. */
    private BatchPredictionJob predictFile(FileFormat format, Path file, String table) {
        return predictFile("d.weight", format, file, table);
    }

    /** Writes {@code lines} into file {@code name} of the test's directory, each ending with a line feed. */
    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(directory.resolve(name), String.join("\n", lines) + "\n");
    }

    private BatchPredictionJob predictFile(String model, FileFormat format, Path file, String table) {
        return fixture.run(BatchFixture.spec(model, new JobInput.Files(format, List.of(file.toString())), new JobOutput.Table("out", table)));
    }

    @Test
    void tableToTableJobWritesWhatMlPredictAnswersForTheSameRows() {
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "weights")));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.spec().modelVersion()).contains(1);
        List<Map<String, Object>> expected = fixture.rows("SELECT * FROM ML.PREDICT(MODEL d.weight, TABLE d.penguins)");
        assertThat(fixture.rows("SELECT * FROM out.weights")).isEqualTo(expected);
        assertThat(job.successfulCount()).isEqualTo(expected.size());
        assertThat(job.failedCount()).isZero();
        assertThat(job.rowsProcessed()).isEqualTo(job.rowsTotal()).isEqualTo(expected.size());
        assertThat(job.outputLocation()).contains("out.weights");
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'weights_errors'").get(0).get("n"))
                .isEqualTo(0L);
    }

    @Test
    void csvRowsThatCannotBeConvertedOrParsedAreReportedByRowNumberAndTheRestPredicted() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(BatchFixture.PENGUINS).subList(0, 11));
        // Data row 3: a word where the model reads a number; data row 6: a line with an extra field.
        lines.set(3, lines.get(3).replace("40.3", "abc"));
        lines.set(6, lines.get(6) + ",extra");
        Path csv = directory.resolve("bad.csv");
        Files.write(csv, lines);

        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(csv.toString())),
                new JobOutput.Files(FileFormat.CSV, directory.resolve("out").toString())));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.failedCount()).isEqualTo(2);
        assertThat(job.successfulCount()).isEqualTo(8);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(3L, 6L);
        assertThat(job.partialFailures().get(0).column()).contains("bill_length_mm");
        assertThat(job.partialFailures().get(0).message()).contains("abc").contains("FLOAT64");
        assertThat(job.partialFailures().get(1).message()).containsIgnoringCase("columns");
        assertThat(job.partialFailures().get(0).source()).contains(csv.toString());
        List<Map<String, Object>> predictions = fixture.rows("SELECT * FROM read_csv('" + directory.resolve("out/predictions_0001.csv") + "')");
        assertThat(predictions).hasSize(8);
        assertThat(predictions.get(0)).containsKey("predicted_body_mass_g");
        List<Map<String, Object>> errors = fixture.rows("SELECT * FROM read_csv('" + directory.resolve("out/errors_0001.csv") + "')");
        assertThat(errors).extracting(r -> ((Number) r.get("row_number")).longValue()).containsExactly(3L, 6L);
    }

    @Test
    void rowsAfterARejectedLineKeepTheirOwnRowNumbers() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(BatchFixture.PENGUINS).subList(0, 11));
        lines.set(2, lines.get(2) + ",extra");
        lines.set(8, lines.get(8).replace("male", "male").replaceFirst(",3[0-9]{3},", ",heavy,"));
        lines.set(5, lines.get(5).replaceFirst("\\d+\\.\\d", "x"));
        Path csv = directory.resolve("bad.csv");
        Files.write(csv, lines);

        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(csv.toString())),
                new JobOutput.Table("out", "p")));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).contains(2L, 5L);
        assertThat(fixture.rows("SELECT row_number FROM out.p_errors ORDER BY row_number")).extracting(r -> r.get("row_number"))
                .contains(2L, 5L);
    }

    /**
     * Probe sd F1: DuckDB's CSV reader drops blank lines without a trace, so a type error after one was numbered one row
     * too low while a rejected line kept its number, and the two were listed out of file order. Rows are the file's
     * records (a quoted value's blank line is data, not a blank record), the header not counted, LF or CRLF alike.
     */
    @Test
    void csvRowsAfterABlankLineKeepTheirRecordNumbers() throws IOException {
        String good = "Adelie,Torgersen,39.1,18.7,181,3750,male,2007";
        for (String end : List.of("\n", "\r\n")) {
            Path csv = directory.resolve("blank" + end.length() + ".csv");
            Files.writeString(csv, String.join(end,
                    "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year",
                    good, // row 1
                    "", // 2: blank
                    "Adelie,Torgersen,39.1", // 3: too few fields
                    "Adelie,Torgersen,abc,18.7,181,3750,male,2007", // 4: not a number
                    "Adelie,\"Torger" + end + end + "sen\",39.1,18.7,181,3750,male,2007", // 5: a quoted value holding a blank line
                    "", // 6: blank
                    "", // 7: blank
                    "Adelie,Torgersen,39.1,18.7,x,3750,male,2007", // 8: not a number
                    good) + end); // 9
            BatchPredictionJob job = predictFile(FileFormat.CSV, csv, "blank" + end.length());

            assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.successfulCount()).isEqualTo(3);
            assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(3L, 4L, 8L);
            assertThat(job.partialFailures()).extracting(RowFailure::message).satisfiesExactly(
                    m -> assertThat(m).contains("MISSING COLUMNS"), m -> assertThat(m).contains("'abc'"), m -> assertThat(m).contains("'x'"));
            assertThat(fixture.rows("SELECT row_number FROM out.blank" + end.length() + "_errors")).extracting(r -> r.get("row_number"))
                    .containsExactly(3L, 4L, 8L);
            assertThat(fixture.rows("SELECT island FROM out.blank" + end.length())).extracting(r -> r.get("island"))
                    .containsExactly("Torgersen", "Torger" + end + end + "sen", "Torgersen");
        }
        // A file of blank lines holds no header: refused as an empty one is, not read as lacking the model's columns.
        Path blanks = directory.resolve("blanks.csv");
        Files.writeString(blanks, "\n\n\n");
        BatchPredictionJob empty = predictFile(FileFormat.CSV, blanks, "blanks");
        assertThat(empty.state()).isEqualTo(JobState.FAILED);
        assertThat(empty.error()).hasValueSatisfying(e -> assertThat(e).contains(blanks + " is empty (blank lines only)"));
    }

    /**
     * Probe sd F2: one unbalanced quote in a CSV whose strings are all quoted (as R's write.csv writes them) made DuckDB's
     * sniffer read the whole file unquoted, and the job failed saying the input lacked every quoted column; in a file with
     * an unquoted header it "succeeded" reading {@code "Torgersen} as a category. Quoting is RFC 4180's: a record with bad
     * quoting is one bad row, the reading goes on at the next line, and later rows keep their numbers.
     */
    @Test
    void aCsvRecordWithBadQuotingIsOneBadRow() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(BatchFixture.PENGUINS).subList(0, 101)); // header, 100 rows
        lines.set(50, lines.get(50).replace("\"Dream\"", "\"Dream")); // row 50: a quote closed by the next value's opening one
        lines.set(60, lines.get(60).replace("\"male\"", "\"ma\"le")); // row 60: a quoted value followed by more
        lines.set(70, lines.get(70) + ",extra"); // row 70: an extra field, which DuckDB's reader rejects
        lines.set(80, lines.get(80).replace("\"male\"", "\"male")); // row 80: a quote closed on the next line
        Path quoted = directory.resolve("quoted.csv");
        Files.write(quoted, lines);

        BatchPredictionJob job = predictFile(FileFormat.CSV, quoted, "quoted");

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.failedCount()).isEqualTo(4);
        assertThat(job.successfulCount()).isEqualTo(96);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(50L, 60L, 70L, 80L);
        assertThat(job.partialFailures()).extracting(f -> f.column().orElse(null)).containsExactly("island", "sex", null, "sex");
        assertThat(job.partialFailures()).extracting(RowFailure::message).satisfiesExactly(
                m -> assertThat(m).startsWith("UNQUOTED VALUE: the quoted value of column island is followed by 'm'"),
                m -> assertThat(m).contains("followed by 'l'"),
                m -> assertThat(m).contains("TOO MANY COLUMNS"),
                m -> assertThat(m).contains("runs on to the next line and is followed by 'A'"));
        assertThat(fixture.rows("SELECT * FROM out.quoted")).hasSize(96).isEqualTo(fixture.rows("SELECT * EXCLUDE (n) FROM ML.PREDICT(MODEL"
                + " d.weight, (SELECT *, row_number() OVER () AS n FROM (SELECT * FROM d.penguins LIMIT 100))) WHERE n NOT IN (50, 60, 70, 80)"));

        // An unquoted header, a stray quote opening a value: that row is bad, not read as the category "Torgersen.
        Path plain = directory.resolve("plain.csv");
        Files.writeString(plain, String.join("\n", "bill_length_mm,flipper_length_mm,sex,island", "39.1,181,male,Torgersen",
                "39.5,186,female,\"Torgersen", "40.3,195,female,Torgersen") + "\n");
        BatchPredictionJob stray = predictFile(FileFormat.CSV, plain, "plain");
        assertThat(stray.state()).as("%s", stray.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stray.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(2L);
        assertThat(stray.partialFailures().get(0).message()).contains("of column island opens a quote that no quote closes before the end");
        assertThat(fixture.rows("SELECT island FROM out.plain")).extracting(r -> r.get("island")).containsExactly("Torgersen", "Torgersen");
    }

    /**
     * Probe sd F4: the output's dataset was created inside the output's transaction, so two jobs writing into one new
     * dataset conflicted in DuckDB's catalog and one failed ("Catalog write-write conflict on create") after predicting
     * everything. Here another connection holds the new dataset's creation uncommitted while the job commits: the job
     * waits for it rather than failing.
     */
    @Test
    void aJobWritingIntoANewDatasetAnotherConnectionCreatesAtTheSameTimeSucceeds() throws Exception {
        BatchPredictionJob done = predictWhileAnotherCreates(new JobOutput.Table("fresh", "theirs"), "CREATE SCHEMA fresh",
                "CREATE TABLE fresh.mine AS SELECT 1 AS x");
        assertThat(done.state()).as("%s", done.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.rows("SELECT count(*) AS n FROM fresh.theirs")).containsExactly(Map.of("n", 344L));
        assertThat(fixture.rows("SELECT x FROM fresh.mine")).containsExactly(Map.of("x", 1));
    }

    /**
     * Probe sd F5: two jobs with the same output both pass the check at their start; the one that lost the race failed in
     * DuckDB's words ("Catalog write-write conflict on create with ...") or, for files, was told to "give a writable
     * path". It now says what the check at the start says.
     */
    @Test
    void aJobWhoseOutputAnotherFilledMeanwhileSaysItExists() throws Exception {
        fixture.sql("CREATE TABLE d.big AS SELECT p.* FROM d.penguins p, range(300) r");
        // A table another connection is creating, committed while the job tries to create it.
        fixture.sql("CREATE SCHEMA o");
        BatchPredictionJob lostTable = predictWhileAnotherCreates(new JobOutput.Table("o", "same"), "CREATE TABLE o.same AS SELECT 1 AS x");
        assertThat(lostTable.state()).isEqualTo(JobState.FAILED);
        assertThat(lostTable.error()).contains("Output table o.same already exists; batch prediction writes new tables only, give another"
                + " bigqueryDestination.outputUri (--output-table)");
        // A directory filled after the job checked it, while it predicted.
        Path out = directory.resolve("same");
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"),
                new JobOutput.Files(FileFormat.CSV, out.toString())));
        awaitUntil(job, j -> j.rowsTotal() > 0); // the input read, the output checked
        Files.createDirectories(out);
        Files.writeString(out.resolve("predictions_0001.csv"), "theirs\n");
        BatchPredictionJob lost = fixture.runner.await(job.id(), Duration.ofMinutes(1), Duration.ofMillis(20), j -> {});
        assertThat(lost.state()).as("the job took %s rows", lost.rowsTotal()).isEqualTo(JobState.FAILED);
        assertThat(lost.error()).contains("Output directory " + out + " exists and is not empty; batch prediction writes into a new or empty"
                + " directory, give another gcsDestination.outputUriPrefix (--output-dir)");
        assertThat(Files.readString(out.resolve("predictions_0001.csv"))).isEqualTo("theirs\n");
    }

    /**
     * Runs d.weight over d.penguins into {@code output} while another connection runs {@code statements} in a transaction
     * it commits once the job is about to commit its output; answers the job as it ended.
     */
    private BatchPredictionJob predictWhileAnotherCreates(JobOutput output, String... statements) throws Exception {
        try (java.sql.Connection other = fixture.platform.warehouse().connect()) {
            dev.lathe.warehouse.Sql.execute(other, "BEGIN TRANSACTION");
            for (String statement : statements) {
                dev.lathe.warehouse.Sql.execute(other, statement);
            }
            BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), output));
            awaitUntil(job, j -> j.outputLocation().isPresent()); // recorded just before the commit
            Thread.sleep(300);
            dev.lathe.warehouse.Sql.execute(other, "COMMIT");
            return fixture.runner.await(job.id(), Duration.ofMinutes(1), Duration.ofMillis(20), j -> {});
        }
    }

    private void awaitUntil(BatchPredictionJob job, java.util.function.Predicate<BatchPredictionJob> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.test(fixture.runner.store().require(job.id())) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /** A job deleted while it waited in the queue is skipped when its turn comes: nothing runs, nothing is written. */
    @Test
    void aJobDeletedWhileQueuedNeverRuns() throws Exception {
        fixture.sql("CREATE TABLE d.big AS SELECT p.* FROM d.penguins p, range(600) r");
        BatchPredictionJob first = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"), new JobOutput.Table("out", "first")));
        BatchPredictionJob queued = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Table("out", "queued")));
        fixture.runner.store().delete(queued.id()); // queued behind the first (one runner thread)
        assertThat(fixture.runner.await(first.id(), java.time.Duration.ofMinutes(5), java.time.Duration.ofMillis(20), j -> {}).state())
                .isEqualTo(JobState.SUCCEEDED);
        BatchPredictionJob after = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "after")));
        assertThat(after.state()).as("the runner goes on").isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.runner.store().get(queued.id())).isEmpty();
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'queued'").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void jsonlInputAndParquetOutputRoundTrip() throws IOException {
        Path jsonl = directory.resolve("in.jsonl");
        fixture.sql("COPY (SELECT * FROM d.penguins LIMIT 20) TO '" + jsonl + "' (FORMAT JSON)");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.JSONL, List.of(jsonl.toString())),
                new JobOutput.Files(FileFormat.PARQUET, directory.resolve("pq").toString())));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.rows("SELECT * FROM read_parquet('" + directory.resolve("pq/predictions_0001.parquet") + "')")).isEqualTo(
                fixture.rows("SELECT * FROM ML.PREDICT(MODEL d.weight, (SELECT * FROM d.penguins LIMIT 20))"));
        assertThat(Files.exists(directory.resolve("pq/errors_0001.parquet"))).isFalse();
    }

    @Test
    void parquetInputAndJsonlOutput() throws IOException {
        Path parquet = directory.resolve("in.parquet");
        fixture.sql("COPY (SELECT * FROM d.penguins) TO '" + parquet + "' (FORMAT PARQUET)");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight@1", new JobInput.Files(FileFormat.PARQUET, List.of(parquet.toString())),
                new JobOutput.Files(FileFormat.JSONL, directory.resolve("js").toString())));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        List<String> lines = Files.readAllLines(directory.resolve("js/predictions_0001.jsonl"));
        assertThat(lines).hasSize((int) job.successfulCount());
        assertThat(lines.get(0)).contains("\"predicted_body_mass_g\"");
        // Every line is strict JSON: NaN and the infinities in a passed-through column are strings, not bare words.
        BatchPredictionJob nonFinite = fixture.run(BatchFixture.spec("d.weight@1", new JobInput.Query("SELECT *, CAST('NaN' AS DOUBLE) AS odd,"
                + " [CAST('Infinity' AS DOUBLE), CAST('-Infinity' AS DOUBLE)] AS far, 'NaN Infinity' AS text FROM d.penguins LIMIT 3"),
                new JobOutput.Files(FileFormat.JSONL, directory.resolve("nan").toString())));
        assertThat(nonFinite.state()).as("%s", nonFinite.error()).isEqualTo(JobState.SUCCEEDED);
        for (String line : Files.readAllLines(directory.resolve("nan/predictions_0001.jsonl"))) {
            com.fasterxml.jackson.databind.JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(row.path("odd").asText()).isEqualTo("NaN");
            assertThat(row.path("far").toString()).isEqualTo("[\"Infinity\",\"-Infinity\"]");
            assertThat(row.path("text").asText()).isEqualTo("NaN Infinity");
        }
        assertThat(directory.resolve("nan")).isDirectoryNotContaining("glob:**.raw");
    }

    @Test
    void queryInputIsPredicted() {
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("SELECT * FROM d.penguins WHERE sex = 'male'"),
                new JobOutput.Table("out", "males")));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.rows("SELECT * FROM out.males")).isEqualTo(
                fixture.rows("SELECT * FROM ML.PREDICT(MODEL d.weight, (SELECT * FROM d.penguins WHERE sex = 'male'))"));
    }

    @Test
    void anInputQueryOnlyReadsTheWarehouse() {
        fixture.rows("CREATE TABLE d.keep AS SELECT 42 AS x");
        assertThatThrownBy(() -> fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("SELECT * FROM d.penguins; DROP TABLE d.keep"),
                new JobOutput.Table("out", "two")))).hasMessageContaining("inputConfig.query").hasMessageContaining("expected one statement");
        assertThatThrownBy(() -> fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("CREATE TABLE d.side AS SELECT * FROM d.penguins"),
                new JobOutput.Table("out", "side")))).hasMessageContaining("must be one SELECT").hasMessageContaining("'CREATE'");
        assertThatThrownBy(() -> fixture.run(BatchFixture.spec("d.weight", new JobInput.Query(
                "WITH gone AS (DELETE FROM d.keep RETURNING *) SELECT * FROM d.penguins"), new JobOutput.Table("out", "cte"))))
                .hasMessageContaining("changes the warehouse: 'DELETE'");
        fixture.rows("CREATE SEQUENCE d.s1");
        assertThatThrownBy(() -> fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("SELECT *, nextval('d.s1') AS n FROM d.penguins"),
                new JobOutput.Table("out", "seq")))).hasMessageContaining("'nextval'");
        // Probe ub F2: every spelling DuckDB calls, backticked or qualified; the backticked one ran and advanced the sequence.
        for (String call : List.of("`nextval`('d.s1')", "`NextVal` ('d.s1')", "`main.nextval`('d.s1')", "`system.main.nextval`('d.s1')",
                "main.nextval('d.s1')", "`main` . `nextval` /* c */ ('d.s1')", "('d.s1').nextval()", "SETVAL('d.s1', 5)")) {
            assertThatThrownBy(() -> fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("SELECT *, " + call + " AS n FROM d.penguins"),
                    new JobOutput.Table("out", "seq")))).as(call).hasMessageContaining("The input query changes the warehouse");
        }
        assertThat(fixture.rows("SELECT nextval('d.s1') AS n")).containsExactly(java.util.Map.of("n", 1L));
        assertThat(fixture.rows("SELECT x FROM d.keep")).containsExactly(java.util.Map.of("x", 42));
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('side', 'two')"))
                .containsExactly(java.util.Map.of("n", 0L));
        // Probe wops 1: a view or macro hides its nextval from the query's tokens; the job reads its input in a READ ONLY
        // transaction, which DuckDB keeps from writing however the write is reached.
        fixture.rows("CREATE VIEW d.numbered AS SELECT *, nextval('d.s1') AS n FROM d.penguins");
        fixture.rows("CREATE MACRO d.next_number() AS nextval('d.s1')");
        fixture.rows("CREATE MACRO d.numbered_rows() AS TABLE SELECT *, nextval('d.s1') AS n FROM d.penguins");
        for (JobInput hidden : List.of(new JobInput.Query("SELECT * FROM d.numbered"), new JobInput.Query("SELECT *, d.next_number() AS n FROM d.penguins"),
                new JobInput.Query("SELECT * FROM d.numbered_rows()"), new JobInput.Table("d", "numbered"))) {
            BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", hidden, new JobOutput.Table("out", "hidden")));
            assertThat(job.state()).as("%s", hidden).isEqualTo(JobState.FAILED);
            assertThat(job.error()).as("%s", hidden).hasValueSatisfying(e -> assertThat(e).contains("changes the warehouse through a view or macro")
                    .contains("read-only mode"));
        }
        assertThat(fixture.rows("SELECT nextval('d.s1') AS n")).containsExactly(java.util.Map.of("n", 2L));
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'hidden'"))
                .containsExactly(java.util.Map.of("n", 0L));
        // A failure inside the query names the user's line and column, not the job's own SQL around it.
        BatchPredictionJob badCast = fixture.run(BatchFixture.spec("d.weight", new JobInput.Query("SELECT *,\n  CAST(species AS INT) AS n FROM d.penguins"),
                new JobOutput.Table("out", "cast")));
        assertThat(badCast.state()).isEqualTo(JobState.FAILED);
        assertThat(badCast.error()).hasValueSatisfying(e -> assertThat(e).contains("Conversion Error").contains("(at line 2, column 3)")
                .doesNotContain("__lathe"));
        // An output table may not take a model's name (tables and models share names within a dataset).
        BatchPredictionJob overModel = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("d", "weight")));
        assertThat(overModel.state()).isEqualTo(JobState.FAILED);
        assertThat(overModel.error()).hasValueSatisfying(e -> assertThat(e).contains("d.weight is the name of a model"));
        // BigQuery's spellings work as in lathe sql.
        BatchPredictionJob backticks = fixture.run(BatchFixture.spec("d.weight",
                new JobInput.Query("SELECT * EXCEPT (body_mass_g) FROM `d.penguins` WHERE island = \"Biscoe\""), new JobOutput.Table("out", "biscoe")));
        assertThat(backticks.state()).as("%s", backticks.error()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aMissingModelOrFileFailsTheJobWithTheReasonAndWritesNothing() {
        BatchPredictionJob noModel = fixture.run(BatchFixture.spec("d.nothing", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "x")));
        assertThat(noModel.state()).isEqualTo(JobState.FAILED);
        assertThat(noModel.error()).hasValueSatisfying(e -> assertThat(e).contains("d.nothing"));

        String missing = directory.resolve("missing.csv").toString();
        BatchPredictionJob noFile = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(missing)),
                new JobOutput.Files(FileFormat.CSV, directory.resolve("never").toString())));
        assertThat(noFile.state()).isEqualTo(JobState.FAILED);
        assertThat(noFile.error()).hasValueSatisfying(e -> assertThat(e).contains(missing));
        assertThat(Files.exists(directory.resolve("never"))).isFalse();

        BatchPredictionJob noTable = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "nope"), new JobOutput.Table("out", "y")));
        assertThat(noTable.error()).hasValueSatisfying(e -> assertThat(e).contains("d.nope"));
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'out'").get(0).get("n")).isEqualTo(0L);
    }

    /**
     * Probe ub F3b: an existing empty output directory was replaced by the renamed staging directory, so a symbolic link
     * became a plain directory (the directory it named stayed empty) and the directory lost its mode and group. The files
     * now go into the directory as given, through its link, and nothing else is left in it or beside it.
     */
    @Test
    void anExistingEmptyOutputDirectoryReceivesTheFilesThroughItsLinkKeepingItsMode() throws Exception {
        Path target = Files.createDirectories(directory.resolve("elsewhere/target"));
        Path link = Files.createSymbolicLink(directory.resolve("link"), target);
        BatchPredictionJob linked = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Files(FileFormat.CSV, link.toString())));
        assertThat(linked.state()).as("%s", linked.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(listing(target)).containsExactly("predictions_0001.csv");
        assertThat(listing(directory)).containsExactlyInAnyOrder("data", "elsewhere", "link");
        assertThat(fixture.rows("SELECT count(*) AS n FROM read_csv('" + target.resolve("predictions_0001.csv") + "')").get(0).get("n"))
                .isEqualTo(fixture.rows("SELECT count(*) AS n FROM d.penguins").get(0).get("n"));

        Path kept = Files.createDirectories(directory.resolve("kept"));
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---");
        Files.setPosixFilePermissions(kept, mode);
        Object inode = Files.readAttributes(kept, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Files(FileFormat.JSONL, kept.toString())));
        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(Files.getPosixFilePermissions(kept)).isEqualTo(mode);
        assertThat(Files.readAttributes(kept, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        assertThat(listing(kept)).containsExactly("predictions_0001.jsonl");

        // A job that fails leaves the empty directory as it was; one cut off while writing has its staging removed at the next start.
        Path empty = Files.createDirectories(directory.resolve("empty"));
        fixture.sql("CREATE TABLE d.big AS SELECT p.* FROM d.penguins p, range(300) r");
        BatchPredictionJob filling = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"),
                new JobOutput.Files(FileFormat.CSV, empty.toString())));
        awaitUntil(filling, j -> j.rowsTotal() > 0);
        Files.writeString(empty.resolve("theirs.csv"), "theirs\n");
        BatchPredictionJob lost = fixture.runner.await(filling.id(), Duration.ofMinutes(1), Duration.ofMillis(20), j -> {});
        assertThat(lost.state()).isEqualTo(JobState.FAILED);
        assertThat(lost.error()).hasValueSatisfying(e -> assertThat(e).contains("Output directory " + empty + " exists and is not empty"));
        assertThat(listing(empty)).containsExactly("theirs.csv");
        Files.delete(empty.resolve("theirs.csv"));
        JobStore store = fixture.runner.store();
        JobOutput.Files files = new JobOutput.Files(FileFormat.CSV, empty.toString());
        BatchPredictionJob writing = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), files).withModelVersion(1),
                java.util.Optional.empty());
        store.start(writing.id());
        Path staging = JobExecution.stagingDirectory(files, writing.id());
        assertThat(staging.getParent()).isEqualTo(empty.toRealPath());
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("predictions_0001.csv"), "partial");
        fixture.runner.recover(false);
        assertThat(listing(empty)).isEmpty();
        assertThat(store.require(writing.id()).state()).isEqualTo(JobState.FAILED);
    }

    private static List<String> listing(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Probe sd F7: an existing file given as the output directory was said to be a directory that "exists and is not empty". */
    @Test
    void anOutputDirectoryThatIsAFileIsSaidToBeOne() throws IOException {
        Path file = Files.writeString(directory.resolve("taken.csv"), "mine\n");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Files(FileFormat.CSV, file.toString())));
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("Output directory " + file + " is a file; batch prediction writes into a new or empty directory,"
                + " give another gcsDestination.outputUriPrefix (--output-dir)");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
    }

    /**
     * Probe sd F7: a file of a glob deleted after the job listed the files failed it with DuckDB's "No files found that
     * match the pattern" and Lathe's SQL around it. The job says the file disappeared.
     */
    @Test
    void anInputFileDeletedWhileTheJobReadsTheOthersIsSaidToHaveDisappeared() throws Exception {
        Path first = directory.resolve("v1.csv");
        Path second = directory.resolve("v2.csv");
        fixture.sql("COPY (SELECT p.* FROM d.penguins p, range(1500) r) TO '" + first + "' (HEADER)");
        Files.copy(BatchFixture.PENGUINS, second);
        String glob = directory.resolve("v*.csv").toString();
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(glob)),
                new JobOutput.Table("out", "vanished")));
        awaitUntil(job, j -> isOpen(first)); // the files listed, the first being read
        Files.delete(second);
        BatchPredictionJob failed = fixture.runner.await(job.id(), Duration.ofMinutes(1), Duration.ofMillis(20), j -> {});
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).contains("Input file " + second + " disappeared: it was there, matching " + glob + ", when the job listed"
                + " its input files, and was deleted or moved before the job read it; keep the input files in place until the job has read them");
    }

    /** Whether this process has {@code file} open (read from /proc; where there is none, after a pause, as if it had). */
    private static boolean isOpen(Path file) {
        Path descriptors = Path.of("/proc/self/fd");
        if (!Files.isDirectory(descriptors)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        try (java.util.stream.Stream<Path> open = Files.list(descriptors)) {
            Path real = file.toRealPath();
            return open.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void cancellingALargeJobMidwayLeavesNoOutputAndProgressHadIncreased() throws InterruptedException {
        fixture.sql("CREATE TABLE d.big AS SELECT 30 + (i % 200) / 10.0 AS bill_length_mm, 170 + i % 60 AS flipper_length_mm, "
                + "CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END AS sex FROM range(1000000) t(i)");
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"), new JobOutput.Table("out", "big")));
        List<Long> seen = new ArrayList<>();
        BatchPredictionJob running = fixture.runner.await(job.id(), Duration.ofMinutes(2), Duration.ofMillis(5), j -> seen.add(j.rowsProcessed()));
        // await returns at the end; so poll until some progress shows, then cancel.
        assertThat(running.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(seen).isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(1_000_000L);

        BatchPredictionJob second = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"), new JobOutput.Table("out", "big2")));
        while (fixture.runner.store().require(second.id()).rowsProcessed() == 0
                && !fixture.runner.store().require(second.id()).state().terminal()) {
            Thread.sleep(2);
        }
        fixture.runner.cancel(second.id());
        BatchPredictionJob cancelled = fixture.runner.await(second.id(), Duration.ofMinutes(2), Duration.ofMillis(10), j -> {});
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'big2'").get(0).get("n")).isEqualTo(0L);
    }

    /**
     * Probe sd: a cancel did not stop a job's input read: a slow input query kept the job CANCELLING for 128 s, until the
     * query ended. The query is interrupted, and the job is CANCELLED within about a second.
     */
    @Test
    void cancellingAJobWhileItsInputQueryRunsInterruptsTheQuery() throws InterruptedException {
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Query("SELECT r.* FROM d.penguins r,"
                + " range(100000000) t WHERE hash(t.range, r.bill_length_mm) = 42"), new JobOutput.Table("out", "slow")));
        while (fixture.runner.store().require(job.id()).state() == JobState.QUEUED) {
            Thread.sleep(5);
        }
        Thread.sleep(500); // the input query runs
        long start = System.nanoTime();
        fixture.runner.cancel(job.id());
        BatchPredictionJob cancelled = fixture.runner.await(job.id(), Duration.ofMinutes(2), Duration.ofMillis(10), j -> {});
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(cancelled.state()).as("%s", cancelled.error()).isEqualTo(JobState.CANCELLED);
        assertThat(took).as("from the cancel to CANCELLED (the query alone takes minutes)").isLessThan(Duration.ofSeconds(5));
        assertThat(fixture.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'slow'").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void importedXgboostModelsPredictInJobsAsInMlPredict() {
        fixture.sql("CREATE MODEL d.xgb OPTIONS(model_type = 'XGBOOST', model_path = '" + BatchFixture.IMPORTED.resolve("xgb_regressor.json") + "');"
                + "CREATE TABLE d.expected AS SELECT * FROM read_csv('" + BatchFixture.IMPORTED.resolve("expected.csv") + "')");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.xgb", new JobInput.Table("d", "expected"), new JobOutput.Table("out", "xgb")));

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.rows("SELECT * FROM out.xgb")).isEqualTo(fixture.rows("SELECT * FROM ML.PREDICT(MODEL d.xgb, TABLE d.expected)"));
    }

    @Test
    void aNullOrFractionForAnOnnxIntegerInputIsABadRowNotAFailedJob() {
        fixture.sql("CREATE MODEL d.sum OPTIONS(model_type = 'ONNX', model_path = '" + BatchFixture.IMPORTED.resolve("integer_sum.onnx") + "')");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.sum", new JobInput.Query(
                "SELECT i AS a, CASE WHEN i = 3 THEN NULL WHEN i = 5 THEN 2.5 ELSE i END AS b FROM range(8) AS t(i)"),
                new JobOutput.Table("out", "sums")));
        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.failedCount()).isEqualTo(2);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(4L, 6L);
        assertThat(job.partialFailures().get(0).message()).contains("column b").contains("NULL").contains("integer tensor");
        assertThat(job.partialFailures().get(1).message()).contains("'2.5'");
        assertThat(fixture.rows("SELECT sum(`sum`) AS total FROM out.sums")).containsExactly(java.util.Map.of("total", 0.0 + 2 * (0 + 1 + 2 + 4 + 6 + 7)));
        // A number outside the INT32 tensor's range is one bad row too, not the job's failure (probe F)
        BatchPredictionJob far = fixture.run(BatchFixture.spec("d.sum", new JobInput.Query(
                "SELECT i AS a, CASE WHEN i = 2 THEN 3000000000 ELSE i END AS b FROM range(4) AS t(i)"), new JobOutput.Table("out", "far")));
        assertThat(far.state()).as("%s", far.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(far.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(3L);
        assertThat(far.partialFailures().get(0).message()).isEqualTo("column b: '3000000000' is not a whole number from -2147483648 to"
                + " 2147483647; the ONNX model reads it as an integer tensor");
    }

    /**
     * Probe F: the file readers typed columns from their first 20k rows, so a later 181.5 in a column of whole numbers was
     * read as 182 and predicted so, and a later "abc" in JSON failed the whole job. Types come from every row now.
     */
    @Test
    void aValueLateInALargeFileIsReadAsWrittenAndABadOneIsOneBadRow() throws IOException {
        Path csv = directory.resolve("late.csv");
        Path jsonl = directory.resolve("late.jsonl");
        StringBuilder text = new StringBuilder("bill_length_mm,flipper_length_mm,sex\n");
        StringBuilder json = new StringBuilder();
        for (int i = 1; i <= 30_000; i++) {
            String flipper = i == 30_000 ? "181.5" : String.valueOf(170 + i % 40);
            text.append("39.1,").append(flipper).append(",male\n");
            json.append("{\"bill_length_mm\": ").append(i == 29_999 ? "\"abc\"" : "39.1").append(", \"flipper_length_mm\": ").append(flipper)
                    .append(", \"sex\": \"male\"}\n");
        }
        Files.writeString(csv, text);
        Files.writeString(jsonl, json);

        BatchPredictionJob fromCsv = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(csv.toString())),
                new JobOutput.Table("out", "late_csv")));
        assertThat(fromCsv.state()).as("%s", fromCsv.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.rows("SELECT flipper_length_mm, predicted_body_mass_g FROM out.late_csv WHERE flipper_length_mm = 181.5"))
                .isEqualTo(fixture.rows("SELECT flipper_length_mm, predicted_body_mass_g FROM ML.PREDICT(MODEL d.weight,"
                        + " (SELECT 39.1 AS bill_length_mm, 181.5 AS flipper_length_mm, 'male' AS sex))"));
        BatchPredictionJob fromJson = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.JSONL, List.of(jsonl.toString())),
                new JobOutput.Table("out", "late_json")));
        assertThat(fromJson.state()).as("%s", fromJson.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fromJson.failedCount()).isEqualTo(1);
        assertThat(fromJson.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(29_999L);
        assertThat(fixture.rows("SELECT count(*) AS n FROM out.late_json WHERE flipper_length_mm = 181.5")).containsExactly(Map.of("n", 1L));
    }

    /**
     * A JSONL line that is not one JSON object (malformed, an array, a number) failed the whole job with DuckDB's read
     * error, and a blank line shifted every later row's number: bad lines are bad rows numbered by their line, and blank
     * lines keep the line numbers right.
     */
    @Test
    void jsonlLinesThatAreNotObjectsAreBadRowsNumberedByTheirLine() throws IOException {
        Path jsonl = directory.resolve("mixed.jsonl");
        String good = "{\"bill_length_mm\": 39.1, \"flipper_length_mm\": %d, \"sex\": \"male\"}";
        Files.writeString(jsonl, String.join("\n",
                good.formatted(181), // 1
                "", // 2: blank
                "{\"bill_length_mm\": 40.0, \"flipper_length_mm\": 190,", // 3: cut off
                good.formatted(182), // 4
                "[1, 2]", // 5: an array
                "   ", // 6: blank
                good.formatted(183) + " {}", // 7: two objects
                "{\"bill_length_mm\": \"abc\", \"flipper_length_mm\": 185, \"sex\": \"male\"}", // 8: a bad value
                good.formatted(184)) + "\r\n"); // 9
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.JSONL, List.of(jsonl.toString())),
                new JobOutput.Table("out", "mixed")));
        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.successfulCount()).isEqualTo(3);
        assertThat(job.failedCount()).isEqualTo(4);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(3L, 5L, 7L, 8L);
        assertThat(job.partialFailures()).extracting(RowFailure::message).satisfiesExactly(
                m -> assertThat(m).startsWith("malformed JSON at column "),
                m -> assertThat(m).startsWith("the line is an array, not a JSON object"),
                m -> assertThat(m).contains("more after the object's closing '}'"),
                m -> assertThat(m).contains("abc"));
        assertThat(fixture.rows("SELECT flipper_length_mm FROM out.mixed ORDER BY 1")).extracting(r -> ((Number) r.get("flipper_length_mm")).longValue())
                .containsExactly(181L, 182L, 184L);

        // All lines objects, blank lines between: read as it is, numbered by line.
        Path blanks = directory.resolve("blanks.jsonl");
        Files.writeString(blanks, "\n" + good.formatted(181) + "\n\n" + "{\"bill_length_mm\": \"x\", \"flipper_length_mm\": 1, \"sex\": \"male\"}\n");
        BatchPredictionJob spaced = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.JSONL, List.of(blanks.toString())),
                new JobOutput.Table("out", "spaced")));
        assertThat(spaced.state()).as("%s", spaced.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(spaced.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(4L);
    }

    /** Probe sd F7: an empty JSONL file failed the job saying it lacked the model's columns; it is refused as empty, as a CSV is. */
    @Test
    void anEmptyJsonlFileIsRefusedAsEmpty() throws IOException {
        for (String text : List.of("", "\n  \n\r\n")) {
            Path jsonl = Files.writeString(directory.resolve("empty" + text.length() + ".jsonl"), text);
            BatchPredictionJob job = predictFile(FileFormat.JSONL, jsonl, "empty" + text.length());
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.error()).contains("Input file " + jsonl + " is empty" + (text.isEmpty() ? "" : " (blank lines only)")
                    + "; a JSONL input holds one JSON object, an instance, a line");
        }
    }

    /**
     * Probe sd F3: a JSONL column holding a string and a number was typed JSON, its strings read with their quotes
     * ({@code "male"}, a category the model never saw), changing every row's prediction, and {@code true} in a numeric
     * column was the number 1. Strings are their value, other values their JSON text, as in a CSV.
     */
    @Test
    void aJsonlColumnOfMixedTypesHoldsTextAsACsvWould() throws IOException {
        Path jsonl = directory.resolve("types.jsonl");
        Files.writeString(jsonl, String.join("\n",
                "{\"bill_length_mm\": 39.1, \"flipper_length_mm\": 181, \"sex\": \"male\"}",
                "{\"bill_length_mm\": 39.5, \"flipper_length_mm\": 186, \"sex\": 7}",
                "{\"bill_length_mm\": true, \"flipper_length_mm\": 195, \"sex\": \"female\"}") + "\n");

        BatchPredictionJob job = predictFile(FileFormat.JSONL, jsonl, "types");

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.successfulCount()).isEqualTo(2);
        assertThat(job.partialFailures()).singleElement().satisfies(f -> {
            assertThat(f.rowNumber()).isEqualTo(3);
            assertThat(f.column()).contains("bill_length_mm");
            assertThat(f.message()).contains("cannot convert 'true'");
        });
        assertThat(fixture.rows("SELECT predicted_body_mass_g, sex FROM out.types")).isEqualTo(fixture.rows("SELECT predicted_body_mass_g, sex"
                + " FROM ML.PREDICT(MODEL d.weight, (SELECT 39.1 AS bill_length_mm, 181 AS flipper_length_mm, 'male' AS sex UNION ALL"
                + " SELECT 39.5, 186, '7'))"));
    }

    /**
     * Probe sd F6: a model with a TRANSFORM clause gets no per-row check, so a value it cannot convert fails the job; the
     * error was DuckDB's 25-line binder error with the TRANSFORM's generated SQL. It names the column and the row.
     */
    @Test
    void aTransformModelsJobFailingOnTextNamesTheColumnAndTheRow() throws IOException {
        fixture.sql("CREATE MODEL d.scaled TRANSFORM(ML.STANDARD_SCALER(bill_length_mm) OVER () AS bl, flipper_length_mm * 2 AS f2, sex,"
                + " body_mass_g) OPTIONS (model_type = 'LINEAR_REG', input_label_cols = ['body_mass_g']) AS SELECT * FROM d.penguins"
                + " WHERE body_mass_g IS NOT NULL");
        Path csv = write("transform.csv", "bill_length_mm,flipper_length_mm,sex", "39.1,181,male", "45.1,2x5,female");

        BatchPredictionJob job = predictFile("d.scaled", FileFormat.CSV, csv, "scaled");

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).hasValueSatisfying(e -> assertThat(e)
                .startsWith("Column flipper_length_mm of the input is text, but model d.scaled was trained on it as INT64, and its TRANSFORM"
                        + " clause reads it so: row 2 of " + csv + " holds '2x5', which is not a number.")
                .doesNotContain("Binder Error").doesNotContain("\n"));
    }

    /** Probe H: array features in a CSV are their text; they were a DuckDB binder error naming no column. */
    @Test
    void arrayFeaturesReadFromACsvAreConvertedAndABadOneIsABadRow() throws IOException {
        fixture.sql("CREATE MODEL d.arrays OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS"
                + " SELECT (i % 5) * 2.0 + (i % 3) AS y, ['t' || (i % 3)::VARCHAR, 'u' || (i % 2)::VARCHAR] AS tags,"
                + " [(i % 5)::DOUBLE, (i % 2)::DOUBLE] AS v FROM range(600) t(i)");
        Path csv = directory.resolve("arrays.csv");
        Files.writeString(csv, "tags,v\n\"[t1, u0]\",\"[4.0, 1.0]\"\n\"[t2, u1]\",oops\n\"[t0, u1]\",\"[2.0, 0.0]\"\n");
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.arrays", new JobInput.Files(FileFormat.CSV, List.of(csv.toString())),
                new JobOutput.Table("out", "arrays")));
        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(2L);
        assertThat(job.partialFailures().get(0).message()).contains("column v").contains("ARRAY<FLOAT64>");
        assertThat(fixture.rows("SELECT predicted_y FROM out.arrays")).isEqualTo(fixture.rows("SELECT predicted_y FROM ML.PREDICT(MODEL"
                + " d.arrays, (SELECT * FROM (VALUES (['t1', 'u0'], [4.0, 1.0]), (['t0', 'u1'], [2.0, 0.0])) AS t(tags, v)))"));
    }

    /** Probe F: a column named rowid hid DuckDB's row id, which numbers and orders the rows. */
    @Test
    void anInputColumnNamedRowidKeepsRowNumbersAndOrder() {
        String query = "SELECT CASE WHEN i % 3 = 0 THEN 'bad' ELSE CAST(40 + i AS VARCHAR) END AS bill_length_mm, 180 + i AS flipper_length_mm,"
                + " 'male' AS sex, 100 - i AS rowid, i FROM range(1, 10) t(i)";
        BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Query(query), new JobOutput.Table("out", "rid")));
        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.partialFailures()).extracting(RowFailure::rowNumber).containsExactly(3L, 6L, 9L);
        assertThat(fixture.rows("SELECT i, rowid FROM out.rid")).extracting(r -> r.get("i")).containsExactly(1L, 2L, 4L, 5L, 7L, 8L);
        assertThat(fixture.rows("SELECT rowid FROM out.rid LIMIT 1")).containsExactly(Map.of("rowid", 99L));
    }

    /**
     * Probe ub F3: an input column named like one the job adds ({@code __lathe_source}, {@code __lathe_row}) was dropped or
     * renamed in the output, and a bad row's source was the user's value. The output is ML.PREDICT's over the same rows.
     */
    @Test
    void inputColumnsNamedLikeTheJobsOwnKeepTheirNamesAndValues() throws IOException {
        Path csv = write("internal.csv", "bill_length_mm,flipper_length_mm,sex,__lathe_source,__LATHE_ROW,__lathe1_k",
                "39.1,181,male,/etc/passwd,7,a", "40.0,abc,female,/etc/passwd,8,b", "41.5,190,male,/etc/x,9,c");
        Path other = write("internal2.csv", "bill_length_mm,flipper_length_mm,sex,__lathe_source,__LATHE_ROW,__lathe1_k",
                "42.0,200,female,/etc/y,10,d");
        Path jsonl = write("internal.jsonl", "{\"bill_length_mm\": 39.1, \"flipper_length_mm\": 181, \"sex\": \"male\", \"__lathe_source\": 4}",
                "{\"bill_length_mm\": 40.0, \"flipper_length_mm\": \"abc\", \"sex\": \"male\", \"__lathe_source\": 5}");
        // The good rows, materialized: ML.PREDICT over the filtered reader converts 'abc' before the filter drops it
        fixture.sql("CREATE TABLE d.internal AS SELECT * FROM read_csv('" + csv + "') WHERE flipper_length_mm <> 'abc';"
                + "CREATE TABLE d.internal2 AS SELECT * FROM d.internal UNION ALL BY NAME SELECT * FROM read_csv('" + other + "');"
                + "CREATE TABLE d.internalj AS SELECT 39.1::DOUBLE AS bill_length_mm, '181' AS flipper_length_mm, 'male' AS sex,"
                + " 4::BIGINT AS __lathe_source"); // a key of numbers and strings is text
        String expected = "SELECT * FROM ML.PREDICT(MODEL d.weight, TABLE d.%s)";
        record Case(JobInput input, String table, List<String> sources, String expected) {}
        for (Case c : List.of(
                new Case(new JobInput.Files(FileFormat.CSV, List.of(csv.toString())), "c1", List.of(csv.toString()), expected.formatted("internal")),
                new Case(new JobInput.Files(FileFormat.CSV, List.of(csv.toString(), other.toString())), "c2", List.of(csv.toString()),
                        expected.formatted("internal2")),
                new Case(new JobInput.Files(FileFormat.JSONL, List.of(jsonl.toString())), "j1", List.of(jsonl.toString()),
                        expected.formatted("internalj")),
                new Case(new JobInput.Table("d", "internal"), "t1", List.of(), expected.formatted("internal")))) {
            BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", c.input(), new JobOutput.Table("out", c.table())));
            assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(fixture.rows("SELECT * FROM out." + c.table())).as(c.table()).isEqualTo(fixture.rows(c.expected()));
            assertThat(job.partialFailures()).as(c.table()).extracting(f -> f.source().orElse(null)).containsExactlyElementsOf(c.sources());
            assertThat(job.partialFailures()).as(c.table()).extracting(RowFailure::rowNumber).containsExactlyElementsOf(c.sources().stream()
                    .map(s -> 2L).toList());
        }
        assertThat(fixture.rows("SELECT source, row_number FROM out.c1_errors")).containsExactly(Map.of("source", csv.toString(), "row_number", 2L));
    }

    /** Probe F: several files are matched by column name in any order; a file lacking a column the model reads is named. */
    @Test
    void severalFilesMatchByNameAndOneLackingAModelColumnIsNamed() throws IOException {
        Path plain = directory.resolve("a.csv");
        Path extra = directory.resolve("b.csv");
        Path lacking = directory.resolve("c.csv");
        Files.writeString(plain, "bill_length_mm,flipper_length_mm,sex\n39.1,181,male\n");
        Files.writeString(extra, "sex,extra,flipper_length_mm,bill_length_mm\nfemale,x,190,40.5\n");
        Files.writeString(lacking, "bill_length_mm,sex\n41.0,male\n");
        for (List<Path> order : List.of(List.of(plain, extra), List.of(extra, plain))) {
            BatchPredictionJob job = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV,
                    order.stream().map(Path::toString).toList()), new JobOutput.Table("out", "o" + order.get(0).getFileName().toString().charAt(0))));
            assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.successfulCount()).isEqualTo(2);
        }
        Path empty = Files.writeString(directory.resolve("empty.csv"), "");
        BatchPredictionJob none = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV, List.of(empty.toString())),
                new JobOutput.Table("out", "oe")));
        assertThat(none.state()).isEqualTo(JobState.FAILED); // it said the input lacked the model's columns (probe F)
        assertThat(none.error()).hasValueSatisfying(e -> assertThat(e).contains("Input file " + empty + " is empty; a CSV input starts"
                + " with its header line"));
        BatchPredictionJob refused = fixture.run(BatchFixture.spec("d.weight", new JobInput.Files(FileFormat.CSV,
                List.of(plain.toString(), lacking.toString())), new JobOutput.Table("out", "oc")));
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(refused.error()).contains("Input file " + lacking + " lacks column flipper_length_mm, which model d.weight reads;"
                + " every input file must hold the model's columns (other columns are ignored)");
    }

    /** A stopping runner cancels its running job and leaves the queued ones QUEUED for the next start (probe F). */
    @Test
    void closingTheRunnerCancelsTheRunningJobAndKeepsTheQueuedOnes() throws InterruptedException {
        fixture.sql("CREATE TABLE d.big AS SELECT 40.0 + i % 10 AS bill_length_mm, 180 + i % 30 AS flipper_length_mm, 'male' AS sex"
                + " FROM range(3000000) t(i)");
        BatchPredictionJob running = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"),
                new JobOutput.Table("out", "big1")));
        BatchPredictionJob queued = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "big"),
                new JobOutput.Table("out", "big2")));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (fixture.runner.store().require(running.id()).rowsProcessed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        fixture.runner.close();
        assertThat(fixture.runner.store().require(running.id()).state()).isIn(JobState.CANCELLED, JobState.SUCCEEDED);
        assertThat(fixture.runner.store().require(queued.id()).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void queuedJobsRecoverAfterARestartAndRunningOnesFail() {
        JobStore store = fixture.runner.store();
        BatchPredictionJob queued = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "r"))
                .withModelVersion(1), java.util.Optional.empty());
        BatchPredictionJob running = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "s"))
                .withModelVersion(1), java.util.Optional.empty());
        store.start(running.id());
        // One cut off while writing files: its hidden staging directory must not stay behind.
        JobOutput.Files files = new JobOutput.Files(FileFormat.CSV, directory.resolve("cut").toString());
        BatchPredictionJob writing = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), files).withModelVersion(1),
                java.util.Optional.empty());
        store.start(writing.id());
        Path staging = JobExecution.stagingDirectory(files, writing.id());
        try {
            Files.createDirectories(staging);
            Files.writeString(staging.resolve("predictions_0001.csv"), "partial");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        fixture.runner.recover(true);

        assertThat(staging).doesNotExist();
        assertThat(store.require(writing.id()).state()).isEqualTo(JobState.FAILED);
        assertThat(store.require(running.id()).state()).isEqualTo(JobState.FAILED);
        assertThat(store.require(running.id()).error()).hasValueSatisfying(e -> assertThat(e).contains("restart"));
        try {
            assertThat(fixture.runner.await(queued.id(), Duration.ofMinutes(1), Duration.ofMillis(10), j -> {}).state()).isEqualTo(JobState.SUCCEEDED);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Probe pu: a server killed after a job's output was committed, before its end was recorded, restarted with the job
     * FAILED "no output was written" beside the whole output, which blocked the resubmission the message asked for. The
     * outcome is recorded before the commit, and the next start completes a job whose output is there.
     */
    @Test
    void aJobCutOffAfterCommittingItsOutputSucceedsAtTheNextStart() {
        JobStore store = fixture.runner.store();
        JobOutput.Files files = new JobOutput.Files(FileFormat.CSV, directory.resolve("done").toString());
        BatchPredictionJob written = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), files).withModelVersion(1),
                java.util.Optional.empty());
        store.start(written.id());
        store.committing(written.id(), 344, 342, 2, java.util.List.of(), JobExecution.outputLocation(files));
        BatchPredictionJob table = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"), new JobOutput.Table("out", "t"))
                .withModelVersion(1), java.util.Optional.empty());
        store.start(table.id());
        store.committing(table.id(), 344, 344, 0, java.util.List.of(), "out.t");
        BatchPredictionJob beforeCommit = store.create(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Table("out", "never")).withModelVersion(1), java.util.Optional.empty());
        store.start(beforeCommit.id());
        store.committing(beforeCommit.id(), 344, 344, 0, java.util.List.of(), "out.never");
        try {
            Files.createDirectories(directory.resolve("done"));
            Files.writeString(directory.resolve("done/predictions_0001.csv"), "x\n1\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fixture.sql("CREATE SCHEMA out; CREATE TABLE out.t AS SELECT 1 AS x");

        fixture.runner.recover(false);

        BatchPredictionJob done = store.require(written.id());
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.successfulCount()).isEqualTo(342);
        assertThat(done.failedCount()).isEqualTo(2);
        assertThat(done.error()).isEmpty();
        assertThat(store.require(table.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.require(beforeCommit.id()).state()).isEqualTo(JobState.FAILED);
        assertThat(store.require(beforeCommit.id()).error()).hasValueSatisfying(e -> assertThat(e).contains("restart"));
    }

    /**
     * Probe pu: on a full disk SQLite refused the job's end, the worker thread died with the exception, the job stayed
     * RUNNING and `lathe jobs submit` waited on it forever. The store's refusal is made here by a trigger: the job's output
     * is committed, so awaiting it answers it succeeded, saying its end could not be recorded; the next start records it.
     */
    @Test
    void aJobWhoseEndTheStoreRefusesIsAnsweredNotAwaitedForever() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(fixture.platform.metadataStore().displayUrl().startsWith("jdbc:sqlite:"));
        storeRefuses("SUCCEEDED");
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Table("out", "refused")));
        BatchPredictionJob ended = fixture.runner.await(job.id(), Duration.ofMinutes(1), Duration.ofMillis(10), j -> {});
        assertThat(ended.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("output is committed", "disk is full"));
        assertThat(fixture.rows("SELECT count(*) AS n FROM out.refused").get(0).get("n")).isEqualTo(344L);

        storeAcceptsAgain("SUCCEEDED");
        fixture.runner.recover(false); // as the next start does
        assertThat(fixture.runner.store().require(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(fixture.runner.store().require(job.id()).successfulCount()).isEqualTo(344);
    }

    /**
     * Probe pu2: a failed job whose end the store refused showed only the store's error, a server's GET kept it RUNNING,
     * the CLI's close then cancelled it (nobody had), and the next start said "no output" beside its pre-commit counts.
     */
    @Test
    void aFailedJobWhoseEndTheStoreRefusesKeepsItsReasonAndIsNotCancelled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(fixture.platform.metadataStore().displayUrl().startsWith("jdbc:sqlite:"));
        fixture.sql("CREATE SCHEMA out; CREATE TABLE out.taken AS SELECT 1 AS x");
        storeRefuses("FAILED");
        BatchPredictionJob job = fixture.runner.submit(BatchFixture.spec("d.weight", new JobInput.Table("d", "penguins"),
                new JobOutput.Table("out", "taken")));
        BatchPredictionJob ended = fixture.runner.await(job.id(), Duration.ofMinutes(1), Duration.ofMillis(10), j -> {});
        assertThat(ended.state()).isEqualTo(JobState.FAILED);
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("out.taken", "recording this failure in the metadata"
                + " store failed too", "disk is full"));
        assertThat(fixture.runner.current(fixture.runner.store().require(job.id())).state()).isEqualTo(JobState.FAILED);
        // a cancel finds nothing to stop (probe pu3: it made the job CANCELLING, then CANCELLED, its failure lost)
        assertThat(fixture.runner.cancel(job.id()).state()).isEqualTo(JobState.FAILED);
        assertThat(fixture.runner.store().require(job.id()).state()).isEqualTo(JobState.RUNNING);
        fixture.runner.close(); // as the CLI's run ends: the job it knows ended is not cancelled
        storeAcceptsAgain("FAILED");
        assertThat(fixture.runner.store().require(job.id()).state()).isEqualTo(JobState.RUNNING);
        JobRunner next = new JobRunner(fixture.platform, 1);
        next.recover(false); // the next start
        BatchPredictionJob recovered = next.store().require(job.id());
        next.close();
        assertThat(recovered.state()).isEqualTo(JobState.FAILED);
        assertThat(recovered.successfulCount()).isZero();
        assertThat(recovered.error()).hasValueSatisfying(e -> assertThat(e).contains("ended before recording how it ended"));
    }

    /** Makes the SQLite store refuse to record a job ending in {@code state}, as a full disk refuses a commit. */
    private void storeRefuses(String state) {
        triggerSql("CREATE TRIGGER refuse_" + state + " BEFORE UPDATE OF state ON batch_jobs WHEN NEW.state = '" + state + "'"
                + " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    }

    private void storeAcceptsAgain(String state) {
        triggerSql("DROP TRIGGER refuse_" + state);
    }

    private void triggerSql(String sql) {
        fixture.platform.metadataStore().inTransaction(c -> {
            try (java.sql.Statement statement = c.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }
}
