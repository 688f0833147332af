package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The catalog look-ups every CREATE MODEL makes (dataset exists, model name free of tables and views). */
class WarehouseCatalogTest {
    @Test
    void datasetsAndRelationsAreFoundWhateverTheCaseOfTheirNames() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA Sales");
            statement.execute("CREATE TABLE Sales.Orders (i INTEGER)");
            statement.execute("CREATE VIEW sales.recent AS SELECT * FROM sales.orders");
            statement.execute("CREATE SCHEMA other");

            assertThat(Warehouse.datasetExists(connection, "sales")).isTrue();
            assertThat(Warehouse.datasetExists(connection, "SALES")).isTrue();
            assertThat(Warehouse.datasetExists(connection, "nope")).isFalse();

            assertThat(Warehouse.relationExists(connection, "sales", "orders")).isTrue();
            assertThat(Warehouse.relationExists(connection, "SALES", "ORDERS")).isTrue();
            assertThat(Warehouse.relationExists(connection, "Sales", "Recent")).as("a view").isTrue();
            assertThat(Warehouse.relationExists(connection, "other", "orders")).as("another dataset").isFalse();
            assertThat(Warehouse.relationExists(connection, "sales", "order")).isFalse();
        }
    }

    @Test
    void temporaryTablesAndInternalViewsAreNotTheWarehouses() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE scratch (i INTEGER)");
            assertThat(Warehouse.relationExists(connection, "main", "scratch")).isFalse();
            assertThat(Warehouse.relationExists(connection, "information_schema", "tables")).isFalse();
            assertThat(Warehouse.relationExists(connection, "main", "duckdb_tables")).isFalse();
            assertThat(Warehouse.datasetExists(connection, "main")).isTrue();
        }
    }
}
