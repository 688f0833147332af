package dev.lathe.imported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.train.boosted.TreeStructure;
import dev.lathe.train.boosted.TreeWalker;
import dev.lathe.train.boosted.XgboostErrors;
import dev.lathe.train.boosted.XgboostLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost booster from a JSON, UBJSON or legacy binary model file. Input names and types come from
 * the file's {@code feature_names}/{@code feature_types}, else from INPUT(...). The one output,
 * {@code predicted_label} unless OUTPUT(...) renames it, is XGBoost's own prediction: the value for
 * regression, P(class 1) for binary:logistic, the class index for multi:softmax, and an
 * ARRAY&lt;FLOAT64&gt; of class probabilities for multi:softprob. Prediction walks the trees in Java
 * ({@link TreeWalker}, bit-identical to XGBoost) where the walker covers the model, else calls XGBoost.
 */
final class XgboostEstimator implements ImportedEstimator {
    static final String FORMAT = "XGBOOST";
    static final String OUTPUT = "predicted_label";

    private final Booster booster;
    private final ImportedSignature signature;
    private final int features;
    private final byte[] payload;
    /** Java prediction from the booster's trees; empty for models it does not cover (DART, categorical, ...). */
    private final Optional<TreeWalker> walker;

    private XgboostEstimator(Booster booster, ImportedSignature signature, byte[] payload) {
        this.payload = payload;
        this.walker = TreeWalker.of(booster);
        this.booster = booster;
        this.signature = signature;
        this.features = signature.inputs().size();
    }

