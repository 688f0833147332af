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
import java.util.function.Consumer;

/**
 * Where {@code lathe sql} runs statements: in the data directory's running server when there is one
 * (DuckDB allows one writing process, and that is the server), else in a warehouse opened directly.
 */
interface SqlRunner extends AutoCloseable {
    /** Runs the script's statements in order, printing each result before the next runs. */
    void run(String script, ResultPrinter printer);

    @Override
    void close();

    /** The server of {@code dataDirectory} if one answers, else the warehouse itself. */
    static SqlRunner open(Path dataDirectory, String metadataUrl, Consumer<String> progress) {
        return LatheClient.discover(dataDirectory)
                .<SqlRunner>map(Remote::new)
                .orElseGet(() -> {
                    // This process owns the warehouse: what replicas shipped while no primary ran becomes queryable first.
                    Platform platform = Platform.open(dataDirectory, metadataUrl);
                    PredictionLogIngester.takeInShipped(platform.warehouse(), dataDirectory);
                    return local(Lathe.open(platform, progress));
                });
    }

    static SqlRunner local(Engine engine) {
        requireNonNull(engine, "engine is null");
        return new SqlRunner() {
            @Override
            public void run(String script, ResultPrinter printer) {
                engine.execute(script, printer);
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    /** Sends each statement on its own, so every statement's rows print, as in direct mode. */
    final class Remote implements SqlRunner {
        private final LatheClient client;
        private final Parser parser = new Parser();

        Remote(LatheClient client) {
            this.client = requireNonNull(client, "client is null");
        }

        @Override
        public void run(String script, ResultPrinter printer) {
            for (Statement statement : parser.parseScript(script)) {
                var response = client.query(statement.text());
                try {
                    if (RemoteRows.hasRows(response)) {
                        printer.rows(new RemoteRows(response));
                    } else {
                        printer.message(response.path("message").asText(""));
                    }
                } catch (SQLException e) {
                    throw LatheException.internal("Printing the server's result failed: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public void close() {
            // The HTTP client holds no resources worth closing per command.
        }
    }
}
