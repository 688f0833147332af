package dev.lathe.core.model;

/** Progress of a long training run, shown to the user. */
public interface TrainingListener {
    TrainingListener NONE = iteration -> {};

    void iterationDone(TrainingIteration iteration);
}
