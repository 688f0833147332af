package dev.lathe.core;

/**
 * One column of a {@link Batch}: primitive arrays plus null masks, strings dictionary-encoded. No
 * boxed value per row, so a batch of a million rows costs a few primitive arrays.
 */
public sealed interface Column
        permits DoubleColumn, StringColumn, TimestampColumn, StringArrayColumn, SparseVectorColumn {
    int size();

    boolean isNull(int row);
}
