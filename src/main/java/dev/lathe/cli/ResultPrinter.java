package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.Result;
import dev.lathe.engine.ResultSink;
import java.io.PrintWriter;
import java.sql.SQLException;

/**
 * Prints each statement's result as it arrives: rows through the chosen formatter, messages ("OK", "Created model ...")
 * as text on {@code messages}, which is {@code out} for the table format and standard error for csv and json, whose
 * output is data only.
 */
final class ResultPrinter implements ResultSink {
    private final ResultFormatter formatter;
    private final PrintWriter out;
    private final PrintWriter messages;

    ResultPrinter(ResultFormatter formatter, PrintWriter out) {
        this(formatter, out, out);
    }

    ResultPrinter(ResultFormatter formatter, PrintWriter out, PrintWriter messages) {
        this.formatter = requireNonNull(formatter, "formatter is null");
        this.out = requireNonNull(out, "out is null");
        this.messages = requireNonNull(messages, "messages is null");
    }

    @Override
    public void accept(String statementText, Result result) throws SQLException {
        switch (result) {
            case Result.Rows rows -> formatter.write(rows.rows(), out);
            case Result.Message message -> message(message.text());
        }
        StandardOutput.check(out);
    }

    /** Prints rows that did not come from a local result set (a server's response). */
    void rows(RowSource rows) throws SQLException {
        formatter.write(rows, out);
        StandardOutput.check(out);
    }

    void message(String text) {
        if (messages != out) {
            out.flush(); // rows printed before the message come first where the two streams meet (a terminal)
        }
        messages.println(text);
        messages.flush();
    }
}
