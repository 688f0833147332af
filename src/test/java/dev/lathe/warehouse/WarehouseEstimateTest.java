package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WarehouseEstimateTest {
    @Test
    void aTableScansEstimateIsItsRowCount() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t AS SELECT range AS i, 'x' || range AS s FROM range(12345)");
            assertThat(Warehouse.estimatedRows(connection, "SELECT * FROM t")).hasValue(12345);
            assertThat(Warehouse.estimatedRows(connection, "SELECT i, hash(i, s) AS h FROM (SELECT * FROM t) AS x")).hasValue(12345);
        }
    }

    @Test
    void noEstimateWhereThePlanCannotBeMade() {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            assertThat(Warehouse.estimatedRows(connection, "SELECT * FROM no_such_table")).isEmpty();
            assertThat(Warehouse.estimatedRows(connection, "SELECT FROM WHERE")).isEmpty();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The root operator's estimate follows its children in DuckDB's JSON; a child's must not be taken for it. */
    @Test
    void theRootOperatorsEstimateIsRead() {
        String plan = """
                [{"name": "PROJECTION",
                  "children": [{"name": "SEQ_SCAN", "children": [], "extra_info": {"Table": "t", "Estimated Cardinality": "6512"}}],
                  "extra_info": {"Projections": ["a", "b"], "Estimated Cardinality": "~1,000"}}]
                """;
        assertThat(Warehouse.rootEstimate(plan)).isEqualTo(OptionalLong.of(1000));
        String rootWithout = """
                [{"name": "UNGROUPED_AGGREGATE",
                  "children": [{"name": "SEQ_SCAN", "children": [], "extra_info": {"Estimated Cardinality": "6512"}}],
                  "extra_info": {"Aggregates": "count_star()"}}]
                """;
        assertThat(Warehouse.rootEstimate(rootWithout)).isEmpty();
        assertThat(Warehouse.rootEstimate("not json")).isEmpty();
        assertThat(Warehouse.rootEstimate("[]")).isEmpty();
        assertThat(Warehouse.rootEstimate("[{\"extra_info\": {\"Estimated Cardinality\": \"99999999999999999999\"}}]")).isEmpty();
    }
}
