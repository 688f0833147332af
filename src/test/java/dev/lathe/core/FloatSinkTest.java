package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ml.dmlc.xgboost4j.java.util.BigDenseMatrix;
import org.junit.jupiter.api.Test;

class FloatSinkTest {
    private static final float[] VALUES = {1.5f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 3.4e38f};

    @Test
    void writesIntoAnArray() {
        float[] array = new float[VALUES.length + 2];
        FloatSink sink = FloatSink.of(array);
        sink.set(1, VALUES);
        sink.set(0, 7f);
        assertThat(sink.length()).isEqualTo(array.length);
        assertThat(array).containsExactly(7f, 1.5f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 3.4e38f, 0f);
        assertThat(Float.floatToRawIntBits(sink.get(2))).as("-0 kept").isEqualTo(Float.floatToRawIntBits(-0f));
    }

    @Test
    void writesIntoNativeMemoryBitForBit() {
        BigDenseMatrix memory = new BigDenseMatrix(2, VALUES.length);
        try {
            FloatSink sink = FloatSink.atAddress(memory.address, 2L * VALUES.length);
            sink.set(0, VALUES);
            for (int i = 0; i < VALUES.length; i++) {
                sink.set(VALUES.length + i, VALUES[VALUES.length - 1 - i]);
            }
            for (int i = 0; i < VALUES.length; i++) {
                assertThat(Float.floatToRawIntBits(sink.get(i))).isEqualTo(Float.floatToRawIntBits(VALUES[i]));
                assertThat(Float.floatToRawIntBits(memory.get(0, i))).as("where XGBoost reads it")
                        .isEqualTo(Float.floatToRawIntBits(VALUES[i]));
                assertThat(Float.floatToRawIntBits(memory.get(1, i))).isEqualTo(Float.floatToRawIntBits(VALUES[VALUES.length - 1 - i]));
            }
        } finally {
            memory.dispose();
        }
    }

    @Test
    void writesOutsideTheSinkFailBeforeTouchingMemory() {
        BigDenseMatrix memory = new BigDenseMatrix(1, 4);
        try {
            for (FloatSink sink : List.of(FloatSink.of(new float[4]), FloatSink.atAddress(memory.address, 4))) {
                assertThatThrownBy(() -> sink.set(4, 1f)).isInstanceOf(IndexOutOfBoundsException.class).hasMessage("float 4 of 4");
                assertThatThrownBy(() -> sink.set(-1, 1f)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> sink.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> sink.set(2, new float[3])).isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessage("3 floats at 2 of 4");
            }
        } finally {
            memory.dispose();
        }
        assertThatThrownBy(() -> FloatSink.atAddress(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
