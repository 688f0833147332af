package dev.lathe.engine;

import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The temporary tables and views one statement creates; all dropped when the statement is done, so
 * nothing is left behind whether it succeeded or failed.
 */
final class Scope implements AutoCloseable {
    private final Connection connection;
    private final AtomicLong counter;
    private final Deque<String> drops = new ArrayDeque<>();
    private final Deque<Runnable> closers = new ArrayDeque<>();
    private final List<Supplier<Optional<LatheException>>> failures = new ArrayList<>();

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

    private final List<String> nestedQueries = new ArrayList<>();

    /** Records where a nested query (an ML function's argument, a training query) starts in the user's text. */
    void nestedQuery(String start) {
        nestedQueries.add(start);
    }

    /** Where the statement's one nested query starts; empty when it has none or several. */
    Optional<String> onlyNestedQuery() {
        return nestedQueries.size() == 1 ? Optional.of(nestedQueries.get(0)) : Optional.empty();
    }

    /** Runs {@code action} when the statement is done (after its tables and views are dropped). */
    void onClose(Runnable action) {
        closers.push(action);
    }

    /**
     * Registers where a failure inside DuckDB's execution of the statement (a Java function DuckDB called)
     * is kept, so the statement reports that error rather than DuckDB's wrapped copy of it.
     */
    void onFailure(Supplier<Optional<LatheException>> failure) {
        failures.add(failure);
    }

    /** The first failure kept by a {@link #onFailure} source, if any. */
    Optional<LatheException> failure() {
        for (Supplier<Optional<LatheException>> source : failures) {
            Optional<LatheException> failure = source.get();
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private final List<java.util.function.UnaryOperator<LatheException>> rewordings = new ArrayList<>();

    /**
     * Registers a rewording of DuckDB's own failures while it runs the statement (a cast of an ML function's input, say),
     * into the terms of what the statement asked for; each returns the failure unchanged where it does not apply.
     */
    void onDuckDbFailure(java.util.function.UnaryOperator<LatheException> rewording) {
        rewordings.add(rewording);
    }

    /** {@code failure} through every {@link #onDuckDbFailure} rewording. */
    LatheException reworded(LatheException failure) {
        LatheException result = failure;
        for (java.util.function.UnaryOperator<LatheException> rewording : rewordings) {
            result = rewording.apply(result);
        }
        return result;
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
        while (!closers.isEmpty()) {
            closers.pop().run();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
