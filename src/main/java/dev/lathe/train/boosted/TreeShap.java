package dev.lathe.train.boosted;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, Algorithm 2) over an XGBoost tree
 * ensemble, in Java: the feature contributions XGBoost's {@code Booster.predictContrib} computes
 * (approx_contribs = false), from the same trees, without a DMatrix or a native call.
 *
 * <p>The arithmetic is XGBoost's CPU predictor's, step for step in float32: node covers are the trees'
 * {@code sum_hessian}; a feature goes left when {@code x < split_condition} as float, NaN follows the
 * default direction (as {@link TreeWalker} walks); each tree's expected value is the cover-weighted mean
 * of its leaves, folded bottom-up; each tree's contributions are summed on their own, then added to
 * the row's in tree order; the base margin is added to the bias column last. So results equal
 * XGBoost's bit for bit on x86-64 (every value TreeShapTest and bench/explain compare; the test
 * allows 1e-5 on margin values for XGBoost builds that fuse multiply-adds). Where the order of
 * operations is rearranged for speed, each value's own operations are not.
 *
 * <p>Output per row and output group: one value per feature, then the bias (the expected margin), in
 * margin space; the row's values sum to its margin. Covers what {@link ParsedTrees} covers (gbtree,
 * random forests, multiclass); callers keep {@code predictContrib} for the rest (DART, categorical
 * splits). Immutable and safe to share; each call allocates its path buffers once per block of rows,
 * never per row, and large batches run on the common fork-join pool.
 */
public final class TreeShap {
    /** Batches at least this large are split across the common fork-join pool, in blocks of {@link #BLOCK_ROWS}. */
    private static final int PARALLEL_ROWS = 64;
    private static final int BLOCK_ROWS = 32;

    private final int numFeatures;
    private final int numGroups;
    private final float baseMargin;
    /** Per output group, its trees in model order. */
    private final int[][] treesOfGroup;
    /** Per tree: its root, its expected value, and the distinct features it splits on. */
    private final int[] roots;
    private final float[] expectedValues;
    private final int[][] treeFeatures;
    /** Per node, as {@link ParsedTrees} has them; a leaf's {@code left} is -1. */
    private final int[] feature;
    private final float[] threshold;
    private final int[] left;
    private final int[] right;
    private final boolean[] defaultLeft;
    private final float[] value;
    private final float[] cover;
    /** Path elements one row's walk needs at most (XGBoost's bound from the deepest tree), and on one path. */
    private final int pathCapacity;
    private final int maxPath;

    TreeShap(ParsedTrees trees) {
        this.numFeatures = trees.numFeatures;
        this.numGroups = trees.numGroups;
        this.baseMargin = trees.baseMargin;
        this.feature = trees.feature;
        this.threshold = trees.threshold;
        this.left = trees.left;
        this.right = trees.right;
        this.defaultLeft = trees.defaultLeft;
        this.value = trees.value;
        this.cover = trees.cover;
        int numTrees = trees.numTrees();
        this.roots = trees.roots.clone();
        this.expectedValues = new float[numTrees];
        this.treeFeatures = new int[numTrees][];
        int[] perGroup = new int[numGroups];
        int maxDepth = 0;
        for (int t = 0; t < numTrees; t++) {
            expectedValues[t] = meanValue(roots[t]);
            BitSet used = new BitSet(numFeatures);
            markFeatures(roots[t], used);
            treeFeatures[t] = used.stream().toArray();
            perGroup[trees.groups[t]]++;
            maxDepth = Math.max(maxDepth, trees.depths[t]);
        }
        this.treesOfGroup = new int[numGroups][];
        for (int g = 0; g < numGroups; g++) {
            treesOfGroup[g] = new int[perGroup[g]];
            perGroup[g] = 0;
        }
        for (int t = 0; t < numTrees; t++) {
            int g = trees.groups[t];
            treesOfGroup[g][perGroup[g]++] = t;
        }
        int levels = maxDepth + 2;
        this.pathCapacity = levels * (levels + 1) / 2;
        this.maxPath = levels;
    }

