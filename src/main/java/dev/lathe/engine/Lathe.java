package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PLACEHOLDER, replaced by the real engine at merge: opens {@code <dataDirectory>/warehouse.duckdb} and passes
 * each statement straight to DuckDB, splitting the script naively on ';'. It exists only so that the CLI
 * branch can be built and tested against a real DuckDB before the engine lands.
 */
public final class Lathe {
    private Lathe() {}

    /** Opens the warehouse of {@code dataDirectory}, creating the database file if missing. */
    public static Engine open(Path dataDirectory) {
        Path database = dataDirectory.resolve("warehouse.duckdb");
        try {
            return new PassThroughEngine(DriverManager.getConnection("jdbc:duckdb:" + database));
        } catch (SQLException e) {
            throw new LatheException(ErrorCode.INTERNAL, "Cannot open the warehouse " + database + ": " + e.getMessage(), e);
        }
    }

    private static final class PassThroughEngine implements Engine {
        private final Connection connection;

        PassThroughEngine(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void execute(String script, ResultSink sink) {
            for (String text : script.split(";")) {
                if (text.isBlank()) {
                    continue;
                }
                String statementText = text.strip();
                try (Statement statement = connection.createStatement()) {
                    if (statement.execute(statementText)) {
                        try (ResultSet rows = statement.getResultSet()) {
                            sink.accept(statementText, new Result.Rows(rows));
                        }
                    } else {
                        long count = statement.getLargeUpdateCount();
                        sink.accept(statementText, new Result.Message(count >= 0 ? "OK, " + count + " rows affected" : "OK"));
                    }
                } catch (SQLException e) {
                    throw new LatheException(ErrorCode.SQL_ERROR, e.getMessage(), e);
                } catch (LatheException e) {
                    throw e;
                } catch (Exception e) {
                    throw LatheException.internal("Failed while handling the result of: " + statementText, e);
                }
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw LatheException.internal("Cannot close the warehouse: " + e.getMessage(), e);
            }
        }
    }
}
