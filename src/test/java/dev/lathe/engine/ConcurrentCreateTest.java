package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements creating one model at once in a server's sessions (probe E): each took its version number before training,
 * so all but one failed with ALREADY_EXISTS once trained. Every CREATE OR REPLACE makes a version now; of plain CREATE
 * MODELs one wins and the others say the model was created meanwhile.
 */
class ConcurrentCreateTest {
    private static final int STATEMENTS = 4;

    @TempDir
    Path directory;

    @Test
    void concurrentReplacesEachMakeAVersionAndConcurrentCreatesOneModel() throws Exception {
        try (Platform platform = Platform.open(directory)) {
            try (Engine setup = platform.session(line -> {})) {
                setup.execute("CREATE SCHEMA d; CREATE TABLE d.t AS SELECT i % 50 AS x, (i % 50) * 2.0 + (i % 7) AS y FROM range(20000) t(i)",
                        (text, result) -> {});
            }
            assertThat(race(platform, "CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'])"
                    + " AS SELECT x, y FROM d.t")).allSatisfy(outcome -> assertThat(outcome).startsWith("Created model d.m (version "));
            assertThat(platform.registry().listVersions("d", "m", 100, java.util.Optional.empty()).items().stream()
                    .map(v -> v.version()).sorted().toList())
                    .containsExactly(1, 2, 3, 4);

            List<String> creates = race(platform, "CREATE MODEL d.n OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'])"
                    + " AS SELECT x, y FROM d.t");
            assertThat(creates.stream().filter(outcome -> outcome.startsWith("Created model d.n (version 1)"))).hasSize(1);
            assertThat(creates.stream().filter(outcome -> outcome.startsWith("Created model"))).hasSize(1);
            assertThat(creates.stream().filter(outcome -> outcome.startsWith("refused: "))).allSatisfy(outcome -> assertThat(outcome)
                    .isEqualTo("refused: Model d.n was created by another statement while this one ran; use CREATE OR REPLACE MODEL"
                            + " to train a new version"));
            assertThat(platform.registry().listVersions("d", "n", 100, java.util.Optional.empty()).items()).hasSize(1);
        }
    }

    /** Runs {@code sql} in STATEMENTS sessions at once; each one's message, or its error code and message. */
    private static List<String> race(Platform platform, String sql) throws Exception {
        CyclicBarrier start = new CyclicBarrier(STATEMENTS);
        List<CompletableFuture<String>> runs = new ArrayList<>();
        for (int i = 0; i < STATEMENTS; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try (Engine session = platform.session(line -> {})) {
                    start.await();
                    List<String> messages = new ArrayList<>();
                    session.execute(sql, (text, result) -> messages.add(((Result.Message) result).text()));
                    return messages.get(0);
                } catch (LatheException e) {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    return "refused: " + e.getMessage();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<String> run : runs) {
            outcomes.add(run.get());
        }
        return outcomes;
    }
}
