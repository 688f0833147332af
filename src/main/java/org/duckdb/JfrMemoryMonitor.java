package org.duckdb;

/**
 * Lathe's replacement for the DuckDB JDBC driver's class of this name, which Lathe's jar puts ahead of the driver's
 * on the class path. The driver's registers a JDK Flight Recorder periodic event for DuckDB's memory use when its
 * driver class loads, whether or not anyone records: that starts JFR's event machinery in every fresh JVM, about
 * 0.12 s of each {@code lathe} command on a 2-core host (0.74 -> 0.61 s for {@code lathe sql -e "SELECT 1"}). This one
 * does nothing unless the system property {@value #PROPERTY} is true, and then calls the driver's monitor as its own
 * class would. The driver calls these three methods from its driver class and connections;
 * {@code DuckDbJfrMonitorTest} checks that the driver's class still has exactly these, so an upgrade that changes them
 * fails the build instead of a statement.
 */
final class JfrMemoryMonitor {
    /** {@code -Dlathe.duckdb.jfr=true} (for example in {@code LATHE_JAVA_OPTS}) records DuckDB's memory in JFR. */
    static final String PROPERTY = "lathe.duckdb.jfr";

    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

    private JfrMemoryMonitor() {}

    static void init() {
        if (ENABLED) {
            DuckDBMemoryMonitor.init();
        }
    }

    static void connectionOpened(DuckDBConnection conn) {
        if (ENABLED) {
            DuckDBMemoryMonitor.connectionOpened(conn);
        }
    }

    static void connectionClosed(long dbAddress) {
        if (ENABLED) {
            DuckDBMemoryMonitor.connectionClosed(dbAddress);
        }
    }
}
