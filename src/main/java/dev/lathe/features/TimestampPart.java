package dev.lathe.features;

import java.time.LocalDateTime;

/**
 * The components BigQuery ML extracts from a TIMESTAMP (in UTC), in the order their columns appear, each with
 * the prefix its processed_input carries ({@code _TS_DOW_ts}).
 */
enum TimestampPart {
    DAY_OF_MONTH("_TS_DOM_"),
    /** 1 = Sunday .. 7 = Saturday, like EXTRACT(DAYOFWEEK). */
    DAY_OF_WEEK("_TS_DOW_"),
    MONTH_OF_YEAR("_TS_MOY_"),
    HOUR_OF_DAY("_TS_HOD_"),
    MINUTE_OF_HOUR("_TS_MOH_"),
    /** 0..53, weeks begin on Sunday and days before the year's first Sunday are week 0, like EXTRACT(WEEK). */
    WEEK_OF_YEAR("_TS_WOY_"),
    YEAR("_TS_YEAR_");

    private final String prefix;

    TimestampPart(String prefix) {
        this.prefix = prefix;
    }

    String processedInput(String feature) {
        return prefix + feature;
    }

    int extract(LocalDateTime time) {
        return switch (this) {
            case DAY_OF_MONTH -> time.getDayOfMonth();
            case DAY_OF_WEEK -> sundayBasedDayOfWeek(time);
            case MONTH_OF_YEAR -> time.getMonthValue();
            case HOUR_OF_DAY -> time.getHour();
            case MINUTE_OF_HOUR -> time.getMinute();
            case WEEK_OF_YEAR -> (time.getDayOfYear() - (sundayBasedDayOfWeek(time) - 1) + 6) / 7;
            case YEAR -> time.getYear();
        };
    }

    private static int sundayBasedDayOfWeek(LocalDateTime time) {
        // java.time numbers Monday 1 .. Sunday 7.
        return time.getDayOfWeek().getValue() % 7 + 1;
    }
}
