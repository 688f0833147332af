package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
