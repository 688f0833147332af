package dev.lathe.engine;

import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.train.CommonOptions;
import dev.lathe.warehouse.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BigQuery ML's data split (spec 1.2) as a SQL expression that flags evaluation rows. RANDOM is
 * deterministic: a row's hash (its values, in column order; not its column names, which spec 1.2 says BigQuery also
 * hashes) decides, so the same data always splits the same way; fractions are approximate, as in BigQuery ML. The rows
 * keep their order.
 */
record SplitPlan(Kind kind, double evalFraction, String column, String threshold) {
    enum Kind {
        NONE,
        RANDOM,
        SEQ,
        CUSTOM
    }

    private static final long BUCKETS = 1_000_000L;

    static SplitPlan choose(ModelFamily family, ModelOptions options, long rows, Schema schema) {
        if (!options.has(CommonOptions.DATA_SPLIT_METHOD)) {
            return new SplitPlan(Kind.NONE, 0, null, null);
        }
        String method = options.getString(CommonOptions.DATA_SPLIT_METHOD);
        double fraction = Math.round(options.getDouble(CommonOptions.DATA_SPLIT_EVAL_FRACTION) * 100) / 100.0; // 2 decimals kept (spec 1.1)
        if (fraction == 0 && (method.equals("RANDOM") || method.equals("SEQ")) && options.isExplicit(CommonOptions.DATA_SPLIT_EVAL_FRACTION)) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "data_split_eval_fraction = " + options.getDouble(CommonOptions.DATA_SPLIT_EVAL_FRACTION)
                    + " keeps two decimals, 0.00, which leaves no evaluation rows; give at least 0.01, or data_split_method = 'NO_SPLIT'");
        }
        return switch (method) {
            case "NO_SPLIT" -> new SplitPlan(Kind.NONE, 0, null, null);
            case "AUTO_SPLIT" -> auto(rows);
            case "RANDOM" -> options.isExplicit(CommonOptions.DATA_SPLIT_EVAL_FRACTION)
                    || options.isExplicit(CommonOptions.DATA_SPLIT_TEST_FRACTION)
                    ? new SplitPlan(Kind.RANDOM, fraction, null, null) : auto(rows);
            case "SEQ" -> {
                String column = splitColumn(options, schema, method);
                DataType type = schema.field(schema.require(column, "the training query")).type();
                // spec 1.2: NUMERIC, BIGNUMERIC, STRING or TIMESTAMP, sorted ascending; the other numbers and dates sort too
                if (!type.isNumeric() && type != DataType.STRING && type != DataType.TIMESTAMP && type != DataType.DATETIME
                        && type != DataType.DATE && type != DataType.TIME) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "data_split_method = 'SEQ' needs a data_split_col that sorts in"
                            + " time or number order (NUMERIC, INT64, FLOAT64, STRING, DATE, DATETIME or TIMESTAMP), but '" + column
                            + "' is " + type.bigQueryName() + "; rows below the (1 - data_split_eval_fraction) point train, the rest evaluate");
                }
                yield new SplitPlan(Kind.SEQ, fraction, column, null);
            }
            case "CUSTOM" -> {
                String column = splitColumn(options, schema, method);
                Field field = schema.field(schema.require(column, "the training query"));
                if (field.type() != DataType.BOOL) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "data_split_method = 'CUSTOM' needs a BOOL data_split_col, but '"
                            + column + "' is " + field.type().bigQueryName() + " (TRUE or NULL = evaluation, FALSE = training)");
                }
                yield new SplitPlan(Kind.CUSTOM, 0, field.name(), null);
            }
            default -> throw new IllegalStateException("unknown split method " + method);
        };
    }

    /** AUTO_SPLIT: under 500 rows no split; up to 50,000 rows 20 %; above, 10,000 rows. */
    private static SplitPlan auto(long rows) {
        if (rows < 500) {
            return new SplitPlan(Kind.NONE, 0, null, null);
        }
        double fraction = rows <= 50_000 ? 0.2 : 10_000.0 / rows;
        return new SplitPlan(Kind.RANDOM, fraction, null, null);
    }

    private static String splitColumn(ModelOptions options, Schema schema, String method) {
        String column = options.optionalString(CommonOptions.DATA_SPLIT_COL).orElseThrow(() -> new LatheException(
                ErrorCode.INVALID_OPTION, "data_split_method = '" + method + "' needs data_split_col = '<column>'"));
        return schema.field(schema.require(column, "the training query (option data_split_col)")).name();
    }

    /** Whether the flag can be computed while the training query is read once: every method but SEQ (a quantile of the data). */
    static boolean computedInRead(ModelOptions options) {
        return !options.has(CommonOptions.DATA_SPLIT_METHOD) || !options.getString(CommonOptions.DATA_SPLIT_METHOD).equals("SEQ");
    }

    /**
     * DuckDB's {@code hash} of a row of {@code schema}: its values, in column order (a UBIGINT). Earlier versions passed
     * each column's name beside its value as a constant, which tripled DuckDB's hashing (1M flights rows: 35 -> 12 ms)
     * for nothing the split needs; fingerprints made since say so by their prefix ({@code duckdb-row-hash-sum:}).
     */
    static String rowHash(Schema schema) {
        List<String> parts = new ArrayList<>();
        for (Field field : schema.fields()) {
            parts.add(Sql.quote(field.name()));
        }
        return "hash(" + String.join(", ", parts) + ")";
    }

    /** RANDOM: whether the row with this {@link #rowHash} goes to evaluation, exactly as the SQL of {@link #sql} decides. */
    boolean isEvaluation(long rowHash) {
        return isEvaluation(rowHash, cut());
    }

    /** As {@link #isEvaluation(long)} with the plan's {@link #cut()} taken once, for a loop over every row. */
    static boolean isEvaluation(long rowHash, long cut) {
        return Long.remainderUnsigned(rowHash, BUCKETS) < cut;
    }

    /** RANDOM: the bucket below which a row goes to evaluation. */
    long cut() {
        return Math.round(evalFraction * BUCKETS);
    }

    /**
     * For reading the training query once, before its row count is known: {@code SELECT *, [<flag>,] <hash high>, <hash
     * low>}, the {@link #rowHash} as two 32-bit halves (exact as doubles). Only CUSTOM has the flag ({@link #readsFlag});
     * RANDOM is decided from the hash ({@link #isEvaluation}) once the count is known, and NONE puts every row in
     * training. Not for SEQ ({@link #computedInRead}).
     */
    String sqlWithRowHash(String relation, String flag, String hashHigh, String hashLow, Schema schema) {
        if (kind == Kind.SEQ) {
            throw new IllegalStateException("SEQ splits need their threshold before the read");
        }
        // A user column named like the hash would be read in its place (probe ub F3c): the hash takes a name none has.
        List<String> taken = new ArrayList<>(schema.names());
        taken.addAll(List.of(flag, hashHigh, hashLow));
        String hash = Sql.quote(Sql.unusedName("__lathe_row_hash", taken));
        String hashed = "SELECT *, " + rowHash(schema) + " AS " + hash + " FROM (" + relation + ") AS __lathe_hash_input";
        String flagColumn = readsFlag() ? customFlag() + " AS " + Sql.quote(flag) + ", " : "";
        return "SELECT *, " + flagColumn + hash + " >> 32 AS " + Sql.quote(hashHigh)
                + ", " + hash + " & CAST(4294967295 AS UBIGINT) AS " + Sql.quote(hashLow) + " FROM (" + hashed
                + ") AS __lathe_split_input";
    }

    /**
     * Whether {@link #sqlWithRowHash} reads an evaluation flag: only for CUSTOM, whose kind does not depend on the row
     * count. RANDOM and NONE (which AUTO_SPLIT chooses between once the count is known) need none, and a 1M-row read
     * saves a column of 8 MB.
     */
    boolean readsFlag() {
        return kind == Kind.CUSTOM;
    }

    private String customFlag() {
        return "CASE WHEN " + Sql.quote(column) + " IS NULL OR " + Sql.quote(column) + " THEN 1 ELSE 0 END";
    }

    /** {@code SELECT *, <flag> FROM relation}, evaluated against {@code connection} for SEQ's threshold. */
    String sql(String relation, String flag, java.sql.Connection connection, Schema schema) {
        String expression = switch (kind) {
            case NONE -> "0";
            case CUSTOM -> customFlag();
            case RANDOM -> "CASE WHEN " + rowHash(schema) + " % " + BUCKETS + " < " + cut()
                    + " THEN 1 ELSE 0 END";
            case SEQ -> {
                // Spec 1.2: rows whose value is smaller than the threshold train, the rest (NULLs too) evaluate. The threshold
                // is the value of the first row past the lowest (1 - f) of the values, so 800 of 1..1000 train for f = 0.2,
                // and rows tied with it evaluate: on days of 100 rows each, f = 0.05 evaluates the last day (with "<=" the
                // tied group trained, and a small fraction left no evaluation rows; probe ps).
                String threshold = seqThreshold(relation, connection);
                yield threshold == null ? "0" : "CASE WHEN " + Sql.quote(column) + " < " + threshold + " THEN 0 ELSE 1 END";
            }
        };
        return "SELECT *, " + expression + " AS " + Sql.quote(flag) + " FROM (" + relation + ") AS __lathe_split_input";
    }

    /**
     * The value from which rows evaluate, as a literal: the split column's value at position floor((1 - fraction) x n)
     * of its n non-NULL values in ascending order; null when that is past the last (every non-NULL row trains).
     */
    private String seqThreshold(String relation, java.sql.Connection connection) {
        String count = "SELECT count(" + Sql.quote(column) + ") FROM (" + relation + ") AS __lathe_seq";
        long values;
        try (java.sql.Statement statement = connection.createStatement(); java.sql.ResultSet rows = statement.executeQuery(count)) {
            rows.next();
            values = rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw Sql.error(e, count);
        }
        long training = (long) Math.floor(values * (1.0 - evalFraction) + 1e-9); // 0.7 x 1000 is 700.0000000000001
        if (training >= values) {
            return null;
        }
        String sql = "SELECT " + Sql.quote(column) + " FROM (" + relation + ") AS __lathe_seq WHERE " + Sql.quote(column)
                + " IS NOT NULL ORDER BY " + Sql.quote(column) + " LIMIT 1 OFFSET " + training;
        try (java.sql.Statement statement = connection.createStatement(); java.sql.ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                return null;
            }
            Object value = rows.getObject(1);
            String type = rows.getMetaData().getColumnTypeName(1);
            return "CAST(" + Sql.literal(value.toString()) + " AS " + type + ")";
        } catch (java.sql.SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /** What to change when the split left no training rows. */
    String noTrainingAdvice() {
        return switch (kind) {
            case CUSTOM -> "every " + column + " is TRUE or NULL, which evaluate; rows whose " + column + " is FALSE train";
            case SEQ -> "no " + column + " is below the cut-off, the value at the (1 - data_split_eval_fraction) point: rows tied"
                    + " with it and NULLs evaluate; lower data_split_eval_fraction, split on a column with more distinct values, or"
                    + " use data_split_method = 'NO_SPLIT'";
            default -> "lower data_split_eval_fraction or use data_split_method = 'NO_SPLIT'";
        };
    }

    String describe() {
        return switch (kind) {
            case NONE -> "no split";
            case RANDOM -> String.format(Locale.ROOT, "random split, %.4f evaluation fraction", evalFraction);
            case SEQ -> "sequential split on " + column;
            case CUSTOM -> "custom split on " + column;
        };
    }
}
