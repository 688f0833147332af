package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine.cancel(): a running query ends with DuckDB's interrupt error, and the engine takes the next statement. */
class CancelTest {
    @TempDir
    Path directory;

    @Test
    void aRunningQueryIsCancelledAndTheEngineGoesOn() throws Exception {
        try (Engine engine = Lathe.open(directory)) {
            // minutes of work unless cancelled
            CompletableFuture<Void> query = CompletableFuture.runAsync(() -> engine.execute(
                    "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3", (text, result) -> {}));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!query.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                engine.cancel(); // until the query is running, there is nothing to cancel
            }
            assertThat(query).isCompletedExceptionally();
            Throwable failure = query.handle((ok, e) -> e).get().getCause();
            assertThat(failure).isInstanceOf(LatheException.class);
            assertThat(((LatheException) failure).code()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(failure.getMessage()).startsWith("Cancelled: SELECT count(*) FROM range(1000000000000)");
            java.util.List<Object> values = new java.util.ArrayList<>();
            engine.execute("SELECT 42 AS answer", (text, result) -> {
                if (result instanceof Result.Rows rows) {
                    rows.rows().next();
                    values.add(rows.rows().getLong(1));
                }
            });
            assertThat(values).containsExactly(42L);
        }
    }

    /**
     * A CREATE MODEL cancelled while it trains stops after the iteration in progress, stores nothing, and leaves the
     * previous version as it was; a cancel with no script running does not stop the next script.
     */
    @Test
    void aTrainingStopsAtItsNextIterationAndStoresNothing() throws Exception {
        AtomicReference<Engine> session = new AtomicReference<>();
        List<String> lines = new ArrayList<>();
        try (Engine engine = Lathe.open(directory, line -> {
            lines.add(line);
            if (line.strip().startsWith("iteration 2:")) {
                session.get().cancel(); // as the shell's signal thread does, here from the trainer's own thread
            }
        })) {
            session.set(engine);
            engine.execute("""
                    CREATE SCHEMA d;
                    CREATE TABLE d.t AS SELECT i % 97 AS x, (i % 89) * 0.5 AS z, (i % 7) * 1.0 + (i % 97) / 10 AS y FROM range(20000) t(i);
                    CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, y FROM d.t;
                    """, (text, result) -> {});
            List<Object> before = weights(engine);
            engine.cancel(); // nothing runs: nothing to cancel, and the next script runs

            LatheException failure = org.assertj.core.api.Assertions.catchThrowableOfType(LatheException.class, () -> engine.execute("""
                    CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['y'],
                      max_iterations = 500, early_stop = FALSE) AS SELECT x, z, y FROM d.t;
                    SELECT 1;
                    """, (text, result) -> {}));

            assertThat(failure.code()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(failure.getMessage()).isEqualTo("Cancelled: CREATE MODEL d.m (training, after iteration 2); a cancelled"
                    + " statement leaves nothing behind");
            assertThat(lines).noneMatch(line -> line.strip().startsWith("iteration 3:"));
            assertThat(weights(engine)).isEqualTo(before); // still the LINEAR_REG version 1
            List<Object> versions = new ArrayList<>();
            engine.execute("SELECT count(*) FROM ML.TRAINING_INFO(MODEL d.m)", (text, result) -> {
                if (result instanceof Result.Rows rows) {
                    rows.rows().next();
                    versions.add(rows.rows().getLong(1));
                }
            });
            assertThat(versions).containsExactly(1L); // the normal equation's one iteration, not the tree's rounds
            engine.execute("CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, z, y FROM d.t",
                    (text, result) -> assertThat(((Result.Message) result).text()).startsWith("Created model d.m (version 2)"));
        }
    }

    private static List<Object> weights(Engine engine) {
        List<Object> values = new ArrayList<>();
        engine.execute("SELECT processed_input, weight FROM ML.WEIGHTS(MODEL d.m) ORDER BY 1", (text, result) -> {
            if (result instanceof Result.Rows rows) {
                while (rows.rows().next()) {
                    values.add(rows.rows().getString(1) + "=" + rows.rows().getDouble(2));
                }
            }
        });
        return values;
    }
}
