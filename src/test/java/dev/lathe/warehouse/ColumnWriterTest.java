package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

class ColumnWriterTest {
    private static final String COLUMNS = "(v DOUBLE, k INTEGER, p DOUBLE[], ids BIGINT[])";

    @Test
    void arrowAndRowAppenderWriteTheSameRowsInTheSameOrder() throws SQLException {
        try (Warehouse warehouse = Warehouse.inMemory(); DuckDBConnection connection = (DuckDBConnection) warehouse.connect()) {
            for (boolean arrow : new boolean[] {true, false}) {
                String table = arrow ? "via_arrow" : "via_rows";
                Sql.execute(connection, "CREATE TEMP TABLE " + table + " " + COLUMNS);
                try (ColumnWriter writer = ColumnWriter.toTempTable(connection, table, arrow)) {
                    writer.append(batch(0, 3));
                    writer.append(batch(3, 0));
                    writer.append(batch(3, 70_000));
                }
            }
            assertThat(rows(connection, "via_arrow")).hasSize(70_003).isEqualTo(rows(connection, "via_rows"));
            assertThat(rows(connection, "via_arrow").get(1)).isEqualTo("-1.5|1|[0.1, 0.9]|[2, 1]");
            assertThat(rows(connection, "via_arrow").get(2)).isEqualTo("NaN|2|[0.2, 0.8]|[3, 1]");
        }
    }

    @Test
    void aFailedInsertNamesTheTableAndLeavesNoArrowViewBehind() throws SQLException {
        try (Warehouse warehouse = Warehouse.inMemory(); DuckDBConnection connection = (DuckDBConnection) warehouse.connect()) {
            Sql.execute(connection, "CREATE TEMP TABLE narrow (v DOUBLE)");
            try (ColumnWriter writer = ColumnWriter.toTempTable(connection, "narrow", true)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.append(List.of(new ColumnWriter.Doubles(new double[] {1}),
                        new ColumnWriter.Ints(new int[] {1})))).hasMessageContaining("narrow");
                writer.append(List.of(new ColumnWriter.Doubles(new double[] {1, 2})));
            }
            assertThat(rows(connection, "narrow")).containsExactly("1.0", "2.0");
            try (Statement statement = connection.createStatement();
                    ResultSet views = statement.executeQuery("SELECT count(*) FROM duckdb_views() WHERE view_name LIKE '__lathe_arrow%'")) {
                views.next();
                assertThat(views.getLong(1)).isZero();
            }
        }
    }

    /** Rows {@code first .. first + count): v = (-1.5 * i, NaN every other 2), k = i, p = [i/10, 1 - i/10], ids = [i + 1, 1]. */
    private static List<ColumnWriter.Values> batch(int first, int count) {
        double[] v = new double[count];
        int[] k = new int[count];
        double[] p = new double[count * 2];
        long[] ids = new long[count * 2];
        for (int r = 0; r < count; r++) {
            int i = first + r;
            v[r] = i % 3 == 2 ? Double.NaN : -1.5 * i;
            k[r] = i;
            p[2 * r] = (i % 10) / 10.0;
            p[2 * r + 1] = 1 - (i % 10) / 10.0;
            ids[2 * r] = i + 1;
            ids[2 * r + 1] = 1;
        }
        return List.of(new ColumnWriter.Doubles(v), new ColumnWriter.Ints(k), new ColumnWriter.DoubleLists(p, 2),
                new ColumnWriter.LongLists(ids, 2));
    }

    private static List<String> rows(DuckDBConnection connection, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    values.add(result.getString(c));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
