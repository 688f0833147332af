package dev.lathe.train.linear;

/** How a GLM turns its linear scores into a prediction, and the loss it is trained on. */
public enum Link {
    /** Linear regression: the score itself; squared error. */
    IDENTITY,
    /** Binary logistic regression: sigmoid of one score; log loss. */
    LOGIT,
    /** Multiclass logistic regression: softmax over one score per class; cross-entropy. */
    SOFTMAX
}
