package dev.lathe.core.model;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DenseMatrix;
import java.util.List;
import java.util.Optional;

/**
 * What a trainer gets: encoded features, labels and weights for the training split and, when the data
 * was split, the evaluation split.
 *
 * <p>Labels: regression gets the value; classification gets the class index into {@code classLabels}
 * (ascending label order, so in the binary case index 1 is the positive class); clustering gets an
 * empty array.
 *
 * @param weights per-row weights (class weights or INSTANCE_WEIGHT_COL), or {@link #UNWEIGHTED} (empty) when every row
 *     weighs 1; trainers treat the two alike, to the bit
 * @param layout what each encoded column is
 * @param initialCentroids for KMEANS_INIT_METHOD=CUSTOM, the rows of {@code train} flagged by
 *     KMEANS_INIT_COL; empty otherwise
 */
public record TrainingSet(
        DenseMatrix train,
        double[] labels,
        double[] weights,
        Optional<DenseMatrix> eval,
        double[] evalLabels,
        double[] evalWeights,
        List<String> classLabels,
        FeatureLayout layout,
        Optional<DenseMatrix> initialCentroids) {
    public TrainingSet {
        requireNonNull(train, "train is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(weights, "weights is null");
        requireNonNull(eval, "eval is null");
        requireNonNull(evalLabels, "evalLabels is null");
        requireNonNull(evalWeights, "evalWeights is null");
        classLabels = List.copyOf(classLabels);
        requireNonNull(layout, "layout is null");
        requireNonNull(initialCentroids, "initialCentroids is null");
    }

    /** The weights of a split whose rows all weigh 1: no array of ones (see {@code weights}). */
    public static final double[] UNWEIGHTED = new double[0];

    /** Whether {@code weights} gives every row 1 without an array: {@link #UNWEIGHTED}, or empty. */
    public static boolean unweighted(double[] weights) {
        return weights.length == 0;
    }

    /** Row {@code row}'s weight in {@code weights}: its entry, or 1 when {@link #unweighted} (1 * v is v, to the bit). */
    public static double weight(double[] weights, int row) {
        return weights.length == 0 ? 1 : weights[row];
    }

    /**
     * The sum of {@code rows} rows' weights, in row order: for {@link #unweighted} weights the row count, which is what
     * adding one 1.0 per row gives exactly.
     */
    public static double totalWeight(double[] weights, int rows) {
        if (unweighted(weights)) {
            return rows;
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        return total;
    }

    public int numClasses() {
        return classLabels.size();
    }
}
