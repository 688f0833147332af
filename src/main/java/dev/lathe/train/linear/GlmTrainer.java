package dev.lathe.train.linear;

import dev.lathe.core.LatheException;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Fits a GLM on a training set with the strategy already chosen. */
final class GlmTrainer {
    private final Link link;
    private final GlmSettings settings;

    GlmTrainer(Link link, GlmSettings settings) {
        this.link = link;
        this.settings = settings;
    }

    GlmEstimator normalEquation(TrainingSet data, TrainingListener listener) {
        requireRows(data);
        long start = System.nanoTime();
        requireStatisticsWidth(data);
        double[] theta = NormalEquation.solve(data.train(), data.labels(), data.weights(), settings.l2(), settings.fitIntercept());
        GlmObjective train = objective(data);
        OptionalDouble evalLoss = evalObjective(data).map(e -> OptionalDouble.of(e.loss(theta))).orElse(OptionalDouble.empty());
        TrainingIteration row = new TrainingIteration(0, train.loss(theta), evalLoss, 0, (System.nanoTime() - start) / 1_000_000, List.of());
        listener.iterationDone(row);
        return withStatistics(new GlmEstimator(link, data.train().cols(), theta, data.classLabels(), List.of(row)), data);
    }

    GlmEstimator gradientDescent(TrainingSet data, TrainingListener listener) {
        return gradientDescent(data, listener, null);
    }

    /** Batch gradient descent from {@code previous}'s parameters (WARM_START), or from the best constant model when null. */
    GlmEstimator gradientDescent(TrainingSet data, TrainingListener listener, GlmEstimator previous) {
        requireRows(data);
        requireStatisticsWidth(data);
        GlmObjective train = objective(data);
        double[] initial = new double[train.parameters()];
        if (previous != null) {
            double[] theta = previous.parameters();
            if (previous.link() != link || theta.length != initial.length) {
                throw new LatheException(dev.lathe.core.ErrorCode.INVALID_OPTION, "warm_start = TRUE needs the previous model's shape: it is a "
                        + previous.link() + " model with " + theta.length + " parameters, this training needs " + link + " with "
                        + initial.length + "; retrain without warm_start");
            }
            System.arraycopy(theta, 0, initial, 0, initial.length);
        } else if (settings.fitIntercept()) {
            initialIntercepts(data, initial, train.features(), train.totalWeight());
        }
        GradientDescent.Result result = new GradientDescent(settings).minimize(train, evalObjective(data), initial, previous != null,
                listener);
        return withStatistics(new GlmEstimator(link, data.train().cols(), result.theta(), data.classLabels(), result.iterations()), data);
    }

    /** The model with its parameters' standard errors when CALCULATE_P_VALUES asks for them (not for multiclass models). */
    private GlmEstimator withStatistics(GlmEstimator model, TrainingSet data) {
        if (!settings.standardErrors() || link == Link.SOFTMAX) {
            return model;
        }
        return model.withStatistics(CoefficientStatistics.compute(link, data, model.parameters(), settings.l2(), settings.fitIntercept()));
    }

    /** Refuses, before training, a CALCULATE_P_VALUES model too wide for the dense covariance matrix it needs. */
    private void requireStatisticsWidth(TrainingSet data) {
        int columns = data.train().cols();
        if (settings.standardErrors() && link != Link.SOFTMAX && columns > CoefficientStatistics.MAX_COLUMNS) {
            throw new LatheException(dev.lathe.core.ErrorCode.INVALID_OPTION, "calculate_p_values = TRUE takes at most "
                    + CoefficientStatistics.MAX_COLUMNS + " encoded feature columns (the weights' covariance is a dense matrix of"
                    + " that width squared), but the training data encodes to " + columns + " columns" + widest(data)
                    + "; set calculate_p_values = FALSE, or select fewer features or categories");
        }
    }

    /** ", most of them from feature f (n categories)" for the feature with the most encoded columns. */
    private static String widest(TrainingSet data) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (int j = 0; j < data.layout().size(); j++) {
            counts.merge(data.layout().column(j).processedInput(), 1, Integer::sum);
        }
        return counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                .map(e -> " (" + e.getValue() + " of them for " + e.getKey() + ")").orElse("");
    }

    private GlmObjective objective(TrainingSet data) {
        return new GlmObjective(link, data.train(), data.labels(), data.weights(), GlmObjective.outputs(link, data.numClasses()));
    }

    private Optional<GlmObjective> evalObjective(TrainingSet data) {
        return data.eval().filter(e -> e.rows() > 0)
                .map(e -> new GlmObjective(link, e, data.evalLabels(), data.evalWeights(), GlmObjective.outputs(link, data.numClasses())));
    }

    /**
     * Starts the intercepts at the best constant model (weighted mean, or log class frequencies) so the
     * first iterations are spent on the features rather than on the label's offset.
     */
    private void initialIntercepts(TrainingSet data, double[] theta, int features, double total) {
        double[] labels = data.labels();
        double[] weights = data.weights();
        if (total <= 0) {
            return;
        }
        switch (link) {
            case IDENTITY -> {
                double sum = 0;
                for (int i = 0; i < labels.length; i++) {
                    sum += TrainingSet.weight(weights, i) * labels[i];
                }
                theta[0] = sum / total;
            }
            case LOGIT -> {
                double positive = 0;
                for (int i = 0; i < labels.length; i++) {
                    positive += TrainingSet.weight(weights, i) * labels[i];
                }
                double share = Math.min(Math.max(positive / total, 1e-6), 1 - 1e-6);
                theta[0] = Math.log(share / (1 - share));
            }
            case SOFTMAX -> {
                double[] counts = new double[data.numClasses()];
                for (int i = 0; i < labels.length; i++) {
                    counts[(int) labels[i]] += TrainingSet.weight(weights, i);
                }
                for (int k = 0; k < counts.length; k++) {
                    theta[k * (features + 1)] = Math.log(Math.max(counts[k] / total, 1e-6));
                }
            }
        }
    }

    private static void requireRows(TrainingSet data) {
        if (data.train().rows() == 0) {
            throw LatheException.invalidData("The training data has no rows after the data split; a GLM needs at least one training row");
        }
    }
}
