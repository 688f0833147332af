package dev.lathe.engine;

import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The temporary tables and views one statement creates; all dropped when the statement is done, so
 * nothing is left behind whether it succeeded or failed.
 */
final class Scope implements AutoCloseable {
    private final Connection connection;
    private final AtomicLong counter;
    private final Deque<String> drops = new ArrayDeque<>();

    Scope(Connection connection, AtomicLong counter) {
        this.connection = connection;
        this.counter = counter;
    }

    /** A fresh temporary table name, dropped on close. */
    String table(String purpose) {
        String name = "__lathe_" + purpose + "_" + counter.incrementAndGet();
        drops.push("DROP TABLE IF EXISTS temp.main." + Sql.quote(name));
        return name;
    }

    /** A fresh temporary view name, dropped on close. */
    String view(String purpose) {
        String name = "__lathe_" + purpose + "_" + counter.incrementAndGet();
        drops.push("DROP VIEW IF EXISTS temp.main." + Sql.quote(name));
        return name;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!drops.isEmpty()) {
            try {
                Sql.execute(connection, drops.pop());
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
