package dev.lathe.batch;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Arrays;
import java.util.Locale;

/** The Vertex AI job states a batch prediction job goes through (JobState, spec section 0). */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLING,
    CANCELLED;

    /** The Vertex name, e.g. {@code JOB_STATE_RUNNING}. */
    public String vertexName() {
        return "JOB_STATE_" + name();
    }

    /** True once the job can change no more. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Accepts {@code JOB_STATE_RUNNING} or {@code running}. */
    public static JobState parse(String text) {
        String name = text.toUpperCase(Locale.ROOT).replaceFirst("^JOB_STATE_", "");
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new LatheException(
                ErrorCode.INVALID_ARGUMENT, "Unknown job state '" + text + "'; accepted: "
                        + String.join(", ", Arrays.stream(values()).map(JobState::vertexName).toList())));
    }
}
