package dev.lathe.imported;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.lang.reflect.Array;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX graph run by ONNX Runtime (CPU). Inputs are either one float/double/int tensor [N, F] fed with
 * all input columns (scikit-learn's convention; feature names from INPUT(...) or the model's
 * {@code feature_names} metadata, a JSON list or comma-separated), or one [N] / [N, 1] tensor per input
 * column, named like it. Tensor outputs become columns: [N] and [N, 1] scalars, [N, K] arrays.
 * A session is thread-safe; it lives as long as the loaded model.
 */
final class OnnxEstimator implements ImportedEstimator {
    static final String FORMAT = "ONNX";
    private static final String FEATURE_NAMES = "feature_names";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ImportedSignature signature;
    private final Map<String, TensorInfo> inputTensors;
    /** ONNX output name per signature output (the signature keeps the file's spelling too). */
    private final List<String> outputNames;
    private final byte[] payload;
    /**
     * Per signature output, the bits that hold an unsigned tensor's value (0: signed): ONNX Runtime's Java API gives a
     * UINT8, UINT16 or UINT32 tensor as signed bytes, shorts or ints, so 250 came out -6 (probe qb).
     */
    private final long[] unsignedMasks;

    private OnnxEstimator(OrtEnvironment environment, OrtSession session, ImportedSignature signature,
            Map<String, TensorInfo> inputTensors, byte[] payload) throws OrtException {
        this.payload = payload;
        Map<String, NodeInfo> outputInfo = session.getOutputInfo();
        this.unsignedMasks = signature.outputs().stream().mapToLong(c -> outputInfo.get(c.name()) != null
                && outputInfo.get(c.name()).getInfo() instanceof TensorInfo t ? unsignedMask(t) : 0L).toArray();
        this.environment = environment;
        this.session = session;
        this.signature = signature;
        this.inputTensors = inputTensors;
        this.outputNames = signature.outputs().stream().map(ImportedColumn::name).toList();
    }

