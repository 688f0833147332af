package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.StringColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TARGET_ENCODING: each training category becomes a statistic of the label over its rows; NULL and categories
 * unseen in training get the statistic over all training rows. Regression: the mean label (one column). Two
 * classes: P(class index 1) (one column). K &gt; 2 classes: K columns, P(class k) for k in class index order; their
 * EncodedColumn category names the class label.
 */
final class TargetEncoder implements FeatureEncoder {
    private final String feature;
    private final List<String> categories;
    private final List<String> targetNames;
    private final double[][] encodings;
    private final double[] fallback;
    private final Map<String, Integer> indexOf;

    /**
     * @param targetNames empty for a single column, else the class label of each column
     * @param encodings per column, the statistic of each category (same order as {@code categories})
     * @param fallback per column, the statistic over all training rows
     */
    TargetEncoder(String feature, List<String> categories, List<String> targetNames, double[][] encodings, double[] fallback) {
        this.feature = requireNonNull(feature, "feature is null");
        this.categories = List.copyOf(categories);
        this.targetNames = List.copyOf(targetNames);
        this.encodings = requireNonNull(encodings, "encodings is null").clone();
        this.fallback = requireNonNull(fallback, "fallback is null").clone();
        int width = this.targetNames.isEmpty() ? 1 : this.targetNames.size();
        if (this.encodings.length != width || this.fallback.length != width) {
            throw new IllegalArgumentException("expected " + width + " target columns for " + feature);
        }
        this.indexOf = new HashMap<>();
        for (int i = 0; i < this.encodings.length; i++) {
            this.encodings[i] = this.encodings[i].clone();
            if (this.encodings[i].length != this.categories.size()) {
                throw new IllegalArgumentException("one encoding per category expected for " + feature);
            }
        }
        for (String category : this.categories) {
            indexOf.put(category, indexOf.size());
        }
    }

    static TargetEncoder fit(String feature, StringColumn values, EncodingTarget target) {
        List<String> categories = InputColumn.usedValues(values).stream().distinct().sorted().toList();
        Map<String, Integer> indexOf = new HashMap<>();
        categories.forEach(category -> indexOf.put(category, indexOf.size()));
        int[] categoryOfRow = new int[values.size()];
        for (int row = 0; row < categoryOfRow.length; row++) {
            String value = values.get(row);
            categoryOfRow[row] = value == null ? -1 : indexOf.get(value);
        }
        return switch (target) {
            case EncodingTarget.Values regression -> {
                double[][] encodings = {means(categoryOfRow, categories.size(), regression.values())};
                double[] fallback = {mean(regression.values())};
                yield new TargetEncoder(feature, categories, List.of(), encodings, fallback);
            }
            case EncodingTarget.Classes classes -> {
                int classCount = classes.classLabels().size();
                List<Integer> encodedClasses = new ArrayList<>();
                if (classCount == 2) {
                    encodedClasses.add(1);
                } else {
                    for (int k = 0; k < classCount; k++) {
                        encodedClasses.add(k);
                    }
                }
                double[][] encodings = new double[encodedClasses.size()][];
                double[] fallback = new double[encodedClasses.size()];
                for (int column = 0; column < encodedClasses.size(); column++) {
                    double[] isClass = indicator(classes.classIndices(), encodedClasses.get(column));
                    encodings[column] = means(categoryOfRow, categories.size(), isClass);
                    fallback[column] = mean(isClass);
                }
                List<String> names = classCount == 2 ? List.of()
                        : encodedClasses.stream().map(k -> classes.classLabels().get(k)).toList();
                yield new TargetEncoder(feature, categories, names, encodings, fallback);
            }
        };
    }

    List<String> categories() {
        return categories;
    }

    List<String> targetNames() {
        return targetNames;
    }

    double[][] encodings() {
        double[][] copy = new double[encodings.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = encodings[i].clone();
        }
        return copy;
    }

    @Override
    public Optional<List<String>> vocabulary() {
        return Optional.of(categories);
    }

    double[] fallback() {
        return fallback.clone();
    }

    @Override
    public String feature() {
        return feature;
    }

    @Override
    public List<EncodedColumn> columns() {
        if (targetNames.isEmpty()) {
            return List.of(new EncodedColumn(feature, feature, EncodedColumn.Kind.ORDINAL, Optional.empty(), 0, 1));
        }
        return targetNames.stream()
                .map(name -> new EncodedColumn(feature, feature, EncodedColumn.Kind.ORDINAL, Optional.of(name), 0, 1))
                .toList();
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        StringColumn values = input.categorical();
        int[] categoryOfCode = new int[values.dictionary().size()];
        for (int code = 0; code < categoryOfCode.length; code++) {
            categoryOfCode[code] = indexOf.getOrDefault(values.dictionary().get(code), -1);
        }
        int[] codes = values.codes();
        for (int row = 0; row < codes.length; row++) {
            int category = codes[row] < 0 ? -1 : categoryOfCode[codes[row]];
            for (int column = 0; column < encodings.length; column++) {
                out[row * stride + offset + column] = category < 0 ? fallback[column] : encodings[column][category];
            }
        }
    }

    private static double[] means(int[] categoryOfRow, int categoryCount, double[] target) {
        double[] sums = new double[categoryCount];
        long[] counts = new long[categoryCount];
        for (int row = 0; row < categoryOfRow.length; row++) {
            if (categoryOfRow[row] >= 0) {
                sums[categoryOfRow[row]] += target[row];
                counts[categoryOfRow[row]]++;
            }
        }
        for (int category = 0; category < categoryCount; category++) {
            sums[category] /= counts[category];
        }
        return sums;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double[] indicator(int[] classIndices, int k) {
        double[] isClass = new double[classIndices.length];
        for (int row = 0; row < isClass.length; row++) {
            isClass[row] = classIndices[row] == k ? 1 : 0;
        }
        return isClass;
    }
}
