package dev.lathe.train.linear;

import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.train.CommonOptions;

/**
 * The optimizer settings read from resolved options.
 *
 * @param standardErrors whether to compute the parameters' standard errors for ML.ADVANCED_WEIGHTS: CALCULATE_P_VALUES
 *     with what that function requires (DUMMY_ENCODING, L1_REG 0; binary, for logistic regression)
 */
record GlmSettings(boolean lineSearch, double learnRate, double initialLearnRate, boolean fitIntercept, double l1, double l2,
        int maxIterations, boolean earlyStop, double minRelativeProgress, boolean standardErrors) {

    static GlmSettings from(ModelOptions options) {
        return new GlmSettings(
                options.getString(GlmOptions.LEARN_RATE_STRATEGY).equals(GlmOptions.LINE_SEARCH),
                options.getDouble(CommonOptions.LEARN_RATE),
                options.getDouble(GlmOptions.LS_INIT_LEARN_RATE),
                options.getBool(GlmOptions.FIT_INTERCEPT),
                options.getDouble(CommonOptions.L1_REG),
                options.getDouble(CommonOptions.L2_REG),
                (int) Math.min(Integer.MAX_VALUE, options.getLong(CommonOptions.MAX_ITERATIONS)),
                options.getBool(CommonOptions.EARLY_STOP),
                options.getDouble(CommonOptions.MIN_REL_PROGRESS),
                options.getBool(GlmOptions.CALCULATE_P_VALUES) && options.getDouble(CommonOptions.L1_REG) == 0
                        && GlmOptions.encoding(options) == CategoryEncoding.DUMMY_ENCODING);
    }
}
