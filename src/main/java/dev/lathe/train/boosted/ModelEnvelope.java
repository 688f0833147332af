package dev.lathe.train.boosted;

import static java.util.Objects.requireNonNull;

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
import java.util.OptionalDouble;

/**
 * The saved form of a tree estimator: a magic number, a format version, what the booster predicts and
 * its training history, then XGBoost's own UBJSON model. The XGBoost bytes are opaque to us; the
 * envelope carries what XGBoost does not (task, class count, ML.TRAINING_INFO rows).
 */
record ModelEnvelope(Objective objective, int numClasses, int numFeatures, List<TrainingIteration> trainingInfo, byte[] booster) {
    static final int MAGIC = 0x4C58_4754; // "LXGT"
    static final int FORMAT_VERSION = 1;

    ModelEnvelope {
        requireNonNull(objective, "objective is null");
        trainingInfo = List.copyOf(trainingInfo);
        requireNonNull(booster, "booster is null");
    }

    byte[] write() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(booster.length + 64 + trainingInfo.size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(objective.name());
            out.writeInt(numClasses);
            out.writeInt(numFeatures);
            out.writeInt(trainingInfo.size());
            for (TrainingIteration iteration : trainingInfo) {
                out.writeInt(iteration.iteration());
                out.writeDouble(iteration.loss());
                out.writeBoolean(iteration.evalLoss().isPresent());
                out.writeDouble(iteration.evalLoss().orElse(Double.NaN));
                out.writeDouble(iteration.learningRate());
                out.writeLong(iteration.durationMs());
            }
            out.writeInt(booster.length);
            out.write(booster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ModelEnvelope read(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int magic = payload.length >= 8 ? in.readInt() : 0;
            if (magic != MAGIC) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Stored model is not a Lathe tree model (expected magic 0x"
                        + Integer.toHexString(MAGIC) + ", found 0x" + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version > FORMAT_VERSION) {
                throw new dev.lathe.core.NewerFormatException("tree model format version", version, FORMAT_VERSION);
            }
            if (version != FORMAT_VERSION) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Tree model format version " + version
                        + " cannot be read; this build reads version " + FORMAT_VERSION);
            }
            Objective objective = Objective.valueOf(in.readUTF());
            int numClasses = in.readInt();
            int numFeatures = in.readInt();
            int iterations = dev.lathe.core.StoredBytes.count(in, 37, "training-info row count");
            List<TrainingIteration> info = new ArrayList<>(iterations);
            for (int i = 0; i < iterations; i++) {
                int iteration = in.readInt();
                double loss = in.readDouble();
                boolean hasEval = in.readBoolean();
                double evalLoss = in.readDouble();
                info.add(new TrainingIteration(iteration, loss, hasEval ? OptionalDouble.of(evalLoss) : OptionalDouble.empty(),
                        in.readDouble(), in.readLong(), List.of()));
            }
            byte[] booster = new byte[dev.lathe.core.StoredBytes.count(in, 1, "booster length")];
            in.readFully(booster);
            return new ModelEnvelope(objective, numClasses, numFeatures, info, booster);
        } catch (IOException | IllegalArgumentException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored tree model is damaged: "
                    + (e instanceof IOException io ? dev.lathe.core.StoredBytes.describe(io) : String.valueOf(e.getMessage())), e);
        }
    }
}
