package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DenseMatrixTest {
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final float[] FLOATS = {1f, Float.NaN, -2.5f, 0.1f, 1e30f, -0f};

    @Test
    void aMatrixHeldAsItsEncodingIsEncodedIntoTheSinkItIsWrittenTo() {
        AtomicInteger encodings = new AtomicInteger();
        DenseMatrix matrix = encoding(encodings);
        float[] written = new float[6];
        matrix.writeFloats(FloatSink.of(written));
        assertThat(written).containsExactly(FLOATS);
        assertThat(encodings).as("written straight into the sink").hasValue(1);
        assertThat(matrix.toString()).contains("2 x 3 float encoding");
    }

    @Test
    void aMatrixHeldAsItsEncodingGivesItsValuesAsFloatsEncodedOnce() {
        AtomicInteger encodings = new AtomicInteger();
        DenseMatrix matrix = encoding(encodings);
        assertThat(matrix.toFloats()).containsExactly(FLOATS);
        assertThat(matrix.toFloats(1, 2)).containsExactly(0.1f, 1e30f, -0f);
        assertThat(matrix.get(1, 1)).isEqualTo(1e30f);
        assertThat(matrix.data()).containsExactly(1, Double.NaN, -2.5, (double) 0.1f, (double) 1e30f, -0.0);
        assertThat(matrix.rows(1, 2).toFloats()).containsExactly(0.1f, 1e30f, -0f);
        float[] written = new float[6];
        matrix.writeFloats(FloatSink.of(written));
        assertThat(written).containsExactly(FLOATS);
        assertThat(encodings).as("encoded on first use, then held").hasValue(1);
    }

    @Test
    void everyHoldingWritesItsFloats() {
        double[] doubles = new double[FLOATS.length];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = FLOATS[i];
        }
        OneHotRows oneHot = new OneHotRows(2, new int[] {0, -1}, new int[] {0}, 1, new double[] {4, 5}, new int[] {2, 1});
        for (DenseMatrix matrix : List.of(DenseMatrix.ofFloats(2, 3, FLOATS.clone(), NAMES), new DenseMatrix(2, 3, doubles, NAMES))) {
            float[] written = new float[6];
            matrix.writeFloats(FloatSink.of(written));
            assertThat(written).as("%s", matrix).containsExactly(FLOATS);
        }
        DenseMatrix rows = DenseMatrix.ofOneHotRows(3, oneHot, NAMES);
        float[] written = new float[6];
        rows.writeFloats(FloatSink.of(written));
        assertThat(written).containsExactly(4, 0, 1, 5, 1, 0);
    }

    @Test
    void aSinkOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> DenseMatrix.ofFloats(2, 3, FLOATS.clone(), NAMES).writeFloats(FloatSink.of(new float[5])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("2 x 3 matrix written into a sink of 5 floats");
    }

    private static DenseMatrix encoding(AtomicInteger encodings) {
        return DenseMatrix.ofFloatEncoding(2, 3, sink -> {
            encodings.incrementAndGet();
            for (int i = 0; i < FLOATS.length; i++) {
                sink.set(i, FLOATS[i]);
            }
        }, NAMES);
    }
}
