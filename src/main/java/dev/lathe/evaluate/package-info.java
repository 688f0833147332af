/**
 * ML.EVALUATE, ML.CONFUSION_MATRIX and ML.ROC_CURVE arithmetic: metrics computed from primitive arrays of
 * labels, scores and predictions, with BigQuery ML's formulas and output column names. Nothing here
 * touches SQL; the engine feeds the arrays and turns the records into rows.
 */
package dev.lathe.evaluate;
