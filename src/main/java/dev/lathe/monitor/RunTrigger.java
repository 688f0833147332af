package dev.lathe.monitor;

/** What started a run: the scheduler, or a {@code :run} request. */
public enum RunTrigger {
    SCHEDULE,
    MANUAL
}
