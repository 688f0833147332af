package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * Lathe's {@code org.duckdb.JfrMemoryMonitor} stands in for the DuckDB driver's (see that class): it must be the one
 * loaded, and it must offer what the driver calls, which the driver's own class of that name defines.
 */
class DuckDbJfrMonitorTest {
    private static final String MONITOR = "org.duckdb.JfrMemoryMonitor";

    @Test
    void lathesMonitorIsLoadedAheadOfTheDriversAndTheDriverWorks() throws Exception {
        Class<?> loaded = Class.forName(MONITOR);
        URL driverJar = DuckDBConnection.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(loaded.getProtectionDomain().getCodeSource().getLocation()).isNotEqualTo(driverJar);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 42")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void theDriversMonitorStillHasExactlyTheMethodsLathesOffersAndDelegatesTo() throws Exception {
        URL driverJar = DuckDBConnection.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader driverOnly = new URLClassLoader(new URL[] {driverJar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> drivers = Class.forName(MONITOR, false, driverOnly);
            assertThat(signatures(Class.forName(MONITOR))).isEqualTo(signatures(drivers)).contains(
                    "init()", "connectionOpened(org.duckdb.DuckDBConnection)", "connectionClosed(long)");
            Class<?> delegate = Class.forName("org.duckdb.DuckDBMemoryMonitor", false, driverOnly);
            assertThat(signatures(delegate)).contains("init()", "connectionOpened(org.duckdb.DuckDBConnection)",
                    "connectionClosed(long)");
        }
    }

    /** The static methods other classes may call (not private), as name(parameter types). */
    private static Set<String> signatures(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers()) && !m.isSynthetic())
                .map(DuckDbJfrMonitorTest::signature)
                .collect(Collectors.toSet());
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getName)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
