package dev.lathe.train.boosted;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * XGBoost4J's native library loaded from the file the launcher unpacked once per build, instead of XGBoost4J's own
 * way: at the first use of XGBoost in every process it copies its 14 MB library out of its jar into a new temporary
 * file and loads that, about 0.11 s of CPU (0.15 s against 0.04 s for loading the unpacked file; and the copy is left
 * in the temporary directory by a process that is killed). The launcher passes the file as {@code
 * -Dlathe.xgboost.library=<path>} ({@code dev.lathe.cli.NativeLibraries}); without it, or when anything here fails,
 * XGBoost4J loads its library as it always does.
 *
 * <p>XGBoost4J offers no option to load a library from a file: its loader ({@code NativeLibLoader.initXGBoost}, static
 * and synchronized on its class) loads once and then sets its private {@code initialized} flag. {@link #preload} loads
 * the file under the same lock and sets that flag, so the loader finds the work done; it does nothing once XGBoost has
 * loaded its own. A test fails the build if an XGBoost4J upgrade removes the flag.
 */
public final class XgboostLibrary {
    /** The system property naming the unpacked library. */
    public static final String PROPERTY = "lathe.xgboost.library";
    static final String LOADER = "ml.dmlc.xgboost4j.java.NativeLibLoader";

    private static volatile boolean attempted;

    private XgboostLibrary() {}

    /**
     * Loads the library the {@value #PROPERTY} property names, once per process, unless XGBoost4J has loaded its own;
     * true when this call loaded it. Call before the first use of XGBoost4J's classes.
     */
    public static boolean preload() {
        if (attempted) {
            return false;
        }
        synchronized (XgboostLibrary.class) {
            if (attempted) {
                return false;
            }
            attempted = true;
            String path = System.getProperty(PROPERTY);
            if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
                return false;
            }
            try {
                Class<?> loader = Class.forName(LOADER, true, XgboostLibrary.class.getClassLoader());
                Field initialized = loader.getDeclaredField("initialized");
                initialized.setAccessible(true);
                synchronized (loader) {
                    if (initialized.getBoolean(null)) {
                        return false;
                    }
                    System.load(Path.of(path).toAbsolutePath().toString());
                    initialized.setBoolean(null, true);
                    return true;
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false; // XGBoost4J loads its own, and reports what is wrong if it cannot
            }
        }
    }
}
