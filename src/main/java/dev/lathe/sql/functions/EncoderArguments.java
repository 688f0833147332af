package dev.lathe.sql.functions;

/** The shared {@code top_k} and {@code frequency_threshold} arguments of the encoders, with their defaults. */
record EncoderArguments(long topK, long frequencyThreshold) {
    static final long DEFAULT_TOP_K = 32_000;
    static final long DEFAULT_FREQUENCY_THRESHOLD = 5;

    static EncoderArguments read(Arguments arguments, int topKIndex) {
        long topK = arguments.integer(topKIndex, "top_k", DEFAULT_TOP_K, 1, Vocabulary.UNLIMITED - 1);
        long threshold = arguments.integer(topKIndex + 1, "frequency_threshold", DEFAULT_FREQUENCY_THRESHOLD, 0, Long.MAX_VALUE);
        return new EncoderArguments(topK, threshold);
    }
}
