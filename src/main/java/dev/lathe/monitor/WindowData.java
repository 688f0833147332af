package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.profile.DataProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one window of the prediction log holds for one deployed model: the logged rows read (after sampling), those
 * skipped with the reasons, the profile of the decoded instances, and the first instances kept for explanation
 * (at most {@link WindowReader#EXPLAINED_INSTANCES}, only when an attribution objective needs them).
 */
public record WindowData(long rowsRead, long rowsSkipped, long instances, Map<String, Long> skipReasons, DataProfile profile,
        List<Map<String, Object>> explainSample) {
    public WindowData {
        skipReasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipReasons));
        requireNonNull(profile, "profile is null");
        explainSample = List.copyOf(explainSample);
    }
}
