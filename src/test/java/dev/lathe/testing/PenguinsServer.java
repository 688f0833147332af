package dev.lathe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.engine.Result;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModule;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server on port 0 over a data directory with the bundled penguins sample loaded as {@code d.penguins},
 * with a SQL session on the same platform and HTTP helpers. Close it after the tests.
 */
public final class PenguinsServer implements AutoCloseable {
    /**
     * Setup SQL for {@link #start}: {@code d.rows}, the complete penguins numbered 1.. in a fixed order as {@code id}
     * (without {@code year}), and {@code d.mass}, a linear model of {@code body_mass_g}.
     */
    public static final String NUMBERED_ROWS_AND_MASS_MODEL = """
            CREATE TABLE d.rows AS
              SELECT row_number() OVER (ORDER BY hash(species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex, year)) AS id,
                * EXCLUDE (year) FROM d.penguins WHERE sex IS NOT NULL AND body_mass_g IS NOT NULL;
            CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
              SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
            """;

    private final Platform platform;
    private final Engine session;
    private final LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private PenguinsServer(Platform platform, Engine session, LatheServer server) {
        this.platform = platform;
        this.session = session;
        this.server = server;
    }

    /** Loads the sample into {@code directory}, runs {@code setupSql} (models, tables), then starts the server with {@code modules}. */
    public static PenguinsServer start(Path directory, String setupSql, ServerModule... modules) throws Exception {
        return start(directory, dev.lathe.metadata.MetadataStore.defaultUrl(directory.resolve("data")), setupSql, modules);
    }

    /** As {@link #start(Path, String, ServerModule...)}, with the registry and endpoints in the metadata store at {@code metadataUrl}. */
    public static PenguinsServer start(Path directory, String metadataUrl, String setupSql, ServerModule... modules) throws Exception {
        Path csv = directory.resolve("penguins.csv");
        try (InputStream in = PenguinsServer.class.getResourceAsStream("/dev/lathe/samples/penguins.csv")) {
            Files.copy(in, csv);
        }
        Platform platform = Platform.open(directory.resolve("data"), metadataUrl);
        Engine session = platform.session(line -> {});
        session.execute("CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + csv + "']);\n" + setupSql,
                (text, result) -> {});
        LatheServer server = serve(platform, ServerConfig.defaults().withPort(0).withMaxRequestBytes(256 * 1024), List.of(modules));
        return new PenguinsServer(platform, session, server);
    }

    /** A quiet server (no access log or start-up lines) on {@code platform} with {@code modules}, started and ready. */
    public static LatheServer serve(Platform platform, ServerConfig config, List<ServerModule> modules) throws InterruptedException {
        LatheServer.Builder builder = LatheServer.builder(platform, config).accessLog(line -> {}).log(line -> {});
        modules.forEach(module -> module.configure(builder));
        LatheServer server = builder.start();
        assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
        return server;
    }

    public Platform platform() {
        return platform;
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer of a request that must succeed. */
    public JsonNode ok(String method, String path, String body, String... headers) throws Exception {
        HttpResponse<String> response = send(method, path, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** The {@code error} object of a Google API error answer with {@code status}. */
    public static JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    /** Runs SQL in the session; the rows of its last query, by column label. */
    public List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        session.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                rows.clear();
                ResultSet set = r.rows();
                ResultSetMetaData meta = set.getMetaData();
                while (set.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), set.getObject(c));
                    }
                    rows.add(row);
                }
            }
        });
        return rows;
    }

    /** Waits (up to 30 s) until the prediction log holds {@code count} rows of {@code endpoint}; it is written off the request path. */
    public void awaitLogged(String endpoint, long count) throws InterruptedException {
        long logged = 0;
        for (int attempt = 0; attempt < 1200 && logged < count; attempt++) {
            Thread.sleep(25);
            if (!rows("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'lathe_logs'").getFirst().get("n").equals(0L)) {
                logged = (Long) rows("SELECT COUNT(*) AS n FROM lathe_logs.request_response_logging WHERE endpoint = '" + endpoint + "'")
                        .getFirst().get("n");
            }
        }
        assertThat(logged).as("logged rows of endpoint %s", endpoint).isEqualTo(count);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            try {
                session.close();
            } finally {
                platform.close();
            }
        }
    }
}
