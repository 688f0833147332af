package dev.lathe.features;

import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Validates a training label column and turns it into what a trainer takes. */
public final class Labels {
    private Labels() {}

    /** A numeric label; NULL, NaN and infinite values are rejected, naming how many and the first row. */
    public static RegressionLabels regression(Column label, String name) {
        return new RegressionLabels(name, checkRegression(label, name).values().clone());
    }

    /**
     * Checks a numeric label as {@link #regression} does and returns it as it is, its values not copied: for a caller that
     * checks every row once and then takes subsets of the rows it checked.
     */
    public static DoubleColumn checkRegression(Column label, String name) {
        return checkRegression(label, name, "training", 0);
    }

    /**
     * The labels of evaluation data ({@code label}'s rows start at row {@code firstRow} + 1 of it), checked as a training
     * label is, the failure naming the evaluation data.
     */
    public static double[] evaluationRegression(Column label, String name, long firstRow) {
        return checkRegression(label, name, "evaluation", firstRow).values();
    }

    private static DoubleColumn checkRegression(Column label, String name, String rows, long firstRow) {
        if (!(label instanceof DoubleColumn numbers)) {
            throw LatheException.invalidData("Label column '" + name + "' holds " + describe(label)
                    + " values; a regression model needs a numeric label (INT64, FLOAT64 or NUMERIC)");
        }
        int bad = 0;
        int firstBad = -1;
        for (int row = 0; row < numbers.size(); row++) {
            if (numbers.isNull(row) || !Double.isFinite(numbers.get(row))) {
                bad++;
                firstBad = firstBad < 0 ? row : firstBad;
            }
        }
        if (bad > 0) {
            String count = firstRow > 0 ? "" : bad + " "; // a later batch knows only its own rows
            throw LatheException.invalidData("Label column '" + name + "' is NULL, NaN or infinite in " + count + rows + " "
                    + (bad == 1 && firstRow == 0 ? "row" : "rows") + " (first at row " + (firstRow + firstBad + 1)
                    + "); labels must be finite numbers."
                    + " Filter them out, e.g. WHERE " + name + " IS NOT NULL");
        }
        return numbers;
    }

    /** As {@link #classification(Column, Field, String, int)}, naming no model type in the too-many-classes error. */
    public static ClassLabels classification(Column label, Field field, int maxClasses) {
        return classification(label, field, "this model type", maxClasses);
    }

    /**
     * A categorical label: at least 2 and at most {@code maxClasses} distinct non-NULL values, no NULL.
     *
     * @param modelType named in the too-many-classes error, e.g. {@code LOGISTIC_REG}
     */
    public static ClassLabels classification(Column label, Field field, String modelType, int maxClasses) {
        String name = field.name();
        return switch (label) {
            case StringColumn strings -> textClasses(strings, name, modelType, maxClasses);
            case DoubleColumn numbers -> {
                requireExactIntegers(numbers, field);
                yield numericClasses(numbers, name, modelType, maxClasses);
            }
            case TimestampColumn ignored -> throw unsupportedLabel(label, name);
            case StringArrayColumn ignored -> throw unsupportedLabel(label, name);
            case SparseVectorColumn ignored -> throw unsupportedLabel(label, name);
        };
    }

    /** 2^53: from here on a FLOAT64 no longer holds every INT64, and the training read carries numbers as FLOAT64. */
    private static final double EXACT_INTEGERS = 9007199254740992.0;

    /**
     * An INT64 class label beyond 2^53 reached training rounded: 9007199254740993 and ...995 became classes ...992 and
     * ...996, labels that never occurred (probe H). Refused, with the cast that keeps such ids exact.
     */
    private static void requireExactIntegers(DoubleColumn numbers, Field field) {
        if (field.type() != dev.lathe.core.DataType.INT64) {
            return;
        }
        for (int row = 0; row < numbers.size(); row++) {
            if (!numbers.isNull(row) && Math.abs(numbers.get(row)) >= EXACT_INTEGERS) {
                throw LatheException.invalidData("Label column '" + field.name() + "' holds about " + String.format(java.util.Locale.ROOT,
                        "%.0f", numbers.get(row)) + " (training row " + (row + 1) + "), an INT64 class label beyond 2^53, which Lathe's"
                        + " classifiers cannot keep exact; give the label as text: CAST(" + field.name() + " AS STRING)");
            }
        }
    }

