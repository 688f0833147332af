package dev.lathe.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs independent per-column work on the common fork-join pool (the calling thread helps), with the errors of a
 * sequential loop: when several tasks fail, the failure of the lowest index is thrown, so a user sees the same message
 * for the same input however the tasks were scheduled. For work of whole columns (fitting an encoder, encoding a
 * feature, converting a column of an Arrow batch), where a task takes far longer than forking it.
 */
public final class Parallel {
    /**
     * Below this many cells (rows times columns) per call, column work stays on the calling thread: forking costs tens of
     * microseconds, more than converting or encoding a few thousand values, and one-row online predictions must not pay it.
     */
    public static final long MIN_CELLS = 16_384;

    private Parallel() {}

    /** Whether work over {@code rows} rows of {@code columns} columns is large enough to share out. */
    public static boolean worthIt(long rows, long columns) {
        return columns > 1 && rows * columns >= MIN_CELLS;
    }

    /** Calls {@code task} for {@code 0 .. count-1}, in parallel; rethrows the lowest index's failure, if any. */
    public static void forEach(int count, IntConsumer task) {
        map(count, i -> {
            task.accept(i);
            return null;
        });
    }

    /** {@code task(i)} for {@code 0 .. count-1}, computed in parallel, in index order; failures as {@link #forEach}. */
    public static <T> List<T> map(int count, IntFunction<T> task) {
        if (count == 1) {
            return Collections.singletonList(task.apply(0)); // nothing to share out
        }
        Object[] results = new Object[count];
        Throwable[] failures = new Throwable[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                results[i] = task.apply(i);
            } catch (RuntimeException | Error e) {
                failures[i] = e;
            }
        });
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) new ArrayList<>(Arrays.asList(results));
        return list;
    }
}
