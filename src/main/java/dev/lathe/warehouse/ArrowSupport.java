package dev.lathe.warehouse;

import dev.lathe.core.BackgroundThread;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;

/**
 * Whether Arrow's off-heap memory works in this JVM. Arrow needs {@code java.nio} opened to it
 * ({@code --add-opens=java.base/java.nio=ALL-UNNAMED}, set by the launcher, the jar manifest and the
 * build); without it, its first allocator fails and Lathe reads and writes through JDBC instead.
 */
final class ArrowSupport {
    private ArrowSupport() {}

    /** Arrow announces its allocator choice at INFO on first use; that is noise for Lathe's users. */
    private static final java.util.logging.Logger ARROW_LOG = java.util.logging.Logger.getLogger("org.apache.arrow");

    /** The warm-up's thread: see {@link #warmUpInBackground}. */
    private static final String WARM_UP_THREAD = "lathe-arrow-warm-up";

    /** Arrow's allocators report a leak when they close; the warm-up's own report is dropped (see below). */
    private static final java.util.logging.Logger ALLOCATOR_LOG = java.util.logging.Logger.getLogger("org.apache.arrow.memory.BaseAllocator");

    static {
        ARROW_LOG.setLevel(java.util.logging.Level.WARNING);
        // A command that fails at once exits while the warm-up's round trip runs, which then closes its allocator with the
        // import half done: "SEVERE: Memory was leaked by query ... Allocator(ROOT) 0/550/..." beside the command's own
        // error (probes ra, rd). Nothing leaks that matters (the process is ending); every other allocator still reports.
        ALLOCATOR_LOG.setFilter(record -> !Thread.currentThread().getName().equals(WARM_UP_THREAD));
    }

    private static final AtomicBoolean WARMING = new AtomicBoolean();

    /** Probed once per JVM: the answer cannot change while it runs. */
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

    /**
     * Starts, once per JVM, a background round trip of a few Arrow vectors through Arrow's C data interface, the path
     * DuckDB's Arrow export takes. Arrow's first use in a process costs about 0.4 s on one core (its classes, the C data
     * interface's native library, the static JSON mapper of its schema classes) whatever is read; done while the caller
     * opens the warehouse and the metadata store, the first training read or batch prediction does not wait for it.
     * Pure Java and Arrow's own small JNI library, no database, so a process may exit at any point of it. Best effort:
     * a failure leaves the first real read to pay the cost, as before.
     */
    static void warmUpInBackground() {
        if (!WARMING.compareAndSet(false, true)) {
            return;
        }
        BackgroundThread.start(WARM_UP_THREAD, () -> {
            try {
                if (available()) {
                    roundTrip();
                }
            } catch (RuntimeException | LinkageError e) {
                // the first real read pays the cost instead
            }
        });
    }

    /** Exports a batch of a number, a text, a timestamp and a text-list column to C and imports it back. */
    static int roundTrip() {
        try (BufferAllocator allocator = allocator();
                Float8Vector numbers = new Float8Vector("n", allocator);
                VarCharVector text = new VarCharVector("s", allocator);
                BigIntVector times = new BigIntVector("t", allocator);
                ListVector lists = ListVector.empty("l", allocator)) {
            numbers.setSafe(0, 1.5);
            text.setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
            times.setSafe(0, 978_307_200_000_000L);
            UnionListWriter writer = lists.getWriter();
            writer.setPosition(0);
            writer.startList();
            writer.writeVarChar("x");
            writer.endList();
            for (ValueVector vector : List.<ValueVector>of(numbers, text, times, lists)) {
                vector.setValueCount(1);
            }
            try (VectorSchemaRoot root = VectorSchemaRoot.of(numbers, text, times, lists);
                    ArrowArray array = ArrowArray.allocateNew(allocator);
                    ArrowSchema schema = ArrowSchema.allocateNew(allocator)) {
                root.setRowCount(1);
                Data.exportVectorSchemaRoot(allocator, root, null, array, schema);
                try (VectorSchemaRoot imported = Data.importVectorSchemaRoot(allocator, array, schema, null)) {
                    return imported.getRowCount();
                }
            }
        }
    }
}
