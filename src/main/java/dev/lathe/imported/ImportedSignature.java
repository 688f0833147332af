package dev.lathe.imported;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What an imported model takes and gives: input columns in feature-matrix order and output columns in
 * ML.PREDICT order.
 *
 * @param format ONNX or XGBOOST
 * @param inputs the columns prediction needs, numeric (FLOAT64, INT64, BOOL)
 * @param outputs the model's own outputs, as ML.PREDICT shows them
 * @param tensorInput ONNX only: the one [N, F] input tensor fed with all inputs, when the graph has one;
 *     empty when every input column is its own tensor (or for XGBoost)
 */
public record ImportedSignature(String format, List<ImportedColumn> inputs, List<ImportedColumn> outputs,
        Optional<String> tensorInput) {
    public ImportedSignature {
        requireNonNull(format, "format is null");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        requireNonNull(tensorInput, "tensorInput is null");
    }
}
