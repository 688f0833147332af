package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * At the file-descriptor limit the connector's accepts fail: each is counted, and said in one line a minute naming the
 * limit and what to do, where Jetty logged a 10-line stack trace about once a second (probe ta F7).
 */
class AcceptFailuresTest {
    @Test
    void runningOutOfDescriptorsIsOneLineAMinuteAndACount() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        AtomicInteger counted = new AtomicInteger();
        AcceptFailures failures = new AcceptFailures(lines::add, now::get, counted::incrementAndGet);
        IOException tooMany = new IOException("Too many open files");

        assertThat(failures.record(tooMany)).isTrue();
        assertThat(lines).singleElement().asString().startsWith("New connections are not being accepted: there is no file descriptor"
                + " left (Too many open files); open connections are still served")
                .contains("(ulimit -n): raise the limit, e.g. ulimit -n 65536", "1 failed accepts since the last such line");
        for (int second = 1; second < 60; second++) { // Jetty's pace: one a second
            now.set(TimeUnit.SECONDS.toNanos(second));
            failures.record(tooMany);
        }
        assertThat(lines).hasSize(1);
        now.set(TimeUnit.SECONDS.toNanos(60));
        failures.record(tooMany);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("60 failed accepts since the last such line");
        assertThat(counted).hasValue(61);
    }

    @Test
    void otherFailuresAreLeftToJetty() {
        List<String> lines = new ArrayList<>();
        AtomicInteger counted = new AtomicInteger();
        AcceptFailures failures = new AcceptFailures(lines::add, System::nanoTime, counted::incrementAndGet);
        assertThat(failures.record(new IOException("Connection reset by peer"))).isFalse();
        assertThat(lines).isEmpty();
        assertThat(counted).hasValue(0);
    }
}
