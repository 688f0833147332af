package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.imported.XgboostFileVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported ONNX and XGBoost models through SQL, compared with the predictions Python made of the same
 * files (src/test/resources/imported/expected.csv, written by make_models.py).
 */
class ImportedModelsTest {
    private static final Path MODELS = Path.of("src/test/resources/imported").toAbsolutePath();
    /** Float32 models: relative tolerance, with an absolute floor for probabilities near 0. */
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TempDir
    Path directory;
    private SqlSession sql;

    @BeforeEach
    void open() {
        sql = new SqlSession(directory.resolve("data"));
        sql.run("CREATE SCHEMA d; LOAD DATA INTO d.expected FROM FILES (format = 'CSV', uris = ['" + MODELS.resolve("expected.csv")
                + "'])");
    }

    @AfterEach
    void close() throws Exception {
        sql.close();
    }

    private static String path(String file) {
        return MODELS.resolve(file).toString();
    }

    private List<Map<String, Object>> predict(String model) {
        return sql.rows("SELECT * FROM ML.PREDICT(MODEL " + model + ", TABLE d.expected)");
    }

    private static void assertClose(Object actual, Object expected) {
        double e = ((Number) expected).doubleValue();
        assertThat(((Number) actual).doubleValue()).isCloseTo(e, within(Math.max(ABSOLUTE, Math.abs(e) * RELATIVE)));
    }

