package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    static final String LINEAR_MODEL = "CREATE MODEL d.lin OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
            + " SELECT bill_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";

    static final String PREDICT_LIN = "SELECT count(*) FROM ML.PREDICT(MODEL d.lin, TABLE d.penguins)";

    /**
     * Probe td F4, F5: a damaged length field gave an OutOfMemoryError stack trace or "NegativeArraySizeException"; damaged
     * files said "payload is damaged: null", named no model or file, or came as the user's bad input (exit code 2). Each
     * is INCOMPATIBLE_FORMAT (internal, exit code 1) naming the version, the file and the damage.
     */
    @Test
    void aDamagedFileIsSaidNamingTheVersionTheFileAndTheDamage() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(LINEAR_MODEL);
            Path version = sql.dataDirectory().resolve("models/d/lin/1");
            // as a version written before manifests recorded their files' checksums, which would say the damage first
            Files.write(version.resolve("manifest.json"), edit(Files.readAllBytes(version.resolve("manifest.json")), "files", null));
            // LINEAR_REG's parameter count: after the magic, the version, the link "IDENTITY", the feature and class counts
            assertDamage(sql, version.resolve("estimator.bin"), bytes -> patch(bytes, 0x1a, 0x7f, 0xff, 0xff, 0xf0),
                    "estimator.bin in", "parameter count is 2147483632, more than the");
            assertDamage(sql, version.resolve("estimator.bin"), bytes -> patch(bytes, 0x1a, 0xff, 0xff, 0xff, 0xff),
                    "estimator.bin in", "parameter count is -1");
            assertDamage(sql, version.resolve("estimator.bin"), bytes -> java.util.Arrays.copyOf(bytes, 20),
                    "estimator.bin in", "ends early, truncated");
            assertDamage(sql, version.resolve("manifest.json"), bytes -> java.util.Arrays.copyOf(bytes, 300),
                    "manifest.json in", "Unexpected end-of-input", "at line");
            assertDamage(sql, version.resolve("manifest.json"), bytes -> edit(bytes, "inputColumns", null),
                    "manifest.json in", "field inputColumns is missing");
            assertDamage(sql, version.resolve("manifest.json"), bytes -> edit(bytes, "formatVersion", null),
                    "manifest.json in", "field formatVersion is missing");
            assertDamage(sql, version.resolve("manifest.json"), bytes -> edit(bytes, "modelType", "FOO"),
                    "manifest.json in", "field modelType: Unknown model_type 'FOO'");
            assertDamage(sql, version.resolve("manifest.json"), bytes -> edit(bytes, "version", 2),
                    "manifest.json in", "say d.lin version 2, not the model and version of the folder it is in");
            assertDamage(sql, version.resolve("pipeline.json"), bytes -> java.util.Arrays.copyOf(bytes, 30),
                    "pipeline.json in");
            assertThat(sql.value(PREDICT_LIN)).isEqualTo(344L); // every file as it was: predicts again
        }
    }

    /**
     * Probe ua F4: a file of a newer format version (as a newer Lathe would write it) was "damaged ... restore the version's
     * folder from a backup", which cannot help. It names both versions and says that a newer Lathe reads it.
     */
    @Test
    void aFileOfANewerFormatIsNotCalledDamaged() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(LINEAR_MODEL);
            sql.run("CREATE MODEL d.ixgb OPTIONS (model_type = 'XGBOOST', model_path = '"
                    + Path.of("src/test/resources/imported/xgb_regressor.json").toAbsolutePath() + "')");
            Path version = sql.dataDirectory().resolve("models/d/lin/1");
            Path imported = sql.dataDirectory().resolve("models/d/ixgb/1");
            for (Path folder : new Path[] {version, imported}) { // a newer Lathe's manifest would record the new files' checksums
                Files.write(folder.resolve("manifest.json"), edit(Files.readAllBytes(folder.resolve("manifest.json")), "files", null));
            }
            String predictImported = "SELECT predicted_label FROM ML.PREDICT(MODEL d.ixgb, (SELECT 40.0 AS bill_length_mm, 18.0 AS"
                    + " bill_depth_mm, 190.0 AS flipper_length_mm, 2008 AS year))";
            assertNewer(sql, PREDICT_LIN, version.resolve("estimator.bin"), bytes -> patch(bytes, 4, 0, 0, 0, 3),
                    "Model d.lin version 1: estimator.bin in ", "has GLM format version 3 (this Lathe reads up to GLM format version 2)");
            assertNewer(sql, predictImported, imported.resolve("estimator.bin"), bytes -> patch(bytes, 4, 0, 0, 0, 2),
                    "Model d.ixgb version 1: estimator.bin in ", "has imported model payload format version 2 (this Lathe reads up to"
                            + " imported model payload format version 1)");
            assertNewer(sql, PREDICT_LIN, version.resolve("pipeline.json"), bytes -> edit(bytes, "format_version", 3),
                    "Model d.lin version 1: pipeline.json in ", "has format_version 3 (this Lathe reads up to format_version 2)");
            assertNewer(sql, PREDICT_LIN, version.resolve("manifest.json"), bytes -> edit(bytes, "formatVersion", 2),
                    "Model d.lin version 1: manifest.json in ", "has artifact format version (formatVersion) 2");
            assertNewer(sql, "SELECT * FROM ML.EVALUATE(MODEL d.lin)", version.resolve("evaluation.bin"),
                    bytes -> patch(bytes, 0, 0, 0, 0, 2), "Model d.lin version 1: evaluation.bin in ", "has format version 2");
            assertNewer(sql, "SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.lin, TABLE d.penguins)", version.resolve("profile.bin"),
                    bytes -> patch(bytes, 4, 0, 0, 0, 2), "Model d.lin version 1: profile.bin ", "has profile format version 2");
            assertThat(sql.value(PREDICT_LIN)).isEqualTo(344L); // every file as it was: predicts again
        }
    }

    /** Writes {@code file} as a newer Lathe would, expects {@code query} to say so (not damage), and puts the file back. */
    private static void assertNewer(SqlSession sql, String query, Path file, java.util.function.UnaryOperator<byte[]> change,
            String... said) throws Exception {
        withChanged(sql, file, change, () -> {
            LatheException newer = sql.failure(query);
            assertThat(newer.code()).as(newer.getMessage()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
            assertThat(newer.getMessage()).startsWith(said[0]).contains(said).contains("a newer Lathe wrote it, and the file is not"
                    + " damaged", "./lathe --version").doesNotContain("restore", "backup", "is damaged (");
        });
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} with {@code file} changed by {@code change} (and the session restarted), then puts the file back. */
    private static void withChanged(SqlSession sql, Path file, java.util.function.UnaryOperator<byte[]> change, Check check)
            throws Exception {
        byte[] original = Files.readAllBytes(file);
        Files.write(file, change.apply(original));
        sql.restart();
        try {
            check.run();
        } finally {
            Files.write(file, original);
        }
    }

    /**
     * Probe td F7: a damaged evaluation.bin stopped ML.PREDICT (and a deployed model's serving), which never reads it. It is
     * read when something needs it, and its damage said then; a file put right is read at the next use.
     */
    @Test
    void aDamagedEvaluationFileFailsOnlyWhatReadsIt() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(LINEAR_MODEL);
            Path evaluation = sql.dataDirectory().resolve("models/d/lin/1/evaluation.bin");
            byte[] original = Files.readAllBytes(evaluation);
            Files.write(evaluation, java.util.Arrays.copyOf(original, 50));
            sql.restart();

            assertThat(sql.value(PREDICT_LIN)).isEqualTo(344L);
            LatheException damaged = sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.lin)");
            assertThat(damaged.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
            assertThat(damaged.getMessage()).startsWith("Model d.lin version 1: evaluation.bin in").contains("is damaged (")
                    .contains("(ML.EVALUATE at line 1");

            Files.write(evaluation, original);
            assertThat(sql.rows("SELECT * FROM ML.EVALUATE(MODEL d.lin)")).hasSize(1);

            // the same for profile.bin, which ML.VALIDATE_DATA_SKEW reads (it came as the user's bad input, exit code 2)
            Path profile = sql.dataDirectory().resolve("models/d/lin/1/profile.bin");
            Files.write(profile, java.util.Arrays.copyOf(Files.readAllBytes(profile), 100));
            sql.restart();
            assertThat(sql.value(PREDICT_LIN)).isEqualTo(344L);
            LatheException skew = sql.failure("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.lin, TABLE d.penguins)");
            assertThat(skew.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
            assertThat(skew.getMessage()).startsWith("Model d.lin version 1: profile.bin ").contains(" is damaged (");
        }
    }

    /**
     * Probe td F3: nothing checked a version's files, and one changed byte silently changed predictions. The manifest
     * records each file's size and CRC-32C and the load checks them; an imported model's file is checked against its
     * importedFile.sha256 too where the manifest predates the checksums.
     */
    @Test
    void aFileChangedAfterItWasWrittenIsRefusedByItsChecksum() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(LINEAR_MODEL);
            Path version = sql.dataDirectory().resolve("models/d/lin/1");
            com.fasterxml.jackson.databind.JsonNode files = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(version.resolve("manifest.json").toFile()).get("files");
            assertThat(files.fieldNames()).toIterable()
                    .containsExactly("pipeline.json", "estimator.bin", "evaluation.bin", "profile.bin");
            assertThat(files.get("estimator.bin").get("sizeBytes").asLong()).isEqualTo(Files.size(version.resolve("estimator.bin")));
            assertDamage(sql, version.resolve("estimator.bin"), bytes -> patch(bytes, bytes.length - 1, bytes[bytes.length - 1] ^ 1),
                    "estimator.bin in", "its CRC-32C is ", "where its manifest.json records " + files.get("estimator.bin").get("crc32c")
                            .asText(), "changed after it was written");
            assertDamage(sql, version.resolve("pipeline.json"), bytes -> java.util.Arrays.copyOf(bytes, bytes.length - 1),
                    "pipeline.json in", "holds " + (files.get("pipeline.json").get("sizeBytes").asLong() - 1) + " bytes where its"
                            + " manifest.json records");

            String imported = "CREATE MODEL d.ixgb OPTIONS (model_type = 'XGBOOST', model_path = '"
                    + Path.of("src/test/resources/imported/xgb_regressor.json").toAbsolutePath() + "')";
            sql.run(imported);
            String predict = "SELECT predicted_label FROM ML.PREDICT(MODEL d.ixgb, (SELECT 40.0 AS bill_length_mm, 18.0 AS"
                    + " bill_depth_mm, 190.0 AS flipper_length_mm, 2008 AS year))";
            Object expected = sql.value(predict);
            Path estimator = sql.dataDirectory().resolve("models/d/ixgb/1/estimator.bin");
            Path manifest = sql.dataDirectory().resolve("models/d/ixgb/1/manifest.json");
            byte[] original = Files.readAllBytes(estimator);
            // the probe's change: the same length, one byte, a valid XGBoost model that predicts otherwise
            Files.writeString(estimator, new String(original, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("\"base_score\":\"5E-1\"", "\"base_score\":\"9E-1\""), java.nio.charset.StandardCharsets.ISO_8859_1);
            Files.write(manifest, edit(Files.readAllBytes(manifest), "files", null)); // written before the checksums
            sql.restart();
            LatheException changed = sql.failure(predict);
            assertThat(changed.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
            assertThat(changed.getMessage()).startsWith("Model d.ixgb version 1: estimator.bin in").contains("is damaged (the model"
                    + " file it holds has SHA-256").contains("where manifest.json's importedFile records");
            Files.write(estimator, original);
            assertThat(sql.value(predict)).isEqualTo(expected);
        }
    }

    /**
     * Probe td F8: transform.json's expressions ran as they were, so a model folder handed over could read local files at
     * the first ML.PREDICT. DuckDB's parser reads them first and only what a TRANSFORM makes is run.
     */
    @Test
    void aTransformThatReadsBeyondItsRowIsRefusedBeforeItRuns() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(TRANSFORM_MODEL);
            Path transform = sql.dataDirectory().resolve("models/d/t/1/transform.json");
            Path manifest = sql.dataDirectory().resolve("models/d/t/1/manifest.json");
            Files.write(manifest, edit(Files.readAllBytes(manifest), "files", null)); // or the checksum says it changed
            String original = Files.readString(transform);
            String scaled = new com.fasterxml.jackson.databind.ObjectMapper().readTree(original).get("columns").get(0).get("sql").asText();
            Map<String, String> attempts = new java.util.LinkedHashMap<>();
            attempts.put("(SELECT content FROM read_text('/etc/hostname'))", "holds a subquery");
            attempts.put("(FROM read_text('/etc/hostname'))", "holds a subquery");
            attempts.put("1 FROM read_text('/etc/hostname')", "a FROM clause");
            attempts.put("1 AS c; ATTACH '/tmp/x.db' AS a; SELECT 1", "do not parse as DuckDB SQL");
            attempts.put("1 AS c; SELECT 2 AS d; SELECT 1", "3 statements");
            attempts.put("1; ATTACH '/tmp/x.db'", "do not parse as DuckDB SQL");
            attempts.put("flipper_length_mm, 2", "make 3 columns where the TRANSFORM has 2 outputs");
            attempts.put("current_setting('home_directory')", "a call of current_setting");
            attempts.put("d.secret(flipper_length_mm)", "a call of d.secret");
            attempts.put("sum(flipper_length_mm) OVER ()", "a window function");
            attempts.put("/* a note */ flipper_length_mm", "");
            // GoogleSQL's IN UNNEST as the rewriter writes it reads no table (probe uc F1); any more in its subquery is refused
            attempts.put("flipper_length_mm IN (SELECT unnest([181.0, 190.0]))", "");
            attempts.put("flipper_length_mm IN (SELECT unnest([1]) FROM read_text('/etc/hostname'))", "holds a subquery");
            attempts.put("flipper_length_mm IN (SELECT unnest([1]) WHERE current_setting('home_directory') = '')", "holds a subquery");
            attempts.put("flipper_length_mm IN (SELECT length(content) FROM read_text('/etc/hostname'))", "holds a subquery");
            attempts.put("flipper_length_mm IN (SELECT unnest((SELECT [length(content)] FROM read_text('/etc/hostname'))))",
                    "holds a subquery");
            attempts.put("flipper_length_mm IN (SELECT unnest([1]), 2)", "holds a subquery");
            for (Map.Entry<String, String> attempt : attempts.entrySet()) {
                Files.writeString(transform, original.replace(toJsonText(scaled), toJsonText(attempt.getKey())));
                sql.restart();
                if (attempt.getValue().isEmpty()) { // comments are no harm: DuckDB's parser takes them as it runs them
                    assertThat(sql.rows(PREDICT_T)).hasSize(1);
                    continue;
                }
                LatheException refused = sql.failure(PREDICT_T);
                assertThat(refused.code()).as(attempt.getKey()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
                assertThat(refused.getMessage()).as(attempt.getKey()).startsWith("Model d.t version 1: transform.json in")
                        .contains("the TRANSFORM is refused").contains(attempt.getValue());
            }
            Files.writeString(transform, original);
            sql.restart();
            assertThat(sql.rows(PREDICT_T)).hasSize(1);
        }
    }

    private static String toJsonText(String text) {
        String json = new com.fasterxml.jackson.databind.node.TextNode(text).toString();
        return json.substring(1, json.length() - 1);
    }

    /** Damages {@code file} with {@code change}, expects the load to fail saying so, and puts the file back. */
    private static void assertDamage(SqlSession sql, Path file, java.util.function.UnaryOperator<byte[]> change, String... said)
            throws Exception {
        withChanged(sql, file, change, () -> {
            LatheException damaged = sql.failure(PREDICT_LIN);
            assertThat(damaged.code()).as(damaged.getMessage()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT);
            assertThat(damaged.getMessage()).startsWith("Model d.lin version 1: ").contains(said).contains(" is damaged (")
                    .contains("restore the version's folder from a backup");
        });
    }

    private static byte[] patch(byte[] bytes, int offset, int... values) {
        byte[] patched = bytes.clone();
        for (int i = 0; i < values.length; i++) {
            patched[offset + i] = (byte) values[i];
        }
        return patched;
    }

    /** The JSON object with {@code field} set to {@code value}, or removed where {@code value} is null. */
    private static byte[] edit(byte[] json, String field, Object value) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
            if (value == null) {
                node.remove(field);
            } else {
                node.set(field, mapper.valueToTree(value));
            }
            return mapper.writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
