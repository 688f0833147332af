package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The training label, which only TARGET_ENCODING needs: categories are replaced by a statistic of the label.
 */
public sealed interface EncodingTarget {
    /** Number of rows the target covers. */
    int size();

    /** Regression: each category becomes the mean label of its training rows. */
    record Values(double[] values) implements EncodingTarget {
        public Values {
            requireNonNull(values, "values is null");
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /**
     * Classification: with two classes a category becomes P(label = class index 1), the positive class; with K &gt; 2
     * classes it becomes K columns, P(label = class k) for each class k in class index order.
     */
    record Classes(int[] classIndices, List<String> classLabels) implements EncodingTarget {
        public Classes {
            requireNonNull(classIndices, "classIndices is null");
            classLabels = List.copyOf(classLabels);
            if (classLabels.size() < 2) {
                throw new IllegalArgumentException("at least 2 classes needed, got " + classLabels);
            }
        }

        @Override
        public int size() {
            return classIndices.length;
        }
    }

    static EncodingTarget of(RegressionLabels labels) {
        return new Values(labels.values());
    }

    static EncodingTarget of(ClassLabels labels) {
        return new Classes(labels.indices(), labels.classes());
    }
}
