package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;

/**
 * ARRAY&lt;STRUCT&lt;index INT64, value FLOAT64&gt;&gt; (what ONE_HOT_ENCODER, MULTI_HOT_ENCODER, BAG_OF_WORDS
 * and TF_IDF return) in CSR form: row i holds pairs {@code [offsets[i], offsets[i+1])}.
 */
public record SparseVectorColumn(int[] offsets, int[] indices, double[] values, BitSet nulls) implements Column {
    public SparseVectorColumn {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(indices, "indices is null");
        requireNonNull(values, "values is null");
        requireNonNull(nulls, "nulls is null");
    }

    @Override
    public int size() {
        return offsets.length - 1;
    }

    @Override
    public boolean isNull(int row) {
        return nulls.get(row);
    }
}
