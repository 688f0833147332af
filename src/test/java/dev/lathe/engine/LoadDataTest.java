package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOAD DATA against BigQuery's load semantics (probe te): no value is changed on its way in without an error. */
class LoadDataTest {
    @TempDir
    Path directory;

    private SqlSession sql;

    @BeforeEach
    void open() {
        sql = new SqlSession(directory.resolve("data"));
        sql.run("CREATE SCHEMA d");
    }

    @AfterEach
    void close() {
        sql.close();
    }

    private String from(String format, Path file) {
        return " FROM FILES (format = '" + format + "', uris = ['" + file + "'])";
    }

    /** Probe te F1: the columns were typed from the first 20,480 rows, and a later 2.5 went into INT64 as 3 (JSON: 2). */
    @Test
    void aLateDecimalTypesTheInferredColumnFloat64() throws Exception {
        StringBuilder csv = new StringBuilder("id,n\n");
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i % 7).append('\n');
            json.append("{\"id\": ").append(i).append(", \"n\": ").append(i % 7).append("}\n");
        }
        Path late = Files.writeString(directory.resolve("late.csv"), csv + "30000,2.5\n30001,-7.5\n");
        Path lateJson = Files.writeString(directory.resolve("late.jsonl"), json + "{\"id\": 30000, \"n\": 2.5}\n");
        sql.run("LOAD DATA INTO d.late" + from("CSV", late));
        assertThat(sql.value("SELECT typeof(n) FROM d.late LIMIT 1")).isEqualTo("DOUBLE");
        assertThat(sql.value("SELECT string_agg(n::VARCHAR, ',' ORDER BY id) FROM d.late WHERE id >= 30000")).isEqualTo("2.5,-7.5");
        sql.run("LOAD DATA INTO d.late_json" + from("JSON", lateJson));
        assertThat(sql.value("SELECT n::VARCHAR FROM d.late_json WHERE id = 30000")).isEqualTo("2.5");

        // every file of a wildcard is typed too: DuckDB sniffed the first 10
        Files.createDirectory(directory.resolve("many"));
        for (int i = 10; i < 25; i++) {
            Files.writeString(directory.resolve("many/f" + i + ".csv"), "id,n\n" + i + "," + (i == 24 ? "2.5" : "2") + "\n");
        }
        sql.run("LOAD DATA INTO d.many" + from("CSV", directory.resolve("many/*.csv")));
        assertThat(sql.value("SELECT n::VARCHAR FROM d.many WHERE id = 24")).isEqualTo("2.5");

        // DuckDB's JSON reader took 03-01-2024 for the 3rd of January; BigQuery reads year-first dates only
        Path dates = Files.writeString(directory.resolve("dates.jsonl"), "{\"d\": \"03-01-2024\", \"e\": \"2024-01-05\"}\n");
        sql.run("LOAD DATA INTO d.dates" + from("JSON", dates));
        assertThat(sql.value("SELECT typeof(d) || ' ' || d || ' ' || typeof(e) FROM d.dates")).isEqualTo("VARCHAR 03-01-2024 DATE");
    }

    /** Probe te F2: a UTC offset was dropped (10:00+02:00 stored as 10:00) going into a TIMESTAMP or a DATETIME column. */
    @Test
    void aUtcOffsetConvertsToUtcOrIsABadRowForADatetime() throws Exception {
        Path naive = Files.writeString(directory.resolve("ts1.csv"), "id,ts\n1,2024-01-05 10:00:00\n");
        Path offsets = Files.writeString(directory.resolve("ts2.csv"), "id,ts\n2,2024-01-05 10:00:00+02:00\n3,2024-01-05T10:00:00-05:00\n");
        Path json = Files.writeString(directory.resolve("ts2.jsonl"), "{\"id\": 4, \"ts\": \"2024-01-05 10:00:00+02:00\"}\n");
        sql.run("LOAD DATA INTO d.ts" + from("CSV", naive));
        sql.run("LOAD DATA INTO d.ts" + from("CSV", offsets));
        sql.run("LOAD DATA INTO d.ts" + from("JSON", json));
        assertThat(sql.value("SELECT string_agg(strftime(ts, '%H:%M'), ',' ORDER BY id) FROM d.ts")).isEqualTo("10:00,08:00,15:00,08:00");

        // one offset among 30,000 naive values makes the inferred column TIMESTAMPTZ; it was read naive, the offset dropped
        StringBuilder late = new StringBuilder("id,ts\n");
        for (int i = 0; i < 30_000; i++) {
            late.append(i).append(",2024-01-05 10:00:00\n");
        }
        sql.run("LOAD DATA INTO d.late" + from("CSV", Files.writeString(directory.resolve("late.csv"), late + "30000,2024-01-05 10:00:00+02:00\n")));
        assertThat(sql.value("SELECT typeof(ts) || ' ' || strftime(ts, '%H:%M') FROM d.late WHERE id = 30000"))
                .isEqualTo("TIMESTAMP WITH TIME ZONE 08:00");

        // a DATETIME has no zone: BigQuery refuses the row
        String datetime = "LOAD DATA INTO d.dt (id INT64, ts DATETIME) FROM FILES (format = 'CSV', uris = ['" + offsets + "'], skip_leading_rows = 1";
        assertThat(sql.failure(datetime + ")").getMessage()).contains("2 bad rows")
                .contains(offsets + ": column ts holds '2024-01-05 10:00:00+02:00', not a DATETIME (YYYY-MM-DD[ HH:MM:SS[.SSSSSS]],"
                        + " without a UTC offset or time zone");
        sql.run("LOAD DATA INTO d.dt (id INT64, ts DATETIME) FROM FILES (format = 'CSV', uris = ['" + naive + "'], skip_leading_rows = 1)");
        assertThat(sql.value("SELECT typeof(ts) || ' ' || strftime(ts, '%H:%M') FROM d.dt")).isEqualTo("TIMESTAMP 10:00");
    }

    /** Probe te F3: JSON keys were matched to columns case-sensitively, so a key Name loaded the column name as NULL. */
    @Test
    void jsonKeysMatchColumnsWhateverTheirCase() throws Exception {
        Path json = Files.writeString(directory.resolve("case.jsonl"), "{\"Name\": \"alice\", \"Age\": 30}\n{\"Name\": \"bob\", \"Age\": 40}\n");
        sql.run("CREATE TABLE d.people (name VARCHAR, age BIGINT)");
        assertThat(sql.run("LOAD DATA INTO d.people" + from("JSON", json))).isEqualTo("Appended to d.people: now 2 rows from 1 file");
        assertThat(sql.value("SELECT string_agg(name || ' ' || age, ',' ORDER BY age) FROM d.people")).isEqualTo("alice 30,bob 40");
        sql.run("LOAD DATA INTO d.listed (name STRING, age INT64)" + from("JSON", json));
        assertThat(sql.value("SELECT string_agg(name || ' ' || age, ',' ORDER BY age) FROM d.listed")).isEqualTo("alice 30,bob 40");
        assertThat(sql.columns("SELECT * FROM d.listed")).containsExactly("name", "age");

        // two keys that differ only in case would name one column: refused, as DuckDB made two (a and A_1)
        Path twice = Files.writeString(directory.resolve("twice.jsonl"), "{\"a\": 1}\n{\"A\": 2}\n");
        assertThat(sql.failure("LOAD DATA INTO d.twice" + from("JSON", twice)).getMessage()).isEqualTo("LOAD DATA into d.twice: the file's"
                + " keys 'A' and 'a' differ only in case; column names are case-insensitive, as in BigQuery, so they would name one column:"
                + " rename one of them in the file");

        // a key first met after DuckDB's sample was dropped without a word when appending
        StringBuilder late = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            late.append("{\"name\": \"n").append(i).append("\", \"age\": 1}\n");
        }
        Path extra = Files.writeString(directory.resolve("late.jsonl"), late + "{\"name\": \"x\", \"age\": 2, \"city\": \"rome\"}\n");
        assertThat(sql.failure("LOAD DATA INTO d.people" + from("JSON", extra)).getMessage())
                .isEqualTo("LOAD DATA into d.people: the file's key 'city' is not a column of the table; columns are: name, age");
    }

    /** Probe te F4: a timestamp went into a DATE column without its time; Parquet DOUBLE went into STRING, BOOL into INT64. */
    @Test
    void aValueItsColumnCannotHoldIsRefusedNotCut() throws Exception {
        Path csv = Files.writeString(directory.resolve("dts.csv"), "id,d\n1,2024-01-04\n2,2024-01-05 23:30:00\n3,2024/01/06\n");
        Path json = Files.writeString(directory.resolve("dts.jsonl"), "{\"id\": 3, \"d\": \"2024-01-05 23:30:00\"}\n");
        sql.run("CREATE TABLE d.dd (id BIGINT, d DATE)");
        assertThat(sql.failure("LOAD DATA INTO d.dd" + from("CSV", csv)).getMessage()).contains("2 bad rows")
                .contains(csv + ", line 3: Error when converting column \"d\". Could not convert string \"2024-01-05 23:30:00\" to 'DATE'"
                        + " (a DATE is YYYY-MM-DD, without a time)")
                .contains(csv + ", line 4: ");
        assertThat(sql.failure("LOAD DATA INTO d.dd" + from("JSON", json)).getMessage())
                .contains(json + ": column d holds '2024-01-05 23:30:00', not a DATE (YYYY-MM-DD, without a time)");
        assertThat(sql.failure("LOAD DATA INTO d.listed (id INT64, d DATE) FROM FILES (format = 'CSV', uris = ['" + csv
                + "'], skip_leading_rows = 1)").getMessage()).contains(csv + ", line 3: ");
        assertThat(sql.value("SELECT count(*) FROM d.dd")).isEqualTo(0L);
        // inferred, such a column stays STRING: BigQuery's DATE has dashes and no time
        sql.run("LOAD DATA INTO d.inferred" + from("CSV", csv));
        assertThat(sql.value("SELECT typeof(d) FROM d.inferred LIMIT 1")).isEqualTo("VARCHAR");

        Path times = Files.writeString(directory.resolve("times.csv"), "id,t\n1,10:00:00+02:00\n2,2024-01-05 10:00:00\n3,10:30\n");
        sql.run("CREATE TABLE d.tt (id BIGINT, t TIME)");
        assertThat(sql.failure("LOAD DATA INTO d.tt" + from("CSV", times)).getMessage()).contains("2 bad rows")
                .contains("column t holds '10:00:00+02:00', not a TIME (HH:MM[:SS[.SSSSSS]], without a date or a UTC offset)")
                .contains("column t holds '2024-01-05 10:00:00', not a TIME");

        Path parquet = directory.resolve("p1.parquet");
        sql.run("COPY (SELECT 1 AS id, TIMESTAMP '2024-01-05 23:30:00' AS d, 2.75::DOUBLE AS s, true AS n) TO '" + parquet + "' (FORMAT parquet)");
        for (String columns : List.of("id BIGINT, d DATE", "id BIGINT, s VARCHAR", "id BIGINT, n BIGINT", "id BIGINT, s DECIMAL(10, 1)")) {
            String table = "d.p" + Math.abs(columns.hashCode());
            sql.run("CREATE TABLE " + table + " (" + columns + ")");
            assertThat(sql.failure("LOAD DATA INTO " + table + from("PARQUET", parquet)).getMessage())
                    .contains("in " + parquet + ", ").contains(" in the table; a Parquet column must have its column's type, or one it widens"
                            + " to without loss (BigQuery: Provided Schema does not match Table); nothing was loaded");
        }
        sql.run("CREATE TABLE d.wide (id DOUBLE, d TIMESTAMP, s DOUBLE, n BOOLEAN)");
        sql.run("LOAD DATA INTO d.wide" + from("PARQUET", parquet));
        assertThat(sql.value("SELECT strftime(d, '%H:%M') || ' ' || s || ' ' || n FROM d.wide")).isEqualTo("23:30 2.75 true");
    }

    /** Probe te F5: a column list overrode an existing table's types, so 2.5 for its INT64 column went in as 3. */
    @Test
    void aColumnListMustMatchTheTableItAppendsTo() throws Exception {
        Path csv = Files.writeString(directory.resolve("cl.csv"), "007,x\n2.5,y\n");
        String files = " FROM FILES (format = 'CSV', uris = ['" + csv + "']";
        sql.run("CREATE TABLE d.cl (a BIGINT, b VARCHAR)");
        assertThat(sql.failure("LOAD DATA INTO d.cl (a STRING, b STRING)" + files + ")").getMessage()).isEqualTo("LOAD DATA INTO d.cl:"
                + " column 'a' at line 1, column 22 is STRING in the column list but INT64 in the table; a column list for a table that"
                + " exists must give its columns' types, as in BigQuery (LOAD DATA OVERWRITE replaces the table with the list's schema)");
        assertThat(sql.failure("LOAD DATA INTO d.cl (a FLOAT64, b STRING)" + files + ")").getMessage()).contains("is FLOAT64 in the column list");
        assertThat(sql.failure("LOAD DATA INTO d.cl (a INT64, c STRING)" + files + ")").getMessage())
                .contains("column 'c' at line 1, column 31 of the column list is not a column of the table; its columns are a INT64, b STRING");
        // with the table's types, 2.5 is a bad row, never 3
        assertThat(sql.failure("LOAD DATA INTO d.cl (a INT64, b STRING)" + files + ")").getMessage())
                .contains(csv + ": column a holds '2.5', not a whole number of BIGINT");
        sql.run("LOAD DATA INTO d.cl (a INT64, b STRING)" + files + ", max_bad_records = 1)");
        assertThat(sql.value("SELECT string_agg(a || b, ',') FROM d.cl")).isEqualTo("7x");
        // OVERWRITE replaces the table with the list's schema
        sql.run("LOAD DATA OVERWRITE d.cl (a STRING, b STRING)" + files + ")");
        assertThat(sql.value("SELECT string_agg(a, ',' ORDER BY b) FROM d.cl")).isEqualTo("007,2.5");
    }

    /** Probe te F6: DuckDB globbed ? and [...] in a uri, so a file named a[1].csv loaded a1.csv, and b?.csv three files. */
    @Test
    void onlyAStarIsAWildcardInUris() throws Exception {
        Path g = Files.createDirectory(directory.resolve("g"));
        Files.writeString(g.resolve("a[1].csv"), "a\n111\n");
        Files.writeString(g.resolve("a1.csv"), "a\n999\n");
        Files.writeString(g.resolve("b?.csv"), "a\n5\n");
        Files.writeString(g.resolve("bx.csv"), "a\n6\n");
        assertThat(sql.run("LOAD DATA INTO d.g" + from("CSV", g.resolve("a[1].csv")))).isEqualTo("Loaded d.g: now 1 row from 1 file");
        assertThat(sql.run("LOAD DATA INTO d.g" + from("CSV", g.resolve("b?.csv")))).isEqualTo("Appended to d.g: now 2 rows from 1 file");
        assertThat(sql.run("LOAD DATA INTO d.g" + from("CSV", g.resolve("a[*.csv")))).isEqualTo("Appended to d.g: now 3 rows from 1 file");
        assertThat(sql.value("SELECT string_agg(a::VARCHAR, ',' ORDER BY a) FROM d.g")).isEqualTo("5,111,111");
    }

    /** Probe te F7: a headerless file of text lost its first line, taken for the header. BigQuery reads it as a row. */
    @Test
    void aFileOfTextHasNoHeaderDetectedAsInBigQuery() throws Exception {
        Path names = Files.writeString(directory.resolve("nohdr.csv"), "alice,paris\nbob,rome\n");
        assertThat(sql.run("LOAD DATA INTO d.t" + from("CSV", names))).isEqualTo("Loaded d.t: now 2 rows from 1 file; every column is"
                + " text, so no header line was detected (as in BigQuery) and line 1 is a row: if it holds the column names, load with"
                + " skip_leading_rows = 1");
        assertThat(sql.columns("SELECT * FROM d.t")).containsExactly("string_field_0", "string_field_1");
        assertThat(sql.run("LOAD DATA OVERWRITE d.t FROM FILES (format = 'CSV', uris = ['" + names + "'], skip_leading_rows = 0)"))
                .isEqualTo("Loaded d.t: now 2 rows from 1 file");
        Path header = Files.writeString(directory.resolve("hdr.csv"), "name,city\ncarol,oslo\n");
        sql.run("LOAD DATA INTO d.h FROM FILES (format = 'CSV', uris = ['" + header + "'], skip_leading_rows = 1)");
        assertThat(sql.columns("SELECT * FROM d.h")).containsExactly("name", "city");
        // appended, a first line that names the table's columns is its header, any other is a row
        sql.run("LOAD DATA INTO d.h" + from("CSV", names));
        sql.run("LOAD DATA INTO d.h" + from("CSV", header));
        assertThat(sql.value("SELECT string_agg(name, ',' ORDER BY name) FROM d.h")).isEqualTo("alice,bob,carol,carol");
        // a header over other types is detected, as before, also where DuckDB typed the columns VARCHAR (files of numbers
        // whose columns come in another order)
        Path typed = Files.writeString(directory.resolve("typed.csv"), "name,n\nx,1\n");
        assertThat(sql.run("LOAD DATA INTO d.typed" + from("CSV", typed))).isEqualTo("Loaded d.typed: now 1 row from 1 file");
        Path ordered = Files.createDirectory(directory.resolve("ordered"));
        Files.writeString(ordered.resolve("1.csv"), "a,b\n1,x\n");
        Files.writeString(ordered.resolve("2.csv"), "b,a\ny,2\n");
        assertThat(sql.run("LOAD DATA INTO d.ordered" + from("CSV", ordered.resolve("*.csv")))).isEqualTo("Loaded d.ordered: now 2 rows from 2 files");
        assertThat(sql.value("SELECT string_agg(a || b, ',' ORDER BY a) FROM d.ordered")).isEqualTo("1x,2y");
    }

    /** Probe te F8: a wildcard that matched nothing was refused as an empty file, and a directory as a file not found. */
    @Test
    void aWildcardThatMatchesNothingAndADirectoryAreNamedAsSuch() throws Exception {
        Path folder = Files.createDirectory(directory.resolve("m"));
        Files.writeString(folder.resolve("a.csv"), "a\n1\n");
        assertThat(sql.failure("LOAD DATA INTO d.x" + from("JSON", folder.resolve("*.json"))).getMessage()).isEqualTo("LOAD DATA into d.x:"
                + " no file matches '" + folder + "/*.json' (" + folder + "/*.json, in uris; * stands for any characters within a name)");
        sql.run("CREATE TABLE d.t (a BIGINT)");
        assertThat(sql.failure("LOAD DATA INTO d.t" + from("CSV", directory.resolve("nope/*.csv"))).getMessage())
                .startsWith("LOAD DATA into d.t: no file matches '" + directory + "/nope/*.csv'");
        assertThat(sql.failure("LOAD DATA INTO d.t" + from("CSV", folder)).getMessage()).isEqualTo("'" + folder + "' in uris of LOAD DATA"
                + " is a directory (" + folder + "); uris name files: name its files with a wildcard, e.g. '" + folder + "/*.csv'");
    }

    /** Probe te F9: a local path starting with "http" was refused as remote. */
    @Test
    void onlyAUrlIsRemote() throws Exception {
        // relative to the working directory, which has no http_logs: looked for, not refused
        assertThat(sql.failure("LOAD DATA INTO d.logs FROM FILES (format = 'CSV', uris = ['http_logs/a.csv'])").getMessage())
                .isEqualTo("File not found: " + Path.of("http_logs/a.csv").toAbsolutePath() + " (in uris of LOAD DATA)");
        for (String url : List.of("https://example.com/a.csv", "gs://bucket/a.csv", "s3://bucket/*.csv")) {
            assertThat(sql.failure("LOAD DATA INTO d.logs FROM FILES (format = 'CSV', uris = ['" + url + "'])").getMessage())
                    .isEqualTo("uris must be local file paths; '" + url + "' is a URL");
        }
    }

    /** Probe te F10: field_delimiter = 'tab' was a three-character delimiter (a one-column table), and '' was ignored. */
    @Test
    void aFieldDelimiterIsOneByteOrTab() throws Exception {
        Path tsv = Files.writeString(directory.resolve("tab.tsv"), "a\tb\n1\tx\n");
        for (String tab : List.of("'tab'", "'\\t'", "r'\\t'")) {
            sql.run("LOAD DATA OVERWRITE d.tab FROM FILES (format = 'CSV', uris = ['" + tsv + "'], field_delimiter = " + tab + ")");
            assertThat(sql.columns("SELECT * FROM d.tab")).containsExactly("a", "b");
        }
        for (String bad : List.of("||", "", "€")) {
            assertThat(sql.failure("LOAD DATA OVERWRITE d.tab FROM FILES (format = 'CSV', uris = ['" + tsv + "'], field_delimiter = '" + bad
                    + "')").getMessage()).isEqualTo("LOAD DATA option field_delimiter must be one character (a single byte, as in BigQuery:"
                            + " ISO-8859-1), or '\\t' or 'tab' for a tab; got '" + bad + "'");
        }
    }

    /** Probe te F11: NOT NULL was an unknown type, a name given twice and a Parquet column the file lacks were binder errors. */
    @Test
    void aColumnListsFormsAreTakenOrRefusedByName() throws Exception {
        Path csv = Files.writeString(directory.resolve("cl.csv"), "007,x\n");
        String files = " FROM FILES (format = 'CSV', uris = ['" + csv + "'])";
        assertThat(sql.failure("LOAD DATA INTO d.c (a INT64 NOT NULL, b STRING)" + files).getMessage()).isEqualTo("LOAD DATA INTO d.c:"
                + " column 'a' at line 1, column 21 is INT64 NOT NULL; NOT NULL is not supported in a LOAD DATA column list (the columns are"
                + " NULLABLE): give the type alone, a INT64");
        assertThat(sql.failure("LOAD DATA INTO d.c (a INT64, A STRING)" + files).getMessage()).isEqualTo("LOAD DATA INTO d.c: column 'A'"
                + " at line 1, column 30 is in the column list twice (as 'a' at line 1, column 21); column names are case-insensitive, as in"
                + " BigQuery");
        sql.run("LOAD DATA INTO d.c (a STRING OPTIONS (description = 'zip code'), b STRING)" + files);
        assertThat(sql.value("SELECT a FROM d.c")).isEqualTo("007");

        Path parquet = directory.resolve("p2.parquet");
        sql.run("COPY (SELECT 1 AS Id, 'a' AS Name) TO '" + parquet + "' (FORMAT parquet)");
        sql.run("LOAD DATA INTO d.p (id INT64, name STRING, missing FLOAT64)" + from("PARQUET", parquet));
        assertThat(sql.rows("SELECT * FROM d.p")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("id", 1L).containsEntry("name", "a").containsEntry("missing", null);
        });
    }

    /** Probe te F12: DuckDB's advice to set reader options LOAD DATA does not take ended a JSON file's error. */
    @Test
    void readerOptionsTheUserCannotGiveAreNotAdvised() throws Exception {
        assertThat(DataLoader.loadFailure(new java.sql.SQLException("Invalid Input Error: JSON transform error in file \"late2.json\", in"
                + " line 30001: Object {\"id\":30000,\"newkey\":\"hello\"} has unknown key \"newkey\" Try increasing 'sample_size', reducing"
                + " 'maximum_depth', specifying 'columns', 'format' or 'records' manually, setting 'ignore_errors' to true, or setting"
                + " 'union_by_name' to true when reading multiple files with a different structure.")))
                .isEqualTo("Invalid Input Error: JSON transform error in file \"late2.json\", in line 30001: Object"
                        + " {\"id\":30000,\"newkey\":\"hello\"} has unknown key \"newkey\"");
        // the probe's file: a key first met on line 30,001 is a column of the inferred table, and not of one appended to
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            lines.append("{\"id\": ").append(i).append(", \"n\": ").append(i % 7).append("}\n");
        }
        Path late = Files.writeString(directory.resolve("late2.jsonl"), lines + "{\"id\": 30000, \"n\": 2.5, \"newkey\": \"hello\"}\n");
        sql.run("LOAD DATA INTO d.late" + from("JSON", late));
        assertThat(sql.value("SELECT newkey FROM d.late WHERE id = 30000")).isEqualTo("hello");
    }

    /** Probe te F13: a whole number past INT64 was HUGEINT from JSON (DOUBLE from CSV), and skipping every line invented a column. */
    @Test
    void aWholeNumberPastInt64IsFloat64AndSkippingEveryLineIsRefused() throws Exception {
        Path csv = Files.writeString(directory.resolve("big.csv"), "id,big\n1,12345678901234567890\n");
        Path json = Files.writeString(directory.resolve("big.jsonl"), "{\"id\": 1, \"big\": 12345678901234567890}\n");
        sql.run("LOAD DATA INTO d.csv" + from("CSV", csv));
        sql.run("LOAD DATA INTO d.json" + from("JSON", json));
        assertThat(sql.value("SELECT typeof(c.big) || ' ' || typeof(j.big) || ' ' || (c.big = j.big) FROM d.csv c, d.json j"))
                .isEqualTo("DOUBLE DOUBLE true");
        // probe uc F3: DuckDB types HUGEINT a JSON column of whole numbers with a negative one; within INT64 it is INT64, as from CSV
        Path negative = Files.writeString(directory.resolve("negative.jsonl"), "{\"a\": 0, \"b\": 1}\n{\"a\": -5, \"b\": 2}\n"
                + "{\"a\": -9223372036854775808, \"b\": null}\n");
        sql.run("LOAD DATA INTO d.negative" + from("JSON", negative));
        assertThat(sql.value("SELECT typeof(a) || ' ' || typeof(b) FROM d.negative LIMIT 1")).isEqualTo("BIGINT BIGINT");
        assertThat(sql.value("SELECT sum(a) FROM d.negative WHERE a > -10")).isEqualTo(new java.math.BigInteger("-5"));

        assertThat(sql.failure("LOAD DATA INTO d.s FROM FILES (format = 'CSV', uris = ['" + csv + "'], skip_leading_rows = 10)").getMessage())
                .isEqualTo("LOAD DATA into d.s: skip_leading_rows = 10 skips every line of the file (line 10 would hold the column names),"
                        + " so there is no schema to infer; give a smaller skip_leading_rows, or a column list, LOAD DATA INTO d.s (name TYPE, ...)");
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 's'")).isEqualTo(0L);
    }
}
