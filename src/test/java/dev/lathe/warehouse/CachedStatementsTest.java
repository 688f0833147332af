package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachedStatementsTest {
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws SQLException {
        CachedStatements.release(connection);
        connection.close();
    }

    private static long run(CachedStatements.Lease lease, long parameter) throws SQLException {
        lease.statement().setLong(1, parameter);
        try (ResultSet rows = lease.statement().executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void aKeptConnectionReusesItsStatementAcrossLeases() throws SQLException {
        CachedStatements.keep(connection);
        PreparedStatement first;
        try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) + 1")) {
            assertThat(run(lease, 41)).isEqualTo(42);
            first = lease.statement();
        }
        assertThat(first.isClosed()).isFalse();
        try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) + 1")) {
            assertThat(lease.statement()).isSameAs(first);
            assertThat(run(lease, 1)).isEqualTo(2);
        }
        assertThat(CachedStatements.kept(connection)).isEqualTo(1);
        CachedStatements.release(connection);
        assertThat(first.isClosed()).isTrue();
        assertThat(CachedStatements.kept(connection)).isZero();
    }

    @Test
    void anyOtherConnectionClosesItsStatementWithTheLease() throws SQLException {
        PreparedStatement statement;
        try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) * 2")) {
            assertThat(run(lease, 21)).isEqualTo(42);
            statement = lease.statement();
        }
        assertThat(statement.isClosed()).isTrue();
        assertThat(CachedStatements.kept(connection)).isZero();
    }

    @Test
    void beyondItsCapacityTheLeastRecentlyUsedStatementIsClosed() throws SQLException {
        CachedStatements.keep(connection);
        List<PreparedStatement> statements = new ArrayList<>();
        for (int i = 0; i <= CachedStatements.CAPACITY; i++) {
            if (i == CachedStatements.CAPACITY) { // use the first again: the second is now the least recently used
                try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) + 0")) {
                    assertThat(lease.statement()).isSameAs(statements.get(0));
                }
            }
            try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) + " + i)) {
                statements.add(lease.statement());
            }
        }
        assertThat(CachedStatements.kept(connection)).isEqualTo(CachedStatements.CAPACITY);
        assertThat(statements.get(1).isClosed()).isTrue();
        assertThat(statements.get(0).isClosed()).isFalse();
        assertThat(statements.get(CachedStatements.CAPACITY).isClosed()).isFalse();
    }

    @Test
    void aFailedRunDropsTheStatementAndABadStatementIsAClearError() throws SQLException {
        CachedStatements.keep(connection);
        PreparedStatement failed;
        try (CachedStatements.Lease lease = CachedStatements.prepare(connection, "SELECT CAST(? AS BIGINT) + 1")) {
            failed = lease.statement();
            lease.failed();
        }
        assertThat(failed.isClosed()).isTrue();
        assertThat(CachedStatements.kept(connection)).isZero();
        assertThatThrownBy(() -> CachedStatements.prepare(connection, "SELECT nope FROM nowhere"))
                .isInstanceOf(LatheException.class).hasMessageContaining("nowhere");
        assertThat(CachedStatements.kept(connection)).isZero();
    }
}
