package dev.lathe.core.model;

import static java.util.Objects.requireNonNull;

/** What {@link Estimator#predict} returns for a batch of rows, by task. */
public sealed interface Predictions {
    int rows();

    /** One value per row. */
    record Values(double[] values) implements Predictions {
        public Values {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    /** Row-major class probabilities, {@code classes} per row, in class index order. */
    record Probabilities(int classes, double[] probabilities) implements Predictions {
        public Probabilities {
            requireNonNull(probabilities, "probabilities is null");
        }

        @Override
        public int rows() {
            return probabilities.length / classes;
        }

        public double get(int row, int classIndex) {
            return probabilities[row * classes + classIndex];
        }
    }

    /**
     * Row-major distances to every centroid ({@code k} per row, centroid ids 1..k in index order); the
     * predicted centroid is the nearest.
     */
    record Distances(int k, double[] distances) implements Predictions {
        public Distances {
            requireNonNull(distances, "distances is null");
        }

        @Override
        public int rows() {
            return distances.length / k;
        }

        public double get(int row, int centroidIndex) {
            return distances[row * k + centroidIndex];
        }
    }
}
