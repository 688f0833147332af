package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.Result;
import dev.lathe.engine.ResultSink;
import java.io.PrintWriter;
import java.sql.SQLException;

/** Prints each statement's result as it arrives: rows through the chosen formatter, messages as text. */
final class ResultPrinter implements ResultSink {
    private final ResultFormatter formatter;
    private final PrintWriter out;

    ResultPrinter(ResultFormatter formatter, PrintWriter out) {
        this.formatter = requireNonNull(formatter, "formatter is null");
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void accept(String statementText, Result result) throws SQLException {
        switch (result) {
            case Result.Rows rows -> formatter.write(rows.rows(), out);
            case Result.Message message -> out.println(message.text());
        }
        out.flush();
    }

    /** Prints rows that did not come from a local result set (a server's response). */
    void rows(RowSource rows) throws SQLException {
        formatter.write(rows, out);
        out.flush();
    }

    void message(String text) {
        out.println(text);
        out.flush();
    }
}
