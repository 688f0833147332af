package dev.lathe.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A write that failed for want of disk space, as the user reads it: DuckDB says only {@code Could not write file
 * "<path>": No space left on device}, so the message gets which disk is full, how much is free and what to do, in the
 * words of the model store's and the metadata store's own disk-full errors (probe ta F6).
 */
public final class DiskFull {
    /** The first quoted absolute path in a message: DuckDB quotes the file it could not write. */
    private static final Pattern QUOTED_PATH = Pattern.compile("\"(/[^\"]+)\"");
    /** A batch job's staging folder beside its output ({@code .<name>.lathe-job-<id>.tmp}): the folder the user named holds it. */
    private static final Pattern JOB_STAGING = Pattern.compile("\\..+\\.lathe-job-\\d+\\.tmp");

    private DiskFull() {}

    /** Whether {@code message} says a disk (or the user's quota on it) is full: ENOSPC, EDQUOT. */
    public static boolean is(String message) {
        String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
        return lower.contains("no space left on device") || lower.contains("disk quota exceeded");
    }

    /**
     * "; the disk holding /data/lathe is full (12 KB free): free space on it and run it again", naming the folder of the
     * file {@code message} quotes (a batch job's output folder for its staging folder's files), or the disk unnamed.
     */
    public static String advice(String message) {
        Optional<Path> folder = folder(message);
        if (folder.isEmpty()) {
            return "; the disk is full: free space on it and run it again";
        }
        String free = "";
        try {
            Path existing = folder.get();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                free = " (" + String.format(Locale.ROOT, "%,d", Files.getFileStore(existing).getUsableSpace() / 1024) + " KB free)";
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the free space goes unsaid
        }
        return "; the disk holding " + folder.get() + " is full" + free + ": free space on it and run it again";
    }

    static Optional<Path> folder(String message) {
        Matcher quoted = QUOTED_PATH.matcher(String.valueOf(message));
        if (!quoted.find()) {
            return Optional.empty();
        }
        Path folder = Path.of(quoted.group(1)).getParent();
        if (folder != null && folder.getFileName() != null && JOB_STAGING.matcher(folder.getFileName().toString()).matches()) {
            folder = folder.getParent();
        }
        return Optional.ofNullable(folder);
    }
}
