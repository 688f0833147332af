package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets one clear error and leaves nothing behind. */
class BadInputTest {
    @TempDir
    Path directory;

    private SqlSession sql;

    @BeforeEach
    void open() {
        sql = new SqlSession(directory).withPenguins();
    }

    @AfterEach
    void close() {
        sql.close();
    }

    @Test
    void aTrainingQueryWithTwoColumnsOfOneNameIsRefused() {
        // DuckDB would rename the second to bill_depth_mm_1, a feature no ordinary input has.
        LatheException twice = sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['l'])"
                + " AS SELECT body_mass_g AS l, bill_depth_mm, bill_depth_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(twice.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(twice.getMessage()).contains("two columns named 'bill_depth_mm'").contains("distinct alias");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.m)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void kmeansOnMoreCategoriesThanADenseMatrixHoldsIsRefusedNamingTheWidth() {
        // probe ud F3: "internal failure, ArithmeticException: integer overflow" (100,000 categories x 200,000 rows)
        LatheException wide = sql.failure("CREATE MODEL d.km OPTIONS (model_type = 'kmeans', num_clusters = 2) AS"
                + " SELECT 'c' || (i % 40000)::VARCHAR AS c, i % 7 AS x FROM range(60000) t(i)");
        assertThat(wide.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(wide.getMessage()).contains("60,000 rows x 40,002 columns, about 19.2 GB").contains("more cells than a Java array holds")
                .contains("the widest feature is c (40,001 columns");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.km)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void anMlAnalyticFunctionTakesAnEmptyOverAsInBigQuery() {
        // a partition or an order gave per-group or running statistics, answers BigQuery refuses to give
        LatheException partitioned = sql.failure("SELECT ML.MIN_MAX_SCALER(bill_depth_mm) OVER (PARTITION BY species) AS s FROM d.penguins");
        assertThat(partitioned.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(partitioned.getMessage()).isEqualTo("ML.MIN_MAX_SCALER at line 1, column 8 takes OVER() with an empty window, as in"
                + " BigQuery: its statistics are over the whole input; found OVER (PARTITION BY species)");
        assertThat(sql.failure("SELECT ML.STANDARD_SCALER(bill_depth_mm) OVER (ORDER BY year) AS s FROM d.penguins").getMessage())
                .contains("found OVER (ORDER BY year)");
        assertThat(sql.rows("SELECT ML.STANDARD_SCALER(bill_depth_mm) OVER ( ) AS s FROM d.penguins")).hasSize(344);
    }

    @Test
    void transformFailuresNameTheColumnOrCallWhereItIsWritten() {
        String create = "CREATE MODEL d.t\nTRANSFORM (%s, body_mass_g) OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL";
        // DuckDB said: Binder Error: Referenced column "flipper_lenght_mm" not found ... Candidate bindings: "body_mass_g"
        LatheException unknown = sql.failure(create.formatted("ML.STANDARD_SCALER(flipper_lenght_mm) OVER () AS f"));
        assertThat(unknown.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
        assertThat(unknown.getMessage()).startsWith("Column 'flipper_lenght_mm' at line 2, column 31 is not in the training query;"
                + " did you mean 'flipper_length_mm'? Columns are: species, island");
        assertThat(sql.failure(create.formatted("bill_lenght_mm * 2 AS b")).getMessage())
                .startsWith("Column 'bill_lenght_mm' at line 2, column 12 is not in the training query; did you mean 'bill_length_mm'?");
        assertThat(sql.failure(create.formatted("ML.STANDARD_SCALER(species) OVER () AS s")).getMessage())
                .isEqualTo("ML.STANDARD_SCALER at line 2, column 12: computing its statistics over the training input failed: Conversion"
                        + " Error: Could not convert string 'Adelie' to DOUBLE when casting from source column species");
        assertThat(sql.failure(create.formatted("ML.QUANTILE_BUCKETIZE(bill_depth_mm, 0) OVER () AS q")).getMessage())
                .endsWith("(ML.QUANTILE_BUCKETIZE at line 2, column 12)");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.t)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void aValueThatFailsWhileTheTrainingRowsStreamIsPlacedInTheQuery() {
        // past the first 64k-row Arrow batch: DuckDB meets the bad cast while the rows stream, not when the query starts
        LatheException late = sql.failure("CREATE MODEL d.late OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS\n"
                + "SELECT CAST(CASE WHEN i = 199999 THEN 'x' ELSE (i % 10)::VARCHAR END AS INT) AS x, i % 7 AS y FROM range(200000) t(i)");
        assertThat(late.code()).isEqualTo(ErrorCode.SQL_ERROR);
        assertThat(late.getMessage()).isEqualTo("Conversion Error: Could not convert string 'x' to INT64 (at line 2, column 8)");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.late)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void aStatementCutShortIsPlacedAtItsEnd() {
        // DuckDB names no character for "at end of input": in a script the failing statement was unknown (probe sc)
        assertThat(sql.failure("SELECT 1;\n\nSELECT 3 FROM range(3) t WHERE;\nSELECT 4").getMessage())
                .isEqualTo("Parser Error: syntax error at end of input (at line 3, column 30)");
        assertThat(sql.failure("SELECT 1 +  ").getMessage()).endsWith("(at line 1, column 10)");
    }

    @Test
    void aMisspeltBigQueryFunctionSuggestsTheBigQueryName() {
        // DuckDB's own hint searched its catalog: SAFE_DIVDE suggested fdiv.
        assertThat(sql.failure("SELECT SAFE_DIVDE(1, 2)").getMessage()).contains("safe_divde does not exist! Did you mean SAFE_DIVIDE?")
                .endsWith("(at line 1, column 8)");
        assertThat(sql.failure("SELECT lenght('a')").getMessage()).contains("Did you mean \"length\"?");
    }

    @Test
    void aMisspeltObjectKindIsASyntaxErrorSayingWhatWasExpected() {
        LatheException model = sql.failure("SELECT 1;\nCREATE MODLE d.x AS SELECT 1");
        assertThat(model.code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(model.getMessage()).startsWith("Syntax error at line 2, column 8: expected MODEL, TABLE, SCHEMA")
                .contains("did you mean MODEL?").contains("found 'MODLE'");
        assertThat(sql.failure("CREATE OR REPLACE TABEL d.x AS SELECT 1").getMessage()).contains("did you mean TABLE?");
        assertThat(sql.failure("DROP MODELS d.x").getMessage()).contains("did you mean MODEL?");
        sql.run("CREATE TEMP TABLE t AS SELECT 1 AS a; CREATE MACRO twice(x) AS x * 2; DROP MACRO twice");
    }

    @Test
    void syntaxErrorNamesLineColumnAndExpectation() {
        LatheException e = sql.failure("CREATE MODEL d.m\nOPTIONS (model_type = 'linear_reg'\nAS SELECT 1");
        assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.getMessage()).contains("line 3").contains("column 1").contains("expected");
    }

    /**
     * DuckDB's errors name the line and column the user wrote, in the script, not in the SQL Lathe ran: a plain
     * statement after others, a query around an ML function, an ML function's (query) argument and a training query,
     * which Lathe wraps in SQL of its own before DuckDB sees them.
     */
    @Test
    void duckDbErrorsNameTheUsersLineAndColumnNotLathesSql() {
        LatheException plain = sql.failure("SELECT 1 AS a;\n\nSELECT *\n  FROM d.nope;");
        assertThat(plain.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
        assertThat(plain.getMessage()).startsWith("Catalog Error: Table with name nope does not exist!").endsWith("(at line 4, column 8)")
                .doesNotContain("pending query").doesNotContain("LINE ");
        sql.run("CREATE MODEL d.c OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS SELECT * FROM d.penguins");
        assertThat(sql.failure("SELECT predicted_species FROM ML.PREDICT(MODEL d.c, TABLE d.penguins)\nWHERE nothing > 1").getMessage())
                .contains("\"nothing\" not found").endsWith("(at line 2, column 7)");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.c,\n  (SELECT * FROM d.penguins WHERE nothing > 1))").getMessage())
                .contains("\"nothing\" not found").endsWith("(at line 2, column 35)").doesNotContain("__lathe");
        LatheException training = sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])\n"
                + "AS SELECT * FROM d.penguins WHERE flipper > 3");
        assertThat(training.getMessage()).contains("\"flipper\" not found").endsWith("(at line 2, column 35)").doesNotContain("__lathe");
        // Failures DuckDB finds only while the rows stream (a cast), where Lathe's wrapper SQL runs the user's query.
        LatheException cast = sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])\n"
                + "AS SELECT body_mass_g, CAST(species AS INT) AS s FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(cast.getMessage()).startsWith("Conversion Error").endsWith("(at line 2, column 24)").doesNotContain("__lathe");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.c,\n  (SELECT CAST(species AS INT) AS x, * FROM d.penguins))").getMessage())
                .startsWith("Conversion Error").endsWith("(in the query at line 2, column 4)").doesNotContain("__lathe");
        assertThat(sql.dataDirectory().resolve("models/d/m")).doesNotExist();
        assertThat(sql.failure("CREATE MODEL d.m TRANSFORM (ML.STANDARD_SCALER(nothing) OVER () AS x, body_mass_g)\n"
                + "OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS SELECT * FROM d.penguins").getMessage())
                .isEqualTo("Column 'nothing' at line 1, column 48 is not in the training query. Columns are: species, island,"
                        + " bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex, year");
    }

    @Test
    void unknownOptionSuggestsTheNearestName() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'], learnrate = 0.1)
                AS SELECT * FROM d.penguins""");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
        assertThat(e.getMessage()).contains("'learnrate'").contains("did you mean 'learn_rate'").contains("line 1");
        assertNoModel();
    }

    @Test
    void tuningOptionsAreSaidNotAppliedAndASearchSpaceIsRefused() {
        String create = "CREATE OR REPLACE MODEL d.tuned OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], %s)"
                + " AS SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL";
        assertThat(sql.run(create.formatted("num_trials = 5, hparam_tuning_algorithm = 'RANDOM_SEARCH'")))
                .startsWith("Created model d.tuned (version 1)")
                .endsWith("; not applied: num_trials, hparam_tuning_algorithm (hyperparameter tuning is not available yet: this is"
                        + " one model, trained with the options as given)");
        assertThat(sql.run(create.formatted("l2_reg = 0.5"))).doesNotContain("not applied");
        // Split options the chosen method does not use are said too; the eval fraction keeps two decimals.
        assertThat(sql.run(create.formatted("data_split_method = 'RANDOM', data_split_eval_fraction = 0.2,"
                + " data_split_test_fraction = 0.1"))).endsWith("; not applied: data_split_test_fraction (a test split is made only"
                + " for hyperparameter tuning, which is not available yet)");
        assertThat(sql.run(create.formatted("data_split_eval_fraction = 0.5, data_split_col = 'sex'")))
                .contains("not applied: data_split_eval_fraction (data_split_method AUTO_SPLIT does not take a fraction")
                .contains("data_split_col as a split column (data_split_method AUTO_SPLIT does not read one");
        assertThat(sql.run(create.formatted("l2_reg = NULL, max_iterations = NULL"))).startsWith("Created model d.tuned")
                .doesNotContain("not applied");
        // Probe ra: gradient descent's options under the normal equation, the line search's under a constant rate
        assertThat(sql.run(create.formatted("optimize_strategy = 'normal_equation', max_iterations = 50, ls_init_learn_rate = 0.5,"
                + " early_stop = FALSE"))).endsWith("; not applied: ls_init_learn_rate, max_iterations, early_stop (they set gradient"
                + " descent; optimize_strategy NORMAL_EQUATION solves in one step)");
        assertThat(sql.run(create.formatted("optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant',"
                + " ls_init_learn_rate = 0.5"))).endsWith("; not applied: ls_init_learn_rate (the line search's first rate;"
                + " learn_rate_strategy CONSTANT steps by learn_rate)");
        assertThat(sql.run(create.formatted("calculate_p_values = TRUE"))).endsWith("; not applied: calculate_p_values"
                + " (ML.ADVANCED_WEIGHTS's standard errors and p-values need category_encoding_method = 'DUMMY_ENCODING')");
        assertThat(sql.run("CREATE OR REPLACE MODEL d.tuned OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols ="
                + " ['body_mass_g'], max_iterations = 2, dropout = 0.5) AS SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL"))
                .endsWith("; not applied: dropout (used only with booster_type = 'DART'; this model's is GBTREE)");
        // Probe K: the XGBoost version named was silently not the one that grew the trees.
        assertThat(sql.run("CREATE OR REPLACE MODEL d.tuned OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols ="
                + " ['body_mass_g'], max_iterations = 2, xgboost_version = '1.1') AS SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL"))
                .endsWith("; not applied: xgboost_version (trees are grown by XGBoost 2, whichever version is named; rows start from a"
                        + " base score estimated from the labels, not 0.5: see docs/sql.md)");
        // Probe qc F2: approximate global contributions were recorded as effective; the attributions are exact
        String global = "CREATE OR REPLACE MODEL d.tuned OPTIONS (model_type = 'random_forest_regressor', input_label_cols ="
                + " ['body_mass_g'], num_parallel_tree = 2, enable_global_explain = TRUE, approx_global_feature_contrib = %s) AS"
                + " SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL";
        assertThat(sql.run(global.formatted("TRUE"))).endsWith("; not applied: approx_global_feature_contrib (ML.GLOBAL_EXPLAIN's"
                + " attributions are always exact TreeSHAP, not approximated)");
        assertThat(sql.run(global.formatted("FALSE"))).doesNotContain("not applied");
        assertThat(sql.failure(create.formatted("data_split_method = 'RANDOM', data_split_eval_fraction = 0.004")).getMessage())
                .contains("keeps two decimals, 0.00, which leaves no evaluation rows");
        String sequence = "CREATE OR REPLACE MODEL d.tuned OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'],"
                + " data_split_method = 'SEQ', data_split_col = 'i', data_split_eval_fraction = %s) AS SELECT i, i %% 7 AS y, i %% 3 AS x"
                + " FROM range(1, 1001) t(i)";
        assertThat(sql.run(sequence.formatted("0.2"))).contains("on 800 training rows and 200 evaluation rows");
        assertThat(sql.run(sequence.formatted("0.0149"))).contains("on 990 training rows and 10 evaluation rows"); // 0.01, not 0.0149
        LatheException e = sql.failure(create.formatted("num_trials = 5, l2_reg = HPARAM_RANGE(0, 1)"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(e.getMessage()).isEqualTo("Option 'l2_reg' is HPARAM_RANGE(...) at line 1, column 130, a search space for"
                + " hyperparameter tuning, which is not available yet; give l2_reg a value of type FLOAT64");
    }

    /**
     * Probe K: a SEQ split on a column of one value left no evaluation rows without a word why. Since probe ps rows tied
     * with the cut-off evaluate (spec 1.2: rows smaller than the threshold train), so such a column leaves no training rows.
     */
    @Test
    void aSplitThatLeavesNoTrainingOrEvaluationRowsSaysWhy() {
        assertThat(sql.failure("CREATE MODEL d.seq OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'SEQ',"
                + " data_split_col = 'k') AS SELECT i * 1.0 AS x, i * 2.0 AS y, 5 AS k FROM range(20) t(i)").getMessage())
                .contains("left no training rows for model d.seq (sequential split on k); no k is below the cut-off");
        // every value NULL but one: the one trains, the NULLs evaluate
        assertThat(sql.run("CREATE MODEL d.seq OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'SEQ',"
                + " data_split_col = 'k', data_split_eval_fraction = 0.5) AS SELECT i * 1.0 AS x, i * 2.0 AS y,"
                + " CASE WHEN i < 2 THEN i END AS k FROM range(20) t(i)")).contains("on 1 training rows and 19 evaluation rows");
        assertThat(sql.failure("CREATE MODEL d.custom OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'CUSTOM',"
                + " data_split_col = 'f') AS SELECT i * 1.0 AS x, i * 2.0 AS y, true AS f FROM range(20) t(i)").getMessage())
                .endsWith("(custom split on f); every f is TRUE or NULL, which evaluate; rows whose f is FALSE train");
        assertThat(sql.failure("CREATE MODEL d.seq2 OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'SEQ',"
                + " data_split_col = 'f') AS SELECT i * 1.0 AS x, i * 2.0 AS y, i > 3 AS f FROM range(20) t(i)").getMessage())
                .contains("data_split_method = 'SEQ' needs a data_split_col that sorts", "'f' is BOOL");
    }

    /** Probe ra: a split that left one class among the training rows made a model predicting that class for every row. */
    @Test
    void aClassifierWhoseSplitLeavesOneTrainingClassIsRefused() {
        for (String type : new String[] {"logistic_reg", "boosted_tree_classifier"}) {
            assertThat(sql.failure("CREATE MODEL d.oc OPTIONS (model_type = '" + type + "', input_label_cols = ['sex'], data_split_method"
                    + " = 'custom', data_split_col = 'ev') AS SELECT *, sex = 'male' AS ev FROM d.penguins WHERE sex IS NOT NULL").getMessage())
                    .as(type).contains("The training rows hold one class of label 'sex' ('female'): the data split (data_split_method CUSTOM)"
                            + " sent every row of the other classes to evaluation");
        }
        assertThat(sql.failure("CREATE MODEL d.oc OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex'], data_split_method = 'seq',"
                + " data_split_col = 'sex') AS SELECT * FROM d.penguins WHERE sex IS NOT NULL").getMessage())
                .contains("data_split_col names the label column 'sex'; the split must come from another column");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.oc, TABLE d.penguins)").getMessage()).contains("not found");
    }

    /**
     * Probe rg: a TRANSFORM model's raw input was not checked against its training types: a category given as a number was
     * silently encoded as unseen, text or a DATE for a number failed in DuckDB's words over Lathe's SQL.
     */
    @Test
    void aTransformModelsInputIsCheckedAsAModelsFeaturesAre() {
        sql.run("CREATE MODEL d.t1 TRANSFORM (ML.STANDARD_SCALER(bill_length_mm) OVER () AS s, ML.ONE_HOT_ENCODER(island) OVER () AS isl,"
                + " body_mass_g) OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL");
        String predict = "SELECT predicted_body_mass_g FROM ML.PREDICT(MODEL d.t1, (SELECT %s AS bill_length_mm, %s AS island))";
        assertThat(sql.failure(predict.formatted("39.1", "7")).getMessage()).startsWith("Column island of the input to model d.t1 is INT64,"
                + " but the model was trained on it as STRING; give it as that type, e.g. CAST(island AS STRING)");
        assertThat(sql.failure(predict.formatted("'abc'", "'Biscoe'")).getMessage()).startsWith("Column bill_length_mm of the input to"
                + " model d.t1 holds 'abc', which is not a number; the model reads bill_length_mm as FLOAT64");
        assertThat(sql.failure(predict.formatted("DATE '2020-01-01'", "'Biscoe'")).getMessage()).startsWith("Column bill_length_mm of the"
                + " input to model d.t1 is DATE, but the model reads it as a number (FLOAT64)");
        assertThat(sql.value(predict.formatted("'39.1'", "'Biscoe'"))).isEqualTo(sql.value(predict.formatted("39.1", "'Biscoe'")));
    }

    /** Probe rg: a scaler over a column holding a NaN failed "STDDEV_SAMP is out of range!", or said the column was NULL. */
    @Test
    void aTransformScalerOverANaNSaysWhyItsOutputIsEmpty() {
        sql.run("CREATE TABLE d.nan AS SELECT * FROM (VALUES (1.0, 10.0), (2.0, 20.0), (CAST('NaN' AS DOUBLE), 25.0), (5.0, 50.0)) v(x, y)");
        for (String scaler : List.of("STANDARD_SCALER", "MAX_ABS_SCALER", "MIN_MAX_SCALER")) {
            assertThat(sql.failure("CREATE MODEL d.n TRANSFORM (ML." + scaler + "(x) OVER () AS s, y) OPTIONS (model_type = 'linear_reg',"
                    + " input_label_cols = ['y']) AS SELECT * FROM d.nan").getMessage()).as(scaler)
                    .isEqualTo("Feature column 's' is NULL or NaN in every training row; remove it or fill it (a TRANSFORM's scaler gives NaN"
                            + " on every row once its input column holds a NaN or an infinite value: filter or replace those)");
        }
    }

    /** Probe ra: an INT64 beyond INT64 was an "internal failure, ArithmeticException"; model_type = NULL "looked like model_type". */
    @Test
    void anOptionBeyondInt64AndANullModelTypeAreSaidSo() {
        assertThat(sql.failure("CREATE MODEL d.y OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
                + " max_iterations = 99999999999999999999) AS SELECT * FROM d.penguins").getMessage())
                .contains("Option 'max_iterations' at line 1, column 107 is beyond the range of INT64; it must be a whole number in");
        assertThat(sql.failure("CREATE MODEL d.y OPTIONS (model_type = 'kmeans', num_clusters = -99999999999999999999) AS SELECT * FROM d.penguins")
                .getMessage()).contains("Option 'num_clusters'").contains("beyond the range of INT64");
        assertThat(sql.failure("CREATE MODEL d.y OPTIONS (model_type = NULL, input_label_cols = ['body_mass_g']) AS SELECT * FROM d.penguins")
                .getMessage()).contains("but option 'model_type' at line 1, column 27 is NULL, not a model type's name");
    }

    /** Probe ps: SEQ put rows tied with its cut-off into training, so grouped data (days) got a smaller evaluation split, or none. */
    @Test
    void aSequentialSplitEvaluatesTheRowsTiedWithItsCutOff() {
        String days = "CREATE OR REPLACE MODEL d.days OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'SEQ',"
                + " data_split_col = 'day', data_split_eval_fraction = %s) AS SELECT i * 1.0 AS x, (2 * i + i * 7919 %% 13) * 1.0 AS y,"
                + " i // 100 AS day FROM range(1000) t(i)";
        assertThat(sql.run(days.formatted("0.25"))).contains("on 700 training rows and 300 evaluation rows");
        assertThat(sql.run(days.formatted("0.05"))).contains("on 900 training rows and 100 evaluation rows");
        assertThat(sql.run(days.formatted("0.2"))).contains("on 800 training rows and 200 evaluation rows");
    }

    @Test
    void unknownModelTypeAndFunctionSuggestNames() {
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'linear_regression') AS SELECT * FROM d.penguins").getMessage())
                .contains("did you mean 'LINEAR_REG'").endsWith("(at line 1, column 27)");
        assertThat(sql.failure("DECLARE threshold FLOAT64 DEFAULT 0.55;").getMessage())
                .startsWith("DECLARE at line 1, column 1 is BigQuery scripting, which is not supported yet").contains("SET VARIABLE");
        sql.run("SET VARIABLE threshold = 0.55"); // the way around, DuckDB's own
        assertThat(sql.value("SELECT getvariable('threshold') * 2")).isEqualTo(1.1);
        assertThat(sql.failure("SELECT 1;\nEXPORT MODEL d.m OPTIONS (URI = 'gs://bucket/path/')").getMessage())
                .startsWith("EXPORT MODEL at line 2, column 1 is not supported yet");
        // BigQuery ML's own types Lathe lacks are not "unknown" (probe pv)
        LatheException pca = sql.failure("CREATE MODEL d.m OPTIONS (MODEL_TYPE='PCA', NUM_PRINCIPAL_COMPONENTS=2) AS SELECT * FROM d.penguins");
        assertThat(pca.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(pca.getMessage()).startsWith("model_type 'PCA' is a BigQuery ML model type Lathe does not train yet; supported model types"
                + " are: ").contains("LINEAR_REG").endsWith("(at line 1, column 27)");
        assertThat(sql.failure("SELECT * FROM ML.PREDCT(MODEL d.m, TABLE d.penguins)").getMessage()).contains("ML.PREDICT");
        // inside TRANSFORM too (probe rg: no hint there)
        assertThat(sql.failure("CREATE MODEL d.m TRANSFORM (ML.ONE_HOT_ENCODERS(species) OVER () AS s, body_mass_g) OPTIONS (model_type ="
                + " 'linear_reg', input_label_cols = ['body_mass_g']) AS SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL").getMessage())
                .contains("Unknown function ML.ONE_HOT_ENCODERS at line 1, column 29; did you mean ML.ONE_HOT_ENCODER?");
        sql.run("CREATE MODEL d.k OPTIONS (model_type = 'kmeans', num_clusters = 2) AS SELECT bill_length_mm FROM d.penguins");
        assertThat(sql.failure("SELECT * FROM ML.DETECT_ANOMALIES(MODEL d.k, STRUCT(0.02 AS contamination), TABLE d.penguins)")
                .getMessage()).contains("ML.DETECT_ANOMALIES at line 1, column 15 is not supported yet").doesNotContain("settings");
        // as docs/sql.md says, with the other table functions of BigQuery ML that Lathe does not compute (probe vp)
        assertThat(sql.failure("SELECT * FROM ML.TRIAL_INFO(MODEL d.k)").getMessage())
                .startsWith("ML.TRIAL_INFO at line 1, column 15 is not supported yet; supported table functions: ML.PREDICT");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (modeltype = 'linear_reg') AS SELECT * FROM d.penguins").getMessage())
                .contains("needs OPTIONS(model_type = '...'), but option 'modeltype' at line 1, column 27 looks like model_type");
    }

    @Test
    void wrongOptionTypeNamesTheExpectedType() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], max_iterations = 'ten')
                AS SELECT * FROM d.penguins""");
        assertThat(e.getMessage()).contains("max_iterations").contains("INT64").contains("'ten'");
        e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'], subsample = 1.5)
                AS SELECT * FROM d.penguins""");
        assertThat(e.getMessage()).contains("subsample").contains("1.5");
        assertNoModel();
    }

    @Test
    void missingLabelListsTheColumns() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass']) AS SELECT * FROM d.penguins""");
        assertThat(e.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
        assertThat(e.getMessage()).contains("'body_mass'").contains("did you mean 'body_mass_g'").contains("species");
        e = sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg') AS SELECT * FROM d.penguins");
        assertThat(e.getMessage()).contains("'label'").contains("input_label_cols");
        assertNoModel();
    }

    @Test
    void wronglyTypedLabelIsRejected() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['species']) AS SELECT * FROM d.penguins""");
        assertThat(e.getMessage()).contains("species").contains("numeric").contains("STRING");
        assertNoModel();
        // a type BigQuery has no name for is said by DuckDB's, not "OTHER" (probe rc)
        for (String type : new String[] {"linear_reg", "logistic_reg"}) {
            assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = '" + type + "', input_label_cols = ['l']) AS"
                    + " SELECT i * 1.0 AS x, to_days(i) AS l FROM range(10) t(i)").getMessage()).as(type).endsWith("but it is INTERVAL"
                            + (type.equals("linear_reg") ? "; use a classifier for categorical labels, or CAST the label to FLOAT64" : ""));
        }
        assertNoModel();
    }

    @Test
    void nullLabelsAreRejectedWithAHint() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS SELECT * FROM d.penguins""");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(e.getMessage()).contains("body_mass_g").contains("IS NOT NULL");
        assertNoModel();
    }

    @Test
    void tooManyClassesIsRejected() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'logistic_reg', input_label_cols = ['id']) AS
                SELECT CAST(i % 60 AS VARCHAR) AS id, i * 1.0 AS x FROM range(600) t(i)""");
        assertThat(e.getMessage()).contains("60").contains("50");
        assertNoModel();
    }

    @Test
    void emptyTrainingDataIsRejected() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                SELECT * FROM d.penguins WHERE false""");
        assertThat(e.getMessage()).contains("no rows");
        assertNoModel();
    }

    @Test
    void allNullFeatureIsRejected() {
        LatheException e = sql.failure("""
                CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                SELECT body_mass_g, flipper_length_mm, CAST(NULL AS DOUBLE) AS nothing FROM d.penguins WHERE body_mass_g IS NOT NULL""");
        assertThat(e.getMessage()).contains("'nothing'").contains("NULL");
        assertNoModel();
    }

    /** An infinite feature would make every weight, centroid or tree NaN (XGBoost refuses it with a native stack trace). */
    @ParameterizedTest
    @ValueSource(strings = {"linear_reg", "logistic_reg", "boosted_tree_regressor", "kmeans"})
    void infiniteFeatureIsRejected(String type) {
        String label = type.equals("kmeans") ? "" : ", input_label_cols = ['" + (type.equals("logistic_reg") ? "heavy" : "body_mass_g") + "']";
        LatheException e = sql.failure("CREATE MODEL d.m OPTIONS (model_type = '" + type + "'" + label + ") AS"
                + " SELECT body_mass_g, body_mass_g > 4000 AS heavy, IF(flipper_length_mm = 181, IEEE_DIVIDE(-1, 0), flipper_length_mm) AS flipper"
                + " FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(e.getMessage()).contains("Feature column 'flipper' is infinite in 7 training rows (first at row 1)")
                .contains("IS_INF(flipper)");
        assertNoModel();
    }

    @Test
    void optionValuesAndRoleColumnsAreCheckedBeforeTraining() {
        String penguins = " AS SELECT species, bill_length_mm, flipper_length_mm, 'a' AS w, 1 AS c FROM d.penguins";
        String logistic = "CREATE MODEL d.m OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'], ";
        assertThat(sql.failure(logistic + "class_weights = [('Adelie', 1.0), ('Gentoo', 2.0), ('Chinstrap', -0.5)])" + penguins)
                .getMessage()).contains("gives class 'Chinstrap' the weight -0.5").contains("must be finite and >= 0");
        assertThat(sql.failure(logistic + "class_weights = [('Adelie', 1.0), ('Adelie', 2.0), ('Gentoo', 1), ('Chinstrap', 1)])"
                + penguins).getMessage()).contains("names class 'Adelie' twice");
        assertThat(sql.failure(logistic + "class_weights = [('Adelie', 0), ('Gentoo', 0), ('Chinstrap', 0)])" + penguins)
                .getMessage()).contains("every class the weight 0");
        assertThat(sql.failure(logistic + "model_type = 'kmeans')" + penguins).getMessage())
                .isEqualTo("Option 'model_type' is given twice in OPTIONS (at line 1, column 88)");
        assertThat(sql.failure(logistic + "l2_reg = 1e400)" + penguins).getMessage())
                .contains("Option 'l2_reg' at line 1, column 97 is beyond the range of FLOAT64");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['species'],"
                + " instance_weight_col = 'w')" + penguins).getMessage())
                .isEqualTo("instance_weight_col names 'w', a STRING column; it must name a numeric column of row weights (finite and >= 0)");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['c'],"
                + " instance_weight_col = 'c')" + penguins).getMessage()).startsWith("instance_weight_col names the label column 'c'");
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'c')"
                + " AS SELECT bill_length_mm, flipper_length_mm, 1 AS c FROM d.penguins").getMessage())
                .startsWith("kmeans_init_col names 'c', a INT64 column; it must name a BOOL column");
        // flagged rows alike would start two clusters at one point (probe qc)
        assertThat(sql.failure("CREATE MODEL d.m OPTIONS (model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'c')"
                + " AS SELECT bill_length_mm, bill_length_mm IN (40.0, 50.0) AS c FROM d.penguins").getMessage())
                .contains("kmeans_init_col flags").contains("differ").contains("each initial centroid must be a different point");
        assertNoModel();
    }

    @Test
    void instanceWeightsMustBeNonNegativeAndWeighSomeTrainingRow() {
        String forest = "CREATE MODEL d.m OPTIONS (model_type = 'random_forest_classifier', input_label_cols = ['species'],"
                + " num_parallel_tree = 3, instance_weight_col = 'w') AS SELECT species, bill_length_mm, ";
        assertThat(sql.failure(forest + "IF(bill_length_mm > 40, 1.0, -1.0) AS w FROM d.penguins").getMessage())
                .isEqualTo("instance_weight_col 'w' is -1.0 in a training row; weights must be finite and >= 0");
        // all 0 trained a model with a NaN loss that predicted 1/3 for every class
        LatheException zero = sql.failure(forest + "0.0 AS w FROM d.penguins");
        assertThat(zero.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(zero.getMessage()).isEqualTo("instance_weight_col 'w' is 0 in every one of the 344 training rows, which leaves nothing"
                + " to fit; give at least one training row a positive weight");
        assertNoModel();
        sql.run(forest + "IF(species = 'Adelie', 0.0, 1.0) AS w FROM d.penguins");
    }

    @Test
    void aCategoryGivenAsANumberIsRefusedNotReadAsUnseen() {
        sql.run("CREATE MODEL d.zip OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS"
                + " SELECT sex, CAST(CAST(flipper_length_mm AS INT) % 7 AS VARCHAR) AS zone FROM d.penguins WHERE sex IS NOT NULL");
        for (String function : List.of("PREDICT", "EVALUATE")) {
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.zip, (SELECT sex, CAST(flipper_length_mm AS INT) % 7 AS zone"
                    + " FROM d.penguins WHERE sex IS NOT NULL))").getMessage()).as(function)
                    .contains("Column zone of the input to model d.zip is INT64, but the model was trained on it as STRING")
                    .contains("CAST(zone AS STRING)");
        }
        assertThat(sql.value("SELECT count(*) FROM ML.PREDICT(MODEL d.zip, (SELECT CAST(CAST(flipper_length_mm AS INT) % 7 AS STRING) AS zone"
                + " FROM d.penguins))")).isEqualTo(344L);
    }

    /** A number given as a DATE, or as text that is not a number, failed with DuckDB's cast error in DuckDB's words. */
    @Test
    void aNumberGivenAsTextOrADateIsNamedInTheModelsTerms() {
        sql.run("CREATE MODEL d.flip OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        for (String function : List.of("PREDICT", "EVALUATE", "EXPLAIN_PREDICT")) {
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.flip, (SELECT 4000 AS body_mass_g, DATE '2020-01-02' AS flipper_length_mm))")
                    .getMessage()).as(function)
                    .isEqualTo("Column flipper_length_mm of the input to model d.flip is DATE, but the model reads it as a number (INT64); give it as INT64"
                            + " (ML." + function + " at line 1, column 15)");
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.flip, (SELECT 4000 AS body_mass_g, '181' AS flipper_length_mm"
                    + " UNION ALL SELECT 4000, 'tall'))").getMessage()).as(function)
                    .startsWith("Column flipper_length_mm of the input to model d.flip holds 'tall', which is not a number; the model reads"
                            + " flipper_length_mm as INT64").doesNotContain("Conversion Error");
        }
        // text that holds numbers is read as them
        assertThat(sql.value("SELECT round(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.flip, (SELECT '181' AS flipper_length_mm))"))
                .isEqualTo(sql.value("SELECT round(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.flip, (SELECT 181 AS flipper_length_mm))"));
    }

    /** Probe ps: k-means over fewer distinct points than clusters trained with empty clusters and a NaN Davies-Bouldin index. */
    @Test
    void kMeansNeedsAsManyDistinctPointsAsClusters() {
        assertThat(sql.failure("CREATE MODEL d.k1 OPTIONS (model_type = 'kmeans', num_clusters = 4) AS SELECT (i % 2) * 1.0 AS a FROM range(100) t(i)")
                .getMessage()).isEqualTo("KMEANS with num_clusters = 4 needs at least 4 distinct training points, but the input's 100 rows hold"
                        + " only 2 (after preprocessing); lower num_clusters to at most 2");
        assertNoModel();
        assertThat(sql.run("CREATE MODEL d.k2 OPTIONS (model_type = 'kmeans', num_clusters = 2) AS SELECT (i % 2) * 1.0 AS a FROM range(100) t(i)"))
                .contains("Created model d.k2");
    }

    /** A message about version 1 named "model d.v", the name of the default version (2), whose columns differ. */
    @Test
    void aMessageAboutAVersionNamesItAsTheStatementDid() {
        sql.run("CREATE MODEL d.v OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        sql.run("CREATE OR REPLACE MODEL d.v OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT body_mass_g, bill_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.v@1, (SELECT bill_length_mm FROM d.penguins))").getMessage())
                .startsWith("The input to model d.v@1 lacks column flipper_length_mm");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.v, (SELECT flipper_length_mm FROM d.penguins))").getMessage())
                .startsWith("The input to model d.v lacks column bill_length_mm");
    }

    /** Probe pv: a script calling one model twice could not tell which call lacked a column. */
    @Test
    void anInputCheckNamesTheCallItFailedIn() {
        sql.run("CREATE MODEL d.placed OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.placed, TABLE d.penguins);\nSELECT * FROM ML.PREDICT(MODEL d.placed,"
                + "\n  (SELECT species FROM d.penguins))").getMessage())
                .isEqualTo("The input to model d.placed lacks column flipper_length_mm; the model needs: flipper_length_mm"
                        + " (ML.PREDICT at line 2, column 15)");
    }

    @Test
    void evaluationFunctionsRefuseAnEmptyInputAlike() {
        sql.run("CREATE MODEL d.male OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS"
                + " SELECT sex, flipper_length_mm FROM d.penguins WHERE sex IS NOT NULL");
        for (String function : List.of("EVALUATE", "CONFUSION_MATRIX", "ROC_CURVE")) {
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.male, (SELECT * FROM d.penguins WHERE false))").getMessage())
                    .as(function).contains("ML." + function + " at line 1").contains("got no rows to evaluate");
        }
        // a label of another type than the model's is said so, not only "not a class" (probe rb)
        sql.run("CREATE MODEL d.is_male OPTIONS (model_type = 'logistic_reg', input_label_cols = ['m']) AS"
                + " SELECT sex = 'male' AS m, flipper_length_mm FROM d.penguins WHERE sex IS NOT NULL");
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.is_male, (SELECT CAST(sex = 'male' AS INT) AS m, flipper_length_mm"
                + " FROM d.penguins WHERE sex IS NOT NULL))").getMessage())
                .contains("which was not a class at training; classes are: false, true (the evaluation data's label is INT64, the model's"
                        + " BOOL: CAST(m AS BOOL))");
        // k-means too (probe rb: "Cannot evaluate on zero rows: assignment is empty")
        sql.run("CREATE MODEL d.km OPTIONS (model_type = 'kmeans', num_clusters = 2) AS SELECT flipper_length_mm FROM d.penguins");
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.km, (SELECT * FROM d.penguins WHERE false))").getMessage())
                .isEqualTo("ML.EVALUATE at line 1, column 15 got no rows to evaluate; its input must have at least one row");
    }

    @Test
    void evaluationDataWithoutALabelIsNamedAsSuch() {
        sql.run("CREATE MODEL d.lin OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT * EXCLUDE (year) FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.lin, TABLE d.penguins)").getMessage())
                .startsWith("Label column 'body_mass_g' is NULL, NaN or infinite in 2 evaluation rows (first at row 4)");
    }

    /** Probe K: a NULL class label was "not a class at training", and the INT64 label 2 was printed "2.0". */
    @Test
    void classifierEvaluationNamesANullLabelAndAnUnknownClassInTheirOwnTerms() {
        sql.run("CREATE TABLE d.b AS SELECT i * 1.0 AS x, CAST(i % 2 AS BIGINT) AS label FROM range(20) t(i);"
                + " CREATE MODEL d.lg OPTIONS (model_type = 'logistic_reg') AS SELECT * FROM d.b");
        for (String function : List.of("EVALUATE", "CONFUSION_MATRIX", "ROC_CURVE")) {
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.lg, (SELECT * FROM d.b UNION ALL SELECT 3.0, NULL))").getMessage())
                    .as(function).contains("Label column 'label' is NULL in row 21 of the evaluation data")
                    .contains("WHERE label IS NOT NULL");
        }
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.lg, (SELECT x, 2 AS label FROM d.b))").getMessage())
                .contains("Row 1 of the evaluation data has label 2 in column 'label', which was not a class at training; classes are: 0, 1");
    }

    /** Probe L: with no table name of the user's close, DuckDB suggested its own catalog's ("pg_sequences"). */
    @Test
    void anUnknownTableIsNeverAnsweredWithDuckDbsCatalogTables() {
        LatheException unknown = sql.failure("SELECT * FROM nosuch");
        assertThat(unknown.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
        assertThat(unknown.getMessage()).contains("Table with name nosuch does not exist").doesNotContain("pg_").doesNotContain("Did you mean");
        assertThat(sql.failure("SELECT * FROM d.penguin").getMessage()).contains("Did you mean \"penguins\"?");
    }

    @Test
    void unknownModelSuggestsExistingOnes() {
        sql.run("CREATE MODEL d.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        LatheException e = sql.failure("SELECT * FROM ML.PREDICT(MODEL d.wieght, TABLE d.penguins)");
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("d.wieght").contains("did you mean 'd.weight'");
    }

    @Test
    void modelAndTableNamesClash() {
        LatheException e = sql.failure("""
                CREATE MODEL d.penguins OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL""");
        assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(e.getMessage()).contains("table named d.penguins");
    }

    @Test
    void tablesAndViewsCannotTakeAModelsName() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        sql.run("CREATE TABLE d.t AS SELECT 1 AS x");
        for (String statement : new String[] {"CREATE TABLE d.m AS SELECT 1 AS x", "CREATE OR REPLACE TABLE `d.m` (x INT)",
                "CREATE TABLE IF NOT EXISTS D.M (x INT)", "CREATE VIEW d.m AS SELECT 1 AS x", "ALTER TABLE d.t RENAME TO m"}) {
            LatheException e = sql.failure("SELECT 1;\n  " + statement);
            assertThat(e.code()).as(statement).isEqualTo(ErrorCode.ALREADY_EXISTS);
            assertThat(e.getMessage()).as(statement).contains("is a model").contains("at line 2, column ").contains("DROP MODEL d.m");
        }
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'd' AND table_name IN ('m', 'M')"))
                .isEqualTo(0L);
        assertThat(sql.value("SELECT count(*) FROM d.t")).isEqualTo(1L);
        // Other names, temporary tables and dropped models are fine.
        sql.run("CREATE TABLE d.m2 AS SELECT 1 AS x; CREATE TEMP TABLE m AS SELECT 1 AS x; DROP MODEL d.m; CREATE TABLE d.m AS SELECT 1 AS x");
        assertThat(sql.value("SELECT count(*) FROM d.m")).isEqualTo(1L);
    }

    @Test
    void viewsOverMlFunctionsAreRefusedAndTablesAreNot() {
        sql.run("CREATE MODEL d.w OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        for (String statement : new String[] {"CREATE VIEW d.v AS SELECT * FROM ML.PREDICT(MODEL d.w, TABLE d.penguins)",
                "CREATE OR REPLACE VIEW d.v AS SELECT predicted_body_mass_g FROM ML.PREDICT(MODEL d.w, (SELECT * FROM d.penguins))",
                "CREATE TEMP VIEW v AS SELECT * FROM ML.TRAINING_INFO(MODEL d.w)"}) {
            LatheException e = sql.failure("SELECT 1;\n" + statement);
            assertThat(e.code()).as(statement).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.getMessage()).as(statement).containsPattern("A view cannot select from ML\\.(PREDICT|TRAINING_INFO) ").contains("line 2, column ")
                    .contains("CREATE TABLE dataset.name AS SELECT");
        }
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'v'")).isEqualTo(0L);
        sql.run("CREATE TABLE d.scored AS SELECT * FROM ML.PREDICT(MODEL d.w, TABLE d.penguins); CREATE VIEW d.plain AS SELECT 1 AS x");
        assertThat(sql.value("SELECT count(*) FROM d.scored")).isEqualTo(sql.value("SELECT count(*) FROM d.penguins"));
    }

    @Test
    void createOnAnExistingModelFailsButIfNotExistsIsANoOp() {
        String create = "CREATE MODEL %s d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        sql.run(create.formatted(""));
        assertThat(sql.failure(create.formatted("")).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(sql.run(create.formatted("IF NOT EXISTS").replace("MODEL IF NOT EXISTS d.m", "MODEL IF NOT EXISTS d.m")))
                .contains("already exists");
    }

    @Test
    void failedReplaceKeepsThePreviousVersionIntact() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        Object before = sql.value("SELECT sum(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.m, TABLE d.penguins)");
        sql.failure("CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins");
        assertThat(sql.value("SELECT sum(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.m, TABLE d.penguins)")).isEqualTo(before);
        assertThat(sql.dataDirectory().resolve("models/d/m/2")).doesNotExist();
        assertThat(sql.value("SELECT count(*) FROM duckdb_tables() WHERE temporary")).isEqualTo(0L);
    }

    @Test
    void predictionInputMustHaveTheModelsColumns() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, island, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        LatheException e = sql.failure("SELECT * FROM ML.PREDICT(MODEL d.m, (SELECT flipper_length_mm FROM d.penguins))");
        assertThat(e.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
        assertThat(e.getMessage()).contains("island");
    }

    private void assertNoModel() {
        Path models = sql.dataDirectory().resolve("models/d/m");
        assertThat(models).doesNotExist();
        try (Stream<Path> leftovers = Files.exists(sql.dataDirectory().resolve("models/d"))
                ? Files.list(sql.dataDirectory().resolve("models/d")) : Stream.empty()) {
            assertThat(leftovers).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownTableFunctionSettingSuggestsTheNearest() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        LatheException e = sql.failure("SELECT * FROM ML.PREDICT(MODEL d.m, TABLE d.penguins, STRUCT(0.4 AS treshold))");
        assertThat(e.getMessage()).contains("'treshold'").contains("did you mean 'threshold'");
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.m, TABLE d.penguins, STRUCT(1.5 AS threshold))").getMessage())
                .contains("[0, 1]");
        sql.run("CREATE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS"
                + " SELECT species, flipper_length_mm FROM d.penguins");
        assertThat(sql.failure("SELECT * FROM ML.CONFUSION_MATRIX(MODEL d.species, TABLE d.penguins, STRUCT(0.9 AS threshold))")
                .getMessage()).contains("applies to binary classification models; d.species is LOGISTIC_REG with 3 classes");
    }

    /** Probe vp F7: a missing TABLE argument showed Lathe's CREATE TEMP TABLE "__lathe_input_1" ..., placed at the function. */
    @Test
    void aMissingTableArgumentIsPlacedAtTheTableAsAQueryArgumentIs() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        for (String function : List.of("EVALUATE", "PREDICT", "EXPLAIN_PREDICT", "DESCRIBE_DATA")) {
            String call = function.equals("DESCRIBE_DATA") ? "ML.DESCRIBE_DATA(TABLE d.penguinz)" : "ML." + function + "(MODEL d.m, TABLE d.penguinz)";
            LatheException e = sql.failure("SELECT *\nFROM " + call);
            assertThat(e.code()).as(function).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
            assertThat(e.getMessage()).as(function).startsWith("Catalog Error: Table with name penguinz does not exist!")
                    .contains("penguins").doesNotContain("__lathe")
                    .endsWith("at line 2, column " + (call.indexOf("d.penguinz") + 6) + ")"); // "(in the query at" where DuckDB names no character
        }
        // as the (query) form was already
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.m, (SELECT * FROM d.penguinz))").getMessage())
                .endsWith("(at line 1, column 53)");
    }

    /** Probe vp F3: an anonymous training column became a feature named "(age * 2)" that ML.PREDICT then lacked and needed. */
    @Test
    void anonymousColumnsAreNamedInAResultAndRefusedWhereTheyWouldNameATableOrAFeature() {
        assertThat(sql.columns("SELECT species, COUNT(*), AVG(body_mass_g) + 1 FROM d.penguins GROUP BY species"))
                .containsExactly("species", "f0_", "f1_");
        LatheException model = sql.failure("CREATE MODEL d.anon OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT body_mass_g, flipper_length_mm * 2, LOWER(island) FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(model.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(model.getMessage()).startsWith("The training query's columns must be named, but select item 2, flipper_length_mm * 2 at"
                + " line 1, column 116, has no name").endsWith("give it one: flipper_length_mm * 2 AS <name>");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.anon)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        LatheException table = sql.failure("CREATE TABLE d.anon_t AS SELECT COUNT(*), MAX(body_mass_g) AS heaviest FROM d.penguins");
        assertThat(table.getMessage()).isEqualTo("CREATE TABLE columns must be named, but select item 1, COUNT(*) at line 1, column 33, has no"
                + " name; give it one: COUNT(*) AS <name>");
        assertThat(sql.failure("SELECT * FROM d.anon_t").getMessage()).contains("anon_t does not exist");
    }

    /** Probe vp F4: a threshold given to a multiclass, regression or k-means model was taken and ignored, as if applied. */
    @Test
    void aThresholdIsRefusedForEveryModelButABinaryClassifier() {
        sql.run("""
                CREATE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT species, flipper_length_mm FROM d.penguins;
                CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.groups OPTIONS (model_type = 'kmeans', num_clusters = 2) AS SELECT flipper_length_mm FROM d.penguins;
                CREATE MODEL d.sex OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS
                  SELECT sex, flipper_length_mm FROM d.penguins WHERE sex IS NOT NULL;
                """);
        for (String function : List.of("PREDICT", "EVALUATE", "EXPLAIN_PREDICT", "CONFUSION_MATRIX")) {
            LatheException e = sql.failure("SELECT * FROM ML." + function + "(MODEL d.species, TABLE d.penguins, STRUCT(0.55 AS threshold))");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo("threshold in ML." + function + " at line 1, column 15 applies to binary classification"
                    + " models; d.species is LOGISTIC_REG with 3 classes (it predicts the most probable one); remove the threshold");
        }
        for (String function : List.of("PREDICT", "EVALUATE")) {
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.mass, TABLE d.penguins, STRUCT(0.55 AS threshold))")
                    .getMessage()).contains("applies to binary classification models; d.mass is LINEAR_REG; remove the threshold");
            assertThat(sql.failure("SELECT * FROM ML." + function + "(MODEL d.groups, TABLE d.penguins, STRUCT(0.55 AS threshold))")
                    .getMessage()).contains("applies to binary classification models; d.groups is KMEANS; remove the threshold");
        }
        // a binary classifier takes it, and it moves the cut-off
        long positives = ((Number) sql.rows("SELECT count(*) AS n FROM ML.PREDICT(MODEL d.sex, TABLE d.penguins, STRUCT(0.99 AS threshold))"
                + " WHERE predicted_sex = 'male'").getFirst().get("n")).longValue();
        long byDefault = ((Number) sql.rows("SELECT count(*) AS n FROM ML.PREDICT(MODEL d.sex, TABLE d.penguins)"
                + " WHERE predicted_sex = 'male'").getFirst().get("n")).longValue();
        assertThat(positives).isLessThan(byDefault);
        assertThat(sql.rows("SELECT * FROM ML.EVALUATE(MODEL d.sex, (SELECT * FROM d.penguins WHERE sex IS NOT NULL),"
                + " STRUCT(0.55 AS threshold))")).hasSize(1);
    }

    /** Probe H: a model is a folder by its name, so `c/1` lived in model c's version 1 and dropping it deleted that version. */
    @Test
    void aModelNameIsLettersDigitsAndUnderscores() {
        sql.run("CREATE MODEL d.c OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        for (String bad : new String[] {"d.`c/1`", "d.`c 1`", "d.`é`", "`d/x`.m"}) {
            LatheException e = sql.failure("CREATE MODEL " + bad + " OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                    + " AS SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
            assertThat(e.code()).as(bad).isIn(ErrorCode.INVALID_ARGUMENT, ErrorCode.TABLE_NOT_FOUND);
            if (e.code() == ErrorCode.INVALID_ARGUMENT) {
                assertThat(e.getMessage()).as(bad).contains("use letters, digits and underscores (at most 1,024), as BigQuery ML does");
            }
        }
        assertThat(sql.value("SELECT count(*) FROM ML.TRAINING_INFO(MODEL d.c)")).isEqualTo(1L);
    }

    /**
     * Probe ub F6: a model is a folder named after it, and a folder's name is at most 255 bytes, so a name BigQuery's rule
     * allows (up to 1,024) trained and then failed with a 500 "File name too long". The longest that fits trains and drops.
     */
    @Test
    void aModelNameIsAtMostAsLongAsAFolderName() {
        String train = " OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        String longest = "m".repeat(209);
        sql.run("CREATE MODEL d." + longest + train);
        assertThat(sql.value("SELECT count(*) FROM ML.TRAINING_INFO(MODEL d." + longest + ")")).isEqualTo(1L);
        sql.run("DROP MODEL d." + longest);
        for (String[] bad : new String[][] {{"d." + "m".repeat(210), "model name 'mmmmmmmmmmmmmmmmmmmm...' of the model at line 1, column 14 is 210"},
                {"d.`" + "m".repeat(1024) + "`", "is 1024 characters long"}, {"d" + "x".repeat(255) + ".m", "dataset 'dxxxxxxxxxxxxxxxxxxx...'"}}) {
            LatheException e = sql.failure("CREATE MODEL " + bad[0] + train);
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(bad[1]).contains("a model's dataset is at most 255 characters and its name at most 209"
                    + " (BigQuery ML allows 1,024)");
        }
    }

    @Test
    void dropModelRemovesEveryVersionAndIfExistsIsQuiet() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL");
        // a version or alias is refused: it was ignored, and the whole model dropped (probe E)
        for (String named : new String[] {"d.m@1", "d.m@champion", "d.m@7"}) {
            LatheException refused = sql.failure("DROP MODEL IF EXISTS " + named);
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused.getMessage()).startsWith("DROP MODEL drops a model with all its versions and takes a model name without"
                    + " a version, but got " + named + " at line 1, column ").contains("lathe models delete " + named).endsWith("models/" + named + ":deleteVersion)"); // the route that deletes a version (probe qe)
        }
        assertThat(sql.value("SELECT count(*) FROM ML.TRAINING_INFO(MODEL d.m)")).isEqualTo(1L);
        assertThat(sql.run("DROP MODEL d.m")).isEqualTo("Dropped model d.m");
        assertNoModel();
        assertThat(sql.failure("DROP MODEL d.m").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(sql.run("DROP MODEL IF EXISTS d.m")).contains("does not exist");
        assertThat(sql.failure("SELECT * FROM ML.EVALUATE(MODEL d.m)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void loadDataReportsMissingFilesAndUnknownOptionsAndKeepsTheTable() {
        LatheException e = sql.failure("LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['/no/such/file.csv'])");
        assertThat(e.getMessage()).contains("File not found").contains("/no/such/file.csv");
        e = sql.failure("LOAD DATA INTO d.penguins FROM FILES (formt = 'CSV', uris = ['x.csv'])");
        assertThat(e.getMessage()).contains("did you mean 'format'");
        e = sql.failure("LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['/no/such/dir/*.csv'])");
        assertThat(e.getMessage()).isEqualTo("LOAD DATA into d.penguins: no file matches '/no/such/dir/*.csv' (/no/such/dir/*.csv, in"
                + " uris; * stands for any characters within a name)");
        assertThat(sql.value("SELECT count(*) FROM d.penguins")).isEqualTo(344L);
    }

    /**
     * BigQuery's LOAD DATA grammar: {OVERWRITE | INTO} (LOAD DATA OVERWRITE d.t was a syntax error), and PARTITION BY,
     * CLUSTER BY, OPTIONS before FROM FILES (dropped, as CREATE TABLE's are); what is not supported says so (probe rc).
     */
    @Test
    void loadDataTakesBigQuerysGrammar(@TempDir Path folder) throws Exception {
        Path csv = java.nio.file.Files.writeString(folder.resolve("g.csv"), "a,b\n1,x\n2,y\n");
        String files = " FROM FILES (format = 'CSV', uris = ['" + csv + "'])";
        assertThat(sql.run("LOAD DATA INTO d.g" + files)).contains("now 2 rows");
        assertThat(sql.run("LOAD DATA OVERWRITE d.g" + files)).contains("now 2 rows");
        assertThat(sql.run("LOAD DATA OVERWRITE INTO d.g" + files)).contains("now 2 rows");
        assertThat(sql.run("LOAD DATA INTO d.p (a INT64, b STRING) PARTITION BY RANGE_BUCKET(a, GENERATE_ARRAY(0, 10, 1)) CLUSTER BY b"
                + " OPTIONS (description = 'x') FROM FILES (format = 'CSV', uris = ['" + csv + "'], skip_leading_rows = 1)")).contains("now 2 rows");
        assertThat(sql.failure("LOAD DATA INTO TEMP TABLE t" + files).getMessage()).contains("LOAD DATA INTO TEMP TABLE at line 1, column 16"
                + " is not supported yet");
        assertThat(sql.failure("LOAD DATA INTO d.g" + files + " WITH PARTITION COLUMNS").getMessage()).contains("is not supported");
        assertThat(sql.failure("LOAD DATA INTO d.g OVERWRITE PARTITIONS (a = 1)" + files).getMessage())
                .contains("LOAD DATA ... PARTITIONS (...) at line 1, column 20 is not supported");
        assertThat(sql.value("SELECT count(*) FROM d.g")).isEqualTo(2L);
    }

    /** Probe rc: BigQuery's parameterized decimals in a column list were refused as unknown types. */
    @Test
    void loadDataTakesParameterizedDecimals(@TempDir Path folder) throws Exception {
        Path csv = java.nio.file.Files.writeString(folder.resolve("n.csv"), "a,b\n12.345,1\n7,2\n");
        sql.run("LOAD DATA INTO d.n (a NUMERIC(10, 2), b INT64) FROM FILES (format = 'CSV', uris = ['" + csv + "'], skip_leading_rows = 1)");
        assertThat(sql.value("SELECT typeof(a) FROM d.n LIMIT 1")).isEqualTo("DECIMAL(10,2)");
        assertThat(sql.value("SELECT CAST(sum(a) AS VARCHAR) FROM d.n")).isEqualTo("19.35"); // 12.345 rounds half away from zero
        assertThat(sql.failure("LOAD DATA INTO d.m (a BIGNUMERIC(50, 2), b INT64) FROM FILES (format = 'CSV', uris = ['" + csv + "'])")
                .getMessage()).contains("has type BIGNUMERIC(50, 2); a decimal's precision is 1 to 38");
    }

    @Test
    void loadDataCountsTheFilesAWildcardMatched(@TempDir Path folder) throws Exception {
        for (String name : List.of("a.csv", "b.csv", "c.csv")) {
            Files.writeString(folder.resolve(name), "x,y\n1,2\n3,4\n");
        }
        assertThat(sql.run("LOAD DATA INTO d.parts FROM FILES (format = 'CSV', uris = ['" + folder + "/*.csv'])"))
                .isEqualTo("Loaded d.parts: now 6 rows from 3 files");
        assertThat(sql.run("LOAD DATA INTO d.parts FROM FILES (format = 'CSV', uris = ['" + folder + "/a.csv'])"))
                .isEqualTo("Appended to d.parts: now 8 rows from 1 file");
        Files.writeString(folder.resolve("one.csv"), "x,y\n5,6\n");
        assertThat(sql.run("LOAD DATA INTO d.single FROM FILES (format = 'CSV', uris = ['" + folder + "/one.csv'])"))
                .isEqualTo("Loaded d.single: now 1 row from 1 file");
        // files of other columns: no advice to set DuckDB's union_by_name, which LOAD DATA does not take (probe L)
        Files.writeString(folder.resolve("other.csv"), "x,z\n1,2\n");
        assertThat(sql.failure("LOAD DATA INTO d.mixed FROM FILES (format = 'CSV', uris = ['" + folder + "/o*.csv'])").getMessage())
                .contains("could not be found in file").contains("load the others with a LOAD DATA of their own")
                .doesNotContain("union_by_name");
    }

    /**
     * A CSV's bad rows (a missing or an extra value, a value that does not fit its column) fail the load, named by file
     * and line, unless max_bad_records allows them; DuckDB's sniffer, left alone, dropped the rows before an inconsistent
     * one without a word. Options Lathe cannot honour refuse the load instead of being ignored.
     */
    @Test
    void loadDataNamesBadRowsAndLoadsNothingUnlessMaxBadRecordsAllowsThem() throws Exception {
        Path csv = java.nio.file.Files.writeString(directory.resolve("jagged.csv"), "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,x,12\n");
        String from = "FROM FILES (format = 'CSV', uris = ['" + csv + "']";
        LatheException e = sql.failure("LOAD DATA INTO d.jagged " + from + ")");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(e.getMessage()).contains("2 bad rows (max_bad_records = 0; nothing was loaded)")
                .contains(csv + ", line 3: Expected Number of Columns: 3 Found: 2")
                .contains(csv + ", line 4: Expected Number of Columns: 3 Found: 4");
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'jagged'")).isEqualTo(0L);
        assertThat(sql.run("LOAD DATA INTO d.jagged " + from + ", max_bad_records = 2)")).contains("skipped 2 bad rows");
        assertThat(sql.value("SELECT string_agg(a::VARCHAR, ',' ORDER BY a) FROM d.jagged")).isEqualTo("1,10");

        Path mixed = java.nio.file.Files.writeString(directory.resolve("mixed.csv"), "a,b\n1,2\n3,x,5\n");
        assertThat(sql.failure("LOAD DATA INTO d.mixed FROM FILES (format = 'CSV', uris = ['" + mixed + "'])").getMessage())
                .contains("1 bad row").contains(mixed + ", line 3: ");
        assertThat(sql.failure("LOAD DATA INTO d.jagged " + from + ", allow_jagged_rows = true)").getMessage())
                .contains("allow_jagged_rows = true is not supported").contains("max_bad_records");
        assertThat(sql.failure("LOAD DATA INTO d.jagged " + from + ", encoding = 'UTF-16BE')").getMessage())
                .contains("encoding 'UTF-16BE' is not supported; accepted: UTF-8, ISO-8859-1");
        assertThat(sql.failure("LOAD DATA INTO d.jagged " + from + ", max_bad_records = -1)").getMessage())
                .contains("max_bad_records must be a whole number >= 0");
        assertThat(sql.value("SELECT count(*) FROM d.jagged")).isEqualTo(2L);

        Path json = java.nio.file.Files.writeString(directory.resolve("broken.jsonl"), "{\"a\": 1}\n{\"a\": 2\n{\"a\": 3}\n");
        assertThat(sql.failure("LOAD DATA INTO d.broken FROM FILES (format = 'JSON', uris = ['" + json + "'])").getMessage())
                .startsWith("LOAD DATA into d.broken failed: ").contains("Malformed JSON in file \"" + json + "\"")
                .doesNotContain("read_json").doesNotContain("LINE ");
    }

    /** Probe rc F1: the first Parquet file's schema won, rounding a later file's 3.5 into its BIGINT and dropping a column. */
    @Test
    void loadDataUnionsParquetFilesByNameWideningTheirTypes() {
        Path first = directory.resolve("p1.parquet");
        Path second = directory.resolve("p2.parquet");
        sql.run("COPY (SELECT 1::BIGINT AS a, 'x' AS b) TO '" + first + "' (FORMAT parquet)");
        sql.run("COPY (SELECT 3.5::DOUBLE AS a, 'z' AS b, true AS extra) TO '" + second + "' (FORMAT parquet)");
        for (String uris : List.of("'" + first + "', '" + second + "'", "'" + second + "', '" + first + "'")) {
            sql.run("LOAD DATA OVERWRITE INTO d.p FROM FILES (format = 'PARQUET', uris = [" + uris + "])");
            assertThat(sql.value("SELECT string_agg(a::VARCHAR || ':' || coalesce(extra::VARCHAR, '-'), ',' ORDER BY a) FROM d.p"))
                    .isEqualTo("1.0:-,3.5:true");
        }
        // appended to an INT64 table (or read with a column list), a DOUBLE that is no whole number is refused, not rounded
        sql.run("LOAD DATA INTO d.ints FROM FILES (format = 'PARQUET', uris = ['" + first + "'])");
        assertThat(sql.failure("LOAD DATA INTO d.ints FROM FILES (format = 'PARQUET', uris = ['" + second + "'])").getMessage())
                .isEqualTo("LOAD DATA into d.ints failed: " + second + ": column a holds '3.5' (DOUBLE), not a whole number of BIGINT;"
                        + " nothing was loaded. Round it in the file, or load into a FLOAT64 column");
        assertThat(sql.failure("LOAD DATA INTO d.listed (a INT64, b STRING) FROM FILES (format = 'PARQUET', uris = ['" + second + "'])")
                .getMessage()).contains("column a holds '3.5' (DOUBLE), not a whole number of BIGINT");
        assertThat(sql.value("SELECT string_agg(a::VARCHAR, ',') FROM d.ints")).isEqualTo("1");
    }

    /**
     * Probe rc F2, F3, F4: a column list is the table's schema. CSV fields map to it by position, its types reach the reader
     * (NUMERIC text is not read through DOUBLE), and a value that does not fit is a bad row named by file and line.
     */
    @Test
    void loadDataReadsACsvByPositionIntoTheColumnListsTypes() throws Exception {
        Path big = Files.writeString(directory.resolve("big.csv"), "a,b,c\n12345678901234567.123456789,12345678901234567.123456789,1\n");
        sql.run("LOAD DATA INTO d.num (x NUMERIC, y BIGNUMERIC, z INT64) FROM FILES (format = 'CSV', uris = ['" + big
                + "'], skip_leading_rows = 1)");
        assertThat(sql.value("SELECT CAST(x AS VARCHAR) FROM d.num")).isEqualTo("12345678901234567.123456789");
        assertThat(sql.value("SELECT typeof(y) FROM d.num")).isEqualTo("DECIMAL(38,9)");

        Path headerless = Files.writeString(directory.resolve("nohdr.csv"), "1,x,2024-01-01\n2,y,2024-01-02\n");
        sql.run("LOAD DATA INTO d.t (a INT64, b STRING, c DATE) FROM FILES (format = 'CSV', uris = ['" + headerless + "'])");
        assertThat(sql.value("SELECT string_agg(b, ',' ORDER BY a) FROM d.t")).isEqualTo("x,y");
        LatheException header = sql.failure("LOAD DATA INTO d.h (a INT64, b INT64, c INT64) FROM FILES (format = 'CSV', uris = ['" + big + "'])");
        assertThat(header.getMessage()).contains(big + ": column a holds 'a'").contains("skip it with skip_leading_rows = 1");

        Path badDate = Files.writeString(directory.resolve("bad_date.csv"), "a,b,c\n3,z,2024-01-03\n4,w,notadate\n2.5,v,2024-01-04\n");
        String from = " FROM FILES (format = 'CSV', uris = ['" + badDate + "'], skip_leading_rows = 1";
        LatheException e = sql.failure("LOAD DATA INTO d.bad (a INT64, b STRING, c DATE)" + from + ")");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(e.getMessage()).contains("2 bad rows").contains(badDate + ", line 3: ").contains("notadate")
                .contains(badDate + ": column a holds '2.5', not a whole number");
        assertThat(sql.run("LOAD DATA INTO d.bad (a INT64, b STRING, c DATE)" + from + ", max_bad_records = 2)")).contains("skipped 2 bad rows");
        assertThat(sql.value("SELECT string_agg(b, ',') FROM d.bad")).isEqualTo("z");
        // a row with more fields than the column list is a bad row, not a silently shorter one
        assertThat(sql.failure("LOAD DATA INTO d.short (a INT64, b STRING)" + from + ")").getMessage())
                .contains("line 2: Expected Number of Columns: 2 Found: 3");
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'short'")).isEqualTo(0L);
    }

    /** Probe rc F3, F6: an appended file is read with the table's types, so 2.5 for an INT64 column is a bad row, not 3. */
    @Test
    void loadDataAppendsAFileWithTheTablesColumnTypes() throws Exception {
        Path whole = Files.writeString(directory.resolve("i1.csv"), "a,b\n1,x\n");
        Path decimals = Files.writeString(directory.resolve("f1.csv"), "a,b\n2.5,y\n3.7,z\n");
        sql.run("LOAD DATA INTO d.i FROM FILES (format = 'CSV', uris = ['" + whole + "'])");
        LatheException e = sql.failure("LOAD DATA INTO d.i FROM FILES (format = 'CSV', uris = ['" + decimals + "'])");
        assertThat(e.getMessage()).contains("2 bad rows").contains(decimals + ": column a holds '2.5', not a whole number");
        Path other = Files.writeString(directory.resolve("other.csv"), "a,z\n1,2\n");
        assertThat(sql.failure("LOAD DATA INTO d.i FROM FILES (format = 'CSV', uris = ['" + other + "'])").getMessage())
                .contains("the file's column 'z' is not a column of the table").contains("matched by name");
        Path headerless = Files.writeString(directory.resolve("nohdr.csv"), "2,y\n");
        sql.run("LOAD DATA INTO d.i FROM FILES (format = 'CSV', uris = ['" + headerless + "'])"); // by position
        assertThat(sql.value("SELECT string_agg(b, ',' ORDER BY a) FROM d.i")).isEqualTo("x,y");

        Path json = Files.writeString(directory.resolve("i1.jsonl"), "{\"a\": 1}\n");
        Path jsonDecimals = Files.writeString(directory.resolve("f1.jsonl"), "{\"a\": 2.5}\n");
        sql.run("LOAD DATA INTO d.j FROM FILES (format = 'JSON', uris = ['" + json + "'])");
        assertThat(sql.failure("LOAD DATA INTO d.j FROM FILES (format = 'JSON', uris = ['" + jsonDecimals + "'])").getMessage())
                .contains(jsonDecimals + ": column a holds '2.5', not a whole number").doesNotContain("raise max_bad_records");
        Path extraKey = Files.writeString(directory.resolve("extra.jsonl"), "{\"a\": 2, \"b\": true}\n");
        assertThat(sql.failure("LOAD DATA INTO d.j FROM FILES (format = 'JSON', uris = ['" + extraKey + "'])").getMessage())
                .contains("the file's key 'b' is not a column of the table");
        Path text = Files.writeString(directory.resolve("text.jsonl"), "{\"d\": 1.5}\n{\"d\": \"oops\"}\n");
        sql.run("CREATE TABLE d.doubles (d DOUBLE)");
        assertThat(sql.failure("LOAD DATA INTO d.doubles FROM FILES (format = 'JSON', uris = ['" + text + "'])").getMessage())
                .contains("in line 2").doesNotContain("Try setting");
        assertThat(sql.value("SELECT count(*) FROM d.j")).isEqualTo(1L);
    }

    /** Probe rc M2, M5: an empty file loaded as a table of an invented column; skip_leading_rows -1 was read as 0. */
    @Test
    void loadDataRefusesEmptyFilesAndABadSkipClearly() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty.csv"), "");
        assertThat(sql.failure("LOAD DATA INTO d.e FROM FILES (format = 'CSV', uris = ['" + empty + "'])").getMessage())
                .contains("empty, so there is no schema to infer");
        assertThat(sql.run("LOAD DATA INTO d.e (a STRING) FROM FILES (format = 'CSV', uris = ['" + empty + "'])")).contains("now 0 rows");
        Path csv = Files.writeString(directory.resolve("a.csv"), "a,b\n1,2\n");
        for (String skip : List.of("-1", "1.5")) {
            assertThat(sql.failure("LOAD DATA INTO d.s FROM FILES (format = 'CSV', uris = ['" + csv + "'], skip_leading_rows = " + skip + ")")
                    .getMessage()).contains("skip_leading_rows must be a whole number >= 0, got " + skip);
        }
    }

    /** Probe rc M1: DuckDB said "cannot start a transaction within a transaction". */
    @Test
    void loadDataIsRefusedInsideATransaction() throws Exception {
        Path csv = Files.writeString(directory.resolve("a.csv"), "a,b\n1,2\n");
        sql.run("BEGIN TRANSACTION");
        LatheException e = sql.failure("LOAD DATA INTO d.s FROM FILES (format = 'CSV', uris = ['" + csv + "'])");
        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(e.getMessage()).startsWith("LOAD DATA at line 1, column 1 cannot run inside a transaction (BEGIN ... COMMIT)");
        sql.run("ROLLBACK");
    }

    @Test
    void loadDataKeepsYesNoColumnsAsStringsLikeBigQuery() {
        sql.run("LOAD DATA INTO d.churn FROM FILES (format = 'CSV', uris = ['" + SqlSession.samples() + "/telco_churn.csv'])");
        assertThat(sql.value("SELECT typeof(churn) FROM d.churn LIMIT 1")).isEqualTo("VARCHAR");
        assertThat(sql.value("SELECT count(DISTINCT churn) FROM d.churn")).isEqualTo(2L);
    }
    @Test
    void loadDataNamesTheColumnsOfAHeaderlessCsvAsBigQueryDoes() throws Exception {
        Path csv = java.nio.file.Files.writeString(directory.resolve("nohead.csv"), "1,abc,2.5,true,2024-01-02\n2,def,3.5,false,2024-01-03\n");
        sql.run("LOAD DATA INTO d.nohead FROM FILES (format = 'CSV', uris = ['" + csv + "'])");
        assertThat(sql.value("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                + " WHERE table_name = 'nohead'")).isEqualTo("int64_field_0,string_field_1,double_field_2,bool_field_3,date_field_4");
        sql.run("LOAD DATA INTO d.nohead FROM FILES (format = 'CSV', uris = ['" + csv + "'])"); // appends by those names
        assertThat(sql.value("SELECT count(*) FROM d.nohead WHERE string_field_1 = 'abc'")).isEqualTo(2L);
    }

    @Test
    void loadDataReadsOnlyYearFirstDatesAsDatesLikeBigQuery() throws Exception {
        // DuckDB's sniffer would read 03/01/2024 day first in one file and month first in the other.
        Path dayFirst = java.nio.file.Files.writeString(directory.resolve("day_first.csv"), "id,d\n1,03/01/2024\n2,04/02/2024\n");
        Path monthFirst = java.nio.file.Files.writeString(directory.resolve("month_first.csv"), "id,d\n1,03/01/2024\n2,12/25/2024\n");
        Path iso = java.nio.file.Files.writeString(directory.resolve("iso.csv"),
                "id,d,t,e\n1,2024-03-01,2024-01-05 10:00:00.5,05/01/2024 10:00:00\n2,2024-3-2,2024-01-05T11:00:00,06/01/2024 11:00:00\n");
        sql.run("LOAD DATA INTO d.dates FROM FILES (format = 'CSV', uris = ['" + monthFirst + "'])");
        sql.run("LOAD DATA INTO d.dates FROM FILES (format = 'CSV', uris = ['" + dayFirst + "'])");
        assertThat(sql.value("SELECT typeof(d) FROM d.dates LIMIT 1")).isEqualTo("VARCHAR");
        assertThat(sql.value("SELECT count(*) FROM d.dates WHERE d = '03/01/2024'")).isEqualTo(2L);
        sql.run("LOAD DATA INTO d.iso FROM FILES (format = 'CSV', uris = ['" + iso + "'])");
        assertThat(sql.value("SELECT typeof(d) || ' ' || typeof(t) || ' ' || typeof(e) FROM d.iso LIMIT 1")).isEqualTo("DATE TIMESTAMP VARCHAR");
        assertThat(sql.value("SELECT CAST(max(d) AS VARCHAR) FROM d.iso")).isEqualTo("2024-03-02");
    }
    @Test
    void loadDataAndDropSchemaKeepTheNamespaceTablesAndModelsShare() throws Exception {
        sql.run("CREATE SCHEMA s2; CREATE MODEL s2.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        Path csv = java.nio.file.Files.writeString(directory.resolve("m.csv"), "a,b\n1,2\n");
        LatheException load = sql.failure("LOAD DATA INTO s2.m FROM FILES (format = 'CSV', uris = ['" + csv + "'])");
        assertThat(load.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(load.getMessage()).contains("s2.m is a model");
        assertThat(sql.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 's2'")).isEqualTo(0L);

        // BigQuery refuses to drop a dataset that is not empty; CASCADE drops its models too, not only its tables.
        LatheException restrict = sql.failure("DROP SCHEMA s2");
        assertThat(restrict.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(restrict.getMessage()).contains("holds model s2.m").contains("DROP SCHEMA s2 CASCADE").contains("nothing was dropped");
        assertThat(sql.value("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 's2'")).isEqualTo(1L);
        sql.run("SELECT * FROM ML.WEIGHTS(MODEL s2.m)");
        sql.run("DROP SCHEMA s2 CASCADE");
        assertThat(sql.failure("SELECT * FROM ML.WEIGHTS(MODEL s2.m)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        sql.run("CREATE SCHEMA s2; CREATE TABLE s2.m AS SELECT 1 AS a");
        sql.run("DROP SCHEMA IF EXISTS s2 CASCADE");

        // Models are not rolled back with the tables, so model DDL is refused inside a transaction.
        sql.run("CREATE SCHEMA s3; CREATE MODEL s3.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        sql.run("BEGIN TRANSACTION");
        assertThat(sql.failure("DROP SCHEMA s3 CASCADE").getMessage()).contains("cannot run inside a transaction");
        assertThat(sql.failure("DROP MODEL s3.m").code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(sql.failure("CREATE MODEL s3.n OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT body_mass_g, flipper_length_mm FROM d.penguins").getMessage()).startsWith("CREATE MODEL at line 1, column 1 cannot run");
        sql.run("ROLLBACK");
        sql.run("SELECT * FROM ML.WEIGHTS(MODEL s3.m)");
        sql.run("DROP SCHEMA s3 CASCADE");
    }
    @Test
    void alterModelSetsDescriptionAndLabelsAndRefusesTheRestClearly() {
        sql.run("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'])"
                + " AS SELECT body_mass_g, flipper_length_mm FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(sql.run("ALTER MODEL d.m SET OPTIONS (labels = [('team', 'zoo'), ('stage', 'dev')], description = 'x')"))
                .contains("Altered model d.m@1");
        assertThat(sql.failure("ALTER MODEL d.m SET OPTIONS (descripton = 'y')").getMessage()).contains("descripton")
                .contains("did you mean 'description'");
        assertThat(sql.failure("ALTER MODEL d.m SET OPTIONS (kms_key_name = 'k')").code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(sql.failure("ALTER MODEL d.m SET OPTIONS (labels = ['team'])").getMessage()).contains("(key, value) string pairs");
        // A bad label leaves the description as it was: both are checked before either is written.
        assertThat(sql.failure("ALTER MODEL d.m SET OPTIONS (description = 'changed', labels = [('Bad Key', 'v')])").code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(sql.failure("ALTER MODEL d.nope SET OPTIONS (description = 'y')").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(sql.run("ALTER MODEL IF EXISTS d.nope SET OPTIONS (description = 'y')")).contains("nothing done");
        assertThat(sql.failure("ALTER MODEL d.m SET description = 'y'").code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(sql.failure("ALTER MODEL d.m SET OPTIONS ()").getMessage()).contains("sets no option");
    }
}
