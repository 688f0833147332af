package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GoogleSQL functions the warehouse registers in Java, called from SQL as a user calls them. */
class WarehouseFunctionsTest {
    @Test
    void initcapCapitalizesEachWordAsBigQueryDoes() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT INITCAP(s) FROM (VALUES ('Hello World-everyone!'), ('tHIS is A test'),"
                        + " ('o''neil mc(donald)'), ('élan vital'), (NULL)) AS t(s)")) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            // BigQuery's documented example first; an apostrophe is not a delimiter, '(' is.
            assertThat(values).isEqualTo(Arrays.asList("Hello World-Everyone!", "This Is A Test", "O'neil Mc(Donald)", "Élan Vital", null));
        }
    }

    /** The spec's k-means tutorial (5.3) measures distances with ST_DISTANCE(ST_GEOGPOINT(...), ...): probe pv found it failing. */
    @Test
    void geographyPointsAndTheirDistancesInMeters() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ST_GEOGPOINT(-0.1, 51.5), ST_DISTANCE(ST_GEOGPOINT(-0.1, 51.5),"
                        + " ST_GEOGPOINT(-0.2, 51.5)), ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(180, 0)), ST_GEOGPOINT(1, 2),"
                        + " ST_DISTANCE(ST_GEOGPOINT(2.35, 48.85), ST_GEOGPOINT(2.35, 48.85)), ST_GEOGPOINT(NULL, 1)")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("POINT(-0.1 51.5)");
            // 0.1 degree of longitude at 51.5 N: R * 2 asin(cos(51.5) sin(0.05 degrees))
            double expected = 2 * WarehouseFunctions.EARTH_RADIUS_M * Math.asin(Math.cos(Math.toRadians(51.5)) * Math.sin(Math.toRadians(0.05)));
            assertThat(rows.getDouble(2)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6)).isBetween(6_920.0, 6_925.0);
            assertThat(rows.getDouble(3)).isCloseTo(Math.PI * WarehouseFunctions.EARTH_RADIUS_M, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(rows.getString(4)).isEqualTo("POINT(1 2)");
            assertThat(rows.getDouble(5)).isZero();
            assertThat(rows.getString(6)).isNull();
        }
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.createStatement().executeQuery("SELECT ST_GEOGPOINT(0, 91)"))
                    .hasMessageContaining("the latitude must be from -90 to 90");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.createStatement()
                    .executeQuery("SELECT ST_DISTANCE('LINESTRING(0 0, 1 1)', ST_GEOGPOINT(0, 0))")).hasMessageContaining("ST_DISTANCE takes points");
        }
    }
}
