package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** BigQuery's session rules, which every warehouse connection follows whatever DuckDB's defaults and the host's zone. */
class WarehouseSessionRulesTest {
    private static List<Object> column(Connection connection, String sql) throws Exception {
        List<Object> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getObject(1));
            }
        }
        return values;
    }

    @Test
    void nullsSortFirstAscendingAndLastDescending() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            assertThat(column(connection, "SELECT x FROM unnest([2, NULL, 1]) AS t(x) ORDER BY x")).isEqualTo(Arrays.asList(null, 1, 2));
            assertThat(column(connection, "SELECT x FROM unnest([2, NULL, 1]) AS t(x) ORDER BY x DESC")).isEqualTo(Arrays.asList(2, 1, null));
            assertThat(column(connection, "SELECT row_number() OVER (ORDER BY x) FROM unnest([2, NULL, 1]) AS t(x) WHERE x IS NULL"))
                    .containsExactly(1L);
        }
    }

    @Test
    void timeZoneFunctionsUseUtcWhateverTheHostsZone() throws Exception {
        TimeZone host = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            // 2024-01-05 23:00:00 UTC is already the 6th in Tokyo.
            assertThat(column(connection, "SELECT extract('hour' FROM to_timestamp(1704495600))")).containsExactly(23L);
            assertThat(column(connection, "SELECT CAST(CAST(to_timestamp(1704495600) AS DATE) AS VARCHAR)")).containsExactly("2024-01-05");
            assertThat(column(connection, "SELECT current_setting('TimeZone')")).containsExactly("UTC");
        } finally {
            TimeZone.setDefault(host);
        }
    }
}
