package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A column handed to an encoder, with the field it arrived as and the field the model was trained on, so a
 * type mismatch can be converted where that is lossless (numbers as categories, numeric text as numbers) and
 * reported otherwise.
 */
record InputColumn(Column column, Field actual, Field trained) {
    InputColumn {
        requireNonNull(column, "column is null");
        requireNonNull(actual, "actual is null");
        requireNonNull(trained, "trained is null");
    }

    int rowCount() {
        return column.size();
    }

    /** The values as numbers; text that parses as a number is accepted, as BigQuery's implicit coercion would. */
    DoubleColumn numeric() {
        return switch (column) {
            case DoubleColumn doubles -> doubles;
            case StringColumn strings -> parseNumbers(strings);
            case TimestampColumn ignored -> throw mismatch("INT64, FLOAT64, NUMERIC or numeric text");
            case StringArrayColumn ignored -> throw mismatch("INT64, FLOAT64, NUMERIC or numeric text");
            case SparseVectorColumn ignored -> throw mismatch("INT64, FLOAT64, NUMERIC or numeric text");
        };
    }

    /** The values as categories; numbers are rendered as text (integers without a fraction). */
    StringColumn categorical() {
        return switch (column) {
            case StringColumn strings -> strings;
            case DoubleColumn doubles -> renderNumbers(doubles);
            case TimestampColumn ignored -> throw mismatch("STRING, BOOL, BYTES, DATE, DATETIME, TIME or a number");
            case StringArrayColumn ignored -> throw mismatch("STRING, BOOL, BYTES, DATE, DATETIME, TIME or a number");
            case SparseVectorColumn ignored -> throw mismatch("STRING, BOOL, BYTES, DATE, DATETIME, TIME or a number");
        };
    }

    TimestampColumn timestamp() {
        if (column instanceof TimestampColumn timestamps) {
            return timestamps;
        }
        throw mismatch("TIMESTAMP");
    }

    StringArrayColumn stringArray() {
        if (column instanceof StringArrayColumn arrays) {
            return arrays;
        }
        throw mismatch("ARRAY<STRING>");
    }

    SparseVectorColumn sparseVector() {
        if (column instanceof SparseVectorColumn vectors) {
            return vectors;
        }
        throw mismatch("ARRAY<STRUCT<index INT64, value FLOAT64>>");
    }

    private LatheException mismatch(String accepted) {
        return new LatheException(ErrorCode.INVALID_DATA, "Column '" + actual.name() + "' has type "
                + actual.type().bigQueryName() + " but the model was trained on it as " + trained.type().bigQueryName()
                + "; accepted types for this feature: " + accepted);
    }

    private DoubleColumn parseNumbers(StringColumn strings) {
        // Only the dictionary entries some row uses are parsed: an unused entry must not fail the batch.
        double[] parsedDictionary = new double[strings.dictionary().size()];
        boolean[] parsed = new boolean[parsedDictionary.length];
        int[] codes = strings.codes();
        double[] values = new double[codes.length];
        BitSet nulls = new BitSet(codes.length);
        for (int row = 0; row < codes.length; row++) {
            int code = codes[row];
            if (code < 0) {
                values[row] = Double.NaN;
                nulls.set(row);
                continue;
            }
            if (!parsed[code]) {
                parsedDictionary[code] = parseNumber(strings.dictionary().get(code));
                parsed[code] = true;
            }
            values[row] = parsedDictionary[code];
        }
        return new DoubleColumn(values, nulls);
    }

    private double parseNumber(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Column '" + actual.name() + "' has type "
                    + actual.type().bigQueryName() + " with value '" + text + "', which is not a number; the model was"
                    + " trained on it as " + trained.type().bigQueryName() + "; cast it or pass numeric values");
        }
    }

    private static StringColumn renderNumbers(DoubleColumn doubles) {
        String[] rendered = new String[doubles.size()];
        for (int row = 0; row < rendered.length; row++) {
            rendered[row] = doubles.isNull(row) ? null : renderNumber(doubles.get(row));
        }
        return StringColumn.of(rendered);
    }

    /** Integral values without a fraction ("3", not "3.0"), like BigQuery's CAST of an INT64. */
    static String renderNumber(double value) {
        // every whole number a FLOAT64 holds exactly (below 2^53) as its digits: an INT64 class 9007199254740991 was
        // "9.007199254740991E15" (probe H)
        if (value == Math.rint(value) && Math.abs(value) < 9007199254740992.0) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Dictionary codes as the distinct values in the order they are used; a convenience for fitting. */
    static List<String> usedValues(StringColumn column) {
        boolean[] used = new boolean[column.dictionary().size()];
        for (int code : column.codes()) {
            if (code >= 0) {
                used[code] = true;
            }
        }
        List<String> values = new ArrayList<>();
        for (int code = 0; code < used.length; code++) {
            if (used[code]) {
                values.add(column.dictionary().get(code));
            }
        }
        return values;
    }
}
