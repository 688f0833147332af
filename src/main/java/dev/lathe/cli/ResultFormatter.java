package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes one result to the output, reading it once, row by row, without holding it all in memory. */
public interface ResultFormatter {
    /** Rows from a local DuckDB query or from a server's response. */
    void write(RowSource rows, PrintWriter out) throws SQLException;

    default void write(ResultSet rows, PrintWriter out) throws SQLException {
        write(RowSource.of(rows), out);
    }
}
