package dev.lathe.train.boosted;

import java.util.regex.Pattern;

/** XGBoost's error messages made fit to show a user. */
public final class XgboostErrors {
    /** The time and C++ source line XGBoost's log puts before a message: "[10:54:58] /workspace/src/tree/x.cc:110: ". */
    private static final Pattern LOG_PREFIX = Pattern.compile("^\\[\\d{1,2}:\\d{2}:\\d{2}\\] \\S+:\\d+: ");

    private XgboostErrors() {}

    /**
     * The reason {@code error} gives, without the native backtrace XGBoost appends ("Stack trace: [bt] (0)
     * /path/libxgboost4j.so(...) [0x7f...] ...": kilobytes of addresses that say nothing to a user) and without the log
     * prefix naming XGBoost's source file.
     */
    public static String reason(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int trace = message.indexOf("Stack trace:");
        String reason = (trace >= 0 ? message.substring(0, trace) : message).strip();
        return LOG_PREFIX.matcher(reason).replaceFirst("");
    }
}
