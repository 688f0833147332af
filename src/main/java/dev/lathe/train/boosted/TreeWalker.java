package dev.lathe.train.boosted;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.train.boosted.ParsedTrees.Link;
import java.util.Optional;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * An XGBoost tree ensemble predicted in Java from flat arrays built once from the booster's JSON model,
 * so a one-row prediction costs the tree walk (microseconds) instead of XGBoost's per-call overhead
 * (a few hundred microseconds through XGBoost4J). The arithmetic follows XGBoost's CPU predictor:
 * features compared as float ({@code x < split_condition} goes left, NaN follows the default
 * direction), leaves summed in float32 per output group in tree order from the base margin, then the
 * objective's transform in float32. Results equal {@code Booster.predict} to the last bit.
 *
 * <p>Covers gbtree boosters (boosting and random forests, any {@code num_parallel_tree}) with numeric
 * splits, scalar leaves and the objectives {@code reg:squarederror}, {@code binary:logistic},
 * {@code reg:logistic}, {@code binary:logitraw}, {@code multi:softprob} and {@code multi:softmax};
 * {@link #of} answers empty for anything else (DART, categorical splits, vector leaves, other
 * objectives), and callers keep XGBoost for those. Immutable, so safe to share between threads.
 *
 * <p>The system property {@value #PROPERTY}{@code =false} switches every tree model back to XGBoost's
 * own prediction (read when a model is loaded or trained).
 */
public final class TreeWalker {
    /** System property: {@code false} makes tree models predict through XGBoost4J instead. */
    public static final String PROPERTY = "lathe.trees.native";

    /** Batches at least this large are split across the common fork-join pool. */
    private static final int PARALLEL_ROWS = 8_192;
    private static final int BLOCK_ROWS = 2_048;
    /** Rows walked through one tree before the next, so a tree's nodes stay in cache (XGBoost uses 64 too). */
    private static final int TILE_ROWS = 64;
    /** Trees walked side by side for one row. */
    private static final int LANES = 16;
    private static final int NODE_INTS = 4;
    /** Deepest trees laid out complete (8: 255 split slots and 256 leaves, 3 KB per tree); deeper ones keep only {@link #nodes}. */
    private static final int MAX_COMPLETE_DEPTH = 8;
    /**
     * Nor when the complete layout would take more than this many times the node array's memory: lopsided trees (a deep
     * branch among few nodes) fill most of their complete slots with copies of shallow leaves.
     */
    private static final int MAX_COMPLETE_GROWTH = 8;

    private final int numFeatures;
    private final int numGroups;
    private final Link link;
    private final float baseMargin;
    private final int[] roots;
    private final int[] groups;
    /**
     * Every node of every tree in 4 ints, so one visit touches one cache line: the split feature times 2
     * plus 1 when missing values go left, the threshold's (or leaf value's) float bits, then the left and
     * right children's positions in this array. A leaf points to itself both ways (feature 0), so every
     * row can take exactly a tree's depth in steps, without a test for leaves.
     */
    private final int[] nodes;
    /** Levels from each root to its deepest leaf. */
    private final int[] depths;
    /**
     * The deepest tree's depth when the complete layout is kept ({@link #walksCompleteTrees}), else -1: then every tree
     * is also laid out as a complete binary tree of that depth ({@link #complete}, {@link #leaves}) for one-row prediction.
     */
    private final int completeDepth;
    /**
     * Per tree, its {@code 2^completeDepth - 1} split slots in breadth-first order (the children of slot {@code i} are
     * {@code 2i + 1} and {@code 2i + 2}), two ints each: the split feature times 2 plus 1 when missing values go left, and
     * the threshold's {@link #orderedKey}. A leaf above the last level fills its whole subtree: its slots split on anything and
     * every leaf slot below holds its value, so any way down ends at it. No child positions are read: a walk's only
     * dependent loads are the split and the feature value.
     */
    private final int[] complete;
    /** Per tree, the {@code 2^completeDepth} leaf values under {@link #complete}'s last level, left to right. */
    private final float[] leaves;

    TreeWalker(ParsedTrees trees) {
        this(trees, trees.baseMargin);
    }

    private TreeWalker(ParsedTrees trees, float baseMargin) {
        this.numFeatures = trees.numFeatures;
        this.numGroups = trees.numGroups;
        this.link = trees.link;
        this.baseMargin = baseMargin;
        this.groups = trees.groups.clone();
        int numTrees = trees.numTrees();
        this.roots = new int[numTrees];
        this.nodes = new int[trees.feature.length * NODE_INTS];
        for (int t = 0; t < numTrees; t++) {
            this.roots[t] = trees.roots[t] * NODE_INTS;
        }
        for (int n = 0; n < trees.feature.length; n++) {
            int at = n * NODE_INTS;
            boolean leaf = trees.isLeaf(n);
            nodes[at] = leaf ? 0 : trees.feature[n] * 2 + (trees.defaultLeft[n] ? 1 : 0);
            nodes[at + 1] = Float.floatToRawIntBits(leaf ? trees.value[n] : trees.threshold[n]);
            nodes[at + 2] = leaf ? at : trees.left[n] * NODE_INTS;
            nodes[at + 3] = leaf ? at : trees.right[n] * NODE_INTS;
        }
        this.depths = trees.depths;
        int deepest = 0;
        for (int depth : depths) {
            deepest = Math.max(deepest, depth);
        }
        long completeBytes = (long) numTrees * (((1L << deepest) - 1) * 2 * Integer.BYTES + (1L << deepest) * Float.BYTES);
        this.completeDepth = deepest <= MAX_COMPLETE_DEPTH && completeBytes <= MAX_COMPLETE_GROWTH * (long) nodes.length * Integer.BYTES
                ? deepest : -1;
        if (completeDepth >= 0) {
            int splits = (1 << completeDepth) - 1;
            this.complete = new int[numTrees * splits * 2];
            this.leaves = new float[numTrees << completeDepth];
            for (int t = 0; t < numTrees; t++) {
                layOut(trees, trees.roots[t], 0, 0, t * splits * 2, t << completeDepth);
            }
        } else {
            this.complete = null;
            this.leaves = null;
        }
    }

    /** Fills slot {@code slot} (at {@code level}) of one tree's complete layout, and below it, from parsed node {@code node}. */
    private void layOut(ParsedTrees trees, int node, int slot, int level, int splitBase, int leafBase) {
        if (level == completeDepth) {
            leaves[leafBase + slot - ((1 << completeDepth) - 1)] = trees.value[node];
            return;
        }
        boolean leaf = trees.isLeaf(node);
        complete[splitBase + slot * 2] = leaf ? 1 : trees.feature[node] * 2 + (trees.defaultLeft[node] ? 1 : 0);
        complete[splitBase + slot * 2 + 1] = orderedKey(leaf ? Float.POSITIVE_INFINITY : trees.threshold[node]);
        layOut(trees, leaf ? node : trees.left[node], slot * 2 + 1, level + 1, splitBase, leafBase);
        layOut(trees, leaf ? node : trees.right[node], slot * 2 + 2, level + 1, splitBase, leafBase);
    }

    /** Whether tree models predict in Java (the default) rather than through XGBoost4J. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** The walker for a booster, or empty when the property is off or the model is one the walker does not cover. */
    public static Optional<TreeWalker> of(Booster booster) {
        return enabled() ? ParsedTrees.read(booster).map(TreeWalker::new) : Optional.empty();
    }

    /** Builds the walker from XGBoost's JSON model ({@code Booster.saveModel} in JSON); empty when not covered. */
    static Optional<TreeWalker> fromJson(byte[] json) {
        return ParsedTrees.fromJson(json).map(TreeWalker::new);
    }

    public int numFeatures() {
        return numFeatures;
    }

    /**
     * Whether one-row calls walk the complete layout (every tree at most {@link #MAX_COMPLETE_DEPTH} deep, the layout
     * within {@link #MAX_COMPLETE_GROWTH} times the nodes' memory).
     */
    boolean walksCompleteTrees() {
        return completeDepth >= 0;
    }

    /** Values per row that {@link #predict} writes: the class count for multi:softprob, else 1. */
    public int outputWidth() {
        return link == Link.SOFTPROB ? numGroups : 1;
    }

    /**
     * Predicts {@code rows} rows of {@code cols} floats each (row-major, NaN for missing) into {@code out}
     * ({@code rows * outputWidth()} values), as XGBoost's {@code predict} would. Large batches use the
     * common fork-join pool.
     */
    public void predict(float[] data, int rows, int cols, float[] out) {
        if (cols < numFeatures) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The tree model reads " + numFeatures
                    + " features but rows have " + cols + " columns");
        }
        if ((long) rows * cols > data.length || (long) rows * outputWidth() > out.length) {
            throw new IllegalArgumentException(rows + " rows of " + cols + " columns need " + (long) rows * cols + " values and "
                    + (long) rows * outputWidth() + " outputs; got " + data.length + " and " + out.length);
        }
        if (rows >= PARALLEL_ROWS) {
            int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
            IntStream.range(0, blocks).parallel().forEach(b -> predictRange(data, cols, b * BLOCK_ROWS,
                    Math.min(rows, (b + 1) * BLOCK_ROWS), out));
        } else {
            predictRange(data, cols, 0, rows, out);
        }
    }

    /** {@link #predict} into rows of {@code outputWidth()} values, the shape {@code Booster.predict} returns. */
    public float[][] predictRows(float[] data, int rows, int cols) {
        int width = outputWidth();
        float[] flat = new float[rows * width];
        predict(data, rows, cols, flat);
        float[][] result = new float[rows][width];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(flat, row * width, result[row], 0, width);
        }
        return result;
    }

    private void predictRange(float[] data, int cols, int from, int to, float[] out) {
        if (to - from < 4) {
            predictRows(data, cols, from, to, out);
            return;
        }
        int width = outputWidth();
        float[] margins = new float[TILE_ROWS * numGroups];
        float[] row = new float[numGroups];
        int[] at = new int[TILE_ROWS];
        int[] rowStart = new int[TILE_ROWS];
        for (int tile = from; tile < to; tile += TILE_ROWS) {
            int size = Math.min(to, tile + TILE_ROWS) - tile;
            boolean anyMissing = false;
            for (int i = tile * cols, end = (tile + size) * cols; i < end; i++) {
                anyMissing |= data[i] != data[i];
            }
            for (int i = 0; i < size; i++) {
                rowStart[i] = (tile + i) * cols;
            }
            java.util.Arrays.fill(margins, baseMargin);
            // Per row the leaves are still added in tree order, as XGBoost adds them, so sums are identical.
            for (int t = 0; t < roots.length; t++) {
                java.util.Arrays.fill(at, 0, size, roots[t]);
                // Level by level over the tile: the rows' walks are independent, so the CPU overlaps them.
                if (anyMissing) {
                    for (int level = depths[t]; level > 0; level--) {
                        for (int i = 0; i < size; i++) {
                            int node = at[i];
                            int split = nodes[node];
                            float x = data[rowStart[i] + (split >>> 1)];
                            int side = x < Float.intBitsToFloat(nodes[node + 1]) ? 2 : 3;
                            if (x != x) {
                                side = 3 - (split & 1); // missing: the default child
                            }
                            at[i] = nodes[node + side];
                        }
                    }
                } else {
                    for (int level = depths[t]; level > 0; level--) {
                        for (int i = 0; i < size; i++) {
                            int node = at[i];
                            float x = data[rowStart[i] + (nodes[node] >>> 1)];
                            at[i] = nodes[node + (x < Float.intBitsToFloat(nodes[node + 1]) ? 2 : 3)];
                        }
                    }
                }
                int group = groups[t];
                for (int i = 0; i < size; i++) {
                    margins[i * numGroups + group] += Float.intBitsToFloat(nodes[at[i] + 1]);
                }
            }
            for (int i = 0; i < size; i++) {
                System.arraycopy(margins, i * numGroups, row, 0, numGroups);
                transform(row, out, (tile + i) * width);
            }
        }
    }

    /**
     * One row at a time, for the one-row calls of online prediction: {@link #LANES} trees walked side by side, level by
     * level (a leaf points to itself, so a tree shallower than its neighbours just stays put), so the CPU overlaps their
     * dependent loads instead of waiting on one walk at a time; the leaves are still added in tree order.
     */
    private void predictRows(float[] data, int cols, int from, int to, float[] out) {
        if (completeDepth >= 0) {
            predictRowsComplete(data, cols, from, to, out);
            return;
        }
        int width = outputWidth();
        float[] margins = new float[numGroups];
        int[] at = new int[LANES];
        for (int r = from; r < to; r++) {
            int base = r * cols;
            java.util.Arrays.fill(margins, baseMargin);
            for (int first = 0; first < roots.length; first += LANES) {
                int lanes = Math.min(LANES, roots.length - first);
                int deepest = 0;
                for (int k = 0; k < lanes; k++) {
                    at[k] = roots[first + k];
                    deepest = Math.max(deepest, depths[first + k]);
                }
                for (int level = deepest; level > 0; level--) {
                    for (int k = 0; k < lanes; k++) {
                        int node = at[k];
                        int split = nodes[node];
                        float x = data[base + (split >>> 1)];
                        int side = x < Float.intBitsToFloat(nodes[node + 1]) ? 2 : 3;
                        if (x != x) {
                            side = 3 - (split & 1); // missing: the default child
                        }
                        at[k] = nodes[node + side];
                    }
                }
                for (int k = 0; k < lanes; k++) {
                    margins[groups[first + k]] += Float.intBitsToFloat(nodes[at[k] + 1]);
                }
            }
            transform(margins, out, r * width);
        }
    }

    /**
     * A float as an int that orders as the float does ({@code a < b} exactly when {@code orderedKey(a) < orderedKey(b)}, for
     * any two non-NaN floats; -0.0 is taken as 0.0, which it equals), so a split can be decided without a branch.
     */
    static int orderedKey(float value) {
        int bits = Float.floatToRawIntBits(value + 0.0f); // -0.0 + 0.0 is 0.0
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * {@link #predictRows} over the complete layout: every tree takes {@link #completeDepth} steps, with no child loads, and
     * a row without missing values compares ordered ints ({@link #orderedKey}) with arithmetic instead of a branch, which
     * the CPU could not predict (half the splits of a tree go each way).
     */
    private void predictRowsComplete(float[] data, int cols, int from, int to, float[] out) {
        int width = outputWidth();
        int splits = (1 << completeDepth) - 1;
        float[] margins = new float[numGroups];
        int[] at = new int[LANES];
        int[] keys = new int[numFeatures];
        for (int r = from; r < to; r++) {
            int base = r * cols;
            boolean anyMissing = false;
            for (int c = 0; c < numFeatures; c++) {
                float x = data[base + c];
                anyMissing |= x != x;
                keys[c] = orderedKey(x);
            }
            java.util.Arrays.fill(margins, baseMargin);
            for (int first = 0; first < roots.length; first += LANES) {
                int lanes = Math.min(LANES, roots.length - first);
                java.util.Arrays.fill(at, 0, lanes, 0);
                int tree = first * splits * 2;
                for (int level = 0; level < completeDepth; level++) {
                    if (anyMissing) {
                        for (int k = 0, t = tree; k < lanes; k++, t += splits * 2) {
                            int slot = at[k];
                            int split = complete[t + slot * 2];
                            float x = data[base + (split >>> 1)];
                            int side = x != x ? 2 - (split & 1) // missing: the default child
                                    : 2 - (int) (((long) keys[split >>> 1] - complete[t + slot * 2 + 1]) >>> 63);
                            at[k] = slot * 2 + side;
                        }
                    } else {
                        for (int k = 0, t = tree; k < lanes; k++, t += splits * 2) {
                            int slot = at[k];
                            long key = keys[complete[t + slot * 2] >>> 1];
                            // left (slot 2i + 1) when the value's key is below the threshold's: the difference's sign bit
                            at[k] = slot * 2 + 2 - (int) ((key - complete[t + slot * 2 + 1]) >>> 63);
                        }
                    }
                }
                for (int k = 0; k < lanes; k++) {
                    margins[groups[first + k]] += leaves[((first + k) << completeDepth) + at[k] - splits];
                }
            }
            transform(margins, out, r * width);
        }
    }

    private void transform(float[] margins, float[] out, int at) {
        switch (link) {
            case IDENTITY -> out[at] = margins[0];
            case SIGMOID -> out[at] = sigmoid(margins[0]);
            case SOFTPROB -> softmax(margins, out, at);
            case SOFTMAX -> {
                int best = 0;
                for (int k = 1; k < margins.length; k++) {
                    if (margins[k] > margins[best]) {
                        best = k;
                    }
                }
                out[at] = best;
            }
        }
    }

    /** XGBoost's common::Sigmoid: the exponent capped at 88.7 to avoid overflow, a tiny epsilon in the denominator. */
    private static float sigmoid(float x) {
        float capped = Math.min(-x, 88.7f);
        float denominator = expf(capped) + 1.0f + 1e-16f;
        return 1.0f / denominator;
    }

    /** XGBoost's common::Softmax: float exponentials of the margins less their maximum, summed in double. */
    private static void softmax(float[] margins, float[] out, int at) {
        float max = margins[0];
        for (int k = 1; k < margins.length; k++) {
            max = Math.max(margins[k], max);
        }
        double sum = 0.0;
        for (int k = 0; k < margins.length; k++) {
            float e = expf(margins[k] - max);
            out[at + k] = e;
            sum += e;
        }
        float total = (float) sum;
        for (int k = 0; k < margins.length; k++) {
            out[at + k] /= total;
        }
    }

    private static final long[] EXP2F_TABLE = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L, 0x3fef72b83c7d517bL,
        0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L, 0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL,
        0x3feedea64c123422L, 0x3feece086061892dL, 0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L,
        0x3feea47eb03a5585L, 0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL, 0x3feee89f995ad3adL,
        0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L, 0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL,
        0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final double EXPF_N = 32;
    private static final double EXPF_INV_LN2_N = 0x1.71547652b82fep+0 * EXPF_N;
    private static final double EXPF_SHIFT = 0x1.8p+52;
    private static final double EXPF_C0 = 0x1.c6af84b912394p-5 / EXPF_N / EXPF_N / EXPF_N;
    private static final double EXPF_C1 = 0x1.ebfce50fac4f3p-3 / EXPF_N / EXPF_N;
    private static final double EXPF_C2 = 0x1.62e42ff0c52d6p-1 / EXPF_N;

    /**
     * glibc's expf (the FMA build x86-64 CPUs select), which XGBoost's sigmoid and softmax call: it is
     * not always correctly rounded, so {@code (float) Math.exp} differs from it in the last bit on some
     * inputs. Beyond its overflow and underflow bounds (and for NaN), where glibc returns infinity, 0 or
     * NaN, Math.exp agrees.
     */
    static float expf(float x) {
        if (!(x <= 88.72283f && x >= -103.97208f)) {
            return (float) Math.exp(x);
        }
        double xd = x;
        double kd = Math.fma(EXPF_INV_LN2_N, xd, EXPF_SHIFT);
        long ki = Double.doubleToRawLongBits(kd);
        kd -= EXPF_SHIFT;
        double r = Math.fma(EXPF_INV_LN2_N, xd, -kd);
        long t = EXP2F_TABLE[(int) (ki & 31)];
        t += ki << 47;
        double s = Double.longBitsToDouble(t);
        double z = Math.fma(EXPF_C0, r, EXPF_C1);
        double r2 = r * r;
        double y = Math.fma(EXPF_C2, r, 1.0);
        y = Math.fma(z, r2, y);
        y = y * s;
        return (float) y;
    }
}
