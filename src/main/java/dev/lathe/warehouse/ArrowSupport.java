package dev.lathe.warehouse;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Whether Arrow's off-heap memory works in this JVM. Arrow needs {@code java.nio} opened to it
 * ({@code --add-opens=java.base/java.nio=ALL-UNNAMED}, set by the launcher, the jar manifest and the
 * build); without it, its first allocator fails and Lathe reads and writes through JDBC instead.
 */
final class ArrowSupport {
    private ArrowSupport() {}

    /** Probed once per JVM: the answer cannot change while it runs. */
    /** Arrow announces its allocator choice at INFO on first use; that is noise for Lathe's users. */
    private static final java.util.logging.Logger ARROW_LOG = java.util.logging.Logger.getLogger("org.apache.arrow");

    static {
        ARROW_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private static final class Probe {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (BufferAllocator allocator = new RootAllocator()) {
                allocator.buffer(8).close();
                return true;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }

    static boolean available() {
        return Probe.AVAILABLE;
    }

    /** A fresh allocator for one read or write; closing it checks that nothing leaked. */
    static BufferAllocator allocator() {
        return new RootAllocator();
    }
}
