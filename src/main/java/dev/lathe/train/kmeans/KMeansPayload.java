package dev.lathe.train.kmeans;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingIteration.ClusterInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The saved form of a {@link KMeansEstimator}: magic {@code LKMN}, format version, distance, centroids, training info. */
final class KMeansPayload {
    static final int MAGIC = 0x4C4B4D4E; // "LKMN"
    static final int VERSION = 1;

    private KMeansPayload() {}

    static byte[] write(DistanceType distance, int k, int features, double[] centroids, List<TrainingIteration> trainingInfo) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(distance.name());
            out.writeInt(k);
            out.writeInt(features);
            for (double value : centroids) {
                out.writeDouble(value);
            }
            out.writeInt(trainingInfo.size());
            for (TrainingIteration row : trainingInfo) {
                out.writeInt(row.iteration());
                out.writeDouble(row.loss());
                out.writeDouble(row.learningRate());
                out.writeLong(row.durationMs());
                out.writeInt(row.clusterInfo().size());
                for (ClusterInfo cluster : row.clusterInfo()) {
                    out.writeLong(cluster.centroidId());
                    out.writeDouble(cluster.clusterRadius());
                    out.writeLong(cluster.clusterSize());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static KMeansEstimator read(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored KMEANS model is not a Lathe k-means payload (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new dev.lathe.core.NewerFormatException("k-means format version", version, VERSION);
            }
            if (version != VERSION) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored KMEANS model has k-means format version " + version
                        + " but this Lathe reads version " + VERSION);
            }
            DistanceType distance = DistanceType.valueOf(in.readUTF());
            int k = in.readInt();
            int features = in.readInt();
            dev.lathe.core.StoredBytes.check(in, k < 0 || features < 0 ? -1 : (long) k * features, Double.BYTES, "centroid value count ("
                    + k + " clusters x " + features + " features)");
            double[] centroids = new double[k * features];
            for (int i = 0; i < centroids.length; i++) {
                centroids[i] = in.readDouble();
            }
            int rows = dev.lathe.core.StoredBytes.count(in, 32, "training-info row count");
            List<TrainingIteration> info = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                int iteration = in.readInt();
                double loss = in.readDouble();
                double rate = in.readDouble();
                long duration = in.readLong();
                int clusters = dev.lathe.core.StoredBytes.count(in, 24, "cluster-info row count");
                List<ClusterInfo> clusterInfo = new ArrayList<>();
                for (int c = 0; c < clusters; c++) {
                    clusterInfo.add(new ClusterInfo(in.readLong(), in.readDouble(), in.readLong()));
                }
                info.add(new TrainingIteration(iteration, loss, OptionalDouble.empty(), rate, duration, clusterInfo));
            }
            return new KMeansEstimator(distance, k, features, centroids, info);
        } catch (IOException | IllegalArgumentException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored KMEANS model payload is damaged: "
                    + (e instanceof IOException io ? dev.lathe.core.StoredBytes.describe(io) : String.valueOf(e.getMessage())), e);
        }
    }
}
