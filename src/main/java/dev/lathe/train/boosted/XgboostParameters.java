package dev.lathe.train.boosted;

import dev.lathe.core.options.ModelOptions;
import dev.lathe.train.CommonOptions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Translates BigQuery ML option values into XGBoost's training parameters. */
final class XgboostParameters {
    /**
     * BigQuery ML exposes no seed; a fixed one makes training on the same data reproducible, which the
     * registry's provenance and retraining rely on.
     */
    static final int SEED = 0;

    private XgboostParameters() {}

    static Map<String, Object> of(Ensemble ensemble, Objective objective, int numClasses, ModelOptions options) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", objective.xgboostName());
        params.put("eval_metric", objective.metric());
        if (objective == Objective.MULTICLASS) {
            params.put("num_class", numClasses);
        }
        params.put("seed", SEED);
        params.put("nthread", Runtime.getRuntime().availableProcessors());
        params.put("verbosity", 1);
        params.put("num_parallel_tree", options.getLong(TreeOptions.NUM_PARALLEL_TREE));
        params.put("max_depth", options.getLong(TreeOptions.MAX_TREE_DEPTH));
        params.put("alpha", options.getDouble(CommonOptions.L1_REG));
        params.put("lambda", options.getDouble(CommonOptions.L2_REG));
        params.put("tree_method", treeMethod(options.getString(TreeOptions.TREE_METHOD)));
        params.put("min_child_weight", options.getLong(TreeOptions.MIN_TREE_CHILD_WEIGHT));
        params.put("colsample_bytree", options.getDouble(TreeOptions.COLSAMPLE_BYTREE));
        params.put("colsample_bylevel", options.getDouble(TreeOptions.COLSAMPLE_BYLEVEL));
        params.put("colsample_bynode", options.getDouble(TreeOptions.COLSAMPLE_BYNODE));
        params.put("gamma", options.getDouble(TreeOptions.MIN_SPLIT_LOSS));
        params.put("subsample", options.getDouble(TreeOptions.SUBSAMPLE));
        params.put("eta", learningRate(ensemble, options));
        if (ensemble == Ensemble.BOOSTED_TREE && options.getString(TreeOptions.BOOSTER_TYPE).equals("DART")) {
            params.put("booster", "dart");
            params.put("normalize_type", options.getString(TreeOptions.DART_NORMALIZE_TYPE).toLowerCase(Locale.ROOT));
            params.put("rate_drop", options.getDouble(TreeOptions.DROPOUT));
        } else {
            params.put("booster", "gbtree");
        }
        return params;
    }

    /** A random forest is grown in one round whose trees are averaged, not shrunk. */
    static double learningRate(Ensemble ensemble, ModelOptions options) {
        return ensemble == Ensemble.BOOSTED_TREE ? options.getDouble(CommonOptions.LEARN_RATE) : 1.0;
    }

    static int rounds(Ensemble ensemble, ModelOptions options) {
        return ensemble == Ensemble.BOOSTED_TREE ? Math.toIntExact(options.getLong(CommonOptions.MAX_ITERATIONS)) : 1;
    }

    /** BigQuery ML documents AUTO as HIST. */
    private static String treeMethod(String option) {
        return option.equals("AUTO") ? "hist" : option.toLowerCase(Locale.ROOT);
    }
}
