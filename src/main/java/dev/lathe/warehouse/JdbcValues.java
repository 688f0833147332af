package dev.lathe.warehouse;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of DuckDB's JDBC driver that need reading with care before they are shown, the same way by the CLI and by the
 * server.
 */
public final class JdbcValues {
    /**
     * DuckDB's infinite timestamps are the largest and smallest count of their unit (+-(2^63 - 1)); the driver makes them the
     * date-times that count stands for. Each pair is the {seconds since the epoch, nanoseconds} of +infinity, then of
     * -infinity, for TIMESTAMP_NS, TIMESTAMP (and TIMESTAMPTZ; microseconds), TIMESTAMP_MS and TIMESTAMP_S. No finite
     * timestamp of any unit has one of them: each is past its unit's largest finite value, or has a fraction finer than it.
     */
    private static final long[][] INFINITE_TIMESTAMPS = infiniteTimestamps();

    /** 0001-01-01 00:00 as the driver's Timestamps have it: in the host's time zone. */
    private static final java.sql.Timestamp FIRST_OF_THE_ERA = java.sql.Timestamp.valueOf(LocalDateTime.of(1, 1, 1, 0, 0));

    private JdbcValues() {}

    /** Reads the columns of {@code rows}' current row, each in the way its type needs. */
    public static Reader reader(ResultSet rows) throws SQLException {
        ResultSetMetaData metadata = rows.getMetaData();
        String[] types = new String[metadata.getColumnCount() + 1];
        for (int c = 1; c < types.length; c++) {
            types[c] = metadata.getColumnTypeName(c);
        }
        return column -> switch (types[column]) {
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS" -> rows.getObject(column, LocalDateTime.class);
            case "TIME" -> time(rows, column);
            case "HUGEINT", "UHUGEINT", "UBIGINT" -> int64(rows, column);
            default -> rows.getObject(column);
        };
    }

    /**
     * A HUGEINT, UHUGEINT or UBIGINT value (DuckDB sums BIGINTs into HUGEINT) as the INT64 BigQuery's result has: a Long, or
     * BigQuery's "int64 overflow" failure for a value past INT64's range, which BigQuery's own SUM fails on.
     */
    private static Object int64(ResultSet rows, int column) throws SQLException {
        Object value = rows.getObject(column);
        if (!(value instanceof java.math.BigInteger number)) {
            return value;
        }
        if (number.bitLength() < 64) {
            return number.longValue();
        }
        throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.INVALID_ARGUMENT, "int64 overflow: column "
                + rows.getMetaData().getColumnLabel(column) + " of the result holds " + number + ", beyond " + Sql.INT64_RANGE
                + " (DuckDB computes integer sums in 128 bits; a result's integers are"
                + " INT64, as in BigQuery). CAST the value AS FLOAT64 or NUMERIC (e.g. SUM(CAST(x AS NUMERIC))) to keep a larger total");
    }

    private static final Pattern NANO_OF_DAY = Pattern.compile("Invalid value for NanoOfDay .*: (\\d+)");

    /**
     * A TIME: a LocalTime, or the text of one it cannot hold. DuckDB's TIME goes up to 24:00:00 inclusive, the driver makes
     * every value a LocalTime, whose last is 23:59:59.999999999, and fails the whole result on 24:00:00; its message has the
     * value's nanoseconds, which are written here as DuckDB writes them.
     */
    private static Object time(ResultSet rows, int column) throws SQLException {
        try {
            return rows.getObject(column);
        } catch (DateTimeException e) {
            Matcher nanos = NANO_OF_DAY.matcher(String.valueOf(e.getMessage()));
            if (!nanos.find()) {
                throw e;
            }
            long micros = Long.parseLong(nanos.group(1)) / 1_000;
            String text = "%02d:%02d:%02d".formatted(micros / 3_600_000_000L, micros / 60_000_000 % 60, micros / 1_000_000 % 60);
            long fraction = micros % 1_000_000;
            return fraction == 0 ? text : text + ("." + "%06d".formatted(fraction)).replaceFirst("0+$", "");
        }
    }

    /** A column's value in the current row. */
    @FunctionalInterface
    public interface Reader {
        /**
         * The value of column {@code column} (from 1), null for NULL: what {@link ResultSet#getObject(int)} returns, but a
         * TIMESTAMP as the LocalDateTime the driver computes exactly, not its java.sql.Timestamp, which is built in the
         * host's time zone (a time in its daylight-saving gap moves by an hour) and its Julian calendar (the year of
         * -infinity, and of any date before the year 1, loses its sign), and the TIME 24:00:00 as its text.
         */
        Object value(int column) throws SQLException;
    }

    /**
     * The date-time the driver meant by a java.sql.Timestamp (as it returns them inside lists and structs): its local date-time,
     * with the year's sign that the Timestamp's Julian calendar dropped (the year -100 is its year 101 before Christ).
     */
    public static LocalDateTime dateTime(java.sql.Timestamp timestamp) {
        LocalDateTime dateTime = timestamp.toLocalDateTime();
        return timestamp.before(FIRST_OF_THE_ERA) ? dateTime.withYear(1 - dateTime.getYear()) : dateTime;
    }

    private static long[][] infiniteTimestamps() {
        long[] perSecond = {1_000_000_000, 1_000_000, 1_000, 1};
        long[][] pairs = new long[perSecond.length * 2][];
        for (int u = 0; u < perSecond.length; u++) {
            long nanosPerUnit = 1_000_000_000 / perSecond[u];
            for (int sign = 0; sign < 2; sign++) {
                long count = sign == 0 ? Long.MAX_VALUE : -Long.MAX_VALUE;
                pairs[u * 2 + sign] = new long[] {Math.floorDiv(count, perSecond[u]), Math.floorMod(count, perSecond[u]) * nanosPerUnit};
            }
        }
        return pairs;
    }

    /**
     * DuckDB's text of an infinite DATE, TIMESTAMP or TIMESTAMPTZ value, {@code infinity} or {@code -infinity}, as the driver
     * returns it (a LocalDate, Timestamp, LocalDateTime or OffsetDateTime); null for any other value. The driver turns them
     * into far dates ({@code -infinity} into the year +290309), which are not the values: BigQuery has no infinite dates,
     * so they are shown as DuckDB shows them.
     */
    public static String infinity(Object value) {
        return switch (value) {
            case LocalDate date -> date.toEpochDay() == Integer.MAX_VALUE ? "infinity" : date.toEpochDay() == -Integer.MAX_VALUE ? "-infinity" : null;
            case java.sql.Timestamp timestamp -> infinity(dateTime(timestamp));
            case LocalDateTime dateTime -> infinity(dateTime.toEpochSecond(ZoneOffset.UTC), dateTime.getNano());
            case OffsetDateTime dateTime -> infinity(dateTime.toEpochSecond(), dateTime.getNano());
            case ZonedDateTime dateTime -> infinity(dateTime.toEpochSecond(), dateTime.getNano());
            case null, default -> null;
        };
    }

    private static String infinity(long epochSecond, int nanos) {
        for (int i = 0; i < INFINITE_TIMESTAMPS.length; i++) {
            if (INFINITE_TIMESTAMPS[i][0] == epochSecond && INFINITE_TIMESTAMPS[i][1] == nanos) {
                return i % 2 == 0 ? "infinity" : "-infinity";
            }
        }
        return null;
    }
}
