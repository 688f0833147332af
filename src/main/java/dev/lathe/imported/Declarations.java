package dev.lathe.imported;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks INPUT(...)/OUTPUT(...) clauses against what the model file says. */
final class Declarations {
    private Declarations() {}

    /** Declared input types must be numbers: the feature matrix is numeric. */
    static void requireNumericInputs(List<ImportedColumn> declared, String format) {
        for (ImportedColumn column : declared) {
            if (!column.isNumericScalar()) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "INPUT column '" + column.name() + "' of the " + format
                        + " model is " + column.type() + "; imported models take FLOAT64, INT64 or BOOL inputs");
            }
        }
    }

    /**
     * The column of {@code columns} named {@code name}: the one spelled exactly so, else the one named so in another case.
     * Several of the latter are refused naming them ({@code subject} says what {@code name} is, e.g. "OUTPUT column", and
     * {@code what} whose the columns are, e.g. "the ONNX model's outputs"): the first was taken, so OUTPUT(Y) read the
     * tensor y of a graph with outputs y and Y (probe sa).
     */
    static Optional<ImportedColumn> find(List<ImportedColumn> columns, String name, String subject, String what) {
        Optional<ImportedColumn> exact = columns.stream().filter(c -> c.name().equals(name)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<ImportedColumn> alike = columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).toList();
        if (alike.size() > 1) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, subject + " '" + name + "' matches " + alike.size() + " of " + what
                    + " in another case: " + String.join(", ", alike.stream().map(c -> "'" + c.name() + "'").toList())
                    + "; write the name exactly as the one you mean");
        }
        return alike.stream().findFirst();
    }

    static LatheException typeMismatch(String clause, ImportedColumn declared, ImportedColumn inFile, String format) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, clause + " column '" + declared.name() + "' is declared "
                + declared.type() + " but the " + format + " model's " + (clause.equals("INPUT") ? "input" : "output") + " '"
                + inFile.name() + "' is " + inFile.type() + "; declare it as " + inFile.type());
    }

    /** The first two of {@code columns} whose names are equal ignoring case (one column name in SQL), or empty. */
    static Optional<List<ImportedColumn>> alike(List<ImportedColumn> columns) {
        java.util.Map<String, ImportedColumn> seen = new java.util.HashMap<>();
        for (ImportedColumn column : columns) {
            ImportedColumn before = seen.putIfAbsent(lower(column.name()), column);
            if (before != null) {
                return Optional.of(List.of(before, column));
            }
        }
        return Optional.empty();
    }

    /** Two columns {@link #alike} found: "'a' twice", or "'a' and 'A', one column name in SQL (...)". */
    private static String describe(List<ImportedColumn> pair) {
        return pair.get(0).name().equals(pair.get(1).name()) ? "'" + pair.get(0).name() + "' twice" : "'" + pair.get(0).name()
                + "' and '" + pair.get(1).name() + "', one column name in SQL (names are case-insensitive)";
    }

    /**
     * Inputs named alike but for case (or twice) would be one input column: refused naming both. {@code source} says where the
     * names come from in the file (e.g. "its feature_names") and {@code fix} how to change them there; a null {@code source}
     * means INPUT(...) gave them. The feature pipeline's refusal spoke of a "training query" an import does not have (probe sa).
     */
    static void requireDistinctInputs(List<ImportedColumn> inputs, String format, String source, String fix) {
        alike(inputs).ifPresent(pair -> {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, source == null
                    ? "INPUT(...) lists " + describe(pair) + "; give each input a distinct name"
                    : "The " + format + " model file names two inputs alike (" + source + "): " + describe(pair) + "; " + fix);
        });
    }

    /**
     * OUTPUT(...) selects and orders outputs the file has, with the file's types; no clause keeps them all. Two outputs
     * named alike but for case are refused: every ML.PREDICT failed with DuckDB's "Column with name Y already exists!" (probe sa).
     */
    static List<ImportedColumn> outputs(List<ImportedColumn> inFile, List<ImportedColumn> declared, String format) {
        // the declared names, where given: two alike select two outputs alike (or one output twice)
        alike(declared.isEmpty() ? inFile : declared).ifPresent(pair -> {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, declared.isEmpty()
                    ? "The " + format + " model has outputs " + describe(pair) + "; list the outputs you want in INPUT(...)"
                            + " OUTPUT(...), one of these two at most (e.g. OUTPUT (" + pair.get(1) + "))"
                    : "OUTPUT(...) lists " + describe(pair) + "; the " + format + " model's outputs keep their names in the"
                            + " file, so list each output once");
        });
        return declared.isEmpty() ? inFile : select(inFile, declared, format);
    }

    private static List<ImportedColumn> select(List<ImportedColumn> inFile, List<ImportedColumn> declared, String format) {
        List<ImportedColumn> selected = new ArrayList<>();
        for (ImportedColumn column : declared) {
            ImportedColumn match = find(inFile, column.name(), "OUTPUT column", "the " + format + " model's outputs")
                    .orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "OUTPUT column '" + column.name()
                            + "' is not an output of the " + format + " model; its outputs are: "
                            + String.join(", ", inFile.stream().map(ImportedColumn::toString).toList())));
            if (!match.type().equals(column.type())) {
                throw typeMismatch("OUTPUT", column, match, format);
            }
            selected.add(match);
        }
        return selected;
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
