package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.imported.ImportedColumn;
import dev.lathe.imported.ImportedEstimator;
import dev.lathe.imported.IntegerInputException;
import dev.lathe.imported.OutputColumn;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.ColumnWriter;
import dev.lathe.warehouse.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The prediction loop for imported models: the same streaming as {@link Predictor} (64k-row batches
 * through the identity pipeline, appended through DuckDB's appender), but the columns written are the
 * model's own outputs. Inputs are converted to DOUBLE in DuckDB, matched by name in any case.
 */
final class ImportedPredictor {
    private ImportedPredictor() {}

    static void predictInto(DuckDBConnection connection, LoadedModel model, ImportedEstimator estimator, String relation,
            String table, java.util.function.LongConsumer progress, Optional<Predictor.Extra> extra) {
        List<String> casts = new ArrayList<>();
        for (Field field : model.pipeline().inputFields()) {
            casts.add("CAST(" + Sql.quote(field.name()) + " AS DOUBLE) AS " + Sql.quote(field.name()));
        }
        String converted = "SELECT " + String.join(", ", casts) + " FROM (" + relation + ") AS __lathe_imported_input";
        List<ImportedColumn> outputs = estimator.signature().outputs();
        List<String> columns = new ArrayList<>();
        for (ImportedColumn output : outputs) {
            columns.add(Sql.quote(output.name()) + " " + output.duckDbType());
        }
        extra.ifPresent(e -> columns.add(e.columns()));
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " (" + String.join(", ", columns) + ")");
        try (DuckDBAppender appender = connection.createAppender("temp", "main", table);
                BatchReader reader = BatchReader.open(connection, converted, model.pipeline().inputFields(),
                        BatchReader.DEFAULT_BATCH_SIZE)) {
            Optional<Batch> batch;
            long done = 0;
            while ((batch = reader.next()).isPresent()) {
                DenseMatrix features = model.pipeline().transform(batch.get());
                List<OutputColumn> values;
                try {
                    values = estimator.predictOutputs(features);
                } catch (IntegerInputException e) {
                    throw e.inRow(done + e.row() + 1); // "in a row" of a table of millions (probe sa)
                }
                List<ColumnWriter.Values> more = extra.isPresent()
                        ? extra.get().values(features, estimator.predict(features), 0.5) : List.of();
                for (int row = 0; row < features.rows(); row++) {
                    appender.beginRow();
                    for (OutputColumn column : values) {
                        append(appender, column, row);
                    }
                    for (ColumnWriter.Values column : more) {
                        append(appender, column, row);
                    }
                    appender.endRow();
                }
                done += features.rows();
                progress.accept(done);
            }
        } catch (SQLException e) {
            throw LatheException.internal("Writing predictions failed: " + e.getMessage(), e);
        }
    }

    private static void append(DuckDBAppender appender, ColumnWriter.Values column, int r) throws SQLException {
        switch (column) {
            case ColumnWriter.Doubles d -> appender.append(d.values()[r]);
            case ColumnWriter.Ints i -> appender.append(i.values()[r]);
            case ColumnWriter.DoubleLists l -> appender.append(Arrays.copyOfRange(l.values(), r * l.width(), (r + 1) * l.width()));
            case ColumnWriter.LongLists l -> appender.append(Arrays.copyOfRange(l.values(), r * l.width(), (r + 1) * l.width()));
        }
    }

    private static void append(DuckDBAppender appender, OutputColumn column, int row) throws SQLException {
        switch (column) {
            case OutputColumn.Doubles d -> appender.append(d.values()[row]);
            case OutputColumn.Longs l -> appender.append(l.values()[row]);
            case OutputColumn.Booleans b -> appender.append(b.values()[row]);
            case OutputColumn.Strings s -> appender.append(s.values()[row]);
            case OutputColumn.DoubleArrays a -> appender.append(a.values()[row]);
            case OutputColumn.LongArrays a -> appender.append(a.values()[row]);
            case OutputColumn.StringArrays a -> appender.append(Arrays.asList(a.values()[row]));
        }
    }
}
