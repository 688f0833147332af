package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static final List<ResultTable.ColumnSpec> COLUMNS = List.of(
            new ResultTable.ColumnSpec("processed_input", "VARCHAR"),
            new ResultTable.ColumnSpec("weight", "DOUBLE"),
            new ResultTable.ColumnSpec("category_weights", "STRUCT(category VARCHAR, weight DOUBLE)[]"),
            new ResultTable.ColumnSpec("id", "BIGINT"));

    @Test
    void stagedListsHoldWhatTheirLiteralsHeld() throws SQLException {
        // probe ud F2: ML.WEIGHTS wrote 490,837 category weights as one SQL literal, 154 s and 8 GB
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("c", null, categories(1_500), 1L));
        rows.add(Arrays.asList("x", -0.0, List.of(), 2L));
        rows.add(Arrays.asList(null, Double.NaN, null, null));
        rows.add(Arrays.asList("it's", 2.5, categories(3), 4L));
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            ResultTable.create(connection, "literals", COLUMNS, rows, Long.MAX_VALUE);
            ResultTable.create(connection, "staged", COLUMNS, rows, 0);
            ResultTable.create(connection, "defaults", COLUMNS, rows);
            List<String> literals = read(connection, "literals");
            assertThat(literals).hasSize(4);
            assertThat(read(connection, "staged")).isEqualTo(literals);
            assertThat(read(connection, "defaults")).isEqualTo(literals);
            // the staging tables are gone
            assertThat(read(connection, "(SELECT table_name FROM duckdb_tables() WHERE contains(table_name, '__'))")).isEmpty();
        }
    }

    private static List<Object> categories(int count) {
        List<Object> categories = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("category", i == 7 ? null : i == 8 ? "O'Hare" : "v" + i);
            entry.put("weight", i == 9 ? Double.NaN : i * 0.1 + 1e-17);
            categories.add(entry);
        }
        return categories;
    }

    /** Each row of {@code relation} in its order, as text. */
    private static List<String> read(Connection connection, String relation) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT CAST(t AS VARCHAR) FROM " + relation + " AS t")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
