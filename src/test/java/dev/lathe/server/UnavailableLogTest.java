package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Requests that failed as unavailable are said once a second, each line counting those it stands for. */
class UnavailableLogTest {
    @Test
    void oneLineASecondCountingTheOthers() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(5_000_000_000L);
        UnavailableLog log = new UnavailableLog(lines::add, now::get);
        log.failed("GET /a failed: down");
        for (int i = 0; i < 1_500; i++) {
            log.failed("GET /b failed: down");
        }
        now.addAndGet(UnavailableLog.INTERVAL.toNanos() - 1);
        log.failed("GET /c failed: down");
        assertThat(lines).containsExactly("GET /a failed: down");
        now.incrementAndGet();
        log.failed("GET /d failed: down");
        now.addAndGet(UnavailableLog.INTERVAL.toNanos());
        log.failed("GET /e failed: down");
        assertThat(lines).containsExactly("GET /a failed: down",
                "GET /d failed: down (1,501 more requests failed as unavailable since the last such line, not logged one by one)",
                "GET /e failed: down");
    }
}
