package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void mapsInIndexOrder() {
        List<Integer> squares = Parallel.map(1_000, i -> i * i);
        assertThat(squares).isEqualTo(IntStream.range(0, 1_000).map(i -> i * i).boxed().toList());
        assertThat(Parallel.map(0, i -> i)).isEmpty();
    }

    @Test
    void runsEveryIndexOnce() {
        AtomicIntegerArray calls = new AtomicIntegerArray(500);
        Parallel.forEach(500, calls::incrementAndGet);
        for (int i = 0; i < 500; i++) {
            assertThat(calls.get(i)).as("index %d", i).isEqualTo(1);
        }
    }

    /**
     * Indices go to whichever thread is free, so two long tasks next to each other run side by side: here tasks 2 and 3
     * can only finish together. With the earlier fixed halves of the index range both fell to one thread, one after
     * the other (a read's two text columns took 46 ms of wall time where either took 20).
     */
    @Test
    void neighbouringLongTasksRunOnDifferentThreads() {
        java.util.concurrent.CyclicBarrier bothRunning = new java.util.concurrent.CyclicBarrier(2);
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Parallel.forEach(8, i -> {
            if (i == 2 || i == 3) {
                threads.add(Thread.currentThread());
                try {
                    bothRunning.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("tasks 2 and 3 did not run at the same time", e);
                }
            }
        });
        assertThat(threads).hasSize(2);
    }

    @RepeatedTest(20)
    void throwsTheLowestIndexFailureAsALoopWould() {
        // Later indexes fail first in time; the error reported is still index 3's, as in a sequential loop.
        assertThatThrownBy(() -> Parallel.forEach(64, i -> {
            if (i == 3) {
                sleep(5);
                throw new IllegalStateException("column 3");
            }
            if (i > 3 && i % 7 == 0) {
                throw new IllegalArgumentException("column " + i);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("column 3");
    }

    @Test
    void rethrowsErrorsUnwrapped() {
        assertThatThrownBy(() -> Parallel.map(4, i -> {
            if (i == 2) {
                throw new AssertionError("boom");
            }
            return i;
        })).isInstanceOf(AssertionError.class).hasMessage("boom");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
