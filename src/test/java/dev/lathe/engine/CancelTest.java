package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.LatheException;
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
            assertThat(failure.getMessage()).containsIgnoringCase("interrupt");
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
}
