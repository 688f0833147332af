package dev.lathe.cli;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.server.ServerInfo;
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
                () -> new Direct(dev.lathe.engine.Platform.open(dataDirectory, metadataUrl)), notice, limit(),
                () -> dev.lathe.server.LatheClient.unanswering(dataDirectory));
    }

    /** As {@link #open(Supplier, Supplier, Consumer, Duration, Supplier)}, for a directory without a server to tell of. */
    static <T> T open(Supplier<Optional<T>> viaServer, Supplier<T> direct, Consumer<String> notice, Duration limit) {
        return open(viaServer, direct, notice, limit, Optional::empty);
    }

    /**
     * {@code viaServer}'s answer when a server runs for the directory, else {@code direct}'s; while the warehouse is busy,
     * says so once on {@code notice} and tries both again until {@code limit} has passed. {@code unanswering} names the
     * directory's server when it lives but did not answer: the holder is that server then, not "another Lathe process",
     * and starting a server is no remedy (probe sg: a SIGSTOPped server).
     */
    static <T> T open(Supplier<Optional<T>> viaServer, Supplier<T> direct, Consumer<String> notice, Duration limit,
            Supplier<Optional<ServerInfo>> unanswering) {
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
                Optional<ServerInfo> server = unanswering.get().filter(info -> heldBy(e, info.pid()));
                if (System.nanoTime() - deadline >= 0) {
                    if (server.isPresent()) {
                        long pid = server.get().pid();
                        throw new LatheException(ErrorCode.SERVER_UNAVAILABLE, "The Lathe server of this data directory at "
                                + server.get().baseUri() + " (PID " + pid + ") holds the warehouse but did not answer for " + limit.toSeconds()
                                + " s (" + WAIT_VARIABLE + "): it is stopped (kill -STOP, or Ctrl-Z in its terminal: resume it with kill -CONT "
                                + pid + "), hung or overloaded. Check it (its log, GET /healthz), or stop it (kill " + pid + ") so that"
                                + " commands open the warehouse directly", e);
                    }
                    throw new LatheException(ErrorCode.WAREHOUSE_BUSY, e.getMessage() + ", and it stayed in use for " + limit.toSeconds()
                            + " s (" + WAIT_VARIABLE + "). Let that command finish (an open lathe sql shell holds the warehouse"
                            + " until it exits), or run ./lathe server so that commands share the warehouse through it", e);
                }
                if (!told) {
                    notice.accept("lathe: " + server.map(info -> "the Lathe server of this data directory at " + info.baseUri() + " (PID "
                            + info.pid() + ") holds the warehouse but does not answer").orElse(e.getMessage()) + "; waiting for it (up to "
                            + limit.toSeconds() + " s)...");
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

    /** The holder a busy warehouse's message names: "(PID 4242)". */
    private static final java.util.regex.Pattern HOLDER = java.util.regex.Pattern.compile("\\(PID (\\d+)\\)");

    /** Whether the busy warehouse's holder is process {@code pid}; true where DuckDB's message names none. */
    private static boolean heldBy(LatheException busy, long pid) {
        java.util.regex.Matcher holder = HOLDER.matcher(String.valueOf(busy.getMessage()));
        return !holder.find() || holder.group(1).equals(Long.toString(pid));
    }
}