    static XgboostEstimator create(byte[] model, byte[] payload, List<ImportedColumn> declaredInputs, List<ImportedColumn> declaredOutputs) {
        Booster booster;
        JsonNode learner;
        XgboostLibrary.preload();
        // Categorical splits write NaN conditions, which strict JSON lacks: read them, to refuse the model by its feature types.
        ObjectMapper reader = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try {
            booster = XGBoost.loadModel(XgboostFileRepair.repair(model));
            JsonNode json = reader.readTree(new String(booster.toByteArray("json"), StandardCharsets.UTF_8));
            learner = json.path("learner");
        } catch (XGBoostError | IOException | RuntimeException e) {
            String reason = XgboostErrors.reason(e);
            String written = XgboostFileVersion.of(model).map(v -> " The file was written by XGBoost " + String.join(".",
                    java.util.Arrays.stream(v).mapToObj(Integer::toString).toList()) + "; Lathe loads models with XGBoost4J "
                    + xgboostVersion() + " (save the model again with that version).").orElse("");
            // An ONNX file (a protobuf ModelProto, whose first field, ir_version, starts with the byte 0x08) gave XGBoost's
            // parser error alone, "basic_string::resize" (probe L).
            String onnx = written.isEmpty() && model.length > 1 && model[0] == 0x08
                    ? " It looks like an ONNX model: give model_type = 'ONNX'." : "";
            throw new LatheException(ErrorCode.INVALID_DATA, "The file is not an XGBoost model (JSON, UBJSON or binary) that XGBoost "
                    + "can load: " + reason + "." + written + onnx, e);
        }
        // Before anything walks the trees: a cycle looped forever, a child outside its tree predicted from another tree (probe ub F1b).
        TreeStructure.problem(learner).ifPresent(problem -> {
            throw new LatheException(ErrorCode.INVALID_DATA, "The XGBoost model file is malformed: " + problem);
        });
        int numFeature = learner.path("learner_model_param").path("num_feature").asInt(0);
        String objective = learner.path("objective").path("name").asText("");
        int numClass = learner.path("learner_model_param").path("num_class").asInt(0);
        List<ImportedColumn> inputs = inputs(learner, numFeature, declaredInputs);
        // A multi-target regressor predicts num_target values a row: all of them, not the first alone (probe qb)
        int numTarget = learner.path("learner_model_param").path("num_target").asInt(1);
        String outputType = (objective.equals("multi:softprob") && numClass > 1) || numTarget > 1
                ? ImportedColumn.ARRAY_FLOAT64 : ImportedColumn.FLOAT64;
        List<ImportedColumn> outputs = List.of(new ImportedColumn(OUTPUT, outputType));
        if (!declaredOutputs.isEmpty()) {
            if (declaredOutputs.size() != 1) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "OUTPUT(...) declares " + declaredOutputs.size()
                        + " columns but an XGBoost model has one output (" + outputType + ", objective " + objective + ")");
            }
            ImportedColumn declared = declaredOutputs.get(0);
            if (!declared.type().equals(outputType)) {
                throw Declarations.typeMismatch("OUTPUT", declared, outputs.get(0), FORMAT);
            }
            outputs = List.of(declared);
        }
        return new XgboostEstimator(booster, new ImportedSignature(FORMAT, inputs, outputs, Optional.empty()), payload);
    }

    /** The XGBoost4J library's version, from the properties file its jar carries. */
    private static String xgboostVersion() {
        try (java.io.InputStream in = XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            if (in != null) {
                java.util.Properties properties = new java.util.Properties();
                properties.load(in);
                return properties.getProperty("version", "2.x");
            }
        } catch (IOException e) {
            // the version only decorates a message
        }
        return "2.x";
    }

    private static List<ImportedColumn> inputs(JsonNode learner, int numFeature, List<ImportedColumn> declared) {
        Declarations.requireNumericInputs(declared, FORMAT);
        List<String> names = new ArrayList<>();
        learner.path("feature_names").forEach(n -> names.add(n.asText()));
        List<String> types = new ArrayList<>();
        learner.path("feature_types").forEach(t -> types.add(t.asText()));
        if (names.isEmpty()) {
            if (declared.isEmpty()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The XGBoost model file has no feature_names, so Lathe cannot tell"
                        + " which columns it reads; add INPUT(column FLOAT64, ...) listing its " + numFeature
                        + " features in order (or save the model with feature_names and feature_types set)");
            }
            if (numFeature > 0 && declared.size() != numFeature) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT(...) declares " + declared.size()
                        + " columns but the XGBoost model has " + numFeature + " features");
            }
            Declarations.requireDistinctInputs(declared, "XGBoost", null, null);
            return declared;
        }
        List<ImportedColumn> inFile = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            inFile.add(new ImportedColumn(names.get(i), columnType(names.get(i), i < types.size() ? types.get(i) : "float")));
        }
        Declarations.requireDistinctInputs(inFile, "XGBoost", "its feature_names", "rename one in the file: save the model with"
                + " distinct feature_names (INPUT(...) must equal them)");
        if (declared.isEmpty()) {
            return inFile;
        }
        if (declared.size() != inFile.size()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT(...) declares " + declared.size() + " columns but the XGBoost"
                    + " model's feature_names has " + inFile.size() + ": " + String.join(", ", names));
        }
        for (int i = 0; i < declared.size(); i++) {
            ImportedColumn column = declared.get(i);
            ImportedColumn feature = inFile.get(i);
            if (!column.name().equalsIgnoreCase(feature.name())) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "INPUT column " + (i + 1) + " is '" + column.name()
                        + "' but the XGBoost model's feature " + (i + 1) + " is '" + feature.name()
                        + "'; INPUT names must equal feature_names, in order: " + String.join(", ", names));
            }
            if (!column.type().equals(feature.type())) {
                throw Declarations.typeMismatch("INPUT", column, feature, FORMAT);
            }
        }
        return inFile;
    }

    /** XGBoost feature types: float/q numbers, int integers, i indicators; c (categorical) is not supported. */
    private static String columnType(String name, String type) {
        return switch (type) {
            case "int" -> ImportedColumn.INT64;
            case "i" -> ImportedColumn.BOOL;
            case "c" -> throw new LatheException(ErrorCode.UNSUPPORTED, "Feature '" + name + "' of the XGBoost model is categorical"
                    + " (feature type 'c'); imported XGBoost models take numeric features only");
            default -> ImportedColumn.FLOAT64;
        };
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
    public List<OutputColumn> predictOutputs(DenseMatrix matrix) {
        if (matrix.rows() == 0) {
            return List.of(OnnxEstimator.empty(signature.outputs().get(0)));
        }
        float[][] predictions;
        if (walker.isPresent()) {
            predictions = walker.get().predictRows(matrix.toFloats(), matrix.rows(), features);
        } else {
            try {
                DMatrix data = new DMatrix(matrix.toFloats(), matrix.rows(), features, Float.NaN);
                try {
                    predictions = predict(data);
                } finally {
                    data.dispose();
                }
            } catch (XGBoostError e) {
                throw new LatheException(ErrorCode.INVALID_DATA, "XGBoost could not predict: " + XgboostErrors.reason(e), e);
            }
        }
        if (signature.outputs().get(0).isArray()) {
            double[][] values = new double[predictions.length][];
            for (int r = 0; r < predictions.length; r++) {
                values[r] = new double[predictions[r].length];
                for (int k = 0; k < values[r].length; k++) {
                    values[r][k] = predictions[r][k];
                }
            }
            return List.of(new OutputColumn.DoubleArrays(values));
        }
        double[] values = new double[predictions.length];
        for (int r = 0; r < values.length; r++) {
            values[r] = predictions[r][0];
        }
        return List.of(new OutputColumn.Doubles(values));
    }

    /** A booster is not documented as safe for concurrent prediction, so calls are serialized. */
    private synchronized float[][] predict(DMatrix data) throws XGBoostError {
        return booster.predict(data);
    }
}
