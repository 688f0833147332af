package dev.lathe.profile;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Sql;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A mergeable profile of a relation: one {@link ColumnProfile} per numeric or categorical column, in the
 * relation's column order (other types, such as arrays and structs, are not profiled). Profiles of
 * disjoint parts of the data merge into the profile of the whole: counts and moments exactly,
 * quantiles, frequent values and distinct counts within their sketches' error.
 */
public final class DataProfile {
    /** Bumped whenever a reader would misread an older file. */
    public static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x4c505246; // "LPRF"

    private final long rows;
    private final List<ColumnProfile> columns;

    private DataProfile(long rows, List<ColumnProfile> columns) {
        this.rows = rows;
        this.columns = List.copyOf(columns);
    }

    /**
     * Profiles {@code relationSql}; columns that cannot be profiled are left out. Categorical columns are counted in the
     * warehouse (one GROUP BY GROUPING SETS query: each distinct value comes back once with its count, which is all the
     * frequent-items and distinct-count sketches need); numeric columns are streamed in batches, the next batch read on
     * another thread while the current one is sketched. With both kinds of column the relation is read twice, so it must
     * give the same rows each time (a table, or a deterministic query over tables); {@code connection} must not be used
     * by anything else until this returns.
     */
    public static DataProfile of(Connection connection, String relationSql, Schema schema) {
        List<Field> fields = schema.fields().stream().filter(f -> ColumnProfile.kindOf(f.type()).isPresent()).toList();
        Builder builder = new Builder(fields);
        List<Integer> numeric = new ArrayList<>();
        List<Integer> categorical = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            (ColumnProfile.kindOf(fields.get(i).type()).orElseThrow() == ColumnProfile.Kind.NUMERIC ? numeric : categorical).add(i);
        }
        long categoryRows = categorical.isEmpty() ? 0 : builder.countCategories(connection, relationSql, fields, categorical);
        builder.rows = numeric.isEmpty() ? categoryRows : builder.streamNumbers(connection, relationSql, fields, numeric);
        return builder.build();
    }

    /** Waits for {@code read} to end, whatever its outcome (already reported when it mattered). */
    private static void settle(Future<?> read) {
        boolean interrupted = false;
        while (true) {
            try {
                read.get();
                break;
            } catch (ExecutionException e) {
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Batch> await(Future<Optional<Batch>> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw LatheException.internal("Reading rows to profile failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatheException.internal("Interrupted while reading rows to profile", e);
        }
    }

    /** Profiles an in-memory batch; columns that cannot be profiled are left out. */
    public static DataProfile of(Batch batch) {
        List<String> names = batch.schema().fields().stream().filter(f -> ColumnProfile.kindOf(f.type()).isPresent())
                .map(Field::name).toList();
        Batch profiled = batch.select(names);
        return new Builder(profiled.schema().fields()).add(profiled).build();
    }

    public long rows() {
        return rows;
    }

    public List<ColumnProfile> columns() {
        return columns;
    }

    /** The column named {@code name}, case-insensitively (SQL names). */
    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * The profile of both profiles' data. Both must have the same columns with the same kinds; a column
     * present in one only, or profiled as a number in one and a category in the other, is an error naming it.
     */
    public DataProfile merge(DataProfile other) {
        if (columns.size() != other.columns.size()) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Profiles with different columns cannot be merged: "
                    + names() + " and " + other.names());
        }
        List<ColumnProfile> merged = new ArrayList<>();
        for (ColumnProfile mine : columns) {
            ColumnProfile theirs = other.column(mine.name()).orElseThrow(() -> new LatheException(ErrorCode.INVALID_DATA,
                    "Profiles with different columns cannot be merged: column '" + mine.name() + "' is in " + names()
                            + " but not in " + other.names()));
            if (mine.kind() != theirs.kind()) {
                throw new LatheException(ErrorCode.INVALID_DATA, "Column '" + mine.name() + "' is " + mine.type().bigQueryName()
                        + " in one profile and " + theirs.type().bigQueryName() + " in the other; profiles merge only when each "
                        + "column is numeric in both or categorical in both");
            }
            merged.add(mine.merge(theirs));
        }
        return new DataProfile(rows + other.rows, merged);
    }

    private List<String> names() {
        return columns.stream().map(ColumnProfile::name).toList();
    }

    /**
     * Versioned envelope: magic, format version, row count, then each column's counts, moments, HyperLogLog
     * registers, KLL retained items with weights and frequent-item counts (all big-endian).
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(rows);
            out.writeInt(columns.size());
            for (ColumnProfile column : columns) {
                column.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static DataProfile fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new LatheException(ErrorCode.INVALID_DATA, "Not a Lathe data profile (wrong magic number)");
            }
            int version = in.readInt();
            if (version > FORMAT_VERSION) {
                throw new dev.lathe.core.NewerFormatException("profile format version", version, FORMAT_VERSION);
            }
            if (version != FORMAT_VERSION) {
                throw new LatheException(ErrorCode.INVALID_DATA, "Data profile format version " + version
                        + " is not readable by this Lathe, which reads version " + FORMAT_VERSION);
            }
            long rows = in.readLong();
            int count = dev.lathe.core.StoredBytes.count(in, 1, "column count");
            List<ColumnProfile> columns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                columns.add(ColumnProfile.read(in));
            }
            return new DataProfile(rows, columns);
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Data profile is truncated or corrupt: "
                    + dev.lathe.core.StoredBytes.describe(e), e);
        }
    }

    /** Accumulates batches of the given fields (all profileable) into a profile. */
    public static final class Builder {
        private final List<ColumnProfile> columns = new ArrayList<>();
        private long rows;
        /** The current column's non-null numbers, reused from batch to batch. */
        private double[] scratch = new double[0];

        public Builder(List<Field> fields) {
            for (Field field : fields) {
                columns.add(new ColumnProfile(field.name(), field.type()));
            }
        }

        /**
         * Adds the counts of each distinct value of the {@code columns} (indexes into {@code fields}, all categorical),
         * computed in the warehouse; returns the relation's row count.
         */
        private long countCategories(Connection connection, String relationSql, List<Field> fields, List<Integer> columns) {
            List<String> names = columns.stream().map(c -> "__lathe_profiled." + Sql.quote(fields.get(c).name())).toList();
            StringBuilder which = new StringBuilder("CASE");
            StringBuilder value = new StringBuilder("CASE");
            for (int i = 0; i < names.size(); i++) {
                which.append(" WHEN GROUPING(").append(names.get(i)).append(") = 0 THEN ").append(i);
                value.append(" WHEN GROUPING(").append(names.get(i)).append(") = 0 THEN CAST(").append(names.get(i)).append(" AS VARCHAR)");
            }
            String sql = "SELECT " + which + " END AS k, " + value + " END AS v, count(*) AS n FROM (" + relationSql
                    + ") AS __lathe_profiled GROUP BY GROUPING SETS (" + String.join(", ", names.stream().map(n -> "(" + n + ")").toList()) + ")";
            List<Field> counted = List.of(Field.of("k", DataType.INT64), Field.of("v", DataType.STRING), Field.of("n", DataType.INT64));
            long firstColumnRows = 0;
            try (BatchReader reader = BatchReader.open(connection, sql, counted, BatchReader.DEFAULT_BATCH_SIZE)) {
                for (Optional<Batch> batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                    double[] columnOf = ((DoubleColumn) batch.get().column(0)).values();
                    StringColumn values = (StringColumn) batch.get().column(1);
                    double[] counts = ((DoubleColumn) batch.get().column(2)).values();
                    for (int i = 0; i < columnOf.length; i++) {
                        int column = (int) columnOf[i];
                        long count = (long) counts[i];
                        ColumnProfile profile = this.columns.get(columns.get(column));
                        int code = values.codes()[i];
                        if (code < 0) {
                            profile.addNulls(count);
                        } else {
                            profile.addCategory(values.dictionary().get(code), count);
                        }
                        firstColumnRows += column == 0 ? count : 0;
                    }
                }
            }
            return firstColumnRows;
        }

        /**
         * Streams the {@code columns} (indexes into {@code fields}, all numeric) in batches, reading the next while the current
         * one is sketched; returns the relation's row count.
         */
        private long streamNumbers(Connection connection, String relationSql, List<Field> fields, List<Integer> columns) {
            List<Field> read = columns.stream().map(fields::get).toList();
            long rows = 0;
            ExecutorService readAhead = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("lathe-profile-read").factory());
            try (BatchReader reader = BatchReader.open(connection, relationSql, read, BatchReader.DEFAULT_BATCH_SIZE)) {
                // One read in flight at a time, so the reader is never used by two threads at once.
                Future<Optional<Batch>> next = readAhead.submit(reader::next);
                try {
                    for (Optional<Batch> batch = await(next); batch.isPresent(); batch = await(next)) {
                        next = readAhead.submit(reader::next);
                        rows += batch.get().rowCount();
                        for (int c = 0; c < columns.size(); c++) {
                            add(this.columns.get(columns.get(c)), batch.get().column(c));
                        }
                    }
                } finally {
                    // The reader closes only once no read is running (a failed sketch leaves one in flight).
                    settle(next);
                }
            } finally {
                readAhead.shutdownNow();
            }
            return rows;
        }

        /** Adds a batch whose columns are the builder's fields, in order. */
        public Builder add(Batch batch) {
            if (batch.columns().size() != columns.size()) {
                throw new IllegalArgumentException("batch has " + batch.columns().size() + " columns, the profile " + columns.size());
            }
            rows += batch.rowCount();
            for (int c = 0; c < columns.size(); c++) {
                add(columns.get(c), batch.column(c));
            }
            return this;
        }

        private void add(ColumnProfile profile, Column column) {
            switch (column) {
                case DoubleColumn d -> {
                    double[] values = d.values();
                    double[] present = scratch(values.length);
                    int n = 0;
                    if (d.nulls().isEmpty()) {
                        for (double value : values) {
                            // Branch-free compaction: a NaN is overwritten by the next value.
                            present[n] = value;
                            n += Double.isNaN(value) ? 0 : 1;
                        }
                    } else {
                        for (int i = 0; i < values.length; i++) {
                            if (!d.isNull(i) && !Double.isNaN(values[i])) {
                                present[n++] = values[i];
                            }
                        }
                    }
                    profile.addNumbers(present, 0, n);
                    profile.addNulls(values.length - n);
                }
                case TimestampColumn t -> {
                    long[] micros = t.epochMicros();
                    double[] present = scratch(micros.length);
                    int n = 0;
                    for (int i = 0; i < micros.length; i++) {
                        if (!t.isNull(i)) {
                            present[n++] = micros[i];
                        }
                    }
                    profile.addNumbers(present, 0, n);
                    profile.addNulls(micros.length - n);
                }
                case StringColumn s -> {
                    // Count codes first: one sketch update per distinct value in the batch, not per row.
                    long[] counts = new long[s.dictionary().size()];
                    long nulls = 0;
                    for (int code : s.codes()) {
                        if (code < 0) {
                            nulls++;
                        } else {
                            counts[code]++;
                        }
                    }
                    for (int code = 0; code < counts.length; code++) {
                        if (counts[code] > 0) {
                            profile.addCategory(s.dictionary().get(code), counts[code]);
                        }
                    }
                    profile.addNulls(nulls);
                }
                default -> throw new IllegalArgumentException("column type " + column.getClass().getSimpleName()
                        + " of '" + profile.name().toLowerCase(Locale.ROOT) + "' cannot be profiled");
            }
        }

        private double[] scratch(int size) {
            if (scratch.length < size) {
                scratch = new double[size];
            }
            return scratch;
        }

        public DataProfile build() {
            return new DataProfile(rows, columns);
        }
    }
}
