package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.DataType;
import dev.lathe.core.Field;
import dev.lathe.core.StringColumn;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArrowBatchSourceTest {
    private static final String MIXED = """
            SELECT * FROM (VALUES
              (1, 1.5, 'a', TRUE, DATE '2024-01-31', TIMESTAMP '2024-01-31 12:00:00', ['x', 'y'], [{'index': 3, 'value': 0.5}], 7.25::DECIMAL(9, 2)),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (-3, 'nan'::DOUBLE, 'Zürich ☃ 東京', FALSE, DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59.5', [], [], -1.00::DECIMAL(9, 2)),
              (4, 2.0, '', TRUE, DATE '2000-02-29', TIMESTAMP '2000-02-29 00:00:00', ['y', NULL, 'Zürich ☃ 東京'], [{'index': 1, 'value': NULL}, {'index': 9, 'value': 2.0}], 0::DECIMAL(9, 2)),
              (5, 'inf'::DOUBLE, 'a', NULL, DATE '2024-01-31', NULL, [NULL], NULL, 3.5::DECIMAL(9, 2))
            ) AS t(i, d, s, b, dt, ts, tags, sparse, n)
            """;

    private static final List<Field> FIELDS = List.of(
            new Field("i", DataType.INT64, "INTEGER"),
            new Field("d", DataType.FLOAT64, "DOUBLE"),
            new Field("s", DataType.STRING, "VARCHAR"),
            new Field("b", DataType.BOOL, "BOOLEAN"),
            new Field("dt", DataType.DATE, "DATE"),
            new Field("ts", DataType.TIMESTAMP, "TIMESTAMP"),
            new Field("tags", DataType.ARRAY_STRING, "VARCHAR[]"),
            new Field("sparse", DataType.SPARSE_VECTOR, "STRUCT(\"index\" INTEGER, \"value\" DOUBLE)[]"),
            new Field("n", DataType.NUMERIC, "DECIMAL(9,2)"));

    @Test
    void arrowIsAvailableInTheBuild() {
        assertThat(ArrowSupport.available()).as("surefire opens java.nio to Arrow").isTrue();
    }

    @Test
    void arrowBatchesEqualJdbcBatchesOnMixedTypesWithNullsUnicodeAndLists() {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            for (int batchSize : new int[] {1, 2, 3, 5, 1000}) {
                List<Batch> arrow = readAll(connection, MIXED, FIELDS, batchSize, true);
                List<Batch> jdbc = readAll(connection, MIXED, FIELDS, batchSize, false);
                assertThat(render(arrow)).as("batch size %d", batchSize).isEqualTo(render(jdbc));
                assertThat(arrow.stream().mapToInt(Batch::rowCount).sum()).isEqualTo(5);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void batchesSpanningSeveralArrowBatchesKeepRowOrderAndOneDictionaryPerBatch() {
        String relation = "SELECT range AS i, CASE WHEN range % 7 = 0 THEN NULL ELSE 'v' || (range % 13) END AS s "
                + "FROM range(150000)";
        List<Field> fields = List.of(new Field("i", DataType.INT64, "BIGINT"), new Field("s", DataType.STRING, "VARCHAR"));
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            for (int batchSize : new int[] {100_000, Integer.MAX_VALUE}) {
                List<Batch> arrow = readAll(connection, relation, fields, batchSize, true);
                List<Batch> jdbc = readAll(connection, relation, fields, batchSize, false);
                assertThat(render(arrow)).isEqualTo(render(jdbc));
            }
            Batch all = BatchReader.readAll(connection, relation, fields);
            assertThat(all.rowCount()).isEqualTo(150_000);
            StringColumn s = (StringColumn) all.column(1);
            assertThat(s.get(1)).isEqualTo("v1");
            assertThat(s.isNull(149_996)).isTrue();
            assertThat(s.get(149_999)).isEqualTo("v" + (149_999 % 13));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The training read (a streamed result, Arrow batches of up to a million rows, arrays sized per batch) gives the
     * batch readAll gives, across Arrow batches too, and leaves the connection's results materialized for what follows.
     */
    @Test
    void theTrainingReadEqualsReadAllAndLeavesResultsUnstreamed() throws Exception {
        String large = "SELECT range AS i, CASE WHEN range % 7 = 0 THEN NULL ELSE 'value-' || (range % 13) END AS s, "
                + "CASE WHEN range % 5 = 0 THEN NULL ELSE TIMESTAMP '2001-01-01' + to_seconds(range) END AS ts FROM range(1200000)";
        List<Field> largeFields = List.of(new Field("i", DataType.INT64, "BIGINT"), new Field("s", DataType.STRING, "VARCHAR"),
                new Field("ts", DataType.TIMESTAMP, "TIMESTAMP"));
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            assertThat(render(List.of(BatchReader.readTraining(connection, MIXED, FIELDS))))
                    .isEqualTo(render(List.of(BatchReader.readAll(connection, MIXED, FIELDS))));
            Batch training = BatchReader.readTraining(connection, large, largeFields); // more than one Arrow batch
            assertThat(training.rowCount()).isEqualTo(1_200_000);
            Batch all = BatchReader.readAll(connection, large, largeFields);
            DoubleColumn i = (DoubleColumn) training.column(0);
            StringColumn text = (StringColumn) training.column(1);
            TimestampColumn ts = (TimestampColumn) training.column(2);
            assertThat(i.values()).isEqualTo(((DoubleColumn) all.column(0)).values());
            assertThat(text.codes()).isEqualTo(((StringColumn) all.column(1)).codes());
            assertThat(text.dictionary()).isEqualTo(((StringColumn) all.column(1)).dictionary());
            assertThat(ts.epochMicros()).isEqualTo(((TimestampColumn) all.column(2)).epochMicros());
            assertThat(ts.nulls()).isEqualTo(((TimestampColumn) all.column(2)).nulls());
            assertThat(i.values()[1_199_999]).isEqualTo(1_199_999.0);
            assertThat(BatchReader.readTraining(connection, MIXED + " WHERE false", FIELDS).rowCount()).isZero();
            try (java.sql.Statement statement = connection.createStatement();
                    java.sql.ResultSet setting = statement.executeQuery("SELECT current_setting('jdbc_stream_results')")) {
                setting.next();
                assertThat(setting.getBoolean(1)).isFalse();
            }
        }
    }

    /**
     * The training read sizes its columns for the planner's estimate of the row count; a wrong estimate, above or below
     * the truth, or none, must give the same batch, with arrays exactly as long as the rows read.
     */
    @Test
    void aWrongRowEstimateChangesNothingButTheArraysFirstSize() throws Exception {
        String relation = "SELECT range AS i, CASE WHEN range % 3 = 0 THEN NULL ELSE 'v' || (range % 11) END AS s FROM range(150000)";
        List<Field> fields = List.of(new Field("i", DataType.INT64, "BIGINT"), new Field("s", DataType.STRING, "VARCHAR"));
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            List<String> expected = render(List.of(BatchReader.readAll(connection, relation, fields)));
            for (long estimate : new long[] {0, 1, 70_000, 150_000, 150_001, 10_000_000}) {
                Batch batch;
                try (BatchReader reader = BatchReader.open(connection, relation, fields, Integer.MAX_VALUE, true, estimate)) {
                    batch = reader.next().orElseThrow();
                }
                assertThat(render(List.of(batch))).as("estimate %d", estimate).isEqualTo(expected);
                assertThat(((DoubleColumn) batch.column(0)).values()).hasSize(150_000);
                assertThat(((StringColumn) batch.column(1)).codes()).hasSize(150_000);
            }
            // DuckDB guesses a filter's selectivity: here below the truth, then above it
            for (String filter : List.of(" WHERE i % 10 <> 0", " WHERE i % 10 = 0")) {
                assertThat(render(List.of(BatchReader.readTraining(connection, "SELECT * FROM (" + relation + ")" + filter, fields))))
                        .isEqualTo(render(List.of(BatchReader.readAll(connection, "SELECT * FROM (" + relation + ")" + filter, fields))));
            }
        }
    }

    @Test
    void anEmptyRelationReadsAsOneEmptyBatchBothWays() {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            String empty = MIXED + " WHERE false";
            Batch all = BatchReader.readAll(connection, empty, FIELDS);
            assertThat(all.rowCount()).isZero();
            assertThat(readAll(connection, empty, FIELDS, 10, true)).isEmpty();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Every array of every column, spelled out: the batches' records compare their arrays by identity. */
    private static List<String> render(List<Batch> batches) {
        List<String> out = new ArrayList<>();
        for (Batch batch : batches) {
            StringBuilder line = new StringBuilder("rows=" + batch.rowCount());
            for (Column column : batch.columns()) {
                line.append(" | ").append(switch (column) {
                    case DoubleColumn c -> Arrays.toString(c.values()) + c.nulls();
                    case StringColumn c -> Arrays.toString(c.codes()) + c.dictionary();
                    case TimestampColumn c -> Arrays.toString(c.epochMicros()) + c.nulls();
                    case StringArrayColumn c -> Arrays.toString(c.offsets()) + Arrays.toString(c.codes()) + c.dictionary() + c.nulls();
                    case SparseVectorColumn c -> Arrays.toString(c.offsets()) + Arrays.toString(c.indices())
                            + Arrays.toString(c.values()) + c.nulls();
                    default -> column.toString();
                });
            }
            out.add(line.toString());
        }
        return out;
    }

    /**
     * A streamed read (ML.EVALUATE's: DuckDB no longer copies every row into its result buffer first; probe ta F4) gives
     * the batches a buffered one gives, and its close turns streaming off again, so the connection's next reads buffer.
     */
    @Test
    void aStreamedReadGivesTheBufferedBatchesAndEndsStreamingOnClose() throws java.sql.SQLException {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            List<Batch> streamed = new ArrayList<>();
            try (BatchReader reader = BatchReader.openStreaming(connection, MIXED, FIELDS, 2)) {
                Optional<Batch> next;
                while ((next = reader.next()).isPresent()) {
                    streamed.add(next.get());
                }
            }
            assertThat(render(streamed)).isEqualTo(render(readAll(connection, MIXED, FIELDS, 2, true)));
            try (java.sql.Statement statement = connection.createStatement();
                    java.sql.ResultSet rows = statement.executeQuery("SELECT current_setting('jdbc_stream_results')")) {
                rows.next();
                assertThat(rows.getBoolean(1)).isFalse();
            }
        }
    }

    private static List<Batch> readAll(Connection connection, String relation, List<Field> fields, int batchSize, boolean arrow) {
        List<Batch> batches = new ArrayList<>();
        try (BatchReader reader = BatchReader.open(connection, relation, fields, batchSize, arrow)) {
            Optional<Batch> next;
            while ((next = reader.next()).isPresent()) {
                batches.add(next.get());
            }
        }
        return batches;
    }

    @Test
    void warmUpRoundTripsEachReadColumnKindThroughArrowsCDataInterface() {
        // The background warm-up's work, run here in the foreground so a failure shows (the warm-up itself swallows it).
        assertThat(ArrowSupport.roundTrip()).isEqualTo(1);
        ArrowSupport.warmUpInBackground(); // once per JVM; a second call is a no-op
        ArrowSupport.warmUpInBackground();
    }
}
