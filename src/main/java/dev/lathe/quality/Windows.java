package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consecutive windows {@code [start + k * size, start + (k + 1) * size)} tiling {@code [start, end)} on the log's
 * {@code logging_time} (UTC, microseconds); the last window ends at {@code end} and may be shorter.
 */
public record Windows(Instant start, Instant end, Duration size) {
    /** More windows than this is a mistake (a window of one second over a year), refused before any work. */
    public static final int MAX_WINDOWS = 10_000;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*([smhdw])");
    private static final Pattern ZONED = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)([+-]\\d{2})(?::?(\\d{2}))?");

    public Windows {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(size, "size is null");
        start = start.truncatedTo(ChronoUnit.MICROS);
        end = end.truncatedTo(ChronoUnit.MICROS);
        size = size.truncatedTo(ChronoUnit.MICROS);
        if (!start.isBefore(end)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The window start " + start + " must be before its end " + end);
        }
        if (size.isNegative() || size.isZero()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The window size " + size + " must be positive");
        }
        long count = count(start, end, size);
        if (count > MAX_WINDOWS) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A window size of " + size + " splits " + start + " to " + end + " into "
                    + count + " windows; at most " + MAX_WINDOWS + " are allowed: choose a larger size or a shorter range");
        }
    }

    /** One window, {@code [start, end)}. */
    public static Windows single(Instant start, Instant end) {
        Instant from = start.truncatedTo(ChronoUnit.MICROS);
        Instant to = end.truncatedTo(ChronoUnit.MICROS);
        return new Windows(from, to, from.isBefore(to) ? Duration.between(from, to) : Duration.ofSeconds(1));
    }

    public int count() {
        return (int) count(start, end, size);
    }

    public Instant start(int window) {
        return start.plus(size.multipliedBy(window));
    }

    public Instant end(int window) {
        Instant next = start(window + 1);
        return next.isAfter(end) ? end : next;
    }

    long startMicros() {
        return micros(start);
    }

    long endMicros() {
        return micros(end);
    }

    long sizeMicros() {
        return size.toNanos() / 1000;
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static long count(Instant start, Instant end, Duration size) {
        long micros = micros(end) - micros(start);
        long sizeMicros = size.toNanos() / 1000;
        return (micros + sizeMicros - 1) / sizeMicros;
    }

    /**
     * A window size written as a whole number and a unit: {@code s}, {@code m}, {@code h}, {@code d} or {@code w}
     * ({@code '15m'}, {@code '1h'}, {@code '3600s'}; Vertex AI's monitoring offsets and protobuf durations in seconds).
     */
    public static Duration parseSize(String text, String what) {
        Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, what + " '" + text + "' must be a positive whole number followed by s, m, h, "
                    + "d or w, e.g. '15m', '1h', '1d' or '3600s'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }

    /**
     * A point in time: RFC 3339 ({@code 2025-01-31T08:00:00Z}), or BigQuery's timestamp literal text
     * ({@code 2025-01-31 08:00:00[.ffffff][+hh[:mm]| UTC]}, or a date alone); without a zone it is UTC, as in the log.
     */
    public static Instant parseTime(String text, String what) {
        String value = text.strip();
        ZoneOffset offset = ZoneOffset.UTC;
        Matcher zoned = ZONED.matcher(value);
        if (value.endsWith(" UTC") || value.endsWith("Z")) {
            value = value.substring(0, value.length() - (value.endsWith("Z") ? 1 : 4));
        } else if (zoned.matches()) {
            value = zoned.group(1);
            int hours = Integer.parseInt(zoned.group(2));
            int minutes = zoned.group(3) == null ? 0 : Integer.parseInt(zoned.group(3));
            offset = ZoneOffset.ofHoursMinutes(hours, zoned.group(2).startsWith("-") ? -minutes : minutes);
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().toInstant(offset);
            }
            return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(offset);
        } catch (DateTimeException e) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, what + " '" + text + "' is not a timestamp; write e.g. "
                    + "'2025-01-31 08:00:00' (UTC), '2025-01-31T08:00:00Z' or '2025-01-31'");
        }
    }
}
