package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
    @TempDir
    Path directory;

    @Test
    void walksThroughTheLifecycleAndLeavesTheModels() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Engine engine = Lathe.open(directory); PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Quickstart.run(engine, directory, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("Loaded quickstart.penguins: now 344 rows")
                .contains("Created model quickstart.penguin_weight (version 1): LINEAR_REG on 342 training rows")
                .contains("mean_absolute_error")
                .contains("predicted_body_mass_g")
                .contains("__INTERCEPT__")
                .contains("BOOSTED_TREE_CLASSIFIER")
                .contains("importance_gain")
                .contains("KMEANS")
                .contains("Done in")
                // a command it suggests names the data directory (probe re: Step 10's listed ./lathe-data's models)
                .contains("(`./lathe --data-dir " + directory.toAbsolutePath() + " models versions quickstart.churn`")
                .doesNotContain("${");
        assertThat(directory.resolve("models/quickstart/churn/1/manifest.json")).exists();
        assertThat(Quickstart.steps(Quickstart.script())).hasSizeGreaterThan(15);
    }
}
