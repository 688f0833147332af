package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlLiteralTest {
    @Test
    void aDoubleLiteralReadsBackBitForBit() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            for (double value : new double[] {0.0036446298831652236, 190.00364462988317, 1e-300, -2.5, Double.MIN_VALUE, Double.NaN,
                    Double.NEGATIVE_INFINITY}) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT " + Sql.literal(value));
                        ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    assertThat(Double.valueOf(rows.getDouble(1))).as("%s", value).isEqualTo(Double.valueOf(value));
                }
            }
        }
    }

    /** Probe ub F4: DuckDB's SQL text ends at a NUL, so a value holding one was cut there and its literal left open. */
    @Test
    void aTextLiteralReadsBackWithQuotesAndNuls() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            for (String value : new String[] {"plain", "it's", "Adelie\0x", "\0", "a\0\0'b\0", ""}) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT " + Sql.literal(value) + " AS v");
                        ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    assertThat(rows.getString(1)).as("%s", value.replace("\0", "\\0")).isEqualTo(value);
                }
            }
        }
    }
}
