package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions whose stored files are missing, late or damaged (probes td and tc): each fails to load with an error
 * naming the version, the file and what to do, and a version whose files are put right loads properly afterwards.
 */
class DamagedArtifactsTest {
    @TempDir
    Path directory;

    static final String TRANSFORM_MODEL = "CREATE MODEL d.t TRANSFORM(ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper_length_mm,"
            + " body_mass_g) OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
            + " SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";

    static final String PREDICT_T = "SELECT predicted_body_mass_g FROM ML.PREDICT(MODEL d.t, (SELECT 181 AS flipper_length_mm))";

    /**
     * Probe tc F1, td F6: without its transform.json a TRANSFORM model was loaded as one without TRANSFORM, answered the raw
     * flipper length's prediction (130659.98 for 3212.26), and kept answering it from the cache once the file was back.
     */
    @Test
    void aVersionMissingItsTransformJsonFailsNamingTheFileAndLoadsOnceTheFileIsBack() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(TRANSFORM_MODEL);
            double expected = (double) sql.value(PREDICT_T);
            sql.restart();
            Path transform = sql.dataDirectory().resolve("models/d/t/1/transform.json");
            Path away = Files.move(transform, directory.resolve("transform.json.away"));

            LatheException missing = sql.failure(PREDICT_T);
            assertThat(missing.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(missing.getMessage()).contains("Model d.t version 1 is incomplete: transform.json is missing from")
                    .contains("manifest.json says the model has a TRANSFORM").contains("restore the version's folder");
            assertThat(sql.failure(PREDICT_T).getMessage()).contains("transform.json is missing"); // nothing cached

            Files.move(away, transform); // the file arrives: the same process now loads the version whole
            assertThat((double) sql.value(PREDICT_T)).isEqualTo(expected);
        }
    }

    /** Probe td F1: a copied folder failed every statement; now plain SQL and the other models work, and the copy is said. */
    @Test
    void aModelFolderCopiedUnderAnotherNameIsSaidAndEverythingElseWorks() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(TRANSFORM_MODEL);
            double expected = (double) sql.value(PREDICT_T);
            Path models = sql.dataDirectory().resolve("models/d");
            Files.createDirectories(models.resolve("t_copy/1"));
            try (java.util.stream.Stream<Path> files = Files.list(models.resolve("t/1"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, models.resolve("t_copy/1").resolve(file.getFileName()));
                }
            }
            Files.copy(models.resolve("t/DEFAULT"), models.resolve("t_copy/DEFAULT"));
            sql.restart();
            assertThat(sql.value("SELECT 1")).isEqualTo(1);
            assertThat((double) sql.value(PREDICT_T)).isEqualTo(expected);
            LatheException copy = sql.failure(PREDICT_T.replace("d.t", "d.t_copy"));
            assertThat(copy.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
            assertThat(copy.getMessage()).contains("Model d.t_copy is not registered, though").contains("models/d/t_copy exists");
        }
    }
}
