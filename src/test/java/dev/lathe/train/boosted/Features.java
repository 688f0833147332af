package dev.lathe.train.boosted;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Test-side encoder following spec section 2.3 for trees: numbers as is (missing = NaN), categoricals
 * label-encoded (training vocabulary sorted alphabetically from 1, NULL and unseen 0) or one-hot
 * (one column per training value).
 */
final class Features {
    private final List<String> numeric;
    private final List<String> categorical;
    private final List<List<String>> vocabularies;
    private final boolean oneHot;

    private Features(List<String> numeric, List<String> categorical, List<List<String>> vocabularies, boolean oneHot) {
        this.numeric = numeric;
        this.categorical = categorical;
        this.vocabularies = vocabularies;
        this.oneHot = oneHot;
    }

    static Features labelEncoded(Table training, List<String> numeric, List<String> categorical) {
        return new Features(numeric, categorical, vocabularies(training, categorical), false);
    }

    static Features oneHot(Table training, List<String> numeric, List<String> categorical) {
        return new Features(numeric, categorical, vocabularies(training, categorical), true);
    }

    private static List<List<String>> vocabularies(Table training, List<String> categorical) {
        List<List<String>> vocabularies = new ArrayList<>();
        for (String column : categorical) {
            TreeSet<String> values = new TreeSet<>();
            for (int row = 0; row < training.size(); row++) {
                training.value(row, column).ifPresent(values::add);
            }
            vocabularies.add(List.copyOf(values));
        }
        return vocabularies;
    }

    FeatureLayout layout() {
        List<EncodedColumn> columns = new ArrayList<>();
        for (String name : numeric) {
            columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.NUMERIC, Optional.empty(), 0, 1));
        }
        for (int c = 0; c < categorical.size(); c++) {
            String name = categorical.get(c);
            if (oneHot) {
                for (String value : vocabularies.get(c)) {
                    columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.ONE_HOT, Optional.of(value), 0, 1));
                }
            } else {
                columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.ORDINAL, Optional.empty(), 0, 1));
            }
        }
        return new FeatureLayout(columns);
    }

    DenseMatrix encode(Table table) {
        FeatureLayout layout = layout();
        int cols = layout.size();
        double[] data = new double[table.size() * cols];
        for (int row = 0; row < table.size(); row++) {
            int col = 0;
            for (String name : numeric) {
                data[row * cols + col++] = table.value(row, name).map(Double::parseDouble).orElse(Double.NaN);
            }
            for (int c = 0; c < categorical.size(); c++) {
                Optional<String> value = table.value(row, categorical.get(c));
                List<String> vocabulary = vocabularies.get(c);
                if (oneHot) {
                    for (String category : vocabulary) {
                        data[row * cols + col++] = value.filter(category::equals).isPresent() ? 1 : 0;
                    }
                } else {
                    data[row * cols + col++] = value.map(v -> vocabulary.indexOf(v) + 1).orElse(0);
                }
            }
        }
        return new DenseMatrix(table.size(), cols, data, layout.names());
    }
}
