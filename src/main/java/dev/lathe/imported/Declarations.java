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

    /** The file's column named like {@code declared} (any case). */
    static Optional<ImportedColumn> find(List<ImportedColumn> columns, String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    static LatheException typeMismatch(String clause, ImportedColumn declared, ImportedColumn inFile, String format) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, clause + " column '" + declared.name() + "' is declared "
                + declared.type() + " but the " + format + " model's " + (clause.equals("INPUT") ? "input" : "output") + " '"
                + inFile.name() + "' is " + inFile.type() + "; declare it as " + inFile.type());
    }

    /**
     * OUTPUT(...) selects and orders outputs the file has, with the file's types; no clause keeps them all.
     */
    static List<ImportedColumn> outputs(List<ImportedColumn> inFile, List<ImportedColumn> declared, String format) {
        if (declared.isEmpty()) {
            return inFile;
        }
        List<ImportedColumn> selected = new ArrayList<>();
        for (ImportedColumn column : declared) {
            ImportedColumn match = find(inFile, column.name()).orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT,
                    "OUTPUT column '" + column.name() + "' is not an output of the " + format + " model; its outputs are: "
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
