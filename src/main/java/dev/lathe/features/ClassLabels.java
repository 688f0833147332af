package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classification label column: the distinct classes in ascending order (numbers numerically, BOOL false before
 * true, text lexicographically) rendered as display strings, and each training row's class index. With two
 * classes index 1 (the larger value) is the positive class, as in BigQuery ML.
 *
 * @param name the label column
 * @param classes the class labels as shown in ML.PREDICT's probabilities: integral numbers without ".0"
 * @param indices per training row, its index into {@code classes}
 */
public record ClassLabels(String name, List<String> classes, int[] indices) {
    public ClassLabels {
        requireNonNull(name, "name is null");
        classes = List.copyOf(classes);
        requireNonNull(indices, "indices is null");
    }

    public int numClasses() {
        return classes.size();
    }

    /** The training class indices as doubles, the form {@code TrainingSet.labels} takes. */
    public double[] indicesAsDoubles() {
        return Arrays.stream(indices).asDoubleStream().toArray();
    }

    /**
     * The class index of each row of a label column of new data (evaluation): -1 for NULL and for a value that was
     * not a training class. Numbers are matched by their display form, so INT64 3 matches class "3".
     */
    public int[] indexOf(Column label) {
        return indexOf(classes, label);
    }

    /** As {@link #indexOf(Column)}, for {@code classes} in class-index order. */
    static int[] indexOf(List<String> classes, Column label) {
        Map<String, Integer> indexOfClass = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            indexOfClass.put(classes.get(i), i);
        }
        int[] result = new int[label.size()];
        switch (label) {
            case StringColumn strings -> { // each dictionary value looked up once, then each row by its code
                int[] classOfCode = new int[strings.dictionary().size()];
                for (int code = 0; code < classOfCode.length; code++) {
                    classOfCode[code] = indexOfClass.getOrDefault(strings.dictionary().get(code), -1);
                }
                int[] codes = strings.codes();
                for (int row = 0; row < result.length; row++) {
                    result[row] = codes[row] < 0 ? -1 : classOfCode[codes[row]];
                }
            }
            case DoubleColumn numbers -> {
                for (int row = 0; row < result.length; row++) {
                    boolean missing = numbers.isNull(row) || Double.isNaN(numbers.get(row));
                    result[row] = missing ? -1 : indexOfClass.getOrDefault(InputColumn.renderNumber(numbers.get(row)), -1);
                }
            }
            case TimestampColumn ignored -> Arrays.fill(result, -1);
            case StringArrayColumn ignored -> Arrays.fill(result, -1);
            case SparseVectorColumn ignored -> Arrays.fill(result, -1);
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassLabels that && name.equals(that.name) && classes.equals(that.classes)
                && Arrays.equals(indices, that.indices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + classes.hashCode()) + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "ClassLabels[name=" + name + ", classes=" + classes + ", rows=" + indices.length + "]";
    }
}
