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
        return validate(split, deployedIds, deployedIds.isEmpty() ? "none is deployed" : "deployed model ids are " + sorted(deployedIds));
    }

    /** As {@link #validate(Map, Collection)}; {@code accepted} says which keys are, for the message on a wrong one. */
    private static Map<String, Integer> validate(Map<String, Integer> split, Collection<String> keys, String accepted) {
        int sum = 0;
        for (Map.Entry<String, Integer> entry : split.entrySet()) {
            if (!keys.contains(entry.getKey())) {
                throw new FieldViolationException(FIELD, "key '" + entry.getKey() + "' is not a model deployed to this endpoint; " + accepted);
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
        if (requested.isEmpty() || requested.get().isEmpty()) {
            List<String> ids = new ArrayList<>(deployedIds);
            ids.add(newId);
            return validate(current, ids);
        }
        // checked in the request's own keys, so that an error names "0" and no id the failed deploy never created
        List<String> keys = new ArrayList<>(deployedIds);
        keys.add(NEW_MODEL_KEY);
        Map<String, Integer> checked = validate(requested.get(), keys, "keys are '" + NEW_MODEL_KEY + "' for the model being deployed"
                + (deployedIds.isEmpty() ? "" : " and the deployed model ids " + sorted(deployedIds)));
        Map<String, Integer> split = new LinkedHashMap<>();
        checked.forEach((key, percent) -> split.put(key.equals(NEW_MODEL_KEY) ? newId : key, percent));
        return new TreeMap<>(split);
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
        if (percent > 0) { // the endpoint's state forbids it, as deleting an endpoint with models does
            throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.FAILED_PRECONDITION, "Deployed model " + removedId
                    + " still receives " + percent + "% of the traffic; give a trafficSplit without it (summing to 100 over "
                    + sorted(remaining) + ") or move its traffic first");
        }
        Map<String, Integer> split = new LinkedHashMap<>(current);
        split.remove(removedId);
        return validate(split, remaining);
    }

    /**
     * gcloud's convenience for deploying with a percentage: the new model ({@link #NEW_MODEL_KEY}) gets {@code percent}
     * and the current models share the rest in proportion to their current traffic (largest remainders first).
     * With no current traffic there is nothing to scale: 100 gives the new model all of it, 0 deploys it without traffic
     * (the split stays empty), and anything between is refused, since the rest would have nowhere to go. Errors name the
     * CLI's option, {@code --traffic}, the one caller.
     */
    public static Map<String, Integer> withNewModel(Map<String, Integer> current, int percent) {
        if (percent < 0 || percent > 100) {
            throw new FieldViolationException("--traffic", "a percentage must be an integer from 0 to 100, got " + percent);
        }
        int total = current.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> split = new TreeMap<>();
        if (total == 0) {
            if (percent == 0) {
                return new TreeMap<>(current);
            }
            if (percent < 100) {
                throw new FieldViolationException("--traffic", "the endpoint's models take no traffic now, so there are no others to"
                        + " give the remaining " + (100 - percent) + "% to; deploy with --traffic 100 (all traffic) or --traffic 0 (none,"
                        + " then set the split with 'lathe endpoints split')");
            }
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
