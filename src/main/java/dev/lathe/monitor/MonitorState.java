package dev.lathe.monitor;

/** Whether the scheduler runs a monitor: ACTIVE is Vertex's JOB_STATE_RUNNING, PAUSED its JOB_STATE_PAUSED. */
public enum MonitorState {
    ACTIVE,
    PAUSED;

    public String vertexName() {
        return switch (this) {
            case ACTIVE -> "JOB_STATE_RUNNING";
            case PAUSED -> "JOB_STATE_PAUSED";
        };
    }
}
