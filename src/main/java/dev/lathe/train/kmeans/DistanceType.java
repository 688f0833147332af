package dev.lathe.train.kmeans;

/** DISTANCE_TYPE (spec 1.7). */
public enum DistanceType {
    /** {@code ||x - y||_2}. */
    EUCLIDEAN,
    /** {@code sqrt(1 - x.y / (||x|| ||y||))}; a zero vector counts as orthogonal to everything. */
    COSINE;

    /** The distance between the point at {@code offset} of {@code data} and the one at {@code centroidOffset} of {@code centroids}. */
    public double distance(double[] data, int offset, double[] centroids, int centroidOffset, int dimensions) {
        return switch (this) {
            case EUCLIDEAN -> {
                double sum = 0;
                for (int j = 0; j < dimensions; j++) {
                    double d = data[offset + j] - centroids[centroidOffset + j];
                    sum += d * d;
                }
                yield Math.sqrt(sum);
            }
            case COSINE -> {
                double dot = 0;
                double normX = 0;
                double normY = 0;
                for (int j = 0; j < dimensions; j++) {
                    double x = data[offset + j];
                    double y = centroids[centroidOffset + j];
                    dot += x * y;
                    normX += x * x;
                    normY += y * y;
                }
                double cosine = normX == 0 || normY == 0 ? 0 : dot / Math.sqrt(normX * normY);
                yield Math.sqrt(Math.max(0, 1 - cosine));
            }
        };
    }
}
