/**
 * LINEAR_REG and LOGISTIC_REG: generalized linear models fitted by the normal equation (pivoted
 * Cholesky) or by full-batch proximal gradient descent with line search, following BigQuery ML's
 * option names, AUTO_STRATEGY rules and ML.WEIGHTS output. Pure Java, no native dependencies.
 */
package dev.lathe.train.linear;
