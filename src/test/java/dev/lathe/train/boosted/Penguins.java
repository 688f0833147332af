package dev.lathe.train.boosted;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.TrainingSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Palmer penguins (CC0, in test resources) prepared three ways: body mass regression, species
 * (3 classes) and sex (binary). Every fifth row is held out as the test split.
 */
final class Penguins {
    static final List<String> NUMERIC = List.of("bill_length_mm", "bill_depth_mm", "flipper_length_mm");

    final Table train;
    final Table test;
    final Features features;
    final String label;
    final List<String> classLabels;

    private Penguins(Table all, String label, List<String> numeric, List<String> categorical, boolean oneHot) {
        Table labelled = all.filter(row -> row.get(all.column(label)).isPresent());
        this.train = labelled.rowsWhere(i -> i % 5 != 0);
        this.test = labelled.rowsWhere(i -> i % 5 == 0);
        this.features = oneHot ? Features.oneHot(train, numeric, categorical) : Features.labelEncoded(train, numeric, categorical);
        this.label = label;
        if (numeric.contains(label) || label.equals("body_mass_g")) {
            this.classLabels = List.of();
        } else {
            TreeSet<String> values = new TreeSet<>();
            for (int row = 0; row < labelled.size(); row++) {
                values.add(labelled.value(row, label).orElseThrow());
            }
            this.classLabels = List.copyOf(values);
        }
    }

    static Penguins bodyMass() {
        return new Penguins(Table.resource("penguins.csv"), "body_mass_g", NUMERIC, List.of("species", "island", "sex"), false);
    }

    static Penguins bodyMassOneHot() {
        return new Penguins(Table.resource("penguins.csv"), "body_mass_g", NUMERIC, List.of("species", "island", "sex"), true);
    }

    static Penguins species() {
        return new Penguins(Table.resource("penguins.csv"), "species", List.of("bill_length_mm", "bill_depth_mm",
                "flipper_length_mm", "body_mass_g"), List.of("island", "sex"), false);
    }

    static Penguins sex() {
        return new Penguins(Table.resource("penguins.csv"), "sex", List.of("bill_length_mm", "bill_depth_mm",
                "flipper_length_mm", "body_mass_g"), List.of("species", "island"), false);
    }

    double[] labels(Table table) {
        double[] labels = new double[table.size()];
        for (int row = 0; row < table.size(); row++) {
            String value = table.value(row, label).orElseThrow();
            labels[row] = classLabels.isEmpty() ? Double.parseDouble(value) : classLabels.indexOf(value);
        }
        return labels;
    }

    DenseMatrix testMatrix() {
        return features.encode(test);
    }

    double[] testLabels() {
        return labels(test);
    }

    /** All non-test rows for training, no evaluation split (BigQuery ML's AUTO_SPLIT below 500 rows). */
    TrainingSet trainingSet() {
        return TestData.trainingSet(features.encode(train), labels(train), Optional.empty(), new double[0], classLabels,
                features.layout());
    }

    /** The test rows doubling as the evaluation split, for early stopping on eval loss. */
    TrainingSet trainingSetWithEval() {
        return TestData.trainingSet(features.encode(train), labels(train), Optional.of(testMatrix()), testLabels(), classLabels,
                features.layout());
    }
}
