package dev.lathe.train.linear;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.TrainingIteration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The saved form of a {@link GlmEstimator}: magic {@code LGLM}, format version, link, shapes,
 * parameters, class labels and ML.TRAINING_INFO rows, big-endian via DataOutput. Version 2 adds, after
 * those, whether the model has {@link CoefficientStatistics} and, if so, its standard errors, the raw
 * intercept's and the degrees of freedom; version 1 payloads (no statistics) still read.
 */
final class GlmPayload {
    static final int MAGIC = 0x4C474C4D; // "LGLM"
    static final int VERSION = 2;

    private GlmPayload() {}

    static byte[] write(Link link, int features, double[] theta, List<String> classLabels, List<TrainingIteration> trainingInfo,
            Optional<CoefficientStatistics> statistics) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(link.name());
            out.writeInt(features);
            out.writeInt(classLabels.size());
            for (String label : classLabels) {
                out.writeUTF(label);
            }
            out.writeInt(theta.length);
            for (double value : theta) {
                out.writeDouble(value);
            }
            out.writeInt(trainingInfo.size());
            for (TrainingIteration row : trainingInfo) {
                out.writeInt(row.iteration());
                out.writeDouble(row.loss());
                out.writeBoolean(row.evalLoss().isPresent());
                out.writeDouble(row.evalLoss().orElse(0));
                out.writeDouble(row.learningRate());
                out.writeLong(row.durationMs());
            }
            out.writeBoolean(statistics.isPresent());
            if (statistics.isPresent()) {
                double[] errors = statistics.get().standardErrors();
                out.writeInt(errors.length);
                for (double error : errors) {
                    out.writeDouble(error);
                }
                out.writeDouble(statistics.get().rawInterceptStandardError());
                out.writeDouble(statistics.get().degreesOfFreedom());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static GlmEstimator read(byte[] payload, String modelType) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored " + modelType
                        + " model is not a Lathe GLM payload (magic 0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new dev.lathe.core.NewerFormatException("GLM format version", version, VERSION);
            }
            if (version != 1 && version != VERSION) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored " + modelType + " model has GLM format version " + version
                        + " but this Lathe reads versions 1 to " + VERSION);
            }
            Link link = Link.valueOf(in.readUTF());
            int features = in.readInt();
            int classes = dev.lathe.core.StoredBytes.count(in, 2, "class count");
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                labels.add(in.readUTF());
            }
            double[] theta = new double[dev.lathe.core.StoredBytes.count(in, Double.BYTES, "parameter count")];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = in.readDouble();
            }
            int rows = dev.lathe.core.StoredBytes.count(in, 37, "training-info row count");
            List<TrainingIteration> info = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                int iteration = in.readInt();
                double loss = in.readDouble();
                boolean hasEval = in.readBoolean();
                double evalLoss = in.readDouble();
                double rate = in.readDouble();
                long duration = in.readLong();
                info.add(new TrainingIteration(iteration, loss, hasEval ? OptionalDouble.of(evalLoss) : OptionalDouble.empty(), rate, duration, List.of()));
            }
            Optional<CoefficientStatistics> statistics = Optional.empty();
            if (version >= 2 && in.readBoolean()) {
                double[] errors = new double[dev.lathe.core.StoredBytes.count(in, Double.BYTES, "standard error count")];
                for (int i = 0; i < errors.length; i++) {
                    errors[i] = in.readDouble();
                }
                statistics = Optional.of(new CoefficientStatistics(errors, in.readDouble(), in.readDouble()));
            }
            return new GlmEstimator(link, features, theta, labels, info, statistics);
        } catch (IOException | IllegalArgumentException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored " + modelType + " model payload is damaged: "
                    + (e instanceof IOException io ? dev.lathe.core.StoredBytes.describe(io) : String.valueOf(e.getMessage())), e);
        }
    }
}
