package dev.lathe.imported;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * MODEL_TYPE 'ONNX' and 'XGBOOST': a model file imported, not trained. {@link #importFile} reads and
 * validates the file; the estimator payload is the file's bytes plus the INPUT/OUTPUT declarations
 * (magic {@code LIMP}, format version, declarations as JSON, model bytes), so a model version is
 * self-contained and {@link #load} rebuilds the same estimator without the original file.
 *
 * <p>{@link #task()} is nominal (REGRESSION): an imported model's outputs are its own columns, and every
 * ML function other than ML.PREDICT is refused for it before the task matters.
 */
public final class ImportedFamily implements ModelFamily {
    public static final String MODEL_PATH = "model_path";
    private static final byte[] MAGIC = {'L', 'I', 'M', 'P'};
    /** The LIMP payload format version this build writes and reads. */
    public static final int PAYLOAD_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelType;

    private ImportedFamily(String modelType) {
        this.modelType = modelType;
    }

    public static ImportedFamily onnx() {
        return new ImportedFamily(OnnxEstimator.FORMAT);
    }

    public static ImportedFamily xgboost() {
        return new ImportedFamily(XgboostEstimator.FORMAT);
    }

    /** A validated import: the estimator, the payload to store, and the source file's fingerprint. */
    public record Imported(ImportedEstimator estimator, byte[] payload, String sha256, long sizeBytes) {
        public Imported {
            requireNonNull(estimator, "estimator is null");
            requireNonNull(payload, "payload is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public ModelTask task() {
        return ModelTask.REGRESSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.string(MODEL_PATH, null), OptionSpec.string("kms_key_name", null));
    }

    @Override
    public EncodingPolicy encoding(ModelOptions options) {
        return EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING);
    }

    @Override
    public Trained train(TrainingSet data, ModelOptions options, TrainingListener listener) {
        throw new LatheException(ErrorCode.UNSUPPORTED, "model_type " + modelType + " imports a model trained elsewhere and cannot"
                + " be trained: CREATE MODEL d.m OPTIONS(model_type = '" + modelType + "', model_path = '/path/to/model') without AS");
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /**
     * Reads and validates the model file at {@code modelPath} (a local file; a folder holding one model file).
     *
     * @param declaredInputs the INPUT(...) clause, empty when not given
     * @param declaredOutputs the OUTPUT(...) clause, empty when not given
     */
    public Imported importFile(String modelPath, List<ImportedColumn> declaredInputs, List<ImportedColumn> declaredOutputs) {
        Path file = resolve(modelPath);
        byte[] bytes;
        try {
            // Read whole and copied into the stored payload: a file past a Java array (2 GiB) ended the CLI with an
            // OutOfMemoryError stack trace and the server with 500 (probe qb); one past a quarter of the heap would too.
            long size = Files.size(file);
            long limit = Math.min(Integer.MAX_VALUE - (1L << 16), Runtime.getRuntime().maxMemory() / 4);
            if (size > limit) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "model_path '" + modelPath + "' is " + gib(size) + "; Lathe imports"
                        + " model files of up to " + gib(limit) + " (the 2 GiB of a Java array, and a quarter of the heap: raise -Xmx"
                        + " with LATHE_JAVA_OPTS for more)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Cannot read model_path '" + modelPath + "': " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new LatheException(ErrorCode.INVALID_DATA, "model_path '" + modelPath + "' is an empty file; expected "
                    + (modelType.equals(OnnxEstimator.FORMAT) ? "an ONNX model" : "an XGBoost model (JSON, UBJSON or binary)"));
        }
        ImportedEstimator estimator;
        byte[] payload = payload(bytes, declaredInputs, declaredOutputs);
        try {
            estimator = create(bytes, payload, declaredInputs, declaredOutputs);
        } catch (LatheException e) {
            throw new LatheException(e.code(), "model_path '" + modelPath + "': " + e.getMessage(), e);
        }
        return new Imported(estimator, payload, sha256(bytes), bytes.length);
    }

    @Override
    public Estimator load(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            byte[] magic = in.readNBytes(4);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The " + modelType + " estimator payload does not start with"
                        + " LIMP; the artifact is damaged");
            }
            int version = in.readInt();
            if (version > PAYLOAD_VERSION) {
                throw new dev.lathe.core.NewerFormatException("imported model payload format version", version, PAYLOAD_VERSION);
            }
            if (version != PAYLOAD_VERSION) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Imported model payload format version " + version
                        + "; this Lathe reads version " + PAYLOAD_VERSION);
            }
            byte[] header = new byte[dev.lathe.core.StoredBytes.count(in, 1, "declarations length")];
            in.readFully(header);
            JsonNode declarations = JSON.readTree(header);
            byte[] model = in.readAllBytes();
            return create(model, payload, columns(declarations.path("inputs")), columns(declarations.path("outputs")));
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Cannot read the " + modelType + " estimator payload: "
                    + dev.lathe.core.StoredBytes.describe(e), e);
        }
    }

    /**
     * Checks that the model file a stored payload holds is the one imported: its SHA-256 against {@code recordedSha256},
     * the manifest's {@code importedFile.sha256}. Nothing read it back before: one changed byte of estimator.bin silently
     * changed an imported model's predictions (probe td F3).
     */
    public static void verify(byte[] payload, String recordedSha256) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            in.skipNBytes(MAGIC.length + Integer.BYTES);
            in.skipNBytes(dev.lathe.core.StoredBytes.count(in, 1, "declarations length"));
            String sha256 = sha256(in.readAllBytes());
            if (!sha256.equalsIgnoreCase(recordedSha256)) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "the model file it holds has SHA-256 " + sha256 + " where"
                        + " manifest.json's importedFile records " + recordedSha256 + ": changed after it was imported");
            }
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Cannot read the imported model payload: "
                    + dev.lathe.core.StoredBytes.describe(e), e);
        }
    }

    private ImportedEstimator create(byte[] bytes, byte[] payload, List<ImportedColumn> inputs, List<ImportedColumn> outputs) {
        return modelType.equals(OnnxEstimator.FORMAT) ? OnnxEstimator.create(bytes, payload, inputs, outputs)
                : XgboostEstimator.create(bytes, payload, inputs, outputs);
    }

    private Path resolve(String modelPath) {
        String lower = modelPath.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file://")) {
            return resolve(modelPath.substring("file://".length()));
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "model_path '" + modelPath + "' is a remote URI"
                    + (lower.startsWith("gs://") ? " (Cloud Storage)" : "") + "; Lathe imports local files: copy the model next to the"
                    + " data and give its file path, e.g. model_path = '/models/model." + (modelType.equals("ONNX") ? "onnx" : "json") + "'");
        }
        Path path = Path.of(modelPath).toAbsolutePath();
        if (Files.isDirectory(path)) {
            List<String> names = modelType.equals(OnnxEstimator.FORMAT) ? List.of("model.onnx")
                    : List.of("model.json", "model.ubj", "model.bst");
            for (String name : names) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return path.resolve(name);
                }
            }
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "model_path '" + modelPath + "' is a folder without "
                    + String.join(" or ", names) + "; give the model file's path");
        }
        if (!Files.isRegularFile(path)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "model_path '" + modelPath + "' does not exist (looked at " + path
                    + "); give the path of " + (modelType.startsWith("O") ? "an " : "a ") + modelType + " model file on this machine");
        }
        return path;
    }

    private static byte[] payload(byte[] model, List<ImportedColumn> inputs, List<ImportedColumn> outputs) {
        ObjectNode declarations = JSON.createObjectNode();
        write(declarations.putArray("inputs"), inputs);
        write(declarations.putArray("outputs"), outputs);
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] header = JSON.writeValueAsBytes(declarations);
            out.write(MAGIC);
            out.writeInt(PAYLOAD_VERSION);
            out.writeInt(header.length);
            out.write(header);
            out.write(model);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw LatheException.internal("Cannot encode the imported model: " + e.getMessage(), e);
        }
    }

    private static void write(ArrayNode array, List<ImportedColumn> columns) {
        for (ImportedColumn column : columns) {
            array.addObject().put("name", column.name()).put("type", column.type());
        }
    }

    private static List<ImportedColumn> columns(JsonNode array) {
        List<ImportedColumn> columns = new ArrayList<>();
        array.forEach(node -> columns.add(new ImportedColumn(node.path("name").asText(), node.path("type").asText())));
        return columns;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw LatheException.internal("SHA-256 is not available: " + e.getMessage(), e);
        }
    }

}
