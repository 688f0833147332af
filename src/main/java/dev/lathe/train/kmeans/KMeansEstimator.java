package dev.lathe.train.kmeans;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Capabilities.CategoryValue;
import dev.lathe.core.model.Capabilities.CentroidRow;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fitted KMEANS model: k centroids in the encoded feature space and the distance it was trained with. */
public final class KMeansEstimator implements Estimator, Capabilities.HasCentroids {
    /** How ML.CENTROIDS names the NULL category of a one-hot feature. */
    public static final String NULL_CATEGORY = "_null_filler";

    private final DistanceType distance;
    private final int k;
    private final int features;
    private final double[] centroids;
    private final List<TrainingIteration> trainingInfo;

    KMeansEstimator(DistanceType distance, int k, int features, double[] centroids, List<TrainingIteration> trainingInfo) {
        this.distance = requireNonNull(distance, "distance is null");
        if (centroids.length != k * features) {
            throw new IllegalArgumentException(k + " centroids of " + features + " features need " + (k * features) + " values, got "
                    + centroids.length);
        }
        this.k = k;
        this.features = features;
        this.centroids = centroids.clone();
        this.trainingInfo = List.copyOf(trainingInfo);
    }

    /** The centroids, row after row, a copy. */
    double[] centroids() {
        return centroids.clone();
    }

    public int k() {
        return k;
    }

    /** The number of encoded columns each centroid has. */
    public int features() {
        return features;
    }

    public DistanceType distanceType() {
        return distance;
    }

    /** Coordinate {@code j} of centroid index {@code c} (centroid id {@code c + 1}) on the encoded scale. */
    public double centroid(int c, int j) {
        return centroids[c * features + j];
    }

    @Override
    public Predictions predict(DenseMatrix x) {
        if (x.cols() != features) {
            throw new IllegalArgumentException("model was trained on " + features + " encoded columns, got " + x.cols());
        }
        double[] distances = new double[x.rows() * k];
        for (int i = 0; i < x.rows(); i++) {
            for (int c = 0; c < k; c++) {
                distances[i * k + c] = distance.distance(x.data(), i * features, centroids, c * features, features);
            }
        }
        return new Predictions.Distances(k, distances);
    }

    @Override
    public List<TrainingIteration> trainingInfo() {
        return trainingInfo;
    }

    @Override
    public byte[] save() {
        return KMeansPayload.write(distance, k, features, centroids, trainingInfo);
    }

    /**
     * Numeric features are reported on the input scale unless {@code standardize}; one-hot groups as the
     * share of the cluster's rows in each category (the mean of a 0/1 column is that share).
     */
    @Override
    public List<CentroidRow> centroids(FeatureLayout layout, boolean standardize) {
        if (layout.size() != features) {
            throw new IllegalArgumentException("layout has " + layout.size() + " columns but the model " + features);
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int j = 0; j < layout.size(); j++) {
            groups.computeIfAbsent(layout.column(j).processedInput(), name -> new ArrayList<>()).add(j);
        }
        List<CentroidRow> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
                List<Integer> indexes = group.getValue();
                EncodedColumn first = layout.column(indexes.get(0));
                if (indexes.size() == 1 && first.kind() != EncodedColumn.Kind.ONE_HOT) {
                    double value = centroid(c, indexes.get(0));
                    if (!standardize) {
                        value = value * (first.scale() == 0 ? 1 : first.scale()) + first.mean();
                    }
                    rows.add(new CentroidRow(c + 1, group.getKey(), Optional.of(value), List.of()));
                } else {
                    List<CategoryValue> values = new ArrayList<>();
                    for (int j : indexes) {
                        EncodedColumn column = layout.column(j);
                        double value = centroid(c, j); // a numeric array's elements are standardized as numbers are
                        if (!standardize) {
                            value = value * (column.scale() == 0 ? 1 : column.scale()) + column.mean();
                        }
                        values.add(new CategoryValue(column.category().orElse(NULL_CATEGORY), value));
                    }
                    rows.add(new CentroidRow(c + 1, group.getKey(), Optional.empty(), values));
                }
            }
        }
        return List.copyOf(rows);
    }
}
