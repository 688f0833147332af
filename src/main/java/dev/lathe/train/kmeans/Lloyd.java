package dev.lathe.train.kmeans;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Lloyd iterations: assign every row to its nearest centroid, move each centroid to the mean of its
 * rows. One iteration is one pass over the data. Stops when no row changes cluster, after
 * MAX_ITERATIONS, or (EARLY_STOP) when the loss improves by less than MIN_REL_PROGRESS.
 */
final class Lloyd {
    /**
     * Fixed so that training is reproducible: the same data and options give the same centroids,
     * which BigQuery ML users expect from re-running a CREATE MODEL statement.
     */
    static final long SEED = 20_240_611L;

    record Settings(int k, DistanceType distance, int maxIterations, boolean earlyStop, double minRelativeProgress) {}

    record Result(double[] centroids, List<TrainingIteration> iterations) {}

    private final Settings settings;

    Lloyd(Settings settings) {
        this.settings = settings;
    }

    Result fit(DenseMatrix x, double[] initialCentroids, TrainingListener listener) {
        int k = settings.k();
        int p = x.cols();
        double[] centroids = initialCentroids.clone();
        Assignment assignment = Assignment.of(x, centroids, k, settings.distance());
        double previous = assignment.loss();
        List<TrainingIteration> iterations = new ArrayList<>();
        for (int iteration = 0; iteration < settings.maxIterations(); iteration++) {
            long start = System.nanoTime();
            centroids = update(x, assignment, p);
            Assignment next = Assignment.of(x, centroids, k, settings.distance());
            double loss = next.loss();
            TrainingIteration row = new TrainingIteration(iteration, loss, OptionalDouble.empty(), 0,
                    (System.nanoTime() - start) / 1_000_000, next.clusterInfo());
            iterations.add(row);
            listener.iterationDone(row);
            boolean changed = !Arrays.equals(assignment.nearest(), next.nearest());
            assignment = next;
            if (!changed) {
                break;
            }
            double improvement = previous == 0 ? 0 : (previous - loss) / previous;
            if (settings.earlyStop() && improvement < settings.minRelativeProgress()) {
                break;
            }
            previous = loss;
        }
        return new Result(centroids, List.copyOf(iterations));
    }

    /** Means of the assigned rows; an empty cluster is re-seeded at the row farthest from its own centroid. */
    private static double[] update(DenseMatrix x, Assignment assignment, int p) {
        int k = assignment.k();
        double[] sums = new double[k * p];
        long[] counts = new long[k];
        double[] data = x.data();
        for (int i = 0; i < x.rows(); i++) {
            int c = assignment.nearest()[i];
            counts[c]++;
            for (int j = 0; j < p; j++) {
                sums[c * p + j] += data[i * p + j];
            }
        }
        boolean[] taken = new boolean[x.rows()];
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                for (int j = 0; j < p; j++) {
                    sums[c * p + j] /= counts[c];
                }
                continue;
            }
            int farthest = -1;
            for (int i = 0; i < x.rows(); i++) {
                if (!taken[i] && (farthest < 0 || assignment.distance()[i] > assignment.distance()[farthest])) {
                    farthest = i;
                }
            }
            if (farthest >= 0) {
                taken[farthest] = true;
                System.arraycopy(data, farthest * p, sums, c * p, p);
            }
        }
        return sums;
    }

    /** RANDOM: k distinct rows drawn with the fixed seed (duplicates only when there are fewer distinct rows). */
    static double[] randomRows(DenseMatrix x, int k) {
        Random random = new Random(SEED);
        int n = x.rows();
        int p = x.cols();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double[] centroids = new double[k * p];
        int chosen = 0;
        for (int i = 0; i < n && chosen < k; i++) {
            if (!duplicates(x, order[i], centroids, chosen)) {
                System.arraycopy(x.data(), order[i] * p, centroids, chosen * p, p);
                chosen++;
            }
        }
        for (int i = 0; chosen < k; i++) {
            System.arraycopy(x.data(), order[i % n] * p, centroids, chosen * p, p);
            chosen++;
        }
        return centroids;
    }

    /** KMEANS++: each next centroid drawn with probability proportional to the squared distance to the nearest one chosen. */
    static double[] kmeansPlusPlus(DenseMatrix x, int k, DistanceType type) {
        Random random = new Random(SEED);
        int n = x.rows();
        int p = x.cols();
        double[] centroids = new double[k * p];
        System.arraycopy(x.data(), random.nextInt(n) * p, centroids, 0, p);
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double d = type.distance(x.data(), i * p, centroids, (c - 1) * p, p);
                nearest[i] = Math.min(nearest[i], d * d);
                total += nearest[i];
            }
            int pick = n - 1;
            if (total > 0) {
                double target = random.nextDouble() * total;
                double cumulative = 0;
                for (int i = 0; i < n; i++) {
                    cumulative += nearest[i];
                    if (cumulative > target) {
                        pick = i;
                        break;
                    }
                }
            } else {
                pick = random.nextInt(n);
            }
            System.arraycopy(x.data(), pick * p, centroids, c * p, p);
        }
        return centroids;
    }

    private static boolean duplicates(DenseMatrix x, int row, double[] centroids, int chosen) {
        int p = x.cols();
        for (int c = 0; c < chosen; c++) {
            if (Arrays.equals(x.data(), row * p, row * p + p, centroids, c * p, c * p + p)) {
                return true;
            }
        }
        return false;
    }
}
