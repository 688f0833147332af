package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.warehouse.CachedStatements;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * DuckDB connections for models with a TRANSFORM (applied in SQL); other models predict without one. A request
 * borrows a connection and gives it back; at most one per concurrent request is ever opened. Each keeps the
 * TRANSFORM statements prepared on it ({@link CachedStatements}) until the pool closes.
 */
final class ConnectionPool implements AutoCloseable {
    private final Warehouse warehouse;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    ConnectionPool(Warehouse warehouse) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
    }

    Connection borrow() {
        Connection connection = idle.poll();
        if (connection == null) {
            connection = warehouse.connect();
            CachedStatements.keep(connection);
        }
        return connection;
    }

    void giveBack(Connection connection) {
        idle.offer(connection);
    }

    @Override
    public void close() {
        for (Connection connection; (connection = idle.poll()) != null; ) {
            CachedStatements.release(connection);
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing at shutdown: nothing to recover.
            }
        }
    }
}
