package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;
import java.util.List;

/**
 * ARRAY&lt;STRING&gt; in CSR form: row i holds {@code codes[offsets[i] .. offsets[i+1])}; a code of -1 is a
 * NULL element; {@code nulls} marks NULL arrays.
 */
public record StringArrayColumn(int[] offsets, int[] codes, List<String> dictionary, BitSet nulls) implements Column {
    public StringArrayColumn {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(codes, "codes is null");
        dictionary = List.copyOf(dictionary);
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
