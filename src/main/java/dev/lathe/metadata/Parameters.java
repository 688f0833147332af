package dev.lathe.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Binds statement parameters the way the stores write their columns: integers as numbers, null as NULL, the rest as text. */
public final class Parameters {
    private Parameters() {}

    public static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> statement.setNull(i + 1, Types.VARCHAR);
                case Long l -> statement.setLong(i + 1, l);
                case Integer n -> statement.setInt(i + 1, n);
                default -> statement.setString(i + 1, values[i].toString());
            }
        }
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code values} bound; answers the rows changed. */
    public static int execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            return statement.executeUpdate();
        }
    }
}
