/**
 * Imported models (model_type ONNX and XGBOOST): files trained elsewhere, validated and wrapped as an
 * {@link dev.lathe.imported.ImportedEstimator}, so they predict through the same path as native models.
 * Their ML.PREDICT output is the model's own outputs, described by an {@link dev.lathe.imported.ImportedSignature}.
 */
package dev.lathe.imported;
