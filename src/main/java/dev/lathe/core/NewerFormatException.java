package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A stored file written in a newer format version than this Lathe reads (a model's manifest.json, pipeline.json,
 * estimator.bin, evaluation.bin or profile.bin): not damage, so its message never tells to restore the folder from a
 * backup, which would not help (probe ua F4), but names both versions and says that a newer Lathe reads it.
 * INCOMPATIBLE_FORMAT, as damage is.
 */
public final class NewerFormatException extends LatheException {
    private final String format;
    private final int found;
    private final int newest;

    /** {@code format} (e.g. "GLM format version", "format_version") {@code found}, where this Lathe reads up to {@code newest}. */
    public NewerFormatException(String format, int found, int newest) {
        this("The stored file", format, found, newest, null);
    }

    private NewerFormatException(String where, String format, int found, int newest, Throwable cause) {
        super(ErrorCode.INCOMPATIBLE_FORMAT, where + " has " + requireNonNull(format, "format is null") + " " + found
                + " (this Lathe reads up to " + format + " " + newest + "): a newer Lathe wrote it, and the file is not damaged."
                + " Use a Lathe build that reads it (./lathe --version lists the formats a build reads), or another version of the"
                + " model", cause);
        this.format = format;
        this.found = found;
        this.newest = newest;
    }

    /** This refusal said of {@code where}, e.g. "Model d.m version 1: estimator.bin in /data/models/d/m/1". */
    public NewerFormatException at(String where) {
        return new NewerFormatException(where, format, found, newest, this);
    }

    /** The refusal among {@code failure} and its causes, if any: a reader's, wrapped by a model family or a loader. */
    public static Optional<NewerFormatException> in(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof NewerFormatException newer) {
                return Optional.of(newer);
            }
        }
        return Optional.empty();
    }
}
