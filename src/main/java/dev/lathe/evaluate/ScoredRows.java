package dev.lathe.evaluate;

import static java.util.Objects.requireNonNull;

/**
 * Evaluated rows: each row's label (regression: the value; classification: the class index) and its {@link #width}
 * predictions (regression: the value; classification: the class probabilities). The metrics read them in row order, as
 * often as each needs (a pass for sums, one for the deviations from their means, ordered passes for ranks:
 * {@link OrderedValues}), so the rows may be held anywhere: in arrays ({@link #of}), or in a file past a share of the heap
 * ({@link EvaluationBuffer}, for ML.EVALUATE over more rows than the heap holds).
 */
public interface ScoredRows extends AutoCloseable {
    /** Predictions per row. */
    int width();

    /** How many rows there are. */
    long count();

    /** Reads every row, in order, a chunk at a time. */
    void forEachChunk(Chunk chunk);

    /** Releases what holds the rows (a file); nothing for arrays. */
    @Override
    default void close() {}

    /** Receives rows from {@link #forEachChunk}. */
    @FunctionalInterface
    interface Chunk {
        /**
         * Rows {@code first .. first + rows - 1}: row {@code first + i}'s label is {@code labels[i]}, its predictions
         * {@code predictions[i * width ..]}. The arrays may be longer than {@code rows} rows and are reused by the next call.
         */
        void accept(long first, double[] labels, double[] predictions, int rows);
    }

    /**
     * The rows of {@code labels} and row-major {@code predictions}, {@code width} a row, as one chunk. No rows may have
     * width 0 (an imported model's stored evaluation: the metrics then say there are no rows, or no classes).
     */
    static ScoredRows of(double[] labels, double[] predictions, int width) {
        requireNonNull(labels, "labels is null");
        requireNonNull(predictions, "predictions is null");
        if (width < 0 || (width == 0 && labels.length > 0) || (long) labels.length * width != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + ((long) labels.length * width) + " predictions of width "
                    + width + ", got " + predictions.length);
        }
        return new ScoredRows() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public long count() {
                return labels.length;
            }

            @Override
            public void forEachChunk(Chunk chunk) {
                if (labels.length > 0) {
                    chunk.accept(0, labels, predictions, labels.length);
                }
            }
        };
    }
}
