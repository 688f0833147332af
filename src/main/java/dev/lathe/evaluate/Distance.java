package dev.lathe.evaluate;

/** Distance between two points stored at offsets of flat arrays, so callers need not copy rows out. */
@FunctionalInterface
public interface Distance {
    double between(double[] first, int firstOffset, double[] second, int secondOffset, int dimensions);

    /** KMEANS DISTANCE_TYPE='EUCLIDEAN'. */
    Distance EUCLIDEAN = (first, firstOffset, second, secondOffset, dimensions) -> {
        double sum = 0;
        for (int d = 0; d < dimensions; d++) {
            double difference = first[firstOffset + d] - second[secondOffset + d];
            sum += difference * difference;
        }
        return Math.sqrt(sum);
    };

    /** KMEANS DISTANCE_TYPE='COSINE': 1 - cosine similarity; 1 when either vector is zero. */
    Distance COSINE = (first, firstOffset, second, secondOffset, dimensions) -> {
        double dot = 0;
        double firstNorm = 0;
        double secondNorm = 0;
        for (int d = 0; d < dimensions; d++) {
            double a = first[firstOffset + d];
            double b = second[secondOffset + d];
            dot += a * b;
            firstNorm += a * a;
            secondNorm += b * b;
        }
        if (firstNorm == 0 || secondNorm == 0) {
            return 1;
        }
        return 1 - dot / Math.sqrt(firstNorm * secondNorm);
    };
}
