package dev.lathe.batch;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.engine.Result;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real platform on a temporary data directory with a trained penguins model, and helpers reading rows. */
final class BatchFixture implements AutoCloseable {
    static final Path PENGUINS = Path.of("src/test/resources/datasets/penguins.csv").toAbsolutePath();
    static final Path IMPORTED = Path.of("src/test/resources/imported").toAbsolutePath();

    final Platform platform;
    final JobRunner runner;

    BatchFixture(Path dataDirectory) {
        platform = Platform.open(dataDirectory);
        runner = new JobRunner(platform, 1);
        runner.recover(false);
    }

    /** d.penguins (the CSV) and d.weight, a linear regression of body mass. */
    BatchFixture withPenguinsModel() {
        sql("CREATE SCHEMA IF NOT EXISTS d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + PENGUINS + "']);"
                + "CREATE MODEL d.weight OPTIONS(model_type = 'LINEAR_REG', input_label_cols = ['body_mass_g']) AS "
                + "SELECT bill_length_mm, flipper_length_mm, sex, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        return this;
    }

    void sql(String script) {
        try (Engine session = platform.session(line -> {})) {
            session.execute(script, (statement, result) -> {});
        }
    }

    List<Map<String, Object>> rows(String query) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Engine session = platform.session(line -> {})) {
            session.execute(query, (statement, result) -> {
                if (result instanceof Result.Rows r) {
                    ResultSet set = r.rows();
                    ResultSetMetaData meta = set.getMetaData();
                    while (set.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            Object value = set.getObject(c);
                            row.put(meta.getColumnName(c), value instanceof java.sql.Array || value instanceof java.sql.Struct
                                    ? String.valueOf(value) : value);
                        }
                        rows.add(row);
                    }
                }
            });
        }
        return rows;
    }

    BatchPredictionJob run(JobSpec spec) {
        BatchPredictionJob job = runner.submit(spec);
        try {
            return runner.await(job.id(), Duration.ofMinutes(5), Duration.ofMillis(20), j -> {});
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JobSpec spec(String model, JobInput input, JobOutput output) {
        return new JobSpec("test", model, java.util.Optional.empty(), input, output, 0.5);
    }

    @Override
    public void close() {
        runner.close();
        platform.close();
    }
}
