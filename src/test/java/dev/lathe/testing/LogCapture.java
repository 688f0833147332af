package dev.lathe.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** A log handler that keeps every record it is given, for a test to assert on; thread-safe. */
public final class LogCapture extends Handler {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** The records published so far, live. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
