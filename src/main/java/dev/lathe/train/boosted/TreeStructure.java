package dev.lathe.train.boosted;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Checks the shape of the trees in XGBoost's model document before anything walks them. XGBoost loads a
 * file whose child links make a cycle, point outside their tree or split on a feature the model lacks
 * without complaint; walking such a tree looped forever or read another tree's nodes (probe ub F1b). A
 * well-formed tree has, per node, as many entries in every per-node array as it has nodes; a leaf has both
 * children {@code -1}; an inner node has both children inside its tree (never node 0, its root); each
 * node is reached at most once from the root (no cycle, no node shared by two parents); and an inner
 * node splits on a feature below {@code num_feature}. The walk keeps its own stack, so a deep tree costs
 * memory in proportion to its nodes, not Java stack.
 */
public final class TreeStructure {
    private static final String[] PER_NODE = {"right_children", "split_indices", "split_conditions", "default_left"};

    private TreeStructure() {}

    /**
     * The trees of the booster in {@code learner} (gbtree or DART; gblinear has none): what is wrong with
     * the first malformed one, naming the tree and node, or empty when all are well-formed.
     */
    public static Optional<String> problem(JsonNode learner) {
        JsonNode booster = learner.path("gradient_booster");
        JsonNode model = "dart".equals(booster.path("name").asText()) ? booster.path("gbtree").path("model") : booster.path("model");
        int numFeatures = learner.path("learner_model_param").path("num_feature").asInt(0);
        return problem(model.path("trees"), numFeatures);
    }

    /** What is wrong with the first malformed tree of {@code trees}, or empty when all are well-formed. */
    static Optional<String> problem(JsonNode trees, int numFeatures) {
        for (int t = 0; t < trees.size(); t++) {
            Optional<String> problem = treeProblem(trees.get(t), numFeatures);
            if (problem.isPresent()) {
                return Optional.of("tree " + t + " " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> treeProblem(JsonNode tree, int numFeatures) {
        JsonNode lefts = tree.path("left_children");
        JsonNode rights = tree.path("right_children");
        JsonNode features = tree.path("split_indices");
        int nodes = lefts.size();
        if (nodes == 0) {
            return Optional.of("has no nodes");
        }
        for (String array : PER_NODE) {
            if (tree.path(array).size() != nodes) {
                return Optional.of("has " + nodes + " left_children but " + tree.path(array).size() + " " + array + "; they must match");
            }
        }
        boolean[] reached = new boolean[nodes];
        reached[0] = true;
        ArrayDeque<Integer> pending = new ArrayDeque<>();
        pending.push(0);
        while (!pending.isEmpty()) {
            int n = pending.pop();
            long left = lefts.get(n).asLong();
            long right = rights.get(n).asLong();
            if (left == -1 && right == -1) {
                continue; // a leaf
            }
            if (left == -1 || right == -1) {
                return Optional.of("node " + n + " has " + (left == -1 ? "a right child (" + right + ") but no left child"
                        : "a left child (" + left + ") but no right child") + "; a node has two children or none");
            }
            long feature = features.get(n).asLong();
            if (feature < 0 || feature >= numFeatures) {
                return Optional.of("node " + n + " splits on feature " + feature + " but the model has " + numFeatures
                        + " features (0 to " + (numFeatures - 1) + ")");
            }
            long[] children = {left, right};
            for (int c = 0; c < 2; c++) {
                long child = children[c];
                String side = c == 0 ? "left" : "right";
                if (child == 0) {
                    return Optional.of("node " + n + " has " + side + " child 0, the tree's root (a cycle)");
                }
                if (child < 1 || child >= nodes) {
                    return Optional.of("node " + n + " has " + side + " child " + child + ", outside the tree's nodes 1 to "
                            + (nodes - 1));
                }
                if (reached[(int) child]) {
                    return Optional.of("node " + n + " has " + side + " child " + child + ", a node already reached from the root"
                            + " (a cycle or a node with two parents)");
                }
                reached[(int) child] = true;
                pending.push((int) child);
            }
        }
        return Optional.empty();
    }
}
