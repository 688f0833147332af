package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ML.DESCRIBE_DATA, ML.VALIDATE_DATA_SKEW and ML.VALIDATE_DATA_DRIFT on the penguins sample, end to end. */
class DataMonitoringTest {
    private static final String MODEL = "CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['flipper_length_mm'])"
            + " AS SELECT species, island, bill_length_mm, body_mass_g, flipper_length_mm FROM d.penguins"
            + " WHERE flipper_length_mm IS NOT NULL";

    @TempDir
    Path directory;

    private static Map<String, Map<String, Object>> byColumn(List<Map<String, Object>> rows, String key) {
        return rows.stream().collect(Collectors.toMap(r -> (String) r.get(key), r -> r));
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    @Test
    void describeDataAgreesWithSqlAggregates() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            Map<String, Map<String, Object>> described = byColumn(sql.rows(
                    "SELECT * FROM ML.DESCRIBE_DATA(TABLE d.penguins, STRUCT(4 AS num_quantiles, 2 AS top_k))"), "name");
            assertThat(described).containsKeys("species", "island", "body_mass_g", "sex", "year");

            Map<String, Object> mass = described.get("body_mass_g");
            Map<String, Object> expected = sql.rows("SELECT count(*) AS n, count(*) - count(body_mass_g) AS nulls, min(body_mass_g) AS lo,"
                    + " max(body_mass_g) AS hi, avg(body_mass_g) AS mean, stddev_samp(body_mass_g) AS sd,"
                    + " count(DISTINCT body_mass_g) AS distinct_values FROM d.penguins").get(0);
            assertThat(number(mass.get("num_rows"))).isEqualTo(number(expected.get("n")));
            assertThat(number(mass.get("num_nulls"))).isEqualTo(number(expected.get("nulls")));
            assertThat(number(mass.get("num_values"))).isEqualTo(number(expected.get("n")) - number(expected.get("nulls")));
            assertThat(number(mass.get("min"))).isEqualTo(number(expected.get("lo")));
            assertThat(number(mass.get("max"))).isEqualTo(number(expected.get("hi")));
            assertThat(number(mass.get("mean"))).isCloseTo(number(expected.get("mean")), within(1e-9));
            assertThat(number(mass.get("stddev"))).isCloseTo(number(expected.get("sd")), within(1e-9));
            // The median is a KLL estimate: its rank in the data is within the sketch's error of 0.5.
            double medianRank = number(sql.value("SELECT avg(CASE WHEN body_mass_g <= " + number(mass.get("median"))
                    + " THEN 1.0 ELSE 0.0 END) FROM d.penguins WHERE body_mass_g IS NOT NULL"));
            assertThat(medianRank).isCloseTo(0.5, within(0.02));
            assertThat(number(mass.get("unique"))).isCloseTo(number(expected.get("distinct_values")), within(2.0));
            assertThat((List<?>) mass.get("quantiles")).hasSize(5);
            assertThat(mass.get("top_values")).isNull();

            Map<String, Object> species = described.get("species");
            List<Map<String, Object>> top = sql.rows("SELECT species AS value, count(*) AS count FROM d.penguins"
                    + " WHERE species IS NOT NULL GROUP BY species ORDER BY count DESC, value LIMIT 2");
            List<?> topValues = (List<?>) species.get("top_values");
            assertThat(topValues).hasSize(2);
            for (int i = 0; i < 2; i++) {
                Map<?, ?> entry = (Map<?, ?>) topValues.get(i);
                assertThat(entry.get("value")).isEqualTo(top.get(i).get("value"));
                assertThat(number(entry.get("count"))).isEqualTo(number(top.get(i).get("count")));
            }
            assertThat(number(species.get("unique"))).isEqualTo(3);
            assertThat(number(species.get("avg_string_length"))).isCloseTo(number(sql.value(
                    "SELECT avg(length(species)) FROM d.penguins")), within(1e-9));
            assertThat(species.get("mean")).isNull();
        }
    }

    @Test
    void describeDataTakesAQuery() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            List<Map<String, Object>> rows = sql.rows("SELECT name, num_rows FROM ML.DESCRIBE_DATA("
                    + "(SELECT body_mass_g FROM d.penguins WHERE island = 'Dream'))");
            assertThat(rows).hasSize(1);
            assertThat(number(rows.get(0).get("num_rows"))).isEqualTo(number(sql.value(
                    "SELECT count(*) FROM d.penguins WHERE island = 'Dream'")));
        }
    }

    @Test
    void skewFlagsOnlyTheShiftedFeature() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(MODEL);
            Map<String, Map<String, Object>> same = byColumn(sql.rows(
                    "SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.m, TABLE d.penguins)"), "input");
            assertThat(same.keySet()).containsExactlyInAnyOrder("species", "island", "bill_length_mm", "body_mass_g");
            assertThat(same.values()).allSatisfy(r -> assertThat(r.get("is_anomaly")).isEqualTo(false));

            Map<String, Map<String, Object>> shifted = byColumn(sql.rows("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.m,"
                    + " (SELECT * REPLACE (body_mass_g + 2000 AS body_mass_g) FROM d.penguins))"), "input");
            assertThat(shifted.get("body_mass_g").get("is_anomaly")).isEqualTo(true);
            assertThat(shifted.get("body_mass_g").get("metric")).isEqualTo("JENSEN_SHANNON_DIVERGENCE");
            assertThat(shifted.get("species").get("metric")).isEqualTo("L_INFTY");
            assertThat(number(shifted.get("body_mass_g").get("threshold"))).isEqualTo(0.3);
            for (String other : List.of("species", "island", "bill_length_mm")) {
                assertThat(shifted.get(other).get("is_anomaly")).as(other).isEqualTo(false);
            }
        }
    }

    @Test
    void skewOfATransformModelComparesRawInputs() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run("CREATE MODEL d.t TRANSFORM (ML.STANDARD_SCALER(body_mass_g) OVER () AS scaled_mass, species, flipper_length_mm)"
                    + " OPTIONS (model_type = 'linear_reg', input_label_cols = ['flipper_length_mm'])"
                    + " AS SELECT species, body_mass_g, flipper_length_mm FROM d.penguins WHERE flipper_length_mm IS NOT NULL");
            Map<String, Map<String, Object>> shifted = byColumn(sql.rows("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.t,"
                    + " (SELECT * REPLACE (body_mass_g * 3 AS body_mass_g) FROM d.penguins))"), "input");
            assertThat(shifted.keySet()).containsExactlyInAnyOrder("species", "body_mass_g");
            assertThat(shifted.get("body_mass_g").get("is_anomaly")).isEqualTo(true);
            assertThat(shifted.get("species").get("is_anomaly")).isEqualTo(false);
        }
    }

    @Test
    void driftComparesTwoWindowsWithThresholdSettings() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            String drift = "SELECT * FROM ML.VALIDATE_DATA_DRIFT((SELECT species, body_mass_g FROM d.penguins WHERE year = 2007),"
                    + " (SELECT species, body_mass_g FROM d.penguins WHERE year = 2009)";
            Map<String, Map<String, Object>> rows = byColumn(sql.rows(drift + ")"), "input");
            assertThat(rows.keySet()).containsExactlyInAnyOrder("species", "body_mass_g");
            double speciesDistance = number(rows.get("species").get("value"));
            Map<String, Object> shares = sql.rows("SELECT"
                    + " max(abs(coalesce(a.share, 0) - coalesce(b.share, 0))) AS linf FROM"
                    + " (SELECT species, count(*) / sum(count(*)) OVER () AS share FROM d.penguins WHERE year = 2007 GROUP BY species) a"
                    + " FULL JOIN"
                    + " (SELECT species, count(*) / sum(count(*)) OVER () AS share FROM d.penguins WHERE year = 2009 GROUP BY species) b"
                    + " USING (species)").get(0);
            assertThat(speciesDistance).isCloseTo(number(shares.get("linf")), within(1e-9));

            Map<String, Map<String, Object>> strict = byColumn(sql.rows(drift + ", STRUCT(0.0 AS categorical_default_threshold,"
                    + " [STRUCT('body_mass_g', 0.9)] AS thresholds))"), "input");
            assertThat(number(strict.get("species").get("threshold"))).isZero();
            assertThat(strict.get("species").get("is_anomaly")).isEqualTo(speciesDistance > 0);
            assertThat(number(strict.get("body_mass_g").get("threshold"))).isEqualTo(0.9);

            Map<String, Map<String, Object>> tables = byColumn(sql.rows(
                    "SELECT * FROM ML.VALIDATE_DATA_DRIFT(TABLE d.penguins, TABLE d.penguins)"), "input");
            // Two sketches of the same data compact independently, so the divergence is near 0, not exactly 0.
            assertThat(tables.values()).allSatisfy(r -> {
                assertThat(number(r.get("value"))).isLessThan(0.01);
                assertThat(r.get("is_anomaly")).isEqualTo(false);
            });
        }
    }

    @Test
    void anEmptyStudyWindowIsReportedAsNoData() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            List<Map<String, Object>> rows = sql.rows("SELECT * FROM ML.VALIDATE_DATA_DRIFT(TABLE d.penguins,"
                    + " (SELECT * FROM d.penguins WHERE year = 1900))");
            assertThat(rows).isNotEmpty().allSatisfy(r -> {
                assertThat(r.get("value")).isNull();
                assertThat(r.get("is_anomaly")).isNull();
                assertThat(r.get("data_status")).isEqualTo("NO_STUDY_DATA");
            });
        }
    }

    @Test
    void badInputGivesClearErrors() {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(MODEL);
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.m, (SELECT species, island, body_mass_g"
                    + " FROM d.penguins))")).isInstanceOf(LatheException.class).hasMessageContaining("'bill_length_mm'");
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.VALIDATE_DATA_DRIFT((SELECT species FROM d.penguins),"
                    + " (SELECT CAST(length(species) AS DOUBLE) AS species FROM d.penguins))")).isInstanceOf(LatheException.class)
                    .hasMessageContaining("'species'").hasMessageContaining("STRING").hasMessageContaining("FLOAT64");
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.VALIDATE_DATA_DRIFT(TABLE d.penguins)"))
                    .isInstanceOf(LatheException.class).hasMessageContaining("two relations");
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.DESCRIBE_DATA(TABLE d.penguins, STRUCT(3 AS top_n))"))
                    .isInstanceOf(LatheException.class).hasMessageContaining("top_n").hasMessageContaining("top_k");
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.m, TABLE d.penguins,"
                    + " STRUCT([STRUCT('nope', 0.1)] AS thresholds))")).isInstanceOf(LatheException.class)
                    .hasMessageContaining("'nope'");
        }
    }

    @Test
    void aModelWithoutATrainingProfileSaysToRetrain() throws Exception {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(MODEL);
            Path profile = sql.dataDirectory().resolve("models/d/m/1/profile.bin");
            assertThat(profile).isRegularFile();
            // A version written before profiles existed, so before its manifest recorded its files (which would say it is missing).
            Files.delete(profile);
            Path manifest = sql.dataDirectory().resolve("models/d/m/1/manifest.json");
            com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
            json.remove("files");
            Files.writeString(manifest, json.toString());
            sql.restart();
            assertThatThrownBy(() -> sql.rows("SELECT * FROM ML.VALIDATE_DATA_SKEW(MODEL d.m, TABLE d.penguins)"))
                    .isInstanceOf(LatheException.class).hasMessageContaining("d.m version 1 has no training profile")
                    .hasMessageContaining("retrain");
        }
    }
}
