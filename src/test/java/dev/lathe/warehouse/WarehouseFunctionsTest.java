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
}
