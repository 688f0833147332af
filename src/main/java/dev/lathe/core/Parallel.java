package dev.lathe.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

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
        forEach(true, count, task);
    }

    /** As {@link #forEach(int, IntConsumer)} when {@code parallel} (typically {@link #worthIt}), else in index order here. */
    public static void forEach(boolean parallel, int count, IntConsumer task) {
        if (!parallel || count <= 1) { // in order, nothing collected: an online prediction's one row comes this way
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        map(true, count, i -> {
            task.accept(i);
            return null;
        });
    }

    /** {@code task(i)} for {@code 0 .. count-1}, computed in parallel, in index order; failures as {@link #forEach}. */
    public static <T> List<T> map(int count, IntFunction<T> task) {
        return map(true, count, task);
    }

    /** As {@link #map(int, IntFunction)} when {@code parallel} (typically {@link #worthIt}), else in index order here. */
    public static <T> List<T> map(boolean parallel, int count, IntFunction<T> task) {
        if (!parallel || count <= 1) { // in order: the first failure is the lowest index's
            List<T> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                results.add(task.apply(i));
            }
            return results;
        }
        Object[] results = new Object[count];
        Throwable[] failures = new Throwable[count];
        // Indices are claimed one at a time by whichever thread is free (the caller and up to the pool's parallelism
        // of helpers), not split into fixed halves: a fixed split put both of a read's text columns, each 20 times the
        // work of a number column, on one thread while the other converted numbers and then waited.
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    results[i] = task.apply(i);
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                }
            }
        };
        int helpers = Math.min(count - 1, Math.max(1, ForkJoinPool.getCommonPoolParallelism()));
        List<ForkJoinTask<?>> forked = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            forked.add(ForkJoinTask.adapt(drain).fork());
        }
        drain.run();
        for (ForkJoinTask<?> helper : forked) {
            if (helper.tryUnfork()) {
                helper.invoke(); // never started: nothing is left to claim, so this returns at once
            } else {
                helper.join();
            }
        }
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
