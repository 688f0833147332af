package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a monitor over the window [windowStart, windowEnd): the logged rows read (after sampling), those that
 * could not be decoded into model inputs ({@code skipReasons}: count per reason), the instances profiled, notes
 * on what could not be compared, the error of a failed run, and the findings. {@code id} is 0 until stored.
 */
public record MonitorRun(long id, String monitorId, String endpointId, Instant windowStart, Instant windowEnd, RunTrigger trigger, RunState state,
        long rowsRead, long rowsSkipped, long instances, Map<String, Long> skipReasons, List<String> notes, Optional<String> error,
        List<Finding> findings, Instant startTime, Instant endTime) {
    public MonitorRun {
        requireNonNull(monitorId, "monitorId is null");
        requireNonNull(endpointId, "endpointId is null");
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(state, "state is null");
        skipReasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipReasons));
        notes = List.copyOf(notes);
        requireNonNull(error, "error is null");
        findings = List.copyOf(findings);
        requireNonNull(startTime, "startTime is null");
        requireNonNull(endTime, "endTime is null");
        if (!windowStart.isBefore(windowEnd)) {
            throw new IllegalArgumentException("window start " + windowStart + " must be before its end " + windowEnd);
        }
    }

    public MonitorRun withId(long newId) {
        return new MonitorRun(newId, monitorId, endpointId, windowStart, windowEnd, trigger, state, rowsRead, rowsSkipped, instances, skipReasons,
                notes, error, findings, startTime, endTime);
    }

    public List<Finding> anomalies() {
        return findings.stream().filter(Finding::anomalous).toList();
    }
}
