package dev.lathe.metadata;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one metadata transaction; may throw {@link SQLException}, which rolls the transaction back. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
