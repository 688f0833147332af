package dev.lathe.core.model;

/** How automatic preprocessing turns a categorical column into numbers (spec section 2.3). */
public enum CategoryEncoding {
    /** One 0/1 column per training value plus one for NULL; unseen values are all zeros. */
    ONE_HOT_ENCODING,
    /** One-hot without the most frequent category (it keeps weight 0). */
    DUMMY_ENCODING,
    /** One column: 1..N by alphabetical order of the training values, 0 for NULL and unseen. */
    LABEL_ENCODING,
    /** One column: mean target (regression) or P(positive class) per category. */
    TARGET_ENCODING
}
