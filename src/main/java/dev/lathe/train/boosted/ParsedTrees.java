package dev.lathe.train.boosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The trees of an XGBoost gbtree booster as parsed once from its JSON model, the one source both Java
 * consumers build from: {@link TreeWalker} (prediction) and {@link TreeShap} (feature contributions).
 * Nodes of all trees sit in one numbering, tree {@code t} starting at {@code roots[t]}; a leaf has
 * {@code left == right == -1} and its value in {@code value}. Covers are XGBoost's {@code sum_hessian}.
 *
 * <p>{@link #fromJson} answers empty for what neither consumer covers: DART, gblinear, categorical
 * splits, vector leaves, multi-target models and objectives other than those of {@link Link}.
 * Package-private arrays: built once, then only read.
 */
final class ParsedTrees {
    /** How margins become predictions, one per supported objective. */
    enum Link { IDENTITY, SIGMOID, SOFTPROB, SOFTMAX }

    final int numFeatures;
    final int numGroups;
    final Link link;
    /** The margin every row starts from (XGBoost's base_score, turned into a margin for logistic objectives). */
    final float baseMargin;
    /** Per tree: its root node and the output group it adds to. */
    final int[] roots;
    final int[] groups;
    /** Per node. */
    final int[] feature;
    final float[] threshold;
    final int[] left;
    final int[] right;
    final boolean[] defaultLeft;
    final float[] value;
    final float[] cover;
    /** Per tree: levels from its root to its deepest leaf. */
    final int[] depths;

    private ParsedTrees(int numFeatures, int numGroups, Link link, float baseMargin, int[] roots, int[] groups, int[] feature,
            float[] threshold, int[] left, int[] right, boolean[] defaultLeft, float[] value, float[] cover) {
        this.numFeatures = numFeatures;
        this.numGroups = numGroups;
        this.link = link;
        this.baseMargin = baseMargin;
        this.roots = roots;
        this.groups = groups;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.defaultLeft = defaultLeft;
        this.value = value;
        this.cover = cover;
        this.depths = new int[roots.length];
        for (int t = 0; t < roots.length; t++) {
            depths[t] = depth(t);
        }
    }

    /** The booster's trees (read from its UBJSON), or empty when the model is one the Java code does not cover. */
    static Optional<ParsedTrees> read(Booster booster) {
        try {
            return fromUbjson(booster.toByteArray("ubj"));
        } catch (XGBoostError e) {
            throw LatheException.internal("Cannot read the XGBoost model's trees: " + XgboostErrors.reason(e), e);
        }
    }

    int numTrees() {
        return roots.length;
    }

    boolean isLeaf(int node) {
        return left[node] < 0;
    }

    /** Levels from tree {@code t}'s root to its deepest leaf. */
    private int depth(int t) {
        int deepest = 0;
        java.util.ArrayDeque<int[]> pending = new java.util.ArrayDeque<>();
        pending.push(new int[] {roots[t], 0});
        while (!pending.isEmpty()) {
            int[] entry = pending.pop();
            if (isLeaf(entry[0])) {
                deepest = Math.max(deepest, entry[1]);
            } else {
                pending.push(new int[] {left[entry[0]], entry[1] + 1});
                pending.push(new int[] {right[entry[0]], entry[1] + 1});
            }
        }
        return deepest;
    }

    /** Parses XGBoost's JSON model ({@code Booster.saveModel} in JSON); empty when not covered. */
    static Optional<ParsedTrees> fromJson(byte[] json) {
        try {
            return fromModel(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "XGBoost's JSON model cannot be parsed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads XGBoost's UBJSON model ({@code Booster.toByteArray("ubj")}, what Lathe stores) without XGBoost's
     * native library; the same trees as {@link #fromJson} of the same booster's JSON. Empty when not covered.
     */
    static Optional<ParsedTrees> fromUbjson(byte[] ubj) {
        return fromModel(Ubjson.read(ubj));
    }

    /** The trees of XGBoost's model document (JSON or UBJSON read into a tree); empty when not covered. */
    private static Optional<ParsedTrees> fromModel(JsonNode document) {
        JsonNode learner = document.path("learner");
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            return Optional.empty(); // DART weights trees per round; gblinear has no trees
        }
        JsonNode params = learner.path("learner_model_param");
        int numClass = params.path("num_class").asInt(0);
        int numTarget = params.path("num_target").asInt(1);
        int numFeatures = params.path("num_feature").asInt(0);
        float baseScore = Float.parseFloat(params.path("base_score").asText("0.5"));
        String objective = learner.path("objective").path("name").asText("");
        if (numTarget > 1) {
            return Optional.empty();
        }
        Link link;
        float baseMargin;
        switch (objective) {
            case "reg:squarederror" -> {
                link = Link.IDENTITY;
                baseMargin = baseScore;
            }
            // XGBoost stores a logistic base_score as a probability and turns it into a margin at load.
            case "binary:logistic", "reg:logistic" -> {
                link = Link.SIGMOID;
                baseMargin = logit(baseScore);
            }
            case "binary:logitraw" -> { // its base_score is the margin itself, in XGBoost 1.x and 2.x alike (probe sa)
                link = Link.IDENTITY;
                baseMargin = baseScore;
            }
            case "multi:softprob" -> {
                link = Link.SOFTPROB;
                baseMargin = baseScore;
            }
            case "multi:softmax" -> {
                link = Link.SOFTMAX;
                baseMargin = baseScore;
            }
            default -> {
                return Optional.empty();
            }
        }
        int numGroups = Math.max(1, numClass);
        JsonNode model = booster.path("model");
        JsonNode trees = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        int numTrees = trees.size();
        if (treeInfo.size() != numTrees) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "XGBoost's JSON model lists " + numTrees + " trees but "
                    + treeInfo.size() + " tree_info entries; they must match");
        }
        // A stored model was checked when it was trained or imported; a damaged one must not loop or read another tree.
        TreeStructure.problem(trees, numFeatures).ifPresent(problem -> {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "XGBoost's model is malformed: " + problem);
        });
        int totalNodes = 0;
        for (JsonNode tree : trees) {
            JsonNode splitType = tree.path("split_type");
            for (JsonNode type : splitType) {
                if (type.asInt() != 0) {
                    return Optional.empty(); // categorical split
                }
            }
            if (tree.path("tree_param").path("size_leaf_vector").asInt(1) > 1) {
                return Optional.empty();
            }
            totalNodes += tree.path("left_children").size();
        }
        int[] roots = new int[numTrees];
        int[] groups = new int[numTrees];
        int[] feature = new int[totalNodes];
        float[] threshold = new float[totalNodes];
        int[] left = new int[totalNodes];
        int[] right = new int[totalNodes];
        boolean[] defaultLeft = new boolean[totalNodes];
        float[] value = new float[totalNodes];
        float[] cover = new float[totalNodes];
        int offset = 0;
        for (int t = 0; t < numTrees; t++) {
            JsonNode tree = trees.get(t);
            groups[t] = treeInfo.get(t).asInt();
            if (groups[t] < 0 || groups[t] >= numGroups) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Tree " + t + " of XGBoost's JSON model belongs to output "
                        + groups[t] + " but the model has " + numGroups + " outputs");
            }
            roots[t] = offset;
            JsonNode lefts = tree.path("left_children");
            JsonNode rights = tree.path("right_children");
            JsonNode indices = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaults = tree.path("default_left");
            JsonNode hessians = tree.path("sum_hessian");
            int nodes = lefts.size();
            if (hessians.size() != nodes) {
                throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Tree " + t + " of XGBoost's JSON model has " + nodes
                        + " nodes but " + hessians.size() + " sum_hessian entries; they must match");
            }
            for (int n = 0; n < nodes; n++) {
                int node = offset + n;
                int l = lefts.get(n).asInt();
                // Conditions and hessians are printed as shortest round-trip decimals, so parsing as float is exact.
                float condition = Float.parseFloat(conditions.get(n).asText());
                cover[node] = Float.parseFloat(hessians.get(n).asText());
                if (l < 0) {
                    left[node] = -1;
                    right[node] = -1;
                    value[node] = condition;
                } else {
                    int f = indices.get(n).asInt(); // within num_feature: TreeStructure checked it
                    left[node] = offset + l;
                    right[node] = offset + rights.get(n).asInt();
                    feature[node] = f;
                    threshold[node] = condition;
                    defaultLeft[node] = defaults.get(n).asInt() != 0;
                }
            }
            offset += nodes;
        }
        return Optional.of(new ParsedTrees(numFeatures, numGroups, link, baseMargin, roots, groups, feature, threshold, left, right,
                defaultLeft, value, cover));
    }

    /** XGBoost's LogisticRegression::ProbToMargin, in float as XGBoost computes it (glibc's logf). */
    private static float logit(float probability) {
        return -logf(1.0f / probability - 1.0f);
    }

    /** 1/c and log(c) for the 16 subintervals of [0x3f330000, 2 * 0x3f330000) glibc's logf splits the mantissa into. */
    private static final double[] LOGF_INVERSE_CENTER = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0, 0x1.30d190c8864a5p+0,
        0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0, 0x1.0953f419900a7p+0, 0x1p+0,
        0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1, 0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1,
        0x1.767dcf5534862p-1,
    };
    private static final double[] LOGF_LOG_CENTER = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3, -0x1.6574f0ac07758p-3,
        -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4, -0x1.252f438e10c1ep-5, 0x0p+0,
        0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4, 0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2,
        0x1.4043057b6ee09p-2,
    };
    private static final double LOGF_LN2 = 0x1.62e42fefa39efp-1;
    private static final double LOGF_A0 = -0x1.00ea348b88334p-2;
    private static final double LOGF_A1 = 0x1.5575b0be00b6ap-2;
    private static final double LOGF_A2 = -0x1.ffffef20a4123p-2;
    private static final int LOGF_OFF = 0x3f330000;

    /**
     * glibc's logf (the FMA build x86-64 CPUs select), which XGBoost's ProbToMargin calls: not always
     * correctly rounded, so {@code (float) Math.log} differs from it in the last bit on some inputs, and
     * the base margin (the bias column of contributions) with it. Zero, negative, subnormal, infinite
     * and NaN inputs, which a base_score in (0, 1) never gives, go to Math.log.
     */
    static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) {
            return 0.0f;
        }
        if (ix - 0x00800000 < 0 || ix - 0x00800000 >= 0x7f800000 - 0x00800000) {
            return (float) Math.log(x);
        }
        int tmp = ix - LOGF_OFF;
        int i = (tmp >>> (23 - 4)) % 16;
        int k = tmp >> 23;
        int iz = ix - (tmp & 0xff800000);
        double z = Float.intBitsToFloat(iz);
        double r = Math.fma(z, LOGF_INVERSE_CENTER[i], -1.0);
        double y0 = Math.fma(k, LOGF_LN2, LOGF_LOG_CENTER[i]);
        double r2 = r * r;
        double y = Math.fma(LOGF_A1, r, LOGF_A2);
        y = Math.fma(LOGF_A0, r2, y);
        y = Math.fma(y, r2, y0 + r);
        return (float) y;
    }
}