    /** Numbers: classes in numeric order, each named by its display form (INT64 3 is class "3"). */
    private static ClassLabels numericClasses(DoubleColumn numbers, String name, String modelType, int maxClasses) {
        String[] rendered = new String[numbers.size()];
        int bad = 0;
        int firstBad = -1;
        for (int row = 0; row < rendered.length; row++) {
            if (numbers.isNull(row) || Double.isNaN(numbers.get(row))) {
                bad++;
                firstBad = firstBad < 0 ? row : firstBad;
            } else {
                rendered[row] = InputColumn.renderNumber(numbers.get(row));
            }
        }
        if (bad > 0) {
            throw nullLabels(name, bad, firstBad);
        }
        TreeMap<Double, String> byValue = new TreeMap<>();
        for (int row = 0; row < rendered.length; row++) {
            byValue.putIfAbsent(numbers.get(row), rendered[row]);
        }
        List<String> classes = new ArrayList<>(byValue.values());
        requireClassCount(name, classes, modelType, maxClasses);
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            indexOf.put(classes.get(i), i);
        }
        int[] indices = new int[rendered.length];
        for (int row = 0; row < indices.length; row++) {
            indices[row] = indexOf.get(rendered[row]);
        }
        return new ClassLabels(name, classes, indices);
    }

    /**
     * Text: classes in text order (BOOL renders as false/true, which this order puts false first), found from the
     * dictionary codes: the rows are passed over as ints and each distinct value is handled once, not once per row (a
     * one-shot CREATE MODEL runs these loops interpreted: Adult's labels took 30 ms there through a String and a map
     * lookup per row).
     */
    private static ClassLabels textClasses(StringColumn label, String name, String modelType, int maxClasses) {
        int[] codes = label.codes();
        boolean[] used = new boolean[label.dictionary().size()];
        int bad = 0;
        int firstBad = -1;
        for (int row = 0; row < codes.length; row++) {
            int code = codes[row];
            if (code < 0) {
                bad++;
                firstBad = firstBad < 0 ? row : firstBad;
            } else {
                used[code] = true;
            }
        }
        if (bad > 0) {
            throw nullLabels(name, bad, firstBad);
        }
        TreeSet<String> distinct = new TreeSet<>(Labels::codePointOrder);
        for (int code = 0; code < used.length; code++) {
            if (used[code]) {
                distinct.add(label.dictionary().get(code));
            }
        }
        List<String> classes = new ArrayList<>(distinct);
        requireClassCount(name, classes, modelType, maxClasses);
        return new ClassLabels(name, classes, ClassLabels.indexOf(classes, label));
    }

    /**
     * Text order as BigQuery and DuckDB compare STRING (by code point, which is UTF-8's byte order), not Java's UTF-16 order,
     * where a character beyond U+FFFF sorts below U+E000..U+FFFF: with labels '😀' and 'ｚ' the positive (higher) class, the
     * _probs order and the confusion matrix's order were the other one's (probe rb).
     */
    static int codePointOrder(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return inCodePointOrder(x) - inCodePointOrder(y);
            }
        }
        return a.length() - b.length();
    }

    /** Surrogates (U+D800..U+DFFF) moved above U+E000..U+FFFF, the rest as it is: UTF-16 units that sort as code points. */
    private static int inCodePointOrder(char c) {
        return c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    private static LatheException nullLabels(String name, int bad, int firstBad) {
        return LatheException.invalidData("Label column '" + name + "' is NULL (or NaN) in " + bad + " training "
                + (bad == 1 ? "row" : "rows") + " (first at row " + (firstBad + 1) + "); every training row needs a"
                + " label. Filter them out, e.g. WHERE " + name + " IS NOT NULL");
    }

    private static void requireClassCount(String name, List<String> classes, String modelType, int maxClasses) {
        if (classes.size() < 2) {
            throw LatheException.invalidData("Label column '" + name + "' has " + classes.size() + " distinct value"
                    + (classes.size() == 1 ? " ('" + classes.getFirst() + "')" : "s")
                    + "; a classifier needs at least 2 classes in the training data");
        }
        if (classes.size() > maxClasses) {
            throw LatheException.invalidData("Label column '" + name + "' has " + classes.size() + " distinct values; "
                    + modelType + " supports at most " + maxClasses + " classes");
        }
    }

    private static LatheException unsupportedLabel(Column label, String name) {
        return LatheException.invalidData("Label column '" + name + "' holds " + describe(label) + " values; a classifier"
                + " needs a STRING, BOOL or numeric label");
    }

    private static String describe(Column label) {
        return switch (label) {
            case DoubleColumn ignored -> "numeric";
            case StringColumn ignored -> "text (STRING, BOOL, DATE, ...)";
            case TimestampColumn ignored -> "TIMESTAMP";
            case StringArrayColumn ignored -> "ARRAY<STRING>";
            case SparseVectorColumn ignored -> "ARRAY<STRUCT<index, value>>";
        };
    }

    /** A numeric label as its class is named: a whole number as its digits ("2", not "2.0"). */
    public static String renderNumber(double value) {
        return InputColumn.renderNumber(value);
    }
}
