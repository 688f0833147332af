package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The evaluation split's labels and predictions, kept with the model so that ML.EVALUATE,
 * ML.CONFUSION_MATRIX and ML.ROC_CURVE without input data (and with another threshold) answer from the
 * data the model was evaluated on at training.
 *
 * @param actual regression: the label; classification: the class index
 * @param predicted regression: the prediction; classification: row-major class probabilities
 */
public record EvaluationData(int classes, double[] actual, double[] predicted) {
    /** The evaluation.bin format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    public EvaluationData {
        requireNonNull(actual, "actual is null");
        requireNonNull(predicted, "predicted is null");
    }

    public int rows() {
        return actual.length;
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT_VERSION);
            out.writeInt(classes);
            out.writeInt(actual.length);
            for (double v : actual) {
                out.writeDouble(v);
            }
            out.writeInt(predicted.length);
            for (double v : predicted) {
                out.writeDouble(v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static EvaluationData fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readInt();
            if (version > FORMAT_VERSION) {
                throw new dev.lathe.core.NewerFormatException("format version", version, FORMAT_VERSION);
            }
            if (version != FORMAT_VERSION) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "evaluation.bin has format version " + version
                        + "; this Lathe reads version " + FORMAT_VERSION);
            }
            int classes = in.readInt();
            double[] actual = new double[dev.lathe.core.StoredBytes.count(in, Double.BYTES, "row count")];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = in.readDouble();
            }
            double[] predicted = new double[dev.lathe.core.StoredBytes.count(in, Double.BYTES, "prediction count")];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = in.readDouble();
            }
            return new EvaluationData(classes, actual, predicted);
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "evaluation.bin is damaged: " + dev.lathe.core.StoredBytes.describe(e), e);
        }
    }
}
