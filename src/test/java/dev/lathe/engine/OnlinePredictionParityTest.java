package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Online prediction from JSON-like instances equals ML.PREDICT on the same rows, to the last digit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlinePredictionParityTest {
    private Platform platform;
    private Engine session;

    @BeforeAll
    void train(@TempDir Path directory) {
        platform = Platform.open(directory);
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s/penguins.csv']);
                CREATE MODEL d.linear OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.logistic OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.trees OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['sex'], max_iterations = 5) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE sex IS NOT NULL;
                CREATE MODEL d.clusters OPTIONS (model_type = 'kmeans', num_clusters = 3) AS
                  SELECT bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, island FROM d.penguins;
                CREATE MODEL d.transformed
                  TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper, ML.QUANTILE_BUCKETIZE(bill_length_mm, 3) OVER () AS bill,
                             island, body_mass_g)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL;
                """.formatted(SqlSession.samples()), (text, result) -> {});
    }

    @AfterAll
    void close() {
        session.close();
        platform.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "trees", "clusters", "transformed"})
    void onlinePredictionEqualsMlPredict(String model) throws Exception {
        List<Map<String, Object>> inputs = rows("SELECT * FROM d.penguins");
        List<Map<String, Object>> sql = rows("SELECT * FROM ML.PREDICT(MODEL d." + model + ", TABLE d.penguins)");
        ModelRuntime runtime = platform.runtime("d", model, java.util.Optional.empty());
        List<Map<String, Object>> online;
        try (Connection connection = platform.warehouse().connect()) {
            online = runtime.predict(inputs, 0.5, connection);
        }
        assertThat(online).hasSize(inputs.size());
        for (int i = 0; i < online.size(); i++) {
            for (Map.Entry<String, Object> column : online.get(i).entrySet()) {
                assertThat(column.getValue()).as("row %d column %s", i, column.getKey()).isEqualTo(sql.get(i).get(column.getKey()));
            }
        }
    }

    @Test
    void missingFieldsAndWrongTypesNameTheInstanceAndField() {
        ModelRuntime runtime = platform.runtime("d", "linear", java.util.Optional.empty());
        Map<String, Object> instance = new LinkedHashMap<>(Map.of("species", "Adelie", "island", "Dream", "bill_length_mm", 39.1,
                "bill_depth_mm", 18.7, "flipper_length_mm", 181));
        assertThatThrownBy(() -> runtime.predict(List.of(instance), 0.5, null))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("instances[0]").hasMessageContaining("'sex'");
        instance.put("sex", null);
        instance.put("bill_depth_mm", "deep");
        assertThatThrownBy(() -> runtime.predict(List.of(instance), 0.5, null))
                .hasMessageContaining("instances[0].bill_depth_mm is \"deep\" but must be a number");
        instance.put("bill_depth_mm", 18.7);
        assertThat(runtime.predict(List.of(instance), 0.5, null)).hasSize(1);
    }

    private List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        session.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                ResultSet set = r.rows();
                ResultSetMetaData meta = set.getMetaData();
                while (set.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), SqlSession.plain(set.getObject(c)));
                    }
                    rows.add(row);
                }
            }
        });
        return rows;
    }

    @Test
    void droppedAndRecreatedModelIsReloadedEverywhere() {
        String create = "CREATE MODEL d.again OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT %s, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        session.execute(create.formatted("flipper_length_mm"), (text, result) -> {});
        assertThat(platform.runtime("d", "again", java.util.Optional.empty()).inputColumns())
                .extracting(c -> c.name()).containsExactly("flipper_length_mm");
        // Version numbers start again at 1 after DROP MODEL: the shared cache must not serve the old model.
        session.execute("DROP MODEL d.again; " + create.formatted("bill_length_mm"), (text, result) -> {});
        assertThat(platform.runtime("d", "again", java.util.Optional.empty()).inputColumns())
                .extracting(c -> c.name()).containsExactly("bill_length_mm");
        assertThat(rows("SELECT input FROM ML.FEATURE_INFO(MODEL d.again)")).extracting(r -> r.get("input"))
                .containsExactly("bill_length_mm");
    }
}
