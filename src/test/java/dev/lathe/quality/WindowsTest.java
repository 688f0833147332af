package dev.lathe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void windowsTileTheRangeAndTheLastOneEndsAtTheEnd() {
        Windows windows = new Windows(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T02:30:00Z"), Duration.ofHours(1));
        assertThat(windows.count()).isEqualTo(3);
        assertThat(windows.start(2)).isEqualTo(Instant.parse("2025-01-01T02:00:00Z"));
        assertThat(windows.end(1)).isEqualTo(Instant.parse("2025-01-01T02:00:00Z"));
        assertThat(windows.end(2)).isEqualTo(Instant.parse("2025-01-01T02:30:00Z"));
        Windows one = Windows.single(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-08T00:00:00Z"));
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.end(0)).isEqualTo(Instant.parse("2025-01-08T00:00:00Z"));
        Windows nanos = Windows.single(Instant.parse("2025-01-01T00:00:00.000000999Z"), Instant.parse("2025-01-01T00:00:01.000000001Z"));
        assertThat(nanos.count()).as("times are microseconds, as in the log").isEqualTo(1);
    }

    @Test
    void refusesAnEmptyRangeAndTooManyWindows() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        assertThatThrownBy(() -> Windows.single(start, start)).isInstanceOf(LatheException.class).hasMessageContaining("must be before its end");
        assertThatThrownBy(() -> new Windows(start, start.plus(Duration.ofDays(365)), Duration.ofSeconds(1)))
                .hasMessageContaining("31536000 windows").hasMessageContaining("at most 10000");
    }

    @Test
    void readsTimestampsAsRfc3339OrBigQueryLiteralsInUtc() {
        Instant expected = Instant.parse("2025-01-31T08:00:00Z");
        assertThat(Windows.parseTime("2025-01-31T08:00:00Z", "t")).isEqualTo(expected);
        assertThat(Windows.parseTime("2025-01-31 08:00:00", "t")).isEqualTo(expected);
        assertThat(Windows.parseTime("2025-01-31 08:00:00 UTC", "t")).isEqualTo(expected);
        assertThat(Windows.parseTime("2025-01-31 10:00:00+02", "t")).isEqualTo(expected);
        assertThat(Windows.parseTime("2025-01-31T02:30:00-05:30", "t")).isEqualTo(expected);
        assertThat(Windows.parseTime("2025-01-31 08:00:00.000001", "t")).isEqualTo(expected.plusNanos(1000));
        assertThat(Windows.parseTime("2025-01-31", "t")).isEqualTo(Instant.parse("2025-01-31T00:00:00Z"));
        assertThatThrownBy(() -> Windows.parseTime("31/01/2025", "start_time")).hasMessageContaining("start_time '31/01/2025' is not a timestamp");
    }

    @Test
    void readsWindowSizesWithAUnit() {
        assertThat(Windows.parseSize("15m", "w")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Windows.parseSize("3600s", "w")).isEqualTo(Duration.ofHours(1));
        assertThat(Windows.parseSize("1d", "w")).isEqualTo(Duration.ofDays(1));
        assertThat(Windows.parseSize("2w", "w")).isEqualTo(Duration.ofDays(14));
        for (String bad : new String[] {"0h", "1.5h", "h", "1 year", "-1h"}) {
            assertThatThrownBy(() -> Windows.parseSize(bad, "window_size")).hasMessageContaining("window_size '" + bad + "'");
        }
    }
}
