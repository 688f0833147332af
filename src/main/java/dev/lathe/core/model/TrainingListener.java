package dev.lathe.core.model;

/** Progress of a long training run, shown to the user. */
public interface TrainingListener {
    TrainingListener NONE = iteration -> {};

    void iterationDone(TrainingIteration iteration);

    /**
     * A line on work still under way inside one iteration (a random forest grows its whole forest in one), said every few
     * seconds while it lasts, so that a long iteration is not minutes of silence (probe ud F4). Nothing by default.
     */
    default void stillWorking(String message) {}
}
