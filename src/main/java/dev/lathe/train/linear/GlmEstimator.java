package dev.lathe.train.linear;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.OneHotRows;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.FeatureLayout;
import java.util.List;
import java.util.Optional;

/**
 * A fitted LINEAR_REG or LOGISTIC_REG model: one intercept and weight vector per output (one for
 * regression and binary classification, one per class for multiclass), on the encoded columns.
 */
public final class GlmEstimator implements Estimator, Capabilities.HasWeights, Capabilities.HasAdvancedWeights,
        Capabilities.HasAttributions {
    private final Link link;
    private final int features;
    private final double[] theta;
    private final List<String> classLabels;
    private final List<TrainingIteration> trainingInfo;
    private final Optional<CoefficientStatistics> statistics;

    GlmEstimator(Link link, int features, double[] theta, List<String> classLabels, List<TrainingIteration> trainingInfo) {
        this(link, features, theta, classLabels, trainingInfo, Optional.empty());
    }

    /** @param statistics the parameters' standard errors, for a model trained with CALCULATE_P_VALUES (ML.ADVANCED_WEIGHTS) */
    GlmEstimator(Link link, int features, double[] theta, List<String> classLabels, List<TrainingIteration> trainingInfo,
            Optional<CoefficientStatistics> statistics) {
        this.link = requireNonNull(link, "link is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
        statistics.ifPresent(s -> {
            if (s.standardErrors().length != features + 1 || link == Link.SOFTMAX) {
                throw new IllegalArgumentException("standard errors of " + link + " model with " + features + " features: "
                        + s.standardErrors().length);
            }
        });
        this.features = features;
        this.classLabels = List.copyOf(classLabels);
        this.trainingInfo = List.copyOf(trainingInfo);
        int expected = outputs() * (features + 1);
        if (theta.length != expected) {
            throw new IllegalArgumentException(link + " model with " + features + " features and " + classLabels.size()
                    + " classes needs " + expected + " parameters, got " + theta.length);
        }
        this.theta = theta.clone();
    }

    public Link link() {
        return link;
    }

    public int features() {
        return features;
    }

    /** Class labels in class index order; empty for regression. */
    public List<String> classLabels() {
        return classLabels;
    }

    int outputs() {
        return GlmObjective.outputs(link, classLabels.size());
    }

    /** The intercept of output {@code k} (class index for multiclass, 0 otherwise), on the encoded scale. */
    public double intercept(int k) {
        return theta[k * (features + 1)];
    }

    /** The weight of encoded column {@code j} for output {@code k}, on the encoded scale. */
    public double weight(int k, int j) {
        return theta[k * (features + 1) + 1 + j];
    }

    double[] parameters() {
        return theta.clone();
    }

    /** This model with the standard errors of its parameters (CALCULATE_P_VALUES). */
    GlmEstimator withStatistics(CoefficientStatistics statistics) {
        return new GlmEstimator(link, features, theta, classLabels, trainingInfo, Optional.of(statistics));
    }

    Optional<CoefficientStatistics> statistics() {
        return statistics;
    }

    @Override
    public boolean predictsOnOneHotRows() {
        return true;
    }

    @Override
    public Predictions predict(DenseMatrix x) {
        if (x.cols() != features) {
            throw new IllegalArgumentException("model was trained on " + features + " encoded columns, got " + x.cols());
        }
        int outputs = outputs();
        double[] scores = new double[outputs];
        // one-hot rows are read as such (LinearScores: the same sums, bit-identical), not widened into a dense copy
        OneHotRows oneHot = x.oneHotRows().orElse(null);
        double[] data = oneHot == null ? x.data() : null;
        return switch (link) {
            case IDENTITY -> {
                double[] values = new double[x.rows()];
                for (int i = 0; i < x.rows(); i++) {
                    LinearScores.rowScores(theta, features, 1, data, oneHot, i, scores);
                    values[i] = scores[0];
                }
                yield new Predictions.Values(values);
            }
            case LOGIT -> {
                double[] probabilities = new double[x.rows() * 2];
                for (int i = 0; i < x.rows(); i++) {
                    LinearScores.rowScores(theta, features, 1, data, oneHot, i, scores);
                    double positive = LinearScores.sigmoid(scores[0]);
                    probabilities[2 * i] = 1 - positive;
                    probabilities[2 * i + 1] = positive;
                }
                yield new Predictions.Probabilities(2, probabilities);
            }
            case SOFTMAX -> {
                double[] probabilities = new double[x.rows() * outputs];
                for (int i = 0; i < x.rows(); i++) {
                    LinearScores.rowScores(theta, features, outputs, data, oneHot, i, scores);
                    LinearScores.softmaxInPlace(scores, outputs);
                    System.arraycopy(scores, 0, probabilities, i * outputs, outputs);
                }
                yield new Predictions.Probabilities(outputs, probabilities);
            }
        };
    }

    @Override
    public List<TrainingIteration> trainingInfo() {
        return trainingInfo;
    }

    @Override
    public byte[] save() {
        return GlmPayload.write(link, features, theta, classLabels, trainingInfo, statistics);
    }

    @Override
    public List<Capabilities.WeightRow> weights(FeatureLayout layout, boolean standardize) {
        return GlmWeightsReport.rows(this, layout, standardize);
    }

    @Override
    public Optional<List<Capabilities.AdvancedWeightRow>> advancedWeights(FeatureLayout layout, boolean standardize) {
        return statistics.map(s -> GlmWeightsReport.advancedRows(this, s, layout, standardize));
    }

    /**
     * Exact: the score is linear in the encoded columns, so column j contributes {@code w_j * x_j}
     * against the all-zero encoded row (standardized numbers at their training mean, no category
     * set), whose score is the intercept. Classifiers explain the log-odds of the explained class
     * (binary class 0 is the negated positive score), as BigQuery ML does.
     */
    @Override
    public boolean additive() {
        return true; // the score is the intercept plus these contributions (spec: approximation_error 0 for linear)
    }

    @Override
    public Capabilities.Attributions attributions(DenseMatrix x, int[] explained) {
        if (x.cols() != features || explained.length != x.rows()) {
            throw new IllegalArgumentException("model was trained on " + features + " encoded columns and needs one output per row; got "
                    + x.cols() + " columns, " + x.rows() + " rows and " + explained.length + " outputs");
        }
        double[] values = new double[x.rows() * features];
        double[] baselines = new double[x.rows()];
        double[] predictions = new double[x.rows()];
        for (int i = 0; i < x.rows(); i++) {
            int k = link == Link.SOFTMAX ? explained[i] : 0;
            double sign = link == Link.LOGIT && explained[i] == 0 ? -1 : 1;
            double score = intercept(k);
            baselines[i] = sign * score;
            for (int j = 0; j < features; j++) {
                double contribution = weight(k, j) * x.data()[i * features + j];
                values[i * features + j] = sign * contribution;
                score += contribution;
            }
            predictions[i] = sign * score;
        }
        return new Capabilities.Attributions(features, values, baselines, predictions);
    }

    /**
     * As {@link #attributions} summed per feature, reading one-hot rows as such: a row's set columns only, in column order,
     * so the same sums less their zero terms (bit-identical, as {@link LinearScores}), without the dense row of every
     * encoded column that {@link #attributions} makes.
     */
    @Override
    public Capabilities.Attributions featureAttributions(DenseMatrix x, int[] explained, int[] featureOf, int featureCount) {
        OneHotRows oneHot = x.oneHotRows().orElse(null);
        if (oneHot == null) {
            return Capabilities.HasAttributions.super.featureAttributions(x, explained, featureOf, featureCount);
        }
        if (x.cols() != features || explained.length != x.rows() || featureOf.length != features) {
            throw new IllegalArgumentException("model was trained on " + features + " encoded columns and needs one output per row and"
                    + " a feature per column; got " + x.cols() + " columns, " + x.rows() + " rows, " + explained.length + " outputs and "
                    + featureOf.length + " features");
        }
        double[] values = new double[x.rows() * featureCount];
        double[] baselines = new double[x.rows()];
        double[] predictions = new double[x.rows()];
        double[] score = new double[1];
        for (int i = 0; i < x.rows(); i++) {
            int k = link == Link.SOFTMAX ? explained[i] : 0;
            double sign = link == Link.LOGIT && explained[i] == 0 ? -1 : 1;
            int row = i * featureCount;
            score[0] = intercept(k);
            baselines[i] = sign * score[0];
            oneHot.forEachEntry(i, (column, value) -> {
                double contribution = weight(k, column) * value;
                values[row + featureOf[column]] += sign * contribution;
                score[0] += contribution;
            });
            predictions[i] = sign * score[0];
        }
        return new Capabilities.Attributions(featureCount, values, baselines, predictions);
    }
}
