package dev.lathe.cli;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens the warehouse for a command, waiting while another Lathe process holds it (DuckDB lets one process open the file):
 * a second command started beside a running one waits its turn instead of failing with a lock error, and goes through a
 * server as soon as one starts for the directory. It gives up after {@code LATHE_WAIT_SECONDS} (default 300) with the
 * holder's PID and what to do.
 */
final class WarehouseWait {
    static final String WAIT_VARIABLE = "LATHE_WAIT_SECONDS";
    private static final Duration DEFAULT_LIMIT = Duration.ofSeconds(300);
    private static final long POLL_MILLIS = 200;

    private WarehouseWait() {}

    /** The limit {@code LATHE_WAIT_SECONDS} sets, else 300 s. */
    static Duration limit() {
        String text = System.getenv(WAIT_VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        long seconds;
        try {
            seconds = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            throw LatheException.userError(WAIT_VARIABLE + " must be a whole number of seconds, 0 or more (0: do not wait), got '"
                    + text + "'");
        }
        return Duration.ofSeconds(seconds);
    }

    /** What a command works through: the directory's running server, or the warehouse this process opened. */
    sealed interface Access permits Server, Direct {}

    record Server(dev.lathe.server.LatheClient client) implements Access {}

    record Direct(dev.lathe.engine.Platform platform) implements Access {}

    /** The directory's server when one runs, else its platform opened here, waiting while another process holds it. */
    static Access serverOrWarehouse(java.nio.file.Path dataDirectory, String metadataUrl, Consumer<String> notice) {
        return open(() -> dev.lathe.server.LatheClient.discover(dataDirectory).<Access>map(Server::new),
                () -> new Direct(dev.lathe.engine.Platform.open(dataDirectory, metadataUrl)), notice, limit());
    }

    /**
     * {@code viaServer}'s answer when a server runs for the directory, else {@code direct}'s; while the warehouse is busy,
     * says so once on {@code notice} and tries both again until {@code limit} has passed.
     */
    static <T> T open(Supplier<Optional<T>> viaServer, Supplier<T> direct, Consumer<String> notice, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean told = false;
        while (true) {
            Optional<T> served = viaServer.get();
            if (served.isPresent()) {
                return served.get();
            }
            try {
                return direct.get();
            } catch (LatheException e) {
                if (e.code() != ErrorCode.WAREHOUSE_BUSY) {
                    throw e;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new LatheException(ErrorCode.WAREHOUSE_BUSY, e.getMessage() + ", and it stayed in use for " + limit.toSeconds()
                            + " s (" + WAIT_VARIABLE + "). Let that command finish (an open lathe sql shell holds the warehouse"
                            + " until it exits), or run ./lathe server so that commands share the warehouse through it", e);
                }
                if (!told) {
                    notice.accept("lathe: " + e.getMessage() + "; waiting for it (up to " + limit.toSeconds() + " s)...");
                    told = true;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LatheException.internal("Interrupted while waiting for the warehouse", e);
            }
        }
    }
}
