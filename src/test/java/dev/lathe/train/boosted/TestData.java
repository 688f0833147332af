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
}