    /** From XGBoost's JSON model; empty when not covered. */
    static Optional<TreeShap> fromJson(byte[] json) {
        return ParsedTrees.fromJson(json).map(TreeShap::new);
    }

    public int numGroups() {
        return numGroups;
    }

    /** XGBoost's FillNodeMeanValue: children's means weighted by their covers, in float, bottom-up. */
    private float meanValue(int node) {
        if (left[node] < 0) {
            return value[node];
        }
        float result = meanValue(left[node]) * cover[left[node]];
        result += meanValue(right[node]) * cover[right[node]];
        return result / cover[node];
    }

    private void markFeatures(int node, BitSet used) {
        if (left[node] >= 0) {
            used.set(feature[node]);
            markFeatures(left[node], used);
            markFeatures(right[node], used);
        }
    }

    /**
     * Contributions of every output group, {@code predictContrib}'s layout: per row, per group,
     * {@code numFeatures} values then the bias; {@code out} holds {@code rows * numGroups() * (numFeatures + 1)}.
     */
    public void contributions(float[] data, int rows, int cols, float[] out) {
        explain(data, rows, cols, null, out, (long) rows * numGroups * (numFeatures + 1));
    }

    /**
     * Contributions of one output group per row ({@code groups[r]}, 0 unless multiclass): per row
     * {@code numFeatures} values then the bias; {@code out} holds {@code rows * (numFeatures + 1)}.
     */
    public void contributions(float[] data, int rows, int cols, int[] groups, float[] out) {
        if (groups.length < rows) {
            throw new IllegalArgumentException(rows + " rows need as many output groups; got " + groups.length);
        }
        for (int r = 0; r < rows; r++) {
            if (groups[r] < 0 || groups[r] >= numGroups) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Row " + r + " asks for the contributions to output "
                        + groups[r] + " but the tree model has outputs 0 to " + (numGroups - 1));
            }
        }
        explain(data, rows, cols, groups, out, (long) rows * (numFeatures + 1));
    }

    private void explain(float[] data, int rows, int cols, int[] groups, float[] out, long outputs) {
        if (cols < numFeatures) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The tree model reads " + numFeatures
                    + " features but rows have " + cols + " columns");
        }
        if ((long) rows * cols > data.length || outputs > out.length) {
            throw new IllegalArgumentException(rows + " rows of " + cols + " columns need " + (long) rows * cols + " values and "
                    + outputs + " outputs; got " + data.length + " and " + out.length);
        }
        if (rows >= PARALLEL_ROWS) {
            int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
            IntStream.range(0, blocks).parallel().forEach(b -> new Walk().rows(data, cols, groups, b * BLOCK_ROWS,
                    Math.min(rows, (b + 1) * BLOCK_ROWS), out));
        } else {
            new Walk().rows(data, cols, groups, 0, rows, out);
        }
    }

    /**
     * One thread's buffers: the unique paths of the recursion (XGBoost's PathElement array as four
     * arrays, each level's path right after its parent's) and one tree's contributions.
     */
    private final class Walk {
        private final int[] pathFeature = new int[pathCapacity];
        private final float[] pathZero = new float[pathCapacity];
        private final float[] pathOne = new float[pathCapacity];
        private final float[] pathWeight = new float[pathCapacity];
        private final float[] treePhi = new float[numFeatures + 1];
        /** A leaf's path elements on the row's branch (one-fraction 1) and off it, and their running sums. */
        private final int[] hotIndex = new int[maxPath];
        private final float[] hotZero = new float[maxPath];
        private final float[] hotNext = new float[maxPath];
        private final float[] hotTotal = new float[maxPath];
        private final int[] coldIndex = new int[maxPath];
        private final float[] coldZero = new float[maxPath];
        private final float[] coldTotal = new float[maxPath];
        private float[] data;
        private int rowStart;

        void rows(float[] rowData, int cols, int[] groups, int from, int to, float[] out) {
            this.data = rowData;
            int width = numFeatures + 1;
            for (int r = from; r < to; r++) {
                rowStart = r * cols;
                if (groups == null) {
                    for (int g = 0; g < numGroups; g++) {
                        row(g, out, (r * numGroups + g) * width);
                    }
                } else {
                    row(groups[r], out, r * width);
                }
            }
            this.data = null;
        }

        /** One row and output group into {@code out[at ...]}: each tree's contributions alone, then added, as XGBoost sums them. */
        private void row(int group, float[] out, int at) {
            Arrays.fill(out, at, at + numFeatures + 1, 0.0f);
            for (int t : treesOfGroup[group]) {
                int[] used = treeFeatures[t];
                for (int f : used) {
                    treePhi[f] = 0.0f;
                }
                recurse(roots[t], 0, 0, 1.0f, 1.0f, -1);
                for (int f : used) {
                    out[at + f] += treePhi[f];
                }
                out[at + numFeatures] += expectedValues[t];
            }
            out[at + numFeatures] += baseMargin;
        }

        /**
         * Algorithm 2's RECURSE at {@code node}: {@code depth} unique features above it, the parent's path
         * at {@code parentPath}; this node's path goes right after it.
         */
        private void recurse(int node, int depth, int parentPath, float zeroFraction, float oneFraction, int parentFeature) {
            int path = parentPath + depth + 1;
            System.arraycopy(pathFeature, parentPath, pathFeature, path, depth + 1);
            System.arraycopy(pathZero, parentPath, pathZero, path, depth + 1);
            System.arraycopy(pathOne, parentPath, pathOne, path, depth + 1);
            System.arraycopy(pathWeight, parentPath, pathWeight, path, depth + 1);
            extend(path, depth, zeroFraction, oneFraction, parentFeature);
            int l = left[node];
            if (l < 0) {
                leaf(path, depth, value[node]);
                return;
            }
            int split = feature[node];
            int r = right[node];
            float x = data[rowStart + split];
            int hot;
            if (x != x) {
                hot = defaultLeft[node] ? l : r;
            } else {
                hot = x < threshold[node] ? l : r;
            }
            int cold = hot == l ? r : l;
            float w = cover[node];
            float hotZero = cover[hot] / w;
            float coldZero = cover[cold] / w;
            float incomingZero = 1.0f;
            float incomingOne = 1.0f;
            // A feature split on again above: undo its earlier extension, then redo it here.
            int index = 0;
            while (index <= depth && pathFeature[path + index] != split) {
                index++;
            }
            if (index <= depth) {
                incomingZero = pathZero[path + index];
                incomingOne = pathOne[path + index];
                unwind(path, depth, index);
                depth--;
            }
            recurse(hot, depth + 1, path, hotZero * incomingZero, incomingOne, split);
            recurse(cold, depth + 1, path, coldZero * incomingZero, 0.0f, split);
        }

        private void extend(int path, int depth, float zeroFraction, float oneFraction, int featureIndex) {
            pathFeature[path + depth] = featureIndex;
            pathZero[path + depth] = zeroFraction;
            pathOne[path + depth] = oneFraction;
            pathWeight[path + depth] = depth == 0 ? 1.0f : 0.0f;
            float levels = depth + 1;
            // Weights are finite and at least 0, so with a one-fraction of 0 the first update adds +0: skipped.
            // Dividing by a power of two is multiplying by its exact reciprocal, the same float either way.
            if ((depth + 1 & depth) == 0) {
                float inverse = 1.0f / levels;
                for (int i = depth - 1; i >= 0; i--) {
                    float weight = pathWeight[path + i];
                    if (oneFraction != 0) {
                        pathWeight[path + i + 1] += oneFraction * weight * (i + 1) * inverse;
                    }
                    pathWeight[path + i] = zeroFraction * weight * (depth - i) * inverse;
                }
            } else {
                for (int i = depth - 1; i >= 0; i--) {
                    float weight = pathWeight[path + i];
                    if (oneFraction != 0) {
                        pathWeight[path + i + 1] += oneFraction * weight * (i + 1) / levels;
                    }
                    pathWeight[path + i] = zeroFraction * weight * (depth - i) / levels;
                }
            }
        }

        private void unwind(int path, int depth, int index) {
            float oneFraction = pathOne[path + index];
            float zeroFraction = pathZero[path + index];
            float nextOnePortion = pathWeight[path + depth];
            float levels = depth + 1;
            for (int i = depth - 1; i >= 0; i--) {
                if (oneFraction != 0) {
                    float previous = pathWeight[path + i];
                    pathWeight[path + i] = nextOnePortion * (depth + 1) / ((i + 1) * oneFraction);
                    nextOnePortion = previous - pathWeight[path + i] * zeroFraction * (depth - i) / levels;
                } else {
                    pathWeight[path + i] = (pathWeight[path + i] * (depth + 1)) / (zeroFraction * (depth - i));
                }
            }
            for (int i = index; i < depth; i++) {
                pathFeature[path + i] = pathFeature[path + i + 1];
                pathZero[path + i] = pathZero[path + i + 1];
                pathOne[path + i] = pathOne[path + i + 1];
            }
        }

        /**
         * At a leaf, each path element's share: Algorithm 2's UNWOUND-SUM for every element, times
         * (one - zero) and the leaf value. The elements' sums are independent chains of divisions, so they
         * advance together, one step of every chain per path level, and the CPU overlaps their divisions
         * where one element at a time would wait on each; each element's own operations and their order
         * stay XGBoost's, so the floats are the same. A path element's one-fraction is exactly 1 (the row's
         * branch) or 0, as {@link #recurse} only ever passes 1, 0 or an element's own; with a zero-fraction
         * of 0 as well an element adds nothing (XGBoost checks its weight is 0).
         */
        private void leaf(int path, int depth, float leafValue) {
            int hot = 0;
            int cold = 0;
            for (int k = 1; k <= depth; k++) {
                if (pathOne[path + k] == 1.0f) {
                    hotIndex[hot++] = k;
                } else if (pathZero[path + k] != 0) {
                    coldIndex[cold++] = k;
                }
            }
            float levels = depth + 1;
            float top = pathWeight[path + depth];
            for (int h = 0; h < hot; h++) {
                hotZero[h] = pathZero[path + hotIndex[h]];
                hotNext[h] = top;
                hotTotal[h] = 0.0f;
            }
            for (int c = 0; c < cold; c++) {
                coldZero[c] = pathZero[path + coldIndex[c]];
                coldTotal[c] = 0.0f;
            }
            for (int i = depth - 1; i >= 0; i--) {
                float weight = pathWeight[path + i];
                float below = i + 1;
                float ratio = (depth - i) / levels;
                // One-fractions on the branch are exactly 1, so below * one is below; a power of two divides
                // as its exact reciprocal multiplies.
                if ((i + 1 & i) == 0) {
                    float inverse = 1.0f / below;
                    for (int h = 0; h < hot; h++) {
                        float share = hotNext[h] * (depth + 1) * inverse;
                        hotTotal[h] += share;
                        hotNext[h] = weight - share * hotZero[h] * ratio;
                    }
                } else {
                    for (int h = 0; h < hot; h++) {
                        float share = hotNext[h] * (depth + 1) / below;
                        hotTotal[h] += share;
                        hotNext[h] = weight - share * hotZero[h] * ratio;
                    }
                }
                for (int c = 0; c < cold; c++) {
                    coldTotal[c] += (weight / coldZero[c]) / ratio;
                }
            }
            for (int h = 0; h < hot; h++) {
                treePhi[pathFeature[path + hotIndex[h]]] += hotTotal[h] * (1.0f - hotZero[h]) * leafValue;
            }
            for (int c = 0; c < cold; c++) {
                treePhi[pathFeature[path + coldIndex[c]]] += coldTotal[c] * (0.0f - coldZero[c]) * leafValue;
            }
        }
    }
}