    static OnnxEstimator create(byte[] model, byte[] payload, List<ImportedColumn> declaredInputs, List<ImportedColumn> declaredOutputs) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        // Checked first: "model_path must not be empty" said nothing of the cause, and where the working directory held the
        // data file the graph was imported without its weights, which Lathe never copied (probe qb)
        if (externalData(model)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "The ONNX model keeps its weights in an external data file (beside it,"
                    + " e.g. model.onnx.data); Lathe imports single-file models, which it copies whole: save it with all tensors"
                    + " inside (onnx.save_model(model, path, save_as_external_data=False), for models under 2 GiB)");
        }
        OrtSession session;
        try {
            session = environment.createSession(model, new OrtSession.SessionOptions());
        } catch (OrtException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The file is not an ONNX model ONNX Runtime can load: " + e.getMessage(), e);
        }
        try {
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
                TensorInfo tensor = inputTensor(input.getKey(), input.getValue().getInfo());
                long[] shape = tensor.getShape();
                if (shape.length > 0 && shape[0] > 0) {
                    // Lathe feeds every row of a call in one tensor; a fixed batch failed at prediction for more than one row.
                    throw new LatheException(ErrorCode.UNSUPPORTED, "The ONNX model's input '" + input.getKey() + "' has a fixed batch"
                            + " dimension " + java.util.Arrays.toString(shape) + "; Lathe feeds many rows at once, so the first"
                            + " dimension must be free (export it with a dynamic batch axis, e.g. None or 'N')");
                }
                tensors.put(input.getKey(), tensor);
            }
            Declarations.requireNumericInputs(declaredInputs, FORMAT);
            Optional<String> tensorInput = Optional.empty();
            List<ImportedColumn> inputs;
            List<String> featureNames = featureNames(session);
            // One [N, 1] input that names its feature (scikit-learn's float_input with feature_names), or whose INPUT names
            // another column, is a one-feature matrix: its name was ignored and INPUT(x) refused (probe qb)
            boolean namedSingle = tensors.size() == 1 && !isMatrix(tensors.values().iterator().next())
                    && tensors.values().iterator().next().getShape().length == 2
                    && (featureNames.size() == 1 || (declaredInputs.size() == 1
                            && !declaredInputs.get(0).name().equalsIgnoreCase(tensors.keySet().iterator().next())));
            if (tensors.size() == 1 && (isMatrix(tensors.values().iterator().next()) || namedSingle)) {
                String name = tensors.keySet().iterator().next();
                tensorInput = Optional.of(name);
                inputs = matrixInputs(name, tensors.get(name), declaredInputs, featureNames);
            } else {
                // beside other inputs a [N, F] tensor has no columns to come from: taken, every prediction failed (probe qb)
                for (Map.Entry<String, TensorInfo> tensor : tensors.entrySet()) {
                    if (isMatrix(tensor.getValue())) {
                        throw new LatheException(ErrorCode.UNSUPPORTED, "ONNX input '" + tensor.getKey() + "' has shape "
                                + java.util.Arrays.toString(tensor.getValue().getShape()) + " beside other inputs; Lathe feeds one"
                                + " column per [N] or [N, 1] input, or all columns to a single [N, F] input");
                    }
                }
                inputs = columnInputs(tensors, declaredInputs);
            }
            List<ImportedColumn> outputs = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
                if (output.getValue().getInfo() instanceof TensorInfo tensor
                        && tensor.onnxType == TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64) {
                    unreadable.add(output.getKey() + " (a UINT64 tensor, whose values above 2^63 no INT64 holds: cast it to INT64"
                            + " or DOUBLE in the graph)");
                } else if (output.getValue().getInfo() instanceof TensorInfo tensor && columnType(tensor).isPresent()) {
                    outputs.add(new ImportedColumn(output.getKey(), columnType(tensor).get()));
                } else {
                    unreadable.add(output.getKey() + " (" + output.getValue().getInfo() + ")");
                }
            }
            if (!unreadable.isEmpty() && declaredOutputs.isEmpty()) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "ONNX output" + (unreadable.size() > 1 ? "s " : " ")
                        + String.join(", ", unreadable) + " cannot be a column: Lathe reads numeric, boolean and string tensors of"
                        + " shape [N], [N, 1] or [N, K]. Export classifiers without ZipMap (skl2onnx options={'zipmap': False}),"
                        + " or list the tensor outputs you want in OUTPUT(...)");
            }
            ImportedSignature signature = new ImportedSignature(FORMAT, inputs,
                    Declarations.outputs(outputs, declaredOutputs, FORMAT), tensorInput);
            return new OnnxEstimator(environment, session, signature, tensors, payload);
        } catch (OrtException e) {
            close(session);
            throw new LatheException(ErrorCode.INVALID_DATA, "Cannot read the ONNX model's inputs and outputs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    /**
     * Whether the file's tensors point at external data: a TensorProto's external_data (protobuf field 13, tag 0x6a, then the
     * entry's length as a varint) holds a StringStringEntryProto whose key (field 1) is the 8 bytes "location". An input
     * named "location" has the key's bytes too, but not behind that tag.
     */
    static boolean externalData(byte[] model) {
        byte[] key = {0x0a, 0x08, 'l', 'o', 'c', 'a', 't', 'i', 'o', 'n'};
        outer:
        for (int i = 2; i + key.length <= model.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (model[i + j] != key[j]) {
                    continue outer;
                }
            }
            boolean oneByteLength = (model[i - 1] & 0x80) == 0 && model[i - 2] == 0x6a;
            boolean twoByteLength = i >= 3 && (model[i - 1] & 0x80) == 0 && (model[i - 2] & 0x80) != 0 && model[i - 3] == 0x6a;
            if (oneByteLength || twoByteLength) {
                return true;
            }
        }
        return false;
    }

    private static TensorInfo inputTensor(String name, ValueInfo info) {
        if (!(info instanceof TensorInfo tensor)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ONNX input '" + name + "' is " + info
                    + "; Lathe feeds numeric tensors only");
        }
        switch (tensor.onnxType) { // the ONNX type: the Java type of a UINT32 tensor says INT32, and feeding one failed every row
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> {
                // supported
            }
            default -> throw new LatheException(ErrorCode.UNSUPPORTED, "ONNX input '" + name + "' is a tensor of "
                    + tensor.onnxType.toString().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                    + "; Lathe feeds float, double, int64 and int32 tensors");
        }
        long[] shape = tensor.getShape();
        if (shape.length == 0 || shape.length > 2 || shape[0] > 1) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ONNX input '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + "; Lathe feeds [N] or [N, F] tensors with a free batch dimension N");
        }
        return tensor;
    }

    /** A [N, F] input with F other than 1 (F unknown counts): one tensor for all features. */
    private static boolean isMatrix(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        return shape.length == 2 && shape[1] != 1;
    }

    private static List<ImportedColumn> matrixInputs(String name, TensorInfo tensor, List<ImportedColumn> declared,
            List<String> metadataNames) {
        long width = tensor.getShape()[1];
        String elementType = scalarType(tensor.type).orElseThrow();
        List<ImportedColumn> inputs = new ArrayList<>();
        for (String feature : metadataNames) {
            inputs.add(new ImportedColumn(feature, elementType));
        }
        Declarations.requireDistinctInputs(inputs, FORMAT, "its '" + FEATURE_NAMES + "' metadata", "rename one in that metadata,"
                + " or remove it and list the columns in INPUT(...) with distinct names");
        Declarations.requireDistinctInputs(declared, FORMAT, null, null);
        if (!declared.isEmpty()) {
            if (width > 0 && declared.size() != width) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT(...) declares " + declared.size()
                        + " columns but the ONNX model's input '" + name + "' has " + width + " features; list all " + width
                        + " columns in the order the model expects them");
            }
            // Every column feeds the one tensor, so each is of its element type (an INT64 or BOOL declared for a float
            // tensor was taken and advertised so: probe qb)
            for (ImportedColumn column : declared) {
                if (!column.type().equals(elementType)) {
                    throw Declarations.typeMismatch("INPUT", column, new ImportedColumn(column.name(), elementType), FORMAT);
                }
            }
            // Columns feed the tensor by position: where the file names its features, INPUT must list those names in that
            // order (a reordered list fed each column into another feature's slot, every prediction wrong without a word).
            if (!metadataNames.isEmpty()) {
                for (int i = 0; i < declared.size() && i < metadataNames.size(); i++) {
                    if (!declared.get(i).name().equalsIgnoreCase(metadataNames.get(i))) {
                        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT column " + (i + 1) + " is '" + declared.get(i).name()
                                + "' but the ONNX model's feature " + (i + 1) + " is '" + metadataNames.get(i) + "' (its '" + FEATURE_NAMES
                                + "' metadata); INPUT names must equal those names, in order: " + String.join(", ", metadataNames));
                    }
                }
            }
            return declared;
        }
        if (metadataNames.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The ONNX model's input '" + name + "' is one tensor of "
                    + (width > 0 ? width : "N") + " features and the file does not name them (no '" + FEATURE_NAMES
                    + "' metadata); add INPUT(column " + elementType + ", ...) listing the columns in the model's feature order");
        }
        if (width > 0 && metadataNames.size() != width) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The ONNX model's '" + FEATURE_NAMES + "' metadata names "
                    + metadataNames.size() + " features but its input '" + name + "' has " + width + "; declare INPUT(...)");
        }
        return inputs;
    }

    private static List<ImportedColumn> columnInputs(Map<String, TensorInfo> tensors, List<ImportedColumn> declared) {
        List<ImportedColumn> inFile = new ArrayList<>();
        for (Map.Entry<String, TensorInfo> tensor : tensors.entrySet()) {
            inFile.add(new ImportedColumn(tensor.getKey(), scalarType(tensor.getValue().type).orElseThrow()));
        }
        Declarations.requireDistinctInputs(inFile, FORMAT, "its graph's input tensors", "rename one of those inputs in the graph"
                + " (INPUT(...) must name the graph's inputs)");
        if (declared.isEmpty()) {
            return inFile;
        }
        Declarations.requireDistinctInputs(declared, FORMAT, null, null);
        for (ImportedColumn column : declared) {
            ImportedColumn match = Declarations.find(inFile, column.name(), "INPUT column", "the ONNX model's inputs")
                    .orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT column '" + column.name()
                            + "' is not an input of the ONNX model; its inputs are: "
                            + String.join(", ", inFile.stream().map(ImportedColumn::toString).toList())));
            if (!match.type().equals(column.type())) {
                throw Declarations.typeMismatch("INPUT", column, match, FORMAT);
            }
        }
        for (ImportedColumn column : inFile) {
            if (Declarations.find(declared, column.name(), "The ONNX model's input", "the INPUT(...) columns").isEmpty()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT(...) lacks the ONNX model's input '" + column.name()
                        + "' (" + column.type() + "); declare every input or leave INPUT out to take them from the file");
            }
        }
        return inFile;
    }

    private static List<String> featureNames(OrtSession session) throws OrtException {
        String text = session.getMetadata().getCustomMetadata().get(FEATURE_NAMES);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (text.strip().startsWith("[")) {
            try {
                for (JsonNode node : new ObjectMapper().readTree(text)) {
                    names.add(node.asText());
                }
            } catch (java.io.IOException e) {
                throw new LatheException(ErrorCode.INVALID_DATA, "The ONNX model's '" + FEATURE_NAMES + "' metadata is not a JSON"
                        + " list of names: " + text, e);
            }
        } else {
            for (String name : text.split(",")) {
                names.add(name.strip());
            }
        }
        return names;
    }

    private static Optional<String> scalarType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> Optional.of(ImportedColumn.FLOAT64);
            case INT8, INT16, INT32, INT64, UINT8 -> Optional.of(ImportedColumn.INT64);
            case BOOL -> Optional.of(ImportedColumn.BOOL);
            case STRING -> Optional.of(ImportedColumn.STRING);
            default -> Optional.empty();
        };
    }

    /** [N] and [N, 1] are scalars, [N, K] arrays; other ranks are not columns. */
    private static Optional<String> columnType(TensorInfo tensor) {
        Optional<String> scalar = scalarType(tensor.type);
        long[] shape = tensor.getShape();
        if (scalar.isEmpty() || shape.length == 0 || shape.length > 2) {
            return Optional.empty();
        }
        if (shape.length == 1 || shape[1] == 1) {
            return scalar;
        }
        return scalar.get().equals(ImportedColumn.BOOL) ? Optional.empty() : Optional.of("ARRAY<" + scalar.get() + ">");
    }

    @Override
    public byte[] save() {
        return payload.clone();
    }

    @Override
    public ImportedSignature signature() {
        return signature;
    }

    @Override
    public List<OutputColumn> predictOutputs(DenseMatrix features) {
        int rows = features.rows();
        if (rows == 0) {
            return signature.outputs().stream().map(c -> empty(c)).toList();
        }
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            if (signature.tensorInput().isPresent()) {
                String name = signature.tensorInput().get();
                int cols = features.cols();
                feeds.put(name, tensor(inputTensors.get(name), features.data(), new long[] {rows, cols},
                        i -> signature.inputs().get(i % cols).name()));
            } else {
                for (Map.Entry<String, TensorInfo> input : inputTensors.entrySet()) {
                    int index = indexOf(input.getKey());
                    double[] values = new double[rows];
                    for (int r = 0; r < rows; r++) {
                        values[r] = features.get(r, index);
                    }
                    long[] shape = input.getValue().getShape().length == 1 ? new long[] {rows} : new long[] {rows, 1};
                    String column = signature.inputs().get(index).name();
                    feeds.put(input.getKey(), tensor(input.getValue(), values, shape, i -> column));
                }
            }
            try (OrtSession.Result result = session.run(feeds, new LinkedHashSet<>(outputNames))) {
                List<OutputColumn> columns = new ArrayList<>();
                for (int i = 0; i < outputNames.size(); i++) {
                    OnnxValue value = result.get(outputNames.get(i)).orElseThrow();
                    columns.add(column(value.getValue(), signature.outputs().get(i), rows, unsignedMasks[i]));
                }
                return columns;
            }
        } catch (OrtException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "ONNX Runtime could not run the model: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public Map<String, double[]> integerInputs() {
        Map<String, double[]> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, TensorInfo> input : inputTensors.entrySet()) {
            double[] range = switch (input.getValue().type) {
                case INT64 -> new double[] {-MAX_EXACT, MAX_EXACT};
                case INT32 -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
                default -> null;
            };
            if (range == null) {
                continue;
            }
            if (signature.tensorInput().isPresent()) { // one [N, K] tensor: every column is fed to it
                signature.inputs().forEach(column -> ranges.put(column.name(), range));
            } else {
                ranges.put(signature.inputs().get(indexOf(input.getKey())).name(), range);
            }
        }
        return ranges;
    }

    private int indexOf(String input) {
        for (int i = 0; i < signature.inputs().size(); i++) {
            if (signature.inputs().get(i).name().equalsIgnoreCase(input)) {
                return i;
            }
        }
        throw new IllegalStateException("input " + input + " not in " + signature.inputs());
    }

    /** {@code columnOf} names the input column of each element, for errors; element i is of row i / (elements a row). */
    private OnnxTensor tensor(TensorInfo info, double[] values, long[] shape, java.util.function.IntFunction<String> columnOf)
            throws OrtException {
        int width = (int) (values.length / shape[0]);
        return switch (info.type) {
            case FLOAT -> {
                float[] floats = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    floats[i] = (float) values[i];
                }
                yield OnnxTensor.createTensor(environment, FloatBuffer.wrap(floats), shape);
            }
            case DOUBLE -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap(values), shape);
            case INT64 -> {
                long[] longs = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    longs[i] = (long) integral(values[i], i / width, columnOf.apply(i), "INT64", -MAX_EXACT, MAX_EXACT);
                }
                yield OnnxTensor.createTensor(environment, LongBuffer.wrap(longs), shape);
            }
            case INT32 -> {
                int[] ints = new int[values.length];
                for (int i = 0; i < values.length; i++) {
                    ints[i] = (int) integral(values[i], i / width, columnOf.apply(i), "INT32", Integer.MIN_VALUE, Integer.MAX_VALUE);
                }
                yield OnnxTensor.createTensor(environment, IntBuffer.wrap(ints), shape);
            }
            default -> throw new IllegalStateException("unsupported input type " + info.type);
        };
    }

    /**
     * The largest integer an INT64 input takes (2^53 - 1): inputs reach the model through DOUBLE, which holds every integer
     * up to it exactly; 2^53 itself is also what 2^53 + 1 reads as, so taking it fed 2^53 + 1 as 2^53 (probe qb).
     */
    static final double MAX_EXACT = 9007199254740991.0;

    /**
     * An integer tensor's element: whole and within the tensor type's range, never a silent truncation (2.7 fed as 2) or
     * saturation (3e9 fed to INT32 as 2147483647). Integer tensors have no NaN, so a NULL cannot be fed either. {@code row}:
     * the batch's row, for callers to name.
     */
    private static double integral(double value, int row, String column, String type, double min, double max) {
        if (Double.isNaN(value) || value != Math.rint(value) || value < min || value > max) {
            throw new IntegerInputException(row, column, value, type, min, max);
        }
        return value;
    }

    /** The bits of an unsigned UINT8, UINT16 or UINT32 tensor's values; 0 for other tensors. */
    private static long unsignedMask(TensorInfo tensor) {
        return switch (tensor.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> 0xFFL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> 0xFFFFL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> 0xFFFFFFFFL;
            default -> 0L;
        };
    }

    /** An integer element as the tensor means it: {@code mask}'s bits of an unsigned tensor's signed Java value. */
    private static long integer(Object element, long mask) {
        long value = ((Number) element).longValue();
        return mask == 0 ? value : value & mask;
    }

    /** Converts ONNX Runtime's Java arrays ([N] or [N][K]) into a column; {@code mask}: {@link #unsignedMask}'s. */
    private static OutputColumn column(Object value, ImportedColumn column, int rows, long mask) {
        int produced = value.getClass().isArray() ? java.lang.reflect.Array.getLength(value) : -1;
        if (produced != rows) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The ONNX model's output '" + column.name() + "' has " + (produced < 0 ? "no"
                    : produced) + " rows for " + rows + " input rows; Lathe reads one output row per input row (an output"
                    + " reduced over the whole batch cannot be a prediction column)");
        }
        return switch (column.type()) {
            case ImportedColumn.FLOAT64 -> {
                double[] values = new double[rows];
                for (int r = 0; r < rows; r++) {
                    values[r] = ((Number) scalar(value, r)).doubleValue();
                }
                yield new OutputColumn.Doubles(values);
            }
            case ImportedColumn.INT64 -> {
                long[] values = new long[rows];
                for (int r = 0; r < rows; r++) {
                    values[r] = integer(scalar(value, r), mask);
                }
                yield new OutputColumn.Longs(values);
            }
            case ImportedColumn.BOOL -> {
                boolean[] values = new boolean[rows];
                for (int r = 0; r < rows; r++) {
                    values[r] = (Boolean) scalar(value, r);
                }
                yield new OutputColumn.Booleans(values);
            }
            case ImportedColumn.STRING -> {
                String[] values = new String[rows];
                for (int r = 0; r < rows; r++) {
                    values[r] = (String) scalar(value, r);
                }
                yield new OutputColumn.Strings(values);
            }
            case ImportedColumn.ARRAY_FLOAT64 -> {
                double[][] values = new double[rows][];
                for (int r = 0; r < rows; r++) {
                    Object row = Array.get(value, r);
                    values[r] = new double[Array.getLength(row)];
                    for (int k = 0; k < values[r].length; k++) {
                        values[r][k] = ((Number) Array.get(row, k)).doubleValue();
                    }
                }
                yield new OutputColumn.DoubleArrays(values);
            }
            case ImportedColumn.ARRAY_INT64 -> {
                long[][] values = new long[rows][];
                for (int r = 0; r < rows; r++) {
                    Object row = Array.get(value, r);
                    values[r] = new long[Array.getLength(row)];
                    for (int k = 0; k < values[r].length; k++) {
                        values[r][k] = integer(Array.get(row, k), mask);
                    }
                }
                yield new OutputColumn.LongArrays(values);
            }
            case ImportedColumn.ARRAY_STRING -> {
                String[][] values = new String[rows][];
                for (int r = 0; r < rows; r++) {
                    Object row = Array.get(value, r);
                    values[r] = new String[Array.getLength(row)];
                    for (int k = 0; k < values[r].length; k++) {
                        values[r][k] = (String) Array.get(row, k);
                    }
                }
                yield new OutputColumn.StringArrays(values);
            }
            default -> throw new IllegalStateException(column.type());
        };
    }

    private static Object scalar(Object value, int row) {
        Object element = Array.get(value, row);
        return element.getClass().isArray() ? Array.get(element, 0) : element;
    }

    static OutputColumn empty(ImportedColumn column) {
        return switch (column.type()) {
            case ImportedColumn.FLOAT64 -> new OutputColumn.Doubles(new double[0]);
            case ImportedColumn.INT64 -> new OutputColumn.Longs(new long[0]);
            case ImportedColumn.BOOL -> new OutputColumn.Booleans(new boolean[0]);
            case ImportedColumn.STRING -> new OutputColumn.Strings(new String[0]);
            case ImportedColumn.ARRAY_FLOAT64 -> new OutputColumn.DoubleArrays(new double[0][]);
            case ImportedColumn.ARRAY_INT64 -> new OutputColumn.LongArrays(new long[0][]);
            default -> new OutputColumn.StringArrays(new String[0][]);
        };
    }

    private static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the session failed validation; nothing else holds it
        }
    }
}
