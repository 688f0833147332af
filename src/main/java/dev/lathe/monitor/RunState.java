package dev.lathe.monitor;

/** How a monitoring run ended. */
public enum RunState {
    /** The window had logged rows and the objectives were computed (some findings may still lack data). */
    SUCCEEDED,
    /** No logged row of the monitored deployed models fell in the window (after sampling): nothing was compared. */
    NO_DATA,
    /** The run could not complete (endpoint gone, warehouse failure); error says why. */
    FAILED,
    /** Windows missed while the server was down, beyond the catch-up limit, recorded as skipped instead of run. */
    SKIPPED
}
