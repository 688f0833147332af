package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * BigQuery's wildcard tables ({@code `dataset.prefix*`} with {@code _TABLE_SUFFIX}), as the getting-started tutorial uses them
 * (https://cloud.google.com/bigquery/docs/create-machine-learning-model); probe vp F2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WildcardTableTest {
    private SqlSession sql;

    /** One day's sessions of the tutorial's shape: 60 rows, a third of them with a transaction. */
    private static String shard(String day) {
        return "CREATE TABLE google_analytics_sample.ga_sessions_" + day + " AS SELECT STRUCT(IF(MOD(i, 3) = 0, 1, NULL) AS transactions,"
                + " MOD(i, 7) + IF(MOD(i, 3) = 0, 5, 0) AS pageviews) AS totals, STRUCT(IF(MOD(i, 2) = 0, 'Windows', 'Macintosh') AS"
                + " operatingSystem, MOD(i, 5) = 0 AS isMobile) AS device, STRUCT(IF(MOD(i, 4) = 0, 'United States', 'India') AS country)"
                + " AS geoNetwork FROM UNNEST(GENERATE_ARRAY(1, 60)) AS i;\n";
    }

    private String trained;

    @BeforeAll
    void tutorial(@TempDir Path directory) {
        sql = new SqlSession(directory);
        // one script: the shards are created by statements parsed together with the query that reads them, so the wildcard
        // table's tables are found when that statement runs, not when the script is parsed
        trained = sql.run("CREATE SCHEMA google_analytics_sample;\n" + shard("20160801") + shard("20160802") + shard("20170701") + """
                CREATE SCHEMA bqml_tutorial;
                CREATE OR REPLACE MODEL `bqml_tutorial.sample_model` OPTIONS(model_type='logistic_reg') AS
                SELECT IF(totals.transactions IS NULL, 0, 1) AS label, IFNULL(device.operatingSystem, "") AS os,
                  device.isMobile AS is_mobile, IFNULL(geoNetwork.country, "") AS country, IFNULL(totals.pageviews, 0) AS pageviews
                FROM `bigquery-public-data.google_analytics_sample.ga_sessions_*`
                WHERE _TABLE_SUFFIX BETWEEN '20160801' AND '20170630';
                """);
    }

    @AfterAll
    void close() {
        sql.close();
    }

    @Test
    void theTutorialTrainsOnTheShardsItsSuffixesSelectAndEvaluatesOnAnother() {
        assertThat(trained).contains("LOGISTIC_REG on 120 training rows"); // 20160801 and 20160802, not 20170701
        List<Map<String, Object>> metrics = sql.rows("""
                SELECT * FROM ML.EVALUATE(MODEL `bqml_tutorial.sample_model`, (
                  SELECT IF(totals.transactions IS NULL, 0, 1) AS label, IFNULL(device.operatingSystem, "") AS os,
                    device.isMobile AS is_mobile, IFNULL(geoNetwork.country, "") AS country, IFNULL(totals.pageviews, 0) AS pageviews
                  FROM `bigquery-public-data.google_analytics_sample.ga_sessions_*`
                  WHERE _TABLE_SUFFIX BETWEEN '20170701' AND '20170801'))""");
        assertThat(metrics).hasSize(1);
        assertThat((double) metrics.get(0).get("accuracy")).isBetween(0.5, 1.0);
        assertThat(sql.value("""
                SELECT COUNT(*) FROM ML.PREDICT(MODEL bqml_tutorial.sample_model, (
                  SELECT IFNULL(device.operatingSystem, "") AS os, device.isMobile AS is_mobile,
                    IFNULL(geoNetwork.country, "") AS country, IFNULL(totals.pageviews, 0) AS pageviews, _TABLE_SUFFIX AS day
                  FROM `google_analytics_sample.ga_sessions_2016*`)) WHERE day = '0802'""")).isEqualTo(60L); // the rest of the name
    }

    @Test
    void theSuffixIsAPseudoColumnThatAStarDoesNotSelect() {
        assertThat(sql.columns("SELECT * FROM `google_analytics_sample.ga_sessions_*` LIMIT 1"))
                .containsExactly("totals", "device", "geoNetwork");
        assertThat(sql.rows("SELECT _TABLE_SUFFIX AS day, COUNT(*) AS n FROM `google_analytics_sample.ga_sessions_*` GROUP BY 1 ORDER BY 1"))
                .containsExactly(Map.of("day", "20160801", "n", 60L), Map.of("day", "20160802", "n", 60L), Map.of("day", "20170701", "n", 60L));
        // SELECT * as a training query: the suffix is no feature
        sql.run("""
                CREATE MODEL bqml_tutorial.star OPTIONS(model_type='linear_reg', input_label_cols=['pageviews']) AS
                SELECT * EXCEPT (totals), totals.pageviews FROM `google_analytics_sample.ga_sessions_*` WHERE _TABLE_SUFFIX < '2017'""");
        assertThat(sql.rows("SELECT processed_input FROM ML.WEIGHTS(MODEL bqml_tutorial.star) ORDER BY 1"))
                .extracting(row -> row.get("processed_input")).containsExactly("__INTERCEPT__", "device_isMobile", "device_operatingSystem", "geoNetwork_country");
        // outside a wildcard query it is an unknown column, as before
        assertThat(sql.failure("SELECT _TABLE_SUFFIX FROM google_analytics_sample.ga_sessions_20160801").getMessage())
                .contains("Referenced column \"_TABLE_SUFFIX\" not found");
    }

    @Test
    void tablesAreFoundWhenTheStatementRunsAndTheirColumnsUnitedByName() {
        sql.run("""
                CREATE SCHEMA shards;
                CREATE TABLE shards.t_a AS SELECT 1 AS x;
                CREATE TABLE shards.copy AS SELECT _TABLE_SUFFIX AS s, * FROM `shards.t_*`;
                CREATE TABLE shards.t_b AS SELECT 2 AS x, 'b' AS y;""");
        assertThat(sql.rows("SELECT * FROM shards.copy")).containsExactly(Map.of("s", "a", "x", 1));
        // a column two tables give different types is an error, as in BigQuery; DuckDB's INTEGER and BIGINT are both INT64
        sql.run("CREATE TABLE shards.n_1 AS SELECT 1 AS x; CREATE TABLE shards.n_2 AS SELECT CAST(2 AS BIGINT) AS x");
        assertThat(sql.value("SELECT SUM(x) FROM `shards.n_*`")).isEqualTo(java.math.BigInteger.valueOf(3));
        sql.run("CREATE TABLE shards.n_3 AS SELECT 'three' AS x"); // even where the filter would skip it
        assertThat(sql.failure("SELECT x FROM `shards.n_*` WHERE _TABLE_SUFFIX < '3'").getMessage()).isEqualTo("The wildcard table"
                + " `shards.n_*` at line 1, column 15 matches tables whose column x differs in type: INT64 in shards.n_1, STRING in"
                + " shards.n_3; as in BigQuery, the tables of a wildcard table must give a column one type (give a longer prefix, or"
                + " cast the column in one of the tables)");
        assertThat(sql.rows("SELECT t.*, _TABLE_SUFFIX AS s FROM `shards.t_*` AS t ORDER BY x")).containsExactly(
                new java.util.HashMap<>(java.util.Map.of("x", 1, "s", "a")) {{ put("y", null); }}, Map.of("x", 2, "y", "b", "s", "b"));
    }

    @Test
    void aPrefixThatMatchesNoTableAViewOrNoDatasetIsRefused() {
        assertThat(sql.failure("SELECT * FROM `google_analytics_sample.nothing_*`").getMessage()).isEqualTo("Table"
                + " `google_analytics_sample.nothing_*` at line 1, column 15 does not match any table: dataset google_analytics_sample has"
                + " no table whose name starts with 'nothing_'");
        assertThat(sql.failure("SELECT * FROM `nowhere.t_*`").getMessage())
                .isEqualTo("Dataset nowhere of the wildcard table `nowhere.t_*` at line 1, column 15 was not found");
        sql.run("CREATE SCHEMA viewed; CREATE TABLE viewed.v_1 AS SELECT 1 AS x; CREATE VIEW viewed.v_2 AS SELECT 2 AS x");
        assertThat(sql.failure("SELECT * FROM `viewed.v_*` WHERE _TABLE_SUFFIX = '1'").getMessage()).isEqualTo("The wildcard table"
                + " `viewed.v_*` at line 1, column 15 matches the view viewed.v_2: as in BigQuery, views cannot be queried through a"
                + " wildcard table; rename the view or give a longer prefix");
        // a view would keep the tables of its creation: refused, and nothing is created
        assertThat(sql.failure("CREATE VIEW viewed.over AS SELECT * FROM `viewed.v_1*`").getMessage())
                .startsWith("A view cannot select from the wildcard table `viewed.v_1*` (at line 1, column 42)");
        assertThat(sql.value("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'over'")).isEqualTo(0L);
    }

    @Test
    void aBatchJobsInputQueryRefusesAWildcardTableNamingIt() {
        assertThatThrownBy(() -> new dev.lathe.batch.JobInput.Query("SELECT * FROM `google_analytics_sample.ga_sessions_*`").readOnlyQuery())
                .hasMessageStartingWith("The input query reads the wildcard table `google_analytics_sample.ga_sessions_*` (at line 1,"
                        + " column 15), which a job's input query cannot yet");
    }
}
