package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Platform;
import dev.lathe.serve.PredictionLogIngester;
import dev.lathe.server.LatheClient;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where {@code lathe sql} runs statements: in the data directory's running server when there is one
 * (DuckDB allows one writing process, and that is the server), else in a warehouse opened directly.
 */
interface SqlRunner extends AutoCloseable {
    /** Runs the script's statements in order, printing each result before the next runs. */
    void run(String script, ResultPrinter printer);

    /**
     * Ends a script given whole ({@code -e}, {@code -f}): one that left a transaction open fails, its transaction rolled
     * back (a server refuses such a request itself).
     */
    default void endScript() {}

    /** Cancels what the running statement waits for, where it can ({@link Engine#cancel()}); a server's statement runs on. */
    default void cancel() {}

    @Override
    void close();

    /** The server of {@code dataDirectory} if one answers, else the warehouse itself. */
    static SqlRunner open(Path dataDirectory, String metadataUrl, Consumer<String> progress) {
        return open(dataDirectory, metadataUrl, progress, System.err::println);
    }

    /** As {@link #open(Path, String, Consumer)}; while another process holds the warehouse, waits (saying so on {@code notice}). */
    static SqlRunner open(Path dataDirectory, String metadataUrl, Consumer<String> progress, Consumer<String> notice) {
        return WarehouseWait.open(() -> LatheClient.discover(dataDirectory).map(client -> new Remote(client.noticing(notice),
                () -> open(dataDirectory, metadataUrl, progress, notice), notice)), () -> {
            // This process owns the warehouse: what replicas shipped while no primary ran becomes queryable first.
            Platform platform = Platform.open(dataDirectory, metadataUrl);
            PredictionLogIngester.takeInShipped(platform.warehouse(), dataDirectory);
            return local(Lathe.open(platform, progress));
        }, notice, WarehouseWait.limit(), () -> LatheClient.unanswering(dataDirectory));
    }

