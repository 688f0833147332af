package dev.lathe.train.linear;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import dev.lathe.train.CommonOptions;
import java.util.ArrayList;
import java.util.List;

/** The GLM options of spec section 1.3, shared by LINEAR_REG and LOGISTIC_REG. */
public final class GlmOptions {
    private GlmOptions() {}

    public static final String OPTIMIZE_STRATEGY = "optimize_strategy";
    public static final String LEARN_RATE_STRATEGY = "learn_rate_strategy";
    public static final String LS_INIT_LEARN_RATE = "ls_init_learn_rate";
    public static final String CALCULATE_P_VALUES = "calculate_p_values";
    public static final String FIT_INTERCEPT = "fit_intercept";
    public static final String CATEGORY_ENCODING_METHOD = "category_encoding_method";

    public static final String AUTO_STRATEGY = "AUTO_STRATEGY";
    public static final String BATCH_GRADIENT_DESCENT = "BATCH_GRADIENT_DESCENT";
    public static final String NORMAL_EQUATION = "NORMAL_EQUATION";
    public static final String LINE_SEARCH = "LINE_SEARCH";
    public static final String CONSTANT = "CONSTANT";

    /** BigQuery ML's limit on total feature cardinality for the normal equation. */
    static final int MAX_NORMAL_EQUATION_CARDINALITY = 10_000;

    static List<OptionSpec> specs(boolean classifier) {
        List<OptionSpec> specs = new ArrayList<>();
        specs.add(OptionSpec.oneOf(OPTIMIZE_STRATEGY, AUTO_STRATEGY, AUTO_STRATEGY, BATCH_GRADIENT_DESCENT, NORMAL_EQUATION));
        specs.add(OptionSpec.oneOf(LEARN_RATE_STRATEGY, LINE_SEARCH, LINE_SEARCH, CONSTANT));
        specs.add(OptionSpec.float64(CommonOptions.LEARN_RATE, 0.1, 0.0, null).exclusive(true, false));
        specs.add(OptionSpec.float64(LS_INIT_LEARN_RATE, 0.1, 0.0, null).exclusive(true, false));
        specs.add(OptionSpec.bool(CALCULATE_P_VALUES, false));
        specs.add(OptionSpec.bool(FIT_INTERCEPT, true));
        specs.add(OptionSpec.oneOf(CATEGORY_ENCODING_METHOD, "ONE_HOT_ENCODING", "ONE_HOT_ENCODING", "DUMMY_ENCODING"));
        specs.add(OptionSpec.float64(CommonOptions.L1_REG, 0.0, 0.0, null));
        specs.add(OptionSpec.float64(CommonOptions.L2_REG, 0.0, 0.0, null));
        specs.addAll(CommonOptions.supervised(classifier));
        if (classifier) {
            specs.addAll(CommonOptions.classWeights());
        }
        return List.copyOf(specs);
    }

    /** Data-independent checks shared by both GLM types. */
    static ModelOptions validate(ModelOptions options, String modelType) {
        if (options.isExplicit(CommonOptions.LEARN_RATE) && options.getString(LEARN_RATE_STRATEGY).equals(LINE_SEARCH)) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option 'learn_rate' is only allowed with learn_rate_strategy = 'CONSTANT' for "
                    + modelType + ", but learn_rate_strategy is 'LINE_SEARCH'; set learn_rate_strategy = 'CONSTANT' or use ls_init_learn_rate");
        }
        if (options.getString(OPTIMIZE_STRATEGY).equals(NORMAL_EQUATION)) {
            if (modelType.equals("LOGISTIC_REG")) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "optimize_strategy = 'NORMAL_EQUATION' is not supported for LOGISTIC_REG;"
                        + " accepted: 'AUTO_STRATEGY' or 'BATCH_GRADIENT_DESCENT'");
            }
            if (options.getDouble(CommonOptions.L1_REG) > 0) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "optimize_strategy = 'NORMAL_EQUATION' cannot be used with l1_reg = "
                        + options.getDouble(CommonOptions.L1_REG) + "; use 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY', or set l1_reg = 0");
            }
            if (options.getBool(CommonOptions.WARM_START)) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "optimize_strategy = 'NORMAL_EQUATION' cannot be used with warm_start = TRUE;"
                        + " use 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY'");
            }
        }
        return options;
    }

    static CategoryEncoding encoding(ModelOptions options) {
        return CategoryEncoding.valueOf(options.getString(CATEGORY_ENCODING_METHOD));
    }

    /**
     * The strategy AUTO_STRATEGY picks (spec 1.3), or the explicit one after checking the cardinality
     * limit the normal equation has.
     */
    static String chooseStrategy(ModelOptions options, int cardinality, int trainingRows) {
        String requested = options.getString(OPTIMIZE_STRATEGY);
        boolean l1 = options.getDouble(CommonOptions.L1_REG) > 0;
        boolean warmStart = options.getBool(CommonOptions.WARM_START);
        boolean tooWide = cardinality > MAX_NORMAL_EQUATION_CARDINALITY;
        return switch (requested) {
            case NORMAL_EQUATION -> {
                if (tooWide) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "optimize_strategy = 'NORMAL_EQUATION' needs a total feature cardinality of at most "
                            + MAX_NORMAL_EQUATION_CARDINALITY + ", but the encoded training data has " + cardinality
                            + " columns; use 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY'");
                }
                yield NORMAL_EQUATION;
            }
            case BATCH_GRADIENT_DESCENT -> BATCH_GRADIENT_DESCENT;
            default -> l1 || warmStart || tooWide || (long) trainingRows < 10L * cardinality ? BATCH_GRADIENT_DESCENT : NORMAL_EQUATION;
        };
    }
}