    @Test
    void xgboostRegressorPredictsLikePythonFromItsFeatureNames() {
        String message = sql.run("CREATE MODEL d.weight OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor.json") + "')");
        assertThat(message).contains("bill_length_mm FLOAT64").contains("predicted_label FLOAT64");
        List<Map<String, Object>> rows = predict("d.weight");
        assertThat(rows).hasSize(40);
        assertThat(rows.get(0).keySet()).startsWith("predicted_label", "bill_length_mm");
        for (Map<String, Object> row : rows) {
            assertClose(row.get("predicted_label"), row.get("xgb_regressor"));
        }
    }

    @Test
    void xgboostJsonAndUbjPredictIdentically() {
        sql.run("CREATE MODEL d.json OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor.json") + "');"
                + "CREATE MODEL d.ubj OPTIONS(model_type = 'xgboost', model_path = '" + path("xgb_regressor.ubj") + "')");
        List<Map<String, Object>> json = predict("d.json");
        List<Map<String, Object>> ubj = predict("d.ubj");
        assertThat(ubj).isEqualTo(json);
    }

    @Test
    void xgboostSoftprobClassifierGivesPythonsProbabilities() {
        sql.run("CREATE MODEL d.species OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_classifier.json") + "')");
        for (Map<String, Object> row : predict("d.species")) {
            List<?> probabilities = (List<?>) row.get("predicted_label");
            assertThat(probabilities).hasSize(3);
            for (int c = 0; c < 3; c++) {
                assertClose(probabilities.get(c), row.get("xgb_classifier_p" + c));
            }
        }
    }

    @Test
    void xgboostLogitRawStartsFromItsBaseScoreAsTheMargin() {
        // Written by XGBoost 1.7 with base_score 0.3: XGBoost 1.7 and XGBoost4J 2.1 alike start every margin at 0.3. Lathe
        // rewrote the base_score as if 2.x read it as a probability, which it does not: the DART model, predicted by
        // XGBoost4J rather than the tree walker, came out sigmoid(0.3) - 0.3 off on every row (probe sa).
        sql.run("CREATE MODEL d.raw_dart OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_logitraw_dart.json") + "')");
        for (Map<String, Object> row : predict("d.raw_dart")) {
            assertThat(row.get("predicted_label")).isEqualTo(row.get("xgb_logitraw_dart"));
        }
        sql.run("CREATE MODEL d.raw_json OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_logitraw.json") + "');"
                + "CREATE MODEL d.raw_ubj OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_logitraw.ubj") + "');"
                + "CREATE MODEL d.raw_bin INPUT (bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, body_mass_g FLOAT64) OUTPUT (predicted_label FLOAT64)"
                + " OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_logitraw.model") + "')");
        for (String model : List.of("d.raw_json", "d.raw_ubj", "d.raw_bin")) {
            for (Map<String, Object> row : predict(model)) {
                assertThat(row.get("predicted_label")).as(model).isEqualTo(row.get("xgb_logitraw"));
            }
        }
        assertThat(XgboostFileVersion.of(readAllBytes("xgb_logitraw.model"))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 7));
        assertThat(XgboostFileVersion.of(readAllBytes("xgb_logitraw.ubj"))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 7, 4));
        assertThat(XgboostFileVersion.of(readAllBytes("xgb_logitraw.json"))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 7, 4));
    }

    /** Probe qb: a num_target 2 regressor's second target was dropped without a word. */
    @SuppressWarnings("unchecked")
    @Test
    void xgboostMultiTargetRegressorGivesEveryTarget() {
        sql.run("CREATE MODEL d.targets OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_multi_target.json") + "')");
        for (Map<String, Object> row : predict("d.targets")) {
            assertThat((List<Object>) row.get("predicted_label")).containsExactly(row.get("xgb_multi_target_0"), row.get("xgb_multi_target_1"));
        }
    }

    /**
     * Probe qb: ONNX Runtime's Java API gives UINT8/16/32 tensors as signed bytes, shorts and ints, so 250 came out -6; a
     * UINT32 input (its Java type says INT32) was taken and failed every prediction.
     */
    @Test
    void onnxUnsignedOutputsKeepTheirValuesAndUnsignedInputsAreRefused() {
        sql.run("CREATE MODEL d.unsigned OPTIONS(model_type = 'ONNX', model_path = '" + path("unsigned_outputs.onnx") + "')");
        assertThat(sql.rows("SELECT u8, u16, u32 FROM ML.PREDICT(MODEL d.unsigned, (SELECT 250.0 AS x))"))
                .containsExactly(Map.of("u8", 250L, "u16", 40000L, "u32", 4000000000L));
        LatheException mixed = sql.failure("CREATE MODEL d.mixed OPTIONS(model_type = 'ONNX', model_path = '" + path("mixed_inputs.onnx") + "')");
        assertThat(mixed.getMessage()).contains("input 'm' has shape [-1, 3] beside other inputs"); // taken, it failed every row
        LatheException input = sql.failure("CREATE MODEL d.uint32 OPTIONS(model_type = 'ONNX', model_path = '" + path("uint32_input.onnx") + "')");
        assertThat(input.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(input.getMessage()).contains("input 'u' is a tensor of UINT32", "float, double, int64 and int32");
    }

    /** Probe qb: 2^53 + 1 reads as 2^53 in the DOUBLE an input passes through, and was fed so; beyond 2^53 - 1 is refused. */
    @Test
    void onnxInt64InputsTakeOnlyWhatADoubleHoldsExactly() {
        sql.run("CREATE MODEL d.same OPTIONS(model_type = 'ONNX', model_path = '" + path("int64_identity.onnx") + "')");
        assertThat(sql.value("SELECT same FROM ML.PREDICT(MODEL d.same, (SELECT 9007199254740991 AS n))")).isEqualTo(9007199254740991L);
        for (String n : List.of("9007199254740992", "9007199254740993", "-9007199254740993")) {
            assertThat(sql.failure("SELECT same FROM ML.PREDICT(MODEL d.same, (SELECT " + n + " AS n))").getMessage())
                    .contains("outside what the ONNX model's INT64 tensor takes exactly (-9007199254740991 to 9007199254740991)");
        }
    }

    /** Probe qb: a model file past a Java array ended the CLI with an OutOfMemoryError stack trace. */
    @Test
    void aModelFileTooLargeToReadIsRefusedNamingItsSize() throws Exception {
        Path huge = directory.resolve("huge.onnx");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: no disk used
        }
        LatheException e = sql.failure("CREATE MODEL d.huge OPTIONS(model_type = 'ONNX', model_path = '" + huge + "')");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("is 3.0 GiB; Lathe imports model files of up to");
    }

    @Test
    void xgboostFilesLatheCannotUseAreRefusedSayingWhy() {
        LatheException categorical = sql.failure("CREATE MODEL d.cat OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_categorical.json") + "')");
        assertThat(categorical.getMessage()).contains("Feature 'k' of the XGBoost model is categorical");
    }

    /**
     * Probe ub F1b: XGBoost loads a tree whose child links loop, leave the tree or split on a feature the model lacks; a node that
     * was its own child looped CREATE MODEL forever, a child in a later tree predicted a wrong number, a feature past the last was
     * a 500. Each is refused as bad data naming the tree, the node and the fault, and nothing is registered.
     */
    @Test
    void xgboostTreesWithBadChildLinksOrFeaturesAreRefusedNamingTheNode() throws Exception {
        record Damage(String file, String array, List<Integer> values, String message) {}
        List<Damage> damages = List.of(
                new Damage("xgb_regressor.json", "left_children", List.of(0, -1, -1),
                        "tree 0 node 0 has left child 0, the tree's root (a cycle)"),
                new Damage("xgb_regressor.json", "left_children", List.of(2, -1, -1),
                        "tree 0 node 0 has right child 2, a node already reached from the root (a cycle or a node with two parents)"),
                new Damage("xgb_regressor.json", "left_children", List.of(99, -1, -1), "tree 0 node 0 has left child 99, outside"),
                new Damage("xgb_regressor.json", "left_children", List.of(1_000_000_000, -1, -1), "left child 1000000000, outside"),
                new Damage("xgb_regressor.json", "right_children", List.of(-1, -1, -1),
                        "tree 0 node 0 has a left child (1) but no right child; a node has two children or none"),
                new Damage("xgb_regressor.json", "split_indices", List.of(999, 0, 0),
                        "tree 0 node 0 splits on feature 999 but the model has 4 features (0 to 3)"),
                new Damage("xgb_regressor.json", "split_indices", List.of(-5, 0, 0), "splits on feature 2147483643 but"), // XGBoost reads it unsigned
                new Damage("xgb_logitraw_dart.json", "left_children", List.of(0), "tree 0 node 0 has left child 0, the tree's root"),
                new Damage("xgb_logitraw_dart.json", "left_children", List.of(1, 0), "tree 0 node 1 has left child 0, the tree's root"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Damage damage : damages) {
            var document = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(MODELS.resolve(damage.file()).toFile());
            var booster = document.path("learner").path("gradient_booster");
            var trees = (booster.has("gbtree") ? booster.path("gbtree").path("model") : booster.path("model")).path("trees");
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) trees.get(0).path(damage.array());
            for (int i = 0; i < damage.values().size(); i++) {
                array.set(i, damage.values().get(i));
            }
            Path file = directory.resolve("damaged.json");
            json.writeValue(file.toFile(), document);
            LatheException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> sql.failure("CREATE MODEL d.bad OPTIONS(model_type = 'XGBOOST', model_path = '" + file + "')"));
            assertThat(e.code()).as(damage.toString()).isEqualTo(ErrorCode.INVALID_DATA);
            assertThat(e.getMessage()).as(damage.toString()).startsWith("model_path '" + file + "': The XGBoost model file is malformed: ")
                    .contains(damage.message());
            assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.bad, TABLE d.expected)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        }
    }

    /** A file XGBoost cannot load says which version wrote it: the legacy binary header has no patch number (it said 1.7.0). */
    @Test
    void xgboostFileThatDoesNotLoadNamesTheVersionThatWroteIt() throws Exception {
        byte[] model = readAllBytes("xgb_logitraw.model");
        Path truncated = directory.resolve("truncated.model");
        Files.write(truncated, java.util.Arrays.copyOf(model, model.length / 2));
        LatheException binary = sql.failure("CREATE MODEL d.m INPUT (bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm"
                + " FLOAT64, body_mass_g FLOAT64) OUTPUT (predicted_label FLOAT64) OPTIONS(model_type = 'XGBOOST', model_path = '" + truncated + "')");
        assertThat(binary.getMessage()).contains("not an XGBoost model").contains("written by XGBoost 1.7; Lathe loads models with XGBoost4J 2.")
                .doesNotContain("Stack trace").doesNotContain("[bt]");
        Path json = directory.resolve("unknown_objective.json");
        Files.writeString(json, Files.readString(MODELS.resolve("xgb_logitraw.json")).replace("binary:logitraw", "binary:unknown"));
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'XGBOOST', model_path = '" + json + "')").getMessage())
                .contains("written by XGBoost 1.7.4; Lathe loads models with XGBoost4J 2.");
    }

    /**
     * Probe sa: XGBoost 1.7 writes reg:gamma's objective without the parameters XGBoost4J 2.x reads, which refused every such
     * file ("Invalid cast, from Null to Object"); given them, it predicts as Python's XGBoost 1.7 did, to the bit.
     */
    @Test
    void xgboostGammaFromVersionOneSevenPredictsLikePythonInEveryFormat() {
        sql.run("CREATE MODEL d.gamma_json OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_gamma.json") + "');"
                + "CREATE MODEL d.gamma_ubj OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_gamma.ubj") + "');"
                + "CREATE MODEL d.gamma_bin INPUT (bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, year FLOAT64)"
                + " OUTPUT (predicted_label FLOAT64) OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_gamma.model") + "')");
        for (String model : List.of("d.gamma_json", "d.gamma_ubj", "d.gamma_bin")) {
            List<Map<String, Object>> rows = predict(model);
            assertThat(rows).hasSize(40);
            for (Map<String, Object> row : rows) {
                assertThat(row.get("predicted_label")).as(model).isEqualTo(row.get("xgb_gamma"));
            }
        }
        assertThat(XgboostFileVersion.of(readAllBytes("xgb_gamma.model"))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 7));
    }

    private static byte[] readAllBytes(String file) {
        try {
            return java.nio.file.Files.readAllBytes(MODELS.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void xgboostWithoutFeatureNamesNeedsInputClauseAndHonorsIt() {
        LatheException missing = sql.failure("CREATE MODEL d.unnamed OPTIONS(model_type = 'XGBOOST', model_path = '"
                + path("xgb_regressor_unnamed.json") + "')");
        assertThat(missing.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(missing.getMessage()).contains("no feature_names").contains("INPUT(");
        sql.run("CREATE MODEL d.unnamed INPUT(bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, year FLOAT64)"
                + " OUTPUT(body_mass FLOAT64) OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor_unnamed.json") + "')");
        List<Map<String, Object>> rows = predict("d.unnamed");
        assertThat(rows.get(0).keySet()).startsWith("body_mass", "bill_length_mm");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("body_mass")).isInstanceOf(Double.class));
    }

    @Test
    void declaredInputsAndOutputsThatContradictTheFileAreRejected() {
        LatheException wrongType = sql.failure("CREATE MODEL d.m INPUT(bill_length_mm INT64, bill_depth_mm FLOAT64,"
                + " flipper_length_mm FLOAT64, year FLOAT64) OUTPUT(predicted_label FLOAT64) OPTIONS(model_type = 'XGBOOST', model_path = '"
                + path("xgb_regressor.json") + "')");
        assertThat(wrongType.getMessage()).contains("'bill_length_mm'").contains("INT64").contains("FLOAT64");
        LatheException wrongName = sql.failure("CREATE MODEL d.m INPUT(bill FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64,"
                + " year FLOAT64) OUTPUT(predicted_label FLOAT64) OPTIONS(model_type = 'XGBOOST', model_path = '"
                + path("xgb_regressor.json") + "')");
        assertThat(wrongName.getMessage()).contains("'bill'").contains("bill_length_mm");
        LatheException wrongOutput = sql.failure("CREATE MODEL d.m INPUT(bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, body_mass_g FLOAT64)"
                + " OUTPUT(probabilities FLOAT64) OPTIONS(model_type = 'ONNX',"
                + " model_path = '" + path("logistic_regression.onnx") + "')");
        assertThat(wrongOutput.getMessage()).contains("'probabilities'").contains("FLOAT64").contains("ARRAY<FLOAT64>");
        LatheException wrongCount = sql.failure("CREATE MODEL d.m INPUT(bill_length_mm FLOAT64) OUTPUT(variable FLOAT64) OPTIONS(model_type = 'ONNX',"
                + " model_path = '" + path("linear_regression.onnx") + "')");
        assertThat(wrongCount.getMessage()).contains("1 columns").contains("4 features");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.m, TABLE d.expected)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    /** Probe sa: OUTPUT(Y) took the first output named so in any case, the tensor y, without a word. */
    @Test
    void outputClauseTakesTheOutputSpelledExactlyAndRefusesAnAmbiguousOne() {
        sql.run("CREATE MODEL d.scores INPUT(x FLOAT64) OUTPUT(Score FLOAT64) OPTIONS(model_type = 'ONNX', model_path = '" + path("case_outputs.onnx") + "')");
        assertThat(sql.rows("SELECT * FROM ML.PREDICT(MODEL d.scores, (SELECT 1.5 AS x))")).containsExactly(Map.of("Score", 4.5, "x", 1.5));
        sql.run("CREATE OR REPLACE MODEL d.scores INPUT(x FLOAT64) OUTPUT(score FLOAT64) OPTIONS(model_type = 'ONNX', model_path = '"
                + path("case_outputs.onnx") + "')");
        assertThat(sql.rows("SELECT * FROM ML.PREDICT(MODEL d.scores, (SELECT 1.5 AS x))")).containsExactly(Map.of("score", 3.0, "x", 1.5));
        LatheException ambiguous = sql.failure("CREATE MODEL d.ambiguous INPUT(x FLOAT64) OUTPUT(SCORE FLOAT64) OPTIONS(model_type = 'ONNX', model_path = '"
                + path("case_outputs.onnx") + "')");
        assertThat(ambiguous.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ambiguous.getMessage()).contains("OUTPUT column 'SCORE' matches 2 of the ONNX model's outputs in another case: 'score', 'Score'");
    }

    /** Probe sa: outputs alike but for case were taken, then every ML.PREDICT failed with DuckDB's "Catalog Error". */
    @Test
    void outputsNamedAlikeButForCaseAreRefusedAtCreateModel() {
        LatheException inFile = sql.failure("CREATE MODEL d.scores OPTIONS(model_type = 'ONNX', model_path = '" + path("case_outputs.onnx") + "')");
        assertThat(inFile.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(inFile.getMessage()).contains("The ONNX model has outputs 'score' and 'Score', one column name in SQL")
                .contains("list the outputs you want in INPUT(...) OUTPUT(...)").contains("OUTPUT (Score FLOAT64)");
        LatheException declared = sql.failure("CREATE MODEL d.scores INPUT(x FLOAT64) OUTPUT(score FLOAT64, Score FLOAT64)"
                + " OPTIONS(model_type = 'ONNX', model_path = '" + path("case_outputs.onnx") + "')");
        assertThat(declared.getMessage()).contains("OUTPUT(...) lists 'score' and 'Score', one column name in SQL")
                .contains("list each output once");
        LatheException twice = sql.failure("CREATE MODEL d.scores INPUT(x FLOAT64) OUTPUT(score FLOAT64, score FLOAT64)"
                + " OPTIONS(model_type = 'ONNX', model_path = '" + path("case_outputs.onnx") + "')");
        assertThat(twice.getMessage()).contains("OUTPUT(...) lists 'score' twice");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.scores, (SELECT 1.0 AS x))").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    /**
     * Probe sa: inputs alike but for case were refused as a feature column that "appears more than once in the training
     * query", of which an import has none, naming neither the file nor a fix.
     */
    @Test
    void inputsNamedAlikeButForCaseAreRefusedNamingTheFileAndTheFix() {
        LatheException xgboost = sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_case_inputs.json") + "')");
        assertThat(xgboost.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(xgboost.getMessage()).startsWith("model_path '" + path("xgb_case_inputs.json") + "': The XGBoost model file names two"
                + " inputs alike (its feature_names): 'a' and 'A', one column name in SQL").contains("save the model with distinct feature_names")
                .doesNotContain("training query");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX', model_path = '" + path("case_inputs.onnx") + "')").getMessage())
                .contains("The ONNX model file names two inputs alike (its graph's input tensors): 'a' and 'A'")
                .contains("rename one of those inputs in the graph");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX', model_path = '" + path("case_feature_names.onnx") + "')")
                .getMessage()).contains("The ONNX model file names two inputs alike (its 'feature_names' metadata): 'a' and 'A'")
                .contains("or remove it and list the columns in INPUT(...) with distinct names");
        // INPUT(...) naming two columns alike: the clause is at fault
        assertThat(sql.failure("CREATE MODEL d.m INPUT(a FLOAT64, A FLOAT64, b FLOAT64, c FLOAT64) OUTPUT(predicted_label FLOAT64)"
                + " OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor_unnamed.json") + "')").getMessage())
                .contains("INPUT(...) lists 'a' and 'A', one column name in SQL").contains("give each input a distinct name");
        assertThat(sql.failure("CREATE MODEL d.m INPUT(a FLOAT64, b FLOAT64, c FLOAT64, a FLOAT64) OUTPUT(variable FLOAT64)"
                + " OPTIONS(model_type = 'ONNX', model_path = '" + path("linear_regression.onnx") + "')").getMessage())
                .contains("INPUT(...) lists 'a' twice");
    }

    @Test
    void onnxMatrixInputNeedsNamesFromInputClause() {
        LatheException missing = sql.failure("CREATE MODEL d.linear OPTIONS(model_type = 'ONNX', model_path = '"
                + path("linear_regression.onnx") + "')");
        assertThat(missing.getMessage()).contains("float_input").contains("INPUT(");
        // every column feeds the one float tensor: another type is refused (probe qb: INT64 was taken and advertised)
        LatheException wrongType = sql.failure("CREATE MODEL d.linear INPUT(bill_length_mm FLOAT64, bill_depth_mm INT64,"
                + " flipper_length_mm FLOAT64, year FLOAT64) OUTPUT(variable FLOAT64) OPTIONS(model_type = 'ONNX', model_path = '"
                + path("linear_regression.onnx") + "')");
        assertThat(wrongType.getMessage()).contains("INPUT column 'bill_depth_mm' is declared INT64", "declare it as FLOAT64");
        sql.run("CREATE MODEL d.linear INPUT(bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, year FLOAT64)"
                + " OUTPUT(variable FLOAT64) OPTIONS(model_type = 'ONNX', model_path = '" + path("linear_regression.onnx") + "')");
        for (Map<String, Object> row : predict("d.linear")) {
            assertClose(row.get("variable"), row.get("onnx_linear"));
        }
    }

    /** Probe qb: a one-feature [N, 1] float_input ignored its feature_names: the column had to be named float_input. */
    @Test
    void onnxOneFeatureInputTakesItsNameFromTheFile() {
        sql.run("CREATE MODEL d.one OPTIONS(model_type = 'ONNX', model_path = '" + path("one_feature.onnx") + "')");
        assertThat(sql.value("SELECT variable FROM ML.PREDICT(MODEL d.one, (SELECT 10.5 AS bill_length_mm))")).isEqualTo(21.0);
        // its weights in an external file: refused saying so (probe qb: "model_path must not be empty", or no weights copied)
        LatheException external = sql.failure("CREATE MODEL d.external OPTIONS(model_type = 'ONNX', model_path = '"
                + path("external_data.onnx") + "')");
        assertThat(external.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(external.getMessage()).contains("external data file", "save_as_external_data=False");
        // INPUT names the file's feature, as for a wider tensor
        assertThat(sql.failure("CREATE MODEL d.wrong INPUT (x FLOAT64) OUTPUT (variable FLOAT64) OPTIONS(model_type = 'ONNX',"
                + " model_path = '" + path("one_feature.onnx") + "')").getMessage()).contains("feature 1 is 'bill_length_mm'");
    }

    @Test
    void onnxWithOneInputPerColumnTakesItsSchemaFromTheGraph() {
        sql.run("CREATE MODEL d.columns OPTIONS(model_type = 'ONNX', model_path = '" + path("linear_regression_columns.onnx") + "')");
        for (Map<String, Object> row : predict("d.columns")) {
            assertClose(row.get("variable"), row.get("onnx_linear"));
        }
    }

    @Test
    void onnxClassifierGivesLabelAndProbabilitiesLikeScikitLearn() {
        sql.run("CREATE MODEL d.logistic OPTIONS(model_type = 'ONNX', model_path = '" + path("logistic_regression.onnx") + "')");
        List<Map<String, Object>> rows = predict("d.logistic");
        assertThat(rows.get(0).keySet()).startsWith("label", "probabilities", "bill_length_mm");
        for (Map<String, Object> row : rows) {
            assertThat(row.get("label")).isEqualTo(row.get("onnx_logistic_label"));
            List<?> probabilities = (List<?>) row.get("probabilities");
            for (int c = 0; c < 3; c++) {
                assertClose(probabilities.get(c), row.get("onnx_logistic_p" + c));
            }
        }
        sql.run("CREATE OR REPLACE MODEL d.logistic INPUT(bill_length_mm FLOAT64, bill_depth_mm FLOAT64, flipper_length_mm FLOAT64, body_mass_g FLOAT64)"
                + " OUTPUT(label STRING) OPTIONS(model_type = 'ONNX', model_path = '"
                + path("logistic_regression.onnx") + "')");
        assertThat(predict("d.logistic").get(0).keySet()).startsWith("label", "bill_length_mm").doesNotContain("probabilities");
        // Columns feed the tensor by position, so INPUT must keep the file's feature_names order (a reordered list
        // would put each column into another feature's slot); the previous version stays.
        LatheException reordered = sql.failure("CREATE OR REPLACE MODEL d.logistic INPUT(bill_depth_mm FLOAT64, bill_length_mm FLOAT64,"
                + " flipper_length_mm FLOAT64, body_mass_g FLOAT64) OUTPUT(label STRING) OPTIONS(model_type = 'ONNX', model_path = '" + path("logistic_regression.onnx") + "')");
        assertThat(reordered.getMessage()).contains("INPUT column 1 is 'bill_depth_mm' but the ONNX model's feature 1 is 'bill_length_mm'")
                .contains("in order: bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g");
        assertThat(predict("d.logistic").get(0).keySet()).startsWith("label", "bill_length_mm");
    }

    @Test
    void onnxIntegerInputsTakeWholeNumbersInRangeOnly() {
        sql.run("CREATE MODEL d.sum OPTIONS(model_type = 'ONNX', model_path = '" + path("integer_sum.onnx") + "')");
        assertThat(sql.value("SELECT sum FROM ML.PREDICT(MODEL d.sum, (SELECT 2 AS a, CAST(-3 AS DOUBLE) AS b))")).isEqualTo(-1.0);
        // 2.7 was fed as 2 and 3e9 as 2147483647, without a word.
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT 2.7 AS a, 0 AS b))").getMessage())
                .contains("Input column a holds 2.7").contains("INT32").contains("ROUND");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT 0 AS a, 3000000000 AS b))").getMessage())
                .contains("Input column b holds 3000000000").contains("-2147483648 to 2147483647");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT 1 AS a, CAST(NULL AS INT64) AS b))").getMessage())
                .contains("Input column b is NULL in row 1 of the input");
        // the row is named (probe sa: "in a row" of what may be millions), in any batch
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT * FROM (VALUES (1, 2.0), (3, 4.0), (5, 6.5)) AS v(a, b)))")
                .getMessage()).startsWith("Input column b holds 6.5 in row 3 of the input, but the ONNX model reads it as an INT32 tensor");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT i AS a, CASE WHEN i = 70000 THEN NULL ELSE 1 END AS b"
                + " FROM range(100000) AS t(i) ORDER BY i))").getMessage()).startsWith("Input column b is NULL in row 70001 of the input");
        // DuckDB's cast errors quoted Lathe's own SQL ("LINE 1: ...LECT CAST("a" AS DOUBLE)...")
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT 'x' AS a, 1 AS b))").getMessage())
                .startsWith("Column a of the input to model d.sum holds 'x', which is not a number; the model reads a as INT64")
                .doesNotContain("LINE 1");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.sum, (SELECT 1 AS a, DATE '2020-01-01' AS b))").getMessage())
                .isEqualTo("Column b of the input to model d.sum is DATE, but the model reads it as a number (INT64); give it as INT64"
                        + " (ML.PREDICT at line 1, column 15)");
    }

    @Test
    void onnxGraphsThatCannotGiveOneRowPerRowAreRefusedClearly() {
        LatheException fixed = sql.failure("CREATE MODEL d.fixed OPTIONS(model_type = 'ONNX', model_path = '" + path("fixed_batch.onnx") + "')");
        assertThat(fixed.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(fixed.getMessage()).contains("input 'x' has a fixed batch dimension [1, 2]");
        sql.run("CREATE MODEL d.reduced OPTIONS(model_type = 'ONNX', model_path = '" + path("batch_sum.onnx") + "')");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.reduced, (SELECT * FROM (VALUES (1.0, 2.0), (3.0, 4.0)) AS v(a, b)))")
                .getMessage()).contains("output 'y' has 1 rows for 2 input rows");
    }

    @Test
    void onnxTreeEnsembleMatchesScikitLearnTree() {
        sql.run("CREATE MODEL d.tree OPTIONS(model_type = 'ONNX', model_path = '" + path("tree_regressor.onnx") + "')");
        for (Map<String, Object> row : predict("d.tree")) {
            assertClose(row.get("variable"), row.get("onnx_tree"));
        }
    }

    @Test
    void predictionInputLackingAColumnNamesWhatTheModelNeeds() {
        sql.run("CREATE MODEL d.tree OPTIONS(model_type = 'ONNX', model_path = '" + path("tree_regressor.onnx") + "')");
        LatheException e = sql.failure("SELECT * FROM ML.PREDICT(MODEL d.tree, (SELECT bill_length_mm, year FROM d.expected))");
        assertThat(e.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
        assertThat(e.getMessage()).contains("bill_depth_mm").contains("flipper_length_mm");
    }

    @Test
    void badImportsFailClearlyAndRegisterNothing() {
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX', model_path = '" + path("missing.onnx") + "')")
                .getMessage()).contains("does not exist").contains("give the path of an ONNX model file");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX', model_path = 'gs://bucket/model.onnx')"))
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
                .hasMessageContaining("gs://bucket/model.onnx").hasMessageContaining("local");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX', model_path = '" + path("expected.csv") + "')"))
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA)).hasMessageContaining("not an ONNX model");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'XGBOOST', model_path = '" + path("tree_regressor.onnx") + "')"))
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA)).hasMessageContaining("not an XGBoost model")
                .hasMessageEndingWith("It looks like an ONNX model: give model_type = 'ONNX'.");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'ONNX')").getMessage()).contains("model_path");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor.json")
                + "') AS SELECT * FROM d.expected").getMessage()).contains("no AS query");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.m, TABLE d.expected)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void functionsOtherThanPredictAreUnsupported() {
        sql.run("CREATE MODEL d.weight OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor.json") + "')");
        for (String call : List.of("ML.EVALUATE(MODEL d.weight, TABLE d.expected)", "ML.FEATURE_IMPORTANCE(MODEL d.weight)",
                "ML.WEIGHTS(MODEL d.weight)", "ML.TRAINING_INFO(MODEL d.weight)")) {
            LatheException e = sql.failure("SELECT * FROM " + call);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.getMessage()).contains("XGBOOST").contains("ML.PREDICT only");
        }
    }

    @Test
    void predictsIdenticallyAfterRestartWithTheOriginalFileDeleted() throws Exception {
        Path copy = directory.resolve("copy.onnx");
        Files.copy(MODELS.resolve("logistic_regression.onnx"), copy, StandardCopyOption.REPLACE_EXISTING);
        Path xgb = directory.resolve("copy.ubj");
        Files.copy(MODELS.resolve("xgb_regressor.ubj"), xgb, StandardCopyOption.REPLACE_EXISTING);
        sql.run("CREATE MODEL d.logistic OPTIONS(model_type = 'ONNX', model_path = '" + copy + "');"
                + "CREATE MODEL d.weight OPTIONS(model_type = 'XGBOOST', model_path = '" + xgb + "')");
        List<Map<String, Object>> logistic = predict("d.logistic");
        List<Map<String, Object>> weight = predict("d.weight");
        Files.delete(copy);
        Files.delete(xgb);
        sql.restart();
        assertThat(predict("d.logistic")).isEqualTo(logistic);
        assertThat(predict("d.weight")).isEqualTo(weight);
        String manifest = Files.readString(sql.dataDirectory().resolve("models/d/logistic/1/manifest.json"));
        assertThat(manifest).contains("\"sha256\"").contains("\"sizeBytes\"").contains(copy.toString()).contains("\"outputColumns\"");
    }

    @Test
    void streamsPredictionsForManyRows() {
        sql.run("CREATE MODEL d.tree OPTIONS(model_type = 'ONNX', model_path = '" + path("tree_regressor.onnx") + "');"
                + "CREATE MODEL d.weight OPTIONS(model_type = 'XGBOOST', model_path = '" + path("xgb_regressor.json") + "');"
                + "CREATE TABLE d.many AS SELECT 30 + i % 30 AS bill_length_mm, 15 + i % 7 AS bill_depth_mm, 170 + i % 60 AS"
                + " flipper_length_mm, 2007 + i % 3 AS year, i AS id FROM range(200000) AS t(i)");
        Map<String, Object> tree = sql.rows("SELECT count(*) AS n, count(variable) AS predicted, max(id) AS last"
                + " FROM ML.PREDICT(MODEL d.tree, TABLE d.many)").get(0);
        assertThat(tree).containsEntry("n", 200_000L).containsEntry("predicted", 200_000L).containsEntry("last", 199_999L);
        Object weight = sql.value("SELECT count(predicted_label) FROM ML.PREDICT(MODEL d.weight, TABLE d.many)");
        assertThat(weight).isEqualTo(200_000L);
    }
}
