package dev.lathe.metadata;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.SQLException;
import java.util.Locale;

/** The database products the metadata store runs on; the SQL it writes is common to both unless a migration says otherwise. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String id;

    Dialect(String id) {
        this.id = id;
    }

    /** The suffix of per-dialect migration files ({@code V003__x.postgresql.sql}). */
    public String id() {
        return id;
    }

    static Dialect of(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Metadata URL '" + jdbcUrl + "' names an unsupported database; "
                + "accepted: jdbc:sqlite:<file> or jdbc:postgresql://host:port/database");
    }

    /**
     * Whether {@code e} says the database could not be reached or dropped the connection (PostgreSQL's class 08,
     * connection exceptions, an administrator's or a crash's shutdown, 57P01-57P03, and the server's
     * {@code idle_session_timeout} ending an idle pooled connection, 57P05): a failure of the environment that may pass,
     * not of the request. SQLite is a file: never.
     */
    boolean unreachable(SQLException e) {
        return switch (this) {
            case SQLITE -> false;
            case POSTGRESQL -> {
                String state = String.valueOf(e.getSQLState());
                yield state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals("57P05") || e instanceof java.sql.SQLTransientConnectionException
                        || e instanceof java.sql.SQLNonTransientConnectionException;
            }
        };
    }

    /** Whether a failure is a transient conflict that the same transaction may succeed on when run again. */
    boolean retryable(SQLException e) {
        return switch (this) {
            // SQLITE_BUSY (5) and SQLITE_LOCKED (6), possibly as extended codes (low byte).
            case SQLITE -> (e.getErrorCode() & 0xff) == 5 || (e.getErrorCode() & 0xff) == 6
                    || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
            // serialization_failure, deadlock_detected, unique_violation from a concurrent first insert.
            case POSTGRESQL -> "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || "23505".equals(e.getSQLState());
        };
    }
}
