package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes one result set to the output, reading it once, row by row, without holding it all in memory. */
public interface ResultFormatter {
    void write(ResultSet rows, PrintWriter out) throws SQLException;
}
