package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A batch prediction job as stored: its spec, state, progress ({@code rowsProcessed} of {@code rowsTotal}, the
 * total known once the input is read), completion counts (Vertex's completionStats), the first
 * {@link JobStore#MAX_PARTIAL_FAILURES} bad rows, the error of a failed job with its google.rpc.Code number ({@code errorCode},
 * 0 without an error) and where the output went.
 */
public record BatchPredictionJob(long id, JobSpec spec, JobState state, long rowsProcessed, long rowsTotal, long successfulCount,
        long failedCount, long incompleteCount, List<RowFailure> partialFailures, Optional<String> error, int errorCode, Instant createTime,
        Optional<Instant> startTime, Optional<Instant> endTime, Optional<String> outputLocation) {
    public BatchPredictionJob {
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        partialFailures = List.copyOf(partialFailures);
        requireNonNull(error, "error is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(startTime, "startTime is null");
        requireNonNull(endTime, "endTime is null");
        requireNonNull(outputLocation, "outputLocation is null");
        if (id < 1) {
            throw new IllegalArgumentException("job id must be >= 1, got " + id);
        }
    }

    /**
     * This job as it ended in {@code state}, with {@code note} (code INTERNAL), as the process that ran it knows it
     * when the store could not record the end (a succeeded job keeps the outcome and output recorded before its commit).
     */
    BatchPredictionJob endedUnrecorded(JobState state, String note) {
        return new BatchPredictionJob(id, spec, state, rowsProcessed, rowsTotal, successfulCount, failedCount, incompleteCount,
                partialFailures, Optional.of(note), JobStore.INTERNAL, createTime, startTime, endTime, state == JobState.SUCCEEDED ? outputLocation
                        : Optional.empty());
    }
}
