package dev.lathe.imported;

import static java.util.Objects.requireNonNull;

/** The values of one output column for a batch of rows, by type. */
public sealed interface OutputColumn {
    int rows();

    record Doubles(double[] values) implements OutputColumn {
        public Doubles {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    record Longs(long[] values) implements OutputColumn {
        public Longs {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    record Booleans(boolean[] values) implements OutputColumn {
        public Booleans {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    record Strings(String[] values) implements OutputColumn {
        public Strings {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    /** One array per row (ARRAY&lt;FLOAT64&gt;). */
    record DoubleArrays(double[][] values) implements OutputColumn {
        public DoubleArrays {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    /** One array per row (ARRAY&lt;INT64&gt;). */
    record LongArrays(long[][] values) implements OutputColumn {
        public LongArrays {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    /** One array per row (ARRAY&lt;STRING&gt;). */
    record StringArrays(String[][] values) implements OutputColumn {
        public StringArrays {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }
}
