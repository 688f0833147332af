package dev.lathe.train.boosted;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.FileDescriptors;
import dev.lathe.core.LatheException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * XGBoost4J's native library loaded from the file the launcher unpacked once per build, instead of XGBoost4J's own
 * way: at the first use of XGBoost in every process it copies its 14 MB library out of its jar into a new temporary
 * file and loads that, about 0.11 s of CPU (0.15 s against 0.04 s for loading the unpacked file; and the copy is left
 * in the temporary directory by a process that is killed). The launcher passes the file as {@code
 * -Dlathe.xgboost.library=<path>} ({@code dev.lathe.cli.NativeLibraries}); without it, or when loading it fails for a
 * reason other than a lack of file descriptors, XGBoost4J's own loader runs.
 *
 * <p>XGBoost4J offers no option to load a library from a file: its loader ({@code NativeLibLoader.initXGBoost}, static
 * and synchronized on its class) loads once and then sets its private {@code initialized} flag. {@link #preload} loads
 * the file under the same lock and sets that flag, so the loader finds the work done. A test fails the build if an
 * XGBoost4J upgrade removes the flag.
 *
 * <p>The library must be loaded before anything initializes {@code XGBoostJNI}: its static initializer runs the loader,
 * and a failed static initializer is final in a JVM. A server that ran out of file descriptors at its first tree
 * training (each connection takes one, and so does opening the library) answered {@code NoClassDefFoundError} for
 * every tree model's training and feature importance until it was restarted (probe ta F2). So {@link #preload} runs the
 * loader itself first, which fails without a trace, says why (RESOURCE_EXHAUSTED naming {@code ulimit -n} for the lack
 * of descriptors) and tries again at the next call: once descriptors are free, XGBoost works.
 */
public final class XgboostLibrary {
    /** The system property naming the unpacked library. */
    public static final String PROPERTY = "lathe.xgboost.library";
    static final String LOADER = "ml.dmlc.xgboost4j.java.NativeLibLoader";

    private static volatile boolean loaded;

    private XgboostLibrary() {}

    /**
     * Loads XGBoost4J's native library unless it is loaded: the file the {@value #PROPERTY} property names, else (or when
     * that fails but for want of descriptors) through XGBoost4J's loader. True when this call loaded the named file. Call
     * before the first use of XGBoost4J's classes; a failure leaves them untouched, so a later call tries again.
     *
     * @throws LatheException RESOURCE_EXHAUSTED when the process has no file descriptor to open the library with, else
     *     INTERNAL with the loader's reason
     */
    public static boolean preload() {
        if (loaded) {
            return false;
        }
        synchronized (XgboostLibrary.class) {
            if (loaded) {
                return false;
            }
            boolean fromFile = false;
            try {
                Class<?> loader = Class.forName(LOADER, true, XgboostLibrary.class.getClassLoader());
                Field initialized = loader.getDeclaredField("initialized");
                initialized.setAccessible(true);
                synchronized (loader) {
                    if (!initialized.getBoolean(null)) {
                        String path = System.getProperty(PROPERTY);
                        if (path != null && !path.isBlank() && Files.isRegularFile(Path.of(path))) {
                            try {
                                System.load(Path.of(path).toAbsolutePath().toString());
                                initialized.setBoolean(null, true);
                                fromFile = true;
                            } catch (UnsatisfiedLinkError e) {
                                if (FileDescriptors.exhausted(e)) {
                                    throw e;
                                }
                                // XGBoost4J's loader tries its own copy, and says what is wrong if it cannot
                            }
                        }
                        if (!initialized.getBoolean(null)) {
                            Method initialize = loader.getDeclaredMethod("initXGBoost");
                            initialize.setAccessible(true);
                            initialize.invoke(null); // sets the flag; on failure leaves it unset, so it runs again next time
                        }
                    }
                }
            } catch (InvocationTargetException e) {
                throw failure(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw failure(e);
            }
            loaded = true;
            return fromFile;
        }
    }

    private static LatheException failure(Throwable cause) {
        if (FileDescriptors.exhausted(cause)) {
            return new LatheException(ErrorCode.RESOURCE_EXHAUSTED, "XGBoost's native library could not be loaded: there is no file"
                    + " descriptor left to open it with (" + cause.getMessage() + "); " + FileDescriptors.advice() + ". Nothing is"
                    + " broken: the next statement that needs XGBoost loads it again", cause);
        }
        return new LatheException(ErrorCode.INTERNAL, "XGBoost's native library could not be loaded (" + cause.getClass().getSimpleName()
                + ": " + cause.getMessage() + "); the next statement that needs XGBoost tries again", cause);
    }
}
