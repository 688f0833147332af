package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.server.ServerMetrics;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replica's deployment refresher keeps running after a pass that failed, with an exception or an error. */
class ReplicaRefreshPassTest {

    @Test
    void aFailedPassIsCountedAndTheNextOneRunsOnSchedule() throws Exception {
        EndpointMetrics metrics = new EndpointMetrics(new ServerMetrics());
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch fourPasses = new CountDownLatch(4);
        Runnable refreshAll = () -> {
            int pass = passes.incrementAndGet();
            fourPasses.countDown();
            switch (pass) {
                case 1 -> throw new IllegalStateException("metadata store unreachable");
                case 2 -> throw new UnsatisfiedLinkError("a model's native library did not load");
                default -> { }
            }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // As EndpointsModule schedules it: a task that throws is never run again by scheduleWithFixedDelay.
            scheduler.scheduleWithFixedDelay(EndpointsModule.refreshPass(refreshAll, metrics), 0, 5, TimeUnit.MILLISECONDS);
            assertThat(fourPasses.await(10, TimeUnit.SECONDS)).as("passes after the failed ones").isTrue();
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(metrics.replicaRefreshes.labels("failed").value()).isEqualTo(2);
        assertThat(metrics.replicaRefreshes.labels("ok").value()).isEqualTo(passes.get() - 2);
        assertThat(metrics.replicaLastRefresh.labels().value()).isGreaterThan(1.7e9);
    }
}