    static SqlRunner local(Engine engine) {
        requireNonNull(engine, "engine is null");
        return new SqlRunner() {
            @Override
            public void run(String script, ResultPrinter printer) {
                engine.execute(script, printer);
            }

            @Override
            public void endScript() {
                if (engine.rollbackOpenTransaction()) {
                    throw dev.lathe.engine.Engine.endedInsideTransaction();
                }
            }

            @Override
            public void cancel() {
                engine.cancel();
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    /** Sends each statement on its own, so every statement's rows print, as in direct mode; rows come a page at a time. */
    final class Remote implements SqlRunner {
        /** Rows a page: the response and the client's parse of it stay a few MB whatever the result's size. */
        static final long PAGE_ROWS = 10_000;

        private final LatheClient client;
        private final Supplier<SqlRunner> afterServerStopped;
        private final Consumer<String> notice;
        private final Parser parser = new Parser();
        private volatile SqlRunner fallback;
        /** The requestId of the statement the server runs now, for {@link #cancel()}; null between requests. */
        private volatile String current;
        private volatile boolean cancelled;
        /**
         * Whether a transaction this runner began is open in its server session: a shell's BEGIN and COMMIT may come in
         * inputs of their own, a script's must not be left open at its end ({@link #endScript()}).
         */
        private boolean inTransaction;
        /**
         * The server session this shell or script runs in (BigQuery's sessions), started by its first statement: its
         * temporary tables and variables stay its own from statement to statement, as on a connection of its own without a
         * server; a pooled session is cleared after each request (probe qa: they leaked to other clients, or vanished).
         */
        private String session;

        /**
         * @param afterServerStopped opens the runner to use once the server refuses connections (it stopped): the
         *     warehouse directly, or a server started since
         */
        Remote(LatheClient client, Supplier<SqlRunner> afterServerStopped, Consumer<String> notice) {
            this.client = requireNonNull(client, "client is null");
            this.afterServerStopped = requireNonNull(afterServerStopped, "afterServerStopped is null");
            this.notice = requireNonNull(notice, "notice is null");
        }

        @Override
        public void run(String script, ResultPrinter printer) {
            if (fallback != null) {
                fallback.run(script, printer);
                return;
            }
            List<Statement> statements = parser.parseScript(script);
            cancelled = false;
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                stopIfCancelled(statement); // Ctrl-C between two statements: the rest do not run, as in direct mode
                // A transaction goes as one request: the server rolls back what a request leaves open.
                int last = transactionEnd(statements, i);
                // Padded to the line where the statement starts in the script, so that the server places an error at the
                // script's line (it placed them in the statement alone: line 3 for line 17), the column moved here (rebased)
                String text = padding(statement) + (last == i ? statement.text()
                        : String.join(";\n", statements.subList(i, last + 1).stream().map(Statement::text).toList()));
                com.fasterxml.jackson.databind.JsonNode response;
                for (Statement sent : statements.subList(i, last + 1)) {
                    if (startsWith(sent, "BEGIN", "START")) {
                        inTransaction = true;
                    } else if (startsWith(sent, "COMMIT", "END", "ROLLBACK", "ABORT")) {
                        inTransaction = false;
                    }
                }
                try {
                    current = java.util.UUID.randomUUID().toString();
                    try {
                        response = client.query(text, PAGE_ROWS, java.util.Optional.of(current), last > i,
                                java.util.Optional.of(session == null ? "" : session));
                    } catch (LatheException e) {
                        if (e instanceof LatheClient.ServerGone) {
                            throw e;
                        }
                        if (session == null || !e.getMessage().startsWith("Session " + session + " not found")) {
                            throw rebased(e, statement);
                        }
                        // the server restarted (or the session idled out) before the statement ran: a new session runs it
                        notice.accept("lathe: the server's session of this shell ended (" + e.getMessage().substring(e.getMessage().indexOf(':') + 1)
                                .strip().split(",")[0] + "); its temporary tables and variables are gone; going on in a new one");
                        session = null;
                        try {
                            response = client.query(text, PAGE_ROWS, java.util.Optional.of(current), last > i, java.util.Optional.of(""));
                        } catch (LatheException again) {
                            throw again instanceof LatheClient.ServerGone ? again : rebased(again, statement);
                        }
                    }
                    if (session == null && response.path("sessionInfo").path("sessionId").isTextual()) {
                        session = response.path("sessionInfo").path("sessionId").asText();
                    }
                } catch (LatheClient.ServerGone e) {
                    // The statement never reached a server, so it and the rest run where the warehouse is now.
                    notice.accept("lathe: " + e.getMessage() + "; running the rest of the script from line "
                            + statement.position().line() + " on the warehouse directly");
                    current = null;
                    fallback = afterServerStopped.get();
                    for (Statement rest : statements.subList(i, statements.size())) {
                        stopIfCancelled(rest);
                        fallback.run(rest.text(), printer);
                    }
                    return;
                } finally {
                    current = null;
                }
                try {
                    // The statements before the last of a group print what they print directly: a query its rows (only
                    // "N rows" was printed, the rows lost: probe qa), another statement its message.
                    com.fasterxml.jackson.databind.JsonNode each = response.path("statements");
                    for (int k = 0; k + 1 < each.size() && last > i; k++) {
                        if (RemoteRows.hasRows(each.get(k))) {
                            printer.rows(new RemoteRows(each.get(k), (jobId, token) -> client.page(jobId, token, PAGE_ROWS)));
                        } else {
                            printer.message(each.get(k).path("message").asText(""));
                        }
                    }
                    if (RemoteRows.hasRows(response)) {
                        printer.rows(new RemoteRows(response, (jobId, token) -> client.page(jobId, token, PAGE_ROWS)));
                    } else {
                        printer.message(response.path("message").asText(""));
                    }
                } catch (SQLException e) {
                    throw LatheException.internal("Printing the server's result failed: " + e.getMessage(), e);
                }
                i = last;
            }
        }

        /** Line breaks and spaces that put a statement's first character at its line and column in the script. */
        private static String padding(Statement statement) {
            return "\n".repeat(Math.max(1, statement.position().line()) - 1);
        }

        /**
         * The server's failure with its positions on the statement's first line moved to where the statement starts in the
         * script's line: the request is padded with line breaks only (padding the column too sent a statement that followed
         * another on its line with a space per character before it: a second 5.8 MB INSERT went as 11.7 MB, past the
         * server's request limit; probe qa).
         */
        private static LatheException rebased(LatheException e, Statement statement) {
            int first = Math.max(1, statement.position().line());
            int shift = Math.max(1, statement.position().column()) - 1;
            return shift == 0 ? e : ErrorPlaces.moved(e, (line, column) -> line == first ? "line " + line + ", column " + (column + shift) : null);
        }

        /** The index of the statement that ends the transaction statement {@code i} begins (the script's last if none); i if it begins none. */
        private static int transactionEnd(List<Statement> statements, int i) {
            if (!startsWith(statements.get(i), "BEGIN", "START")) {
                return i;
            }
            for (int j = i + 1; j < statements.size(); j++) {
                if (startsWith(statements.get(j), "COMMIT", "END", "ROLLBACK", "ABORT")) {
                    return j;
                }
            }
            return statements.size() - 1;
        }

        private static boolean startsWith(Statement statement, String... words) {
            return List.of(words).contains(statement.firstWord());
        }

        private void stopIfCancelled(Statement next) {
            if (cancelled) {
                throw new LatheException(dev.lathe.core.ErrorCode.CANCELLED, "Cancelled: "
                        + next.text().strip().lines().findFirst().orElse("") + "; it did not start");
            }
        }

        /** Ctrl-C: the server cancels the statement it runs for this shell (its answer is a CANCELLED error), and the rest of the script does not start. */
        @Override
        public void cancel() {
            cancelled = true;
            SqlRunner direct = fallback;
            if (direct != null) {
                direct.cancel();
                return;
            }
            String id = current;
            if (id != null) {
                try {
                    client.cancel(id);
                } catch (LatheException e) {
                    notice.accept("lathe: " + e.getMessage());
                    if (e.code() == dev.lathe.core.ErrorCode.SERVER_UNAVAILABLE) {
                        // a server answering neither the statement nor its cancel (stopped, hung): waiting on would keep the
                        // shell, or the script's exit, waiting for as long as it stays so (probe sg)
                        client.abandon();
                    }
                }
            }
        }

        /** A script that ended inside a transaction it began: rolled back and failed, as in direct mode. */
        @Override
        public void endScript() {
            if (fallback != null) {
                fallback.endScript();
                return;
            }
            if (inTransaction && session != null) {
                inTransaction = false;
                try {
                    client.query("ROLLBACK", PAGE_ROWS, java.util.Optional.empty(), false, java.util.Optional.of(session));
                } catch (RuntimeException e) {
                    // the session's end rolls it back all the same
                }
                throw dev.lathe.engine.Engine.endedInsideTransaction();
            }
        }

        @Override
        public void close() {
            // The server's session ends with the shell or script (it would end after a day without requests anyway).
            if (session != null && fallback == null) {
                try {
                    client.query("CALL BQ.ABORT_SESSION()", PAGE_ROWS, java.util.Optional.empty(), false, java.util.Optional.of(session));
                } catch (RuntimeException e) {
                    // the server stopped meanwhile: its sessions went with it
                }
                session = null;
            }
            // The HTTP client holds no resources worth closing per command; a fallback holds the warehouse.
            if (fallback != null) {
                fallback.close();
            }
        }
    }
}
