package dev.lathe.cli;

import dev.lathe.warehouse.JdbcValues;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Rows the formatters read once, in order: from DuckDB ({@link #of(ResultSet)}) or from a server's
 * jobs.query response ({@link RemoteRows}). Values are what the JDBC driver would return (Long, Double,
 * String, arrays, structs, ...; read with {@link JdbcValues#reader}, as the server reads them) so both paths print the
 * same text.
 */
interface RowSource {
    int columnCount() throws SQLException;

    /** Label of column {@code column}, counted from 0. */
    String columnLabel(int column) throws SQLException;

    boolean next() throws SQLException;

    /** Value of column {@code column} (from 0) in the current row; null for NULL. */
    Object value(int column) throws SQLException;

    static RowSource of(ResultSet rows) throws SQLException {
        ResultSetMetaData metadata = rows.getMetaData();
        JdbcValues.Reader values = JdbcValues.reader(rows);
        return new RowSource() {
            @Override
            public int columnCount() throws SQLException {
                return metadata.getColumnCount();
            }

            @Override
            public String columnLabel(int column) throws SQLException {
                return metadata.getColumnLabel(column + 1);
            }

            @Override
            public boolean next() throws SQLException {
                return rows.next();
            }

            @Override
            public Object value(int column) throws SQLException {
                return values.value(column + 1);
            }
        };
    }
}
