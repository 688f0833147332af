package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    @Test
    void linesAreWrittenInOrderByTheLogsThreadAndTheRestOnClose() {
        List<String> written = new CopyOnWriteArrayList<>();
        AccessLog log = new AccessLog(line -> written.add(line + " by " + Thread.currentThread().getName()), 100, new ServerMetrics());
        for (int i = 0; i < 50; i++) {
            log.add("line " + i);
        }
        log.close();
        assertThat(written).hasSize(50);
        assertThat(written.get(0)).isEqualTo("line 0 by lathe-access-log");
        assertThat(written.get(49)).isEqualTo("line 49 by lathe-access-log");
    }

    @Test
    void aStalledSinkNeverBlocksAddButDropsAndCountsWhatDoesNotFit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        ServerMetrics metrics = new ServerMetrics();
        AccessLog log = new AccessLog(line -> {
            first.countDown();
            try {
                release.await(); // a pipe nobody reads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(line);
        }, 10, metrics);
        log.add("stuck");
        first.await();
        for (int i = 0; i < 25; i++) {
            log.add("line " + i); // 10 fit behind the stuck one, 15 are dropped
        }
        assertThat(metrics.scrape()).contains("lathe_http_access_log_dropped_total 15");
        release.countDown();
        log.close();
        assertThat(written).hasSize(11).startsWith("stuck", "line 0").endsWith("line 9");
    }
}
