package dev.lathe.train.boosted;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import dev.lathe.core.options.OptionType;
import dev.lathe.train.CommonOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options of the tree families (spec sections 1.4 and 1.5) with BigQuery ML's defaults and ranges. */
public final class TreeOptions {
    private TreeOptions() {}

    public static final String BOOSTER_TYPE = "booster_type";
    public static final String DART_NORMALIZE_TYPE = "dart_normalize_type";
    public static final String NUM_PARALLEL_TREE = "num_parallel_tree";
    public static final String MAX_TREE_DEPTH = "max_tree_depth";
    public static final String DROPOUT = "dropout";
    public static final String TREE_METHOD = "tree_method";
    public static final String MIN_TREE_CHILD_WEIGHT = "min_tree_child_weight";
    public static final String COLSAMPLE_BYTREE = "colsample_bytree";
    public static final String COLSAMPLE_BYLEVEL = "colsample_bylevel";
    public static final String COLSAMPLE_BYNODE = "colsample_bynode";
    public static final String MIN_SPLIT_LOSS = "min_split_loss";
    public static final String SUBSAMPLE = "subsample";
    public static final String CATEGORY_ENCODING_METHOD = "category_encoding_method";
    public static final String APPROX_GLOBAL_FEATURE_CONTRIB = "approx_global_feature_contrib";
    public static final String XGBOOST_VERSION = "xgboost_version";

    static List<OptionSpec> specs(Ensemble ensemble, ModelTask task) {
        List<OptionSpec> specs = new ArrayList<>();
        boolean boosted = ensemble == Ensemble.BOOSTED_TREE;
        for (OptionSpec spec : CommonOptions.supervised(task == ModelTask.CLASSIFICATION)) {
            // A random forest is one round of trees: BigQuery ML has no MAX_ITERATIONS for it.
            if (boosted || !spec.name().equals(CommonOptions.MAX_ITERATIONS)) {
                specs.add(spec);
            }
        }
        if (task == ModelTask.CLASSIFICATION) {
            specs.addAll(CommonOptions.classWeights());
        }
        specs.add(OptionSpec.string(CommonOptions.INSTANCE_WEIGHT_COL, null));
        if (boosted) {
            specs.add(OptionSpec.oneOf(BOOSTER_TYPE, "GBTREE", "GBTREE", "DART"));
            specs.add(OptionSpec.oneOf(DART_NORMALIZE_TYPE, "TREE", "TREE", "FOREST"));
            specs.add(OptionSpec.int64(NUM_PARALLEL_TREE, 1L, 1L, null));
            specs.add(OptionSpec.int64(MAX_TREE_DEPTH, 6L, 1L, null));
            specs.add(OptionSpec.float64(DROPOUT, 0.0, 0.0, 1.0));
            specs.add(OptionSpec.float64(CommonOptions.LEARN_RATE, 0.3, 0.0, null).exclusive(true, false));
        } else {
            specs.add(OptionSpec.int64(NUM_PARALLEL_TREE, 100L, 2L, null));
            specs.add(OptionSpec.int64(MAX_TREE_DEPTH, 15L, 1L, null));
        }
        specs.add(OptionSpec.float64(CommonOptions.L1_REG, 0.0, 0.0, null));
        specs.add(OptionSpec.float64(CommonOptions.L2_REG, 1.0, 0.0, null));
        specs.add(OptionSpec.oneOf(TREE_METHOD, "AUTO", "AUTO", "EXACT", "APPROX", "HIST"));
        specs.add(OptionSpec.int64(MIN_TREE_CHILD_WEIGHT, 1L, 0L, null));
        specs.add(OptionSpec.float64(COLSAMPLE_BYTREE, 1.0, 0.0, 1.0));
        specs.add(OptionSpec.float64(COLSAMPLE_BYLEVEL, 1.0, 0.0, 1.0));
        specs.add(OptionSpec.float64(COLSAMPLE_BYNODE, boosted ? 1.0 : 0.8, 0.0, 1.0));
        specs.add(OptionSpec.float64(MIN_SPLIT_LOSS, 0.0, 0.0, null));
        specs.add(boosted
                ? OptionSpec.float64(SUBSAMPLE, 1.0, 0.0, 1.0).exclusive(true, false)
                : OptionSpec.float64(SUBSAMPLE, 0.8, 0.0, 1.0).exclusive(true, true));
        if (boosted) {
            specs.add(OptionSpec.oneOf(CATEGORY_ENCODING_METHOD, "LABEL_ENCODING", "LABEL_ENCODING", "TARGET_ENCODING",
                    "ONE_HOT_ENCODING"));
        }
        // The default depends on other options; validate() fills it in.
        specs.add(new OptionSpec(APPROX_GLOBAL_FEATURE_CONTRIB, OptionType.BOOL, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), false, false));
        specs.add(OptionSpec.oneOf(XGBOOST_VERSION, "0.9", "0.9", "1.1"));
        return List.copyOf(specs);
    }

    /**
     * Cross-option rules of spec section 1.1 and of the XGBoost Lathe trains with, and the data-independent default of
     * APPROX_GLOBAL_FEATURE_CONTRIB.
     */
    static ModelOptions validate(ModelOptions options, Ensemble ensemble, String modelType) {
        boolean classWeights = options.has(CommonOptions.CLASS_WEIGHTS);
        boolean autoClassWeights = options.has(CommonOptions.AUTO_CLASS_WEIGHTS) && options.getBool(CommonOptions.AUTO_CLASS_WEIGHTS);
        if (classWeights && autoClassWeights) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Options 'class_weights' and 'auto_class_weights' = TRUE cannot be"
                    + " combined for model_type " + modelType + "; set only one of them");
        }
        if (options.has(CommonOptions.INSTANCE_WEIGHT_COL) && (classWeights || autoClassWeights)) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option 'instance_weight_col' ('"
                    + options.getString(CommonOptions.INSTANCE_WEIGHT_COL) + "') cannot be combined with "
                    + (classWeights ? "'class_weights'" : "'auto_class_weights' = TRUE") + " for model_type " + modelType
                    + "; weight rows either by a column or by class");
        }
        double byNode = options.getDouble(COLSAMPLE_BYNODE);
        if (options.getString(TREE_METHOD).equals("EXACT") && byNode < 1) {
            // XGBoost 2.1's exact updater refuses by-node sampling, which BigQuery ML's XGBoost 0.9/1.1 had; training failed
            // with XGBoost's native stack trace, for every random forest, whose default is 0.8
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option tree_method 'EXACT' cannot sample columns by node (colsample_bynode "
                    + byNode + (options.isExplicit(COLSAMPLE_BYNODE) ? "" : ", the random forest default") + "): XGBoost's exact"
                    + " tree method does not support it; set colsample_bynode = 1, or tree_method 'HIST' or 'APPROX'");
        }
        if (options.has(APPROX_GLOBAL_FEATURE_CONTRIB)) {
            return options;
        }
        long threshold = ensemble == Ensemble.BOOSTED_TREE ? 10 : 50;
        boolean approx = options.getBool(CommonOptions.ENABLE_GLOBAL_EXPLAIN) && options.getLong(NUM_PARALLEL_TREE) >= threshold;
        return options.with(APPROX_GLOBAL_FEATURE_CONTRIB, approx);
    }
}
