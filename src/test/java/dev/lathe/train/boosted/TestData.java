package dev.lathe.train.boosted;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/** Builders for training sets, options and metrics used by the tree tests. */
final class TestData {
    private TestData() {}

    static TrainingSet trainingSet(DenseMatrix train, double[] labels, Optional<DenseMatrix> eval, double[] evalLabels,
            List<String> classLabels, FeatureLayout layout) {
        return new TrainingSet(train, labels, ones(labels.length), eval, evalLabels, ones(evalLabels.length), classLabels, layout,
                Optional.empty());
    }

    static TrainingSet withWeights(TrainingSet data, double[] weights) {
        return new TrainingSet(data.train(), data.labels(), weights, data.eval(), data.evalLabels(), data.evalWeights(),
                data.classLabels(), data.layout(), data.initialCentroids());
    }

    static double[] ones(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    /** Options as a user would write them in OPTIONS(...), resolved against the family's specs. */
    static ModelOptions options(TreeFamily family, Map<String, Object> given) {
        List<OptionAssignment> assignments = new ArrayList<>();
        given.forEach((name, value) -> assignments.add(new OptionAssignment(name, literal(value), Position.UNKNOWN)));
        return family.validate(ModelOptions.resolve(assignments, family.options(), family.modelType()));
    }

    private static OptionValue literal(Object value) {
        return switch (value) {
            case Boolean b -> new OptionValue.BoolValue(b, Position.UNKNOWN);
            case Integer i -> new OptionValue.NumberValue(BigDecimal.valueOf(i), true, Position.UNKNOWN);
            case Long l -> new OptionValue.NumberValue(BigDecimal.valueOf(l), true, Position.UNKNOWN);
            case Double d -> new OptionValue.NumberValue(BigDecimal.valueOf(d), false, Position.UNKNOWN);
            case String s -> new OptionValue.StringValue(s, Position.UNKNOWN);
            default -> throw new IllegalArgumentException("unsupported literal " + value);
        };
    }

    static double[] positiveScores(Predictions predictions) {
        Predictions.Probabilities probabilities = (Predictions.Probabilities) predictions;
        return IntStream.range(0, probabilities.rows()).mapToDouble(row -> probabilities.get(row, 1)).toArray();
    }

    /** ROC AUC as the Mann-Whitney statistic, ties counted half. */
    static double auc(double[] scores, double[] labels) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1.0) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double rSquared(double[] predicted, double[] actual) {
        double mean = Arrays.stream(actual).average().orElseThrow();
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return 1 - residual / total;
    }

    static double logLoss(Predictions.Probabilities probabilities, double[] labels) {
        double sum = 0;
        for (int row = 0; row < labels.length; row++) {
            sum -= Math.log(Math.max(1e-15, probabilities.get(row, (int) labels[row])));
        }
        return sum / labels.length;
    }

    /** The rows, then as many rows mixing columns of random rows with about a fifth of the values missing. */
    static DenseMatrix withMixedAndMissingRows(DenseMatrix rows) {
        Random random = new Random(42);
        int n = rows.rows();
        int cols = rows.cols();
        double[] data = new double[2 * n * cols];
        System.arraycopy(rows.data(), 0, data, 0, n * cols);
        for (int row = n; row < 2 * n; row++) {
            for (int col = 0; col < cols; col++) {
                data[row * cols + col] = random.nextInt(5) == 0 ? Double.NaN : rows.get(random.nextInt(n), col);
            }
        }
        return new DenseMatrix(2 * n, cols, data, rows.columnNames());
    }

    static DenseMatrix firstRows(DenseMatrix matrix, int rows) {
        int n = Math.min(rows, matrix.rows());
        return new DenseMatrix(n, matrix.cols(), java.util.Arrays.copyOf(matrix.data(), n * matrix.cols()), matrix.columnNames());
    }

    static DenseMatrix firstColumns(DenseMatrix matrix, int cols) {
        double[] data = new double[matrix.rows() * cols];
        for (int row = 0; row < matrix.rows(); row++) {
            System.arraycopy(matrix.data(), row * matrix.cols(), data, row * cols, cols);
        }
        return new DenseMatrix(matrix.rows(), cols, data, matrix.columnNames().subList(0, cols));
    }

    /**
     * UCI Adult's training rows, label-encoded as BigQuery ML does (income &gt;50K = 1), all rows for
     * training; empty when ${lathe.shared.dir}/datasets has no Adult (it may not be copied here).
     */
    static Optional<TrainingSet> adultTraining() {
        Optional<java.nio.file.Path> trainPath = Table.shared("adult_train.csv");
        if (trainPath.isEmpty()) {
            return Optional.empty();
        }
        Table train = Table.read(trainPath.get());
        Features features = Features.labelEncoded(train, List.of("age", "fnlwgt", "education_num", "capital_gain", "capital_loss",
                "hours_per_week"), List.of("workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
                "native_country"));
        double[] labels = new double[train.size()];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = train.value(row, "income").orElseThrow().equals(">50K") ? 1 : 0;
        }
        return Optional.of(trainingSet(features.encode(train), labels, Optional.empty(), new double[0], List.of("<=50K", ">50K"),
                features.layout()));
    }
}
