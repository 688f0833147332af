package dev.lathe.serve.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Vertex AI's traffic split rules (deployed model id to percentage): every key a deployed model of the endpoint,
 * every value 0 to 100, the values summing to 100, or the map empty (the endpoint takes no traffic).
 */
public final class TrafficSplit {
    /** The key a deploy request uses for the model being deployed; the server substitutes the new id. */
    public static final String NEW_MODEL_KEY = "0";
    static final String FIELD = "trafficSplit";

    private TrafficSplit() {}

    /** Checks {@code split} against the endpoint's deployed model ids; returns it sorted by key. */
    public static Map<String, Integer> validate(Map<String, Integer> split, Collection<String> deployedIds) {
        int sum = 0;
        for (Map.Entry<String, Integer> entry : split.entrySet()) {
            if (!deployedIds.contains(entry.getKey())) {
                throw new FieldViolationException(FIELD, "key '" + entry.getKey() + "' is not a model deployed to this endpoint; "
                        + (deployedIds.isEmpty() ? "none is deployed" : "deployed model ids are " + sorted(deployedIds)));
            }
            int percent = entry.getValue();
            if (percent < 0 || percent > 100) {
                throw new FieldViolationException(FIELD + "." + entry.getKey(), "a percentage must be an integer from 0 to 100, got " + percent);
            }
            sum += percent;
        }
        if (!split.isEmpty() && sum != 100) {
            throw new FieldViolationException(FIELD, "the percentages must sum to 100 (or the map be empty), got " + sum + " in " + new TreeMap<>(split));
        }
        return new TreeMap<>(split);
    }

    /**
     * The split after deploying {@code newId}: the requested one (key {@link #NEW_MODEL_KEY} meaning the new model)
     * replaces the current one; without a request the current split stays and the new model gets no traffic.
     */
    public static Map<String, Integer> afterDeploy(Map<String, Integer> current, Optional<Map<String, Integer>> requested, String newId,
            Collection<String> deployedIds) {
        List<String> ids = new ArrayList<>(deployedIds);
        ids.add(newId);
        if (requested.isEmpty() || requested.get().isEmpty()) {
            return validate(current, ids);
        }
        Map<String, Integer> split = new LinkedHashMap<>();
        requested.get().forEach((key, percent) -> split.put(key.equals(NEW_MODEL_KEY) ? newId : key, percent));
        return validate(split, ids);
    }

    /**
     * The split after undeploying {@code removedId}: the requested one when given; otherwise the current one,
     * which must give the model no traffic, unless it is the last model (the split becomes empty).
     */
    public static Map<String, Integer> afterUndeploy(Map<String, Integer> current, Optional<Map<String, Integer>> requested, String removedId,
            Collection<String> deployedIds) {
        List<String> remaining = new ArrayList<>(deployedIds);
        remaining.remove(removedId);
        if (requested.isPresent()) {
            Map<String, Integer> split = new LinkedHashMap<>(requested.get());
            Integer removed = split.get(removedId);
            if (removed != null && removed == 0) {
                split.remove(removedId); // the split removes its traffic (Vertex AI), naming it with 0 %
            }
            return validate(split, remaining);
        }
        if (remaining.isEmpty()) {
            return Map.of();
        }
        int percent = current.getOrDefault(removedId, 0);
        if (percent > 0) {
            throw new FieldViolationException(FIELD, "deployed model " + removedId + " still receives " + percent
                    + "% of the traffic; give a trafficSplit without it (summing to 100 over " + sorted(remaining) + ") or move its traffic first");
        }
        Map<String, Integer> split = new LinkedHashMap<>(current);
        split.remove(removedId);
        return validate(split, remaining);
    }

    /**
     * gcloud's convenience for deploying with a percentage: the new model ({@link #NEW_MODEL_KEY}) gets {@code percent}
     * and the current models share the rest in proportion to their current traffic (largest remainders first).
     * With no current traffic the new model takes everything.
     */
    public static Map<String, Integer> withNewModel(Map<String, Integer> current, int percent) {
        if (percent < 0 || percent > 100) {
            throw new FieldViolationException(FIELD + "." + NEW_MODEL_KEY, "a percentage must be an integer from 0 to 100, got " + percent);
        }
        int total = current.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> split = new TreeMap<>();
        if (total == 0) {
            split.put(NEW_MODEL_KEY, 100);
            return split;
        }
        int rest = 100 - percent;
        List<String> keys = new ArrayList<>(new TreeMap<>(current).keySet());
        int assigned = 0;
        double[] remainders = new double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            double exact = (double) rest * current.get(keys.get(i)) / total;
            int floor = (int) Math.floor(exact);
            split.put(keys.get(i), floor);
            remainders[i] = exact - floor;
            assigned += floor;
        }
        for (int left = rest - assigned; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < remainders.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            split.merge(keys.get(best), 1, Integer::sum);
            remainders[best] = -1;
        }
        split.put(NEW_MODEL_KEY, percent);
        return split;
    }

    private static List<String> sorted(Collection<String> ids) {
        return ids.stream().sorted().toList();
    }
}
