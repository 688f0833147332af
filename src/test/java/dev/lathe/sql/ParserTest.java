package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParserTest {
    private final Parser parser = TestFunctions.parser();

    private Statement.CreateModel createModel(String sql) {
        return (Statement.CreateModel) parser.parse(sql);
    }

    private Statement.Query query(String sql) {
        return (Statement.Query) parser.parse(sql);
    }

    private static TableFunctionCall only(List<TableFunctionCall> calls) {
        assertThat(calls).hasSize(1);
        return calls.getFirst();
    }

    private static OptionValue option(Statement.CreateModel model, String name) {
        return model.options().stream().filter(o -> o.name().equalsIgnoreCase(name)).findFirst().map(OptionAssignment::value).orElseThrow();
    }

    @Test
    void parsesCreateModelWithOptionsAndQuery() {
        Statement.CreateModel model = createModel("""
                CREATE OR REPLACE MODEL `bqml_tutorial.penguins_model`
                OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE body_mass_g IS NOT NULL""");
        assertThat(model.mode()).isEqualTo(Statement.CreateMode.CREATE_OR_REPLACE);
        assertThat(model.name().dataset()).contains("bqml_tutorial");
        assertThat(model.name().name()).isEqualTo("penguins_model");
        assertThat(model.modelType()).contains("linear_reg");
        assertThat(option(model, "input_label_cols")).isInstanceOfSatisfying(OptionValue.ArrayValue.class,
                a -> assertThat(a.elements()).extracting(OptionValue::describe).containsExactly("'body_mass_g'"));
        assertThat(model.query()).contains("SELECT * FROM \"ml_datasets\".\"penguins\" WHERE body_mass_g IS NOT NULL");
        assertThat(model.queryStatement().orElseThrow().position()).isEqualTo(new Position(3, 1));
        assertThat(model.options().getFirst().position()).isEqualTo(new Position(2, 10));
    }

    @Test
    void distinguishesCreateModes() {
        assertThat(createModel("CREATE MODEL d.m OPTIONS(model_type='kmeans') AS SELECT 1 AS x").mode())
                .isEqualTo(Statement.CreateMode.CREATE);
        assertThat(createModel("create model if not exists d.m options(model_type='kmeans') as select 1 x").mode())
                .isEqualTo(Statement.CreateMode.CREATE_IF_NOT_EXISTS);
    }

    @Test
    void parsesEveryLiteralFormInOptions() {
        Statement.CreateModel model = createModel("""
                CREATE MODEL d.m OPTIONS(
                  MODEL_TYPE = "logistic_reg", learn_rate = 0.1, max_iterations = 15, l1_reg = -2.5e-1,
                  auto_class_weights = TRUE, warm_start = false, description = NULL,
                  class_weights = [STRUCT('a', 0.2), ('b', 0.8)], ids = ARRAY<INT64>[1, 2],
                  typed = STRUCT<x INT64>(3 AS x), l2_reg = HPARAM_RANGE(0, 10),
                  booster = HPARAM_CANDIDATES(['gbtree', 'dart']), empty = [])
                AS SELECT 1 AS x""");
        assertThat(model.modelType()).contains("logistic_reg");
        assertThat(option(model, "learn_rate")).isEqualTo(new OptionValue.NumberValue(new BigDecimal("0.1"), false, new Position(2, 45)));
        assertThat(option(model, "max_iterations")).isInstanceOfSatisfying(OptionValue.NumberValue.class,
                n -> assertThat(n.integral()).isTrue());
        assertThat(option(model, "l1_reg")).isInstanceOfSatisfying(OptionValue.NumberValue.class,
                n -> assertThat(n.value()).isEqualByComparingTo("-0.25"));
        assertThat(option(model, "auto_class_weights")).isInstanceOfSatisfying(OptionValue.BoolValue.class, b -> assertThat(b.value()).isTrue());
        assertThat(option(model, "warm_start")).isInstanceOfSatisfying(OptionValue.BoolValue.class, b -> assertThat(b.value()).isFalse());
        assertThat(option(model, "description")).isInstanceOf(OptionValue.NullValue.class);
        assertThat(option(model, "class_weights")).isInstanceOfSatisfying(OptionValue.ArrayValue.class, a -> {
            assertThat(a.elements()).hasSize(2).allMatch(e -> e instanceof OptionValue.StructValue s && s.fields().size() == 2);
        });
        assertThat(option(model, "ids").describe()).isEqualTo("[1, 2]");
        assertThat(option(model, "typed")).isInstanceOfSatisfying(OptionValue.StructValue.class,
                s -> assertThat(s.names()).containsExactly(Optional.of("x")));
        assertThat(option(model, "l2_reg")).isInstanceOfSatisfying(OptionValue.HparamValue.class, h -> {
            assertThat(h.function()).isEqualTo("HPARAM_RANGE");
            assertThat(h.arguments()).hasSize(2);
        });
        assertThat(option(model, "booster")).isInstanceOfSatisfying(OptionValue.HparamValue.class,
                h -> assertThat(h.arguments().getFirst().describe()).isEqualTo("['gbtree', 'dart']"));
        assertThat(option(model, "empty")).isInstanceOfSatisfying(OptionValue.ArrayValue.class, a -> assertThat(a.elements()).isEmpty());
        assertThat(model.options().getFirst().name()).isEqualTo("MODEL_TYPE");
    }

    /** A constant in a CAST, as BigQuery users write settings: {@code STRUCT(CAST(0.7 AS FLOAT64) AS threshold)}. */
    @Test
    void optionValuesMayBeCastConstants() {
        Statement.CreateModel model = createModel("""
                CREATE MODEL d.m OPTIONS(model_type = 'linear_reg', l2_reg = CAST(0.7 AS FLOAT64), max_iterations = CAST('15' AS INT64),
                  early_stop = SAFE_CAST('false' AS BOOL), description = CAST(3 AS STRING)) AS SELECT 1 AS x""");
        assertThat(option(model, "l2_reg")).isInstanceOfSatisfying(OptionValue.NumberValue.class, n -> {
            assertThat(n.value()).isEqualByComparingTo("0.7");
            assertThat(n.integral()).isFalse();
        });
        assertThat(option(model, "max_iterations")).isInstanceOfSatisfying(OptionValue.NumberValue.class, n -> {
            assertThat(n.value()).isEqualByComparingTo("15");
            assertThat(n.integral()).isTrue();
        });
        assertThat(option(model, "early_stop")).isInstanceOfSatisfying(OptionValue.BoolValue.class, b -> assertThat(b.value()).isFalse());
        assertThat(option(model, "description")).isEqualTo(new OptionValue.StringValue("3", new Position(2, 58)));
        assertThatThrownBy(() -> createModel("CREATE MODEL d.m OPTIONS(model_type = 'linear_reg', l2_reg = CAST('x' AS FLOAT64)) AS SELECT 1"))
                .hasMessageContaining("a constant that CAST(... AS FLOAT64) can read");
    }

    @Test
    void parsesImportedModelWithoutQuery() {
        Statement.CreateModel model = createModel("""
                CREATE MODEL d.imported
                INPUT (f1 FLOAT64, tags ARRAY<STRUCT<k STRING, v INT64>>)
                OUTPUT (score FLOAT64)
                OPTIONS (model_type = 'onnx', model_path = 'gs://b/m.onnx')""");
        assertThat(model.query()).isEmpty();
        assertThat(model.inputColumns()).extracting(ColumnDefinition::name).containsExactly("f1", "tags");
        assertThat(model.inputColumns()).extracting(ColumnDefinition::type).containsExactly("FLOAT64", "ARRAY<STRUCT<k STRING, v INT64>>");
        assertThat(model.outputColumns()).extracting(ColumnDefinition::type).containsExactly("FLOAT64");
    }

    @Test
    void parsesTransformItems() {
        Statement.CreateModel model = createModel("""
                CREATE OR REPLACE MODEL m
                TRANSFORM(ML.PAIR(f1, f2) as cross_f, ML.SCALER(f3) OVER() AS scaled, label_col, f4 renamed,
                  * EXCEPT(a, b) REPLACE (x * 2 AS x), f1 + f2)
                OPTIONS(model_type='linear_reg', input_label_cols=['label_col']) AS SELECT * FROM t""");
        List<SelectItem> items = model.transform().orElseThrow();
        assertThat(items).hasSize(6);
        assertThat(items.get(0)).isEqualTo(new SelectItem.Expression("ML.PAIR(f1, f2)", Optional.of("cross_f"), Optional.empty(),
                new Position(2, 11)));
        assertThat(items.get(1)).isEqualTo(new SelectItem.Expression("ML.SCALER(f3) OVER()", Optional.of("scaled"), Optional.empty(),
                new Position(2, 39)));
        assertThat(items.get(2)).isEqualTo(new SelectItem.Expression("label_col", Optional.empty(), Optional.of("label_col"),
                new Position(2, 71)));
        assertThat(((SelectItem.Expression) items.get(3)).outputName()).contains("renamed");
        assertThat(items.get(4)).isInstanceOfSatisfying(SelectItem.Star.class, star -> {
            assertThat(star.except()).containsExactly("a", "b");
            assertThat(star.replace()).extracting(SelectItem.Expression::sql).containsExactly("x * 2");
            assertThat(star.position()).isEqualTo(new Position(3, 3));
        });
        assertThat(items.get(5)).isEqualTo(new SelectItem.Expression("f1 + f2", Optional.empty(), Optional.empty(), new Position(3, 40)));
    }

    @Test
    void parsesTrainingDataAndCustomHoliday() {
        Statement.CreateModel model = createModel("""
                CREATE MODEL d.arima OPTIONS(model_type='ARIMA_PLUS', holiday_region='US')
                AS (training_data AS (SELECT ts, y FROM `d.sales`), custom_holiday AS (SELECT 'US' AS region))""");
        assertThat(model.query()).contains("SELECT ts, y FROM \"d\".\"sales\"");
        assertThat(model.customHoliday().orElseThrow().sql()).isEqualTo("SELECT 'US' AS region");
    }

    @Test
    void parsesDropModel() {
        Statement.DropModel drop = (Statement.DropModel) parser.parse("DROP MODEL IF EXISTS `p.d.m`;");
        assertThat(drop.ifExists()).isTrue();
        assertThat(drop.name().project()).contains("p");
        assertThat(drop.name().display()).isEqualTo("d.m");
        assertThat(((Statement.DropModel) parser.parse("drop model m")).ifExists()).isFalse();
    }

    @Test
    void parsesLoadData() {
        Statement.LoadData load = (Statement.LoadData) parser.parse("""
                LOAD DATA OVERWRITE INTO d.penguins (species STRING, body_mass_g FLOAT64)
                FROM FILES (format = 'CSV', uris = ['a.csv', 'b.csv'], skip_leading_rows = 1)""");
        assertThat(load.overwrite()).isTrue();
        assertThat(load.table().display()).isEqualTo("d.penguins");
        assertThat(load.columns()).extracting(ColumnDefinition::name).containsExactly("species", "body_mass_g");
        assertThat(load.options()).extracting(OptionAssignment::name).containsExactly("format", "uris", "skip_leading_rows");
        assertThat(((Statement.LoadData) parser.parse("LOAD DATA INTO t FROM FILES(format='CSV', uris=['x.csv'])")).overwrite()).isFalse();
    }

    @Test
    void readsVersionSuffixesOnModelNames() {
        Statement.Query q = query("""
                SELECT * FROM ML.PREDICT(MODEL d.m@3, TABLE d.t)
                UNION ALL SELECT * FROM ML.PREDICT(MODEL d.m@champion, TABLE d.t)
                UNION ALL SELECT * FROM ML.PREDICT(MODEL `p.d.m`@2, TABLE d.t)
                UNION ALL SELECT * FROM ML.PREDICT(MODEL d.m@challenger-2-b, TABLE d.t)
                UNION ALL SELECT * FROM ML.PREDICT(MODEL `d.m@4`, TABLE d.t)
                UNION ALL SELECT * FROM ML.PREDICT(MODEL `p.d.m@champion`, TABLE d.t)""");
        assertThat(q.calls()).extracting(c -> c.model().orElseThrow().version().orElseThrow())
                .containsExactly("3", "champion", "2", "challenger-2-b", "4", "champion");
        assertThat(q.calls().get(2).model().orElseThrow().project()).contains("p");
        assertThat(q.calls().get(5).model().orElseThrow().display()).isEqualTo("d.m@champion"); // inside backticks too (probe E)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> query("SELECT * FROM ML.EVALUATE(MODEL d.m@ 1)"))
                .hasMessageContaining("a version number or alias right after '@', with no space");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> query("SELECT * FROM ML.EVALUATE(MODEL `d.m@`)"))
                .hasMessageContaining("expected a version number or alias after '@' in `d.m@`");
    }

    @Test
    void locatesTableFunctionCallsWithSpans() {
        String sql = "SELECT * FROM ML.PREDICT(MODEL `d.m`, (SELECT * FROM `p.d.t` WHERE x = 1), STRUCT(0.6 AS threshold)) AS p";
        Statement.Query q = query(sql);
        TableFunctionCall call = only(q.calls());
        assertThat(call.function()).isEqualTo("PREDICT");
        assertThat(call.model().orElseThrow().display()).isEqualTo("d.m");
        assertThat(call.inputQuery()).contains("SELECT * FROM `p.d.t` WHERE x = 1");
        assertThat(call.inputQueryPosition()).isEqualTo(new Position(1, 40));
        assertThat(call.settings().orElseThrow().names()).containsExactly(Optional.of("threshold"));
        assertThat(q.sql().substring(call.start(), call.end())).startsWith("ML.PREDICT(").endsWith("AS threshold))");
        assertThat(q.sql().substring(call.end())).isEqualTo(" AS p");
        assertThat(call.position()).isEqualTo(new Position(1, 15));
    }

    @Test
    void spansIndexTheRewrittenTextAfterEarlierRewrites() {
        Statement.Query q = query("SELECT `a.b.c`.x, \"s\" FROM `p.d.t` JOIN ML.EVALUATE(MODEL d.m) USING (x)");
        TableFunctionCall call = only(q.calls());
        assertThat(q.sql().substring(call.start(), call.end())).isEqualTo("ML.EVALUATE(MODEL d.m)");
    }

    @Test
    void keepsTableArgumentsExtraArgumentsAndDataOnlyFunctions() {
        Statement.Query roc = query("SELECT * FROM ML.ROC_CURVE(MODEL d.m, TABLE d.eval, GENERATE_ARRAY(0, 1, 0.1))");
        TableFunctionCall call = only(roc.calls());
        assertThat(call.inputTable().orElseThrow().display()).isEqualTo("d.eval");
        assertThat(call.extraArguments()).containsExactly("GENERATE_ARRAY(0, 1, 0.1)");

        TableFunctionCall describe = only(query("SELECT * FROM ML.DESCRIBE_DATA(TABLE d.t, STRUCT(3 AS top_k))").calls());
        assertThat(describe.model()).isEmpty();
        assertThat(describe.inputTable().orElseThrow().name()).isEqualTo("t");

        TableFunctionCall forecast = only(query("SELECT * FROM ML.FORECAST(MODEL d.a, STRUCT(30 AS horizon, 0.8 AS confidence_level))")
                .calls());
        assertThat(forecast.settings().orElseThrow().fields()).hasSize(2);
        assertThat(forecast.inputQuery()).isEmpty();
    }

    @Test
    void nestedPredictInsideEvaluateIsParsedAgainFromTheInputQuery() {
        String script = """
                SELECT *
                FROM ML.EVALUATE(MODEL d.outer_model,
                  (SELECT * FROM ML.PREDICT(MODEL d.inner_model, (SELECT * FROM d.t))))""";
        TableFunctionCall evaluate = only(query(script).calls());
        assertThat(evaluate.function()).isEqualTo("EVALUATE");
        Statement.Query inner = (Statement.Query) parser.parse(evaluate.inputQuery().orElseThrow(), evaluate.inputQueryPosition());
        TableFunctionCall predict = only(inner.calls());
        assertThat(predict.function()).isEqualTo("PREDICT");
        assertThat(predict.model().orElseThrow().name()).isEqualTo("inner_model");
        assertThat(predict.position()).isEqualTo(new Position(3, 18));
        assertThat(predict.inputQueryPosition()).isEqualTo(new Position(3, 51));
    }

    @Test
    void splitsScriptsAtTopLevelSemicolonsOnly() {
        List<Statement> statements = parser.parseScript("""
                -- leading comment; not a statement
                SELECT ';' AS a, "x;y" AS b /* ; */ ;;
                CREATE MODEL d.m OPTIONS(model_type='kmeans') AS SELECT f(1; 2) AS x ;
                # trailing ; comment
                DROP MODEL d.m
                """);
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0).text()).isEqualTo("SELECT ';' AS a, \"x;y\" AS b");
        assertThat(statements.get(0).position()).isEqualTo(new Position(2, 1));
        assertThat(statements.get(1)).isInstanceOf(Statement.CreateModel.class);
        assertThat(statements.get(1).position()).isEqualTo(new Position(3, 1));
        assertThat(statements.get(2)).isInstanceOf(Statement.DropModel.class);
        assertThat(statements.get(2).position()).isEqualTo(new Position(5, 1));
    }

    @Test
    void parsesTheTutorialScripts() {
        String script = """
                CREATE OR REPLACE MODEL `bqml_tutorial.penguins_model`
                OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE body_mass_g IS NOT NULL;
                SELECT * FROM ML.EVALUATE(MODEL `bqml_tutorial.penguins_model`,
                  (SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE body_mass_g IS NOT NULL));
                SELECT * FROM ML.PREDICT(MODEL `bqml_tutorial.penguins_model`,
                  (SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE island = 'Biscoe'));
                SELECT * FROM ML.EXPLAIN_PREDICT(MODEL `bqml_tutorial.penguins_model`,
                  (SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE island = 'Biscoe'), STRUCT(3 as top_k_features));
                CREATE OR REPLACE MODEL `bqml_tutorial.penguins_model`
                OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], enable_global_explain = TRUE) AS
                SELECT * FROM `bigquery-public-data.ml_datasets.penguins` WHERE body_mass_g IS NOT NULL;
                SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL `bqml_tutorial.penguins_model`);
                CREATE OR REPLACE VIEW `census.input_data` AS
                SELECT age, workclass, marital_status, education_num, occupation, hours_per_week, income_bracket,
                  CASE WHEN MOD(functional_weight, 10) < 8 THEN 'training'
                       WHEN MOD(functional_weight, 10) = 8 THEN 'evaluation'
                       WHEN MOD(functional_weight, 10) = 9 THEN 'prediction' END AS dataframe
                FROM `bigquery-public-data.ml_datasets.census_adult_income`;
                CREATE OR REPLACE MODEL `census.census_model`
                OPTIONS (model_type='LOGISTIC_REG', auto_class_weights=TRUE, data_split_method='NO_SPLIT',
                         input_label_cols=['income_bracket'], max_iterations=15) AS
                SELECT * EXCEPT(dataframe) FROM `census.input_data` WHERE dataframe = 'training';
                SELECT * FROM ML.EVALUATE(MODEL `census.census_model`,
                  (SELECT * FROM `census.input_data` WHERE dataframe = 'evaluation'));
                SELECT * FROM ML.PREDICT(MODEL `census.census_model`,
                  (SELECT * FROM `census.input_data` WHERE dataframe = 'prediction'));
                CREATE OR REPLACE MODEL `bqml_tutorial.london_station_clusters`
                OPTIONS (model_type = 'kmeans', num_clusters = 4) AS
                WITH hs AS (
                  SELECT h.start_station_name AS station_name,
                    IF(EXTRACT(DAYOFWEEK FROM h.start_date) = 1 OR EXTRACT(DAYOFWEEK FROM h.start_date) = 7, 'weekend', 'weekday') AS isweekday,
                    h.duration,
                    ST_DISTANCE(ST_GEOGPOINT(s.longitude, s.latitude), ST_GEOGPOINT(-0.1, 51.5)) / 1000 AS distance_from_city_center
                  FROM `bigquery-public-data.london_bicycles.cycle_hire` AS h
                  JOIN `bigquery-public-data.london_bicycles.cycle_stations` AS s ON h.start_station_id = s.id
                  WHERE h.start_date BETWEEN CAST('2015-01-01 00:00:00' AS TIMESTAMP) AND CAST('2016-01-01 00:00:00' AS TIMESTAMP)),
                stationstats AS (
                  SELECT station_name, isweekday, AVG(duration) AS duration, COUNT(duration) AS num_trips,
                         MAX(distance_from_city_center) AS distance_from_city_center
                  FROM hs GROUP BY station_name, isweekday)
                SELECT * EXCEPT(station_name, isweekday) FROM stationstats;
                SELECT * EXCEPT(nearest_centroids_distance)
                FROM ML.PREDICT(MODEL `bqml_tutorial.london_station_clusters`,
                  (SELECT * FROM stationstats WHERE REGEXP_CONTAINS(station_name, 'Kennington')));
                """;
        List<Statement> statements = parser.parseScript(script);
        assertThat(statements).hasSize(12);
        assertThat(statements).filteredOn(s -> s instanceof Statement.CreateModel).hasSize(4);
        List<String> functions = statements.stream().filter(s -> s instanceof Statement.Query).map(Statement.Query.class::cast)
                .flatMap(q -> q.calls().stream()).map(TableFunctionCall::function).toList();
        assertThat(functions).containsExactly("EVALUATE", "PREDICT", "EXPLAIN_PREDICT", "GLOBAL_EXPLAIN", "EVALUATE", "PREDICT", "PREDICT");
        Statement.CreateModel census = (Statement.CreateModel) statements.get(7);
        assertThat(census.query()).contains("SELECT * EXCLUDE(dataframe) FROM \"census\".\"input_data\" WHERE dataframe = 'training'");
        Statement.CreateModel kmeans = (Statement.CreateModel) statements.get(10);
        assertThat(kmeans.query().orElseThrow()).contains("FROM \"london_bicycles\".\"cycle_hire\" AS h")
                .endsWith("SELECT * EXCLUDE(station_name, isweekday) FROM stationstats");
        Statement.Query last = (Statement.Query) statements.get(11);
        assertThat(last.sql()).startsWith("SELECT * EXCLUDE(nearest_centroids_distance)");
        assertThat(only(last.calls()).inputQuery())
                .contains("SELECT * FROM stationstats WHERE REGEXP_CONTAINS(station_name, 'Kennington')");
    }

    @Test
    void parsesUnquotedDashedProjectNames() {
        Statement.CreateModel model = createModel("""
                CREATE MODEL mydataset.iris_pca OPTIONS(MODEL_TYPE='PCA', NUM_PRINCIPAL_COMPONENTS=2, SCALE_FEATURES=FALSE) AS
                SELECT sepal_length, sepal_width FROM bigquery-public-data.ml_datasets.iris""");
        assertThat(model.query()).contains("SELECT sepal_length, sepal_width FROM ml_datasets.iris");
        Statement.DropModel drop = (Statement.DropModel) parser.parse("DROP MODEL my-project.d.m");
        assertThat(drop.name().project()).contains("my-project");
    }

    @Test
    void expandsPreprocessingFunctionsInPlainQueries() {
        Statement.Query q = query("SELECT ML.SCALER(`x`) OVER () AS s, ML.PAIR(a, ML.PAIR(b, c)) AS p FROM t");
        assertThat(q.sql()).isEqualTo("SELECT ((\"x\") - AVG(\"x\") OVER ()) / STDDEV_SAMP(\"x\") OVER () AS s, "
                + "{'first': a, 'second': {'first': b, 'second': c}} AS p FROM t");
        assertThat(q.calls()).isEmpty();
        // a window other than the whole input is refused, as BigQuery refuses it
        assertThatThrownBy(() -> query("SELECT ML.SCALER(x) OVER (PARTITION BY g) AS s FROM t"))
                .hasMessageContaining("takes OVER() with an empty window");
    }

    @Test
    void rejectsUnknownMlFunctionWithSuggestion() {
        assertThatThrownBy(() -> parser.parse("SELECT * FROM ML.PREDCT(MODEL d.m, TABLE t)"))
                .isInstanceOf(LatheException.class)
                .hasMessage("Unknown function ML.PREDCT at line 1, column 15; did you mean ML.PREDICT?")
                .extracting(e -> ((LatheException) e).code()).isEqualTo(ErrorCode.FUNCTION_NOT_FOUND);
        assertThatThrownBy(() -> parser.parse("SELECT ML.SCALR(x) OVER() FROM t"))
                .hasMessage("Unknown function ML.SCALR at line 1, column 8; did you mean ML.SCALER?");
        // BigQuery ML's Cloud AI calls were matched to a near name (ML.TRANSLATE: "did you mean ML.TRANSFORM?")
        assertThatThrownBy(() -> parser.parse("SELECT * FROM ML.TRANSLATE(MODEL d.m, TABLE d.t, STRUCT('translate_text' AS translate_mode))"))
                .hasMessage("ML.TRANSLATE at line 1, column 15 is BigQuery ML's call to a Google Cloud AI service through a remote model;"
                        + " Lathe runs models on this machine and has no such service");
        assertThatThrownBy(() -> parser.parse("SELECT * FROM ML.GET_INSIGHTS(MODEL d.m)"))
                .hasMessageStartingWith("ML.GET_INSIGHTS at line 1, column 15 is a BigQuery ML function Lathe does not provide; its table"
                        + " functions are ML.PREDICT, ML.EVALUATE,");
    }

    @Test
    void rejectsAnalyticFunctionWithoutOver() {
        assertThatThrownBy(() -> parser.parse("SELECT ML.SCALER(x) FROM t"))
                .hasMessageContaining("ML.SCALER at line 1, column 8 is an analytic function and needs an OVER clause");
        assertThatThrownBy(() -> parser.parse("SELECT ML.PAIR(x, y) OVER () FROM t"))
                .hasMessageContaining("is a scalar function and takes no OVER clause");
    }

    @Test
    void rejectsTableFunctionWithoutModel() {
        assertThatThrownBy(() -> parser.parse("SELECT * FROM ML.PREDICT(TABLE d.t)"))
                .hasMessage("Syntax error at line 1, column 26: expected MODEL <name> as the first argument of ML.PREDICT but found 'TABLE'");
        assertThatThrownBy(() -> parser.parse("SELECT * FROM ML.EVALUATE()"))
                .hasMessage("Syntax error at line 1, column 27: expected MODEL <name> as the first argument of ML.EVALUATE but found ')'");
    }
}
