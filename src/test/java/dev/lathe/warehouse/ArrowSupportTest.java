package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ArrowSupportTest {
    /**
     * Probes ra, rd: a command that failed at once sometimes printed "SEVERE: Memory was leaked by query ... Allocator(ROOT)"
     * beside its error, the background warm-up's allocator closed as the process exited mid round trip. That report alone
     * is dropped; an allocator of any other thread still reports its leak.
     */
    @Test
    void onlyTheWarmUpsLeakReportIsDropped() throws Exception {
        assertThat(ArrowSupport.available()).isTrue();
        Logger allocatorLog = Logger.getLogger("org.apache.arrow.memory.BaseAllocator");
        List<String> published = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    published.add(Thread.currentThread().getName() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        allocatorLog.addHandler(handler);
        try {
            Runnable report = () -> allocatorLog.log(Level.SEVERE, "Memory was leaked by query. Memory leaked: (550)");
            Thread warmUp = new Thread(report, "lathe-arrow-warm-up");
            warmUp.start();
            warmUp.join();
            Thread other = new Thread(report, "lathe-read");
            other.start();
            other.join();
        } finally {
            allocatorLog.removeHandler(handler);
        }
        assertThat(published).containsExactly("lathe-read: Memory was leaked by query. Memory leaked: (550)");
    }
}
