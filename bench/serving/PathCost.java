import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModule;
import dev.lathe.server.ServerModules;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Server-side cost of one request, without a load generator's noise: CPU time and heap bytes allocated by the
 * whole JVM per request, for GET /healthz and for Vertex :predict (one adult instance), over one keep-alive
 * connection from a minimal in-process client (pre-built request bytes, response skipped by Content-Length). The
 * client's own share is the same for both routes, so predict minus healthz is the predict path's own cost.
 *
 *   java -cp target/lathe.jar:target/lib/* bench/serving/PathCost.java ADULT_CSV BODY_JSON [REQUESTS]
 */
public class PathCost {
    public static void main(String[] args) throws Exception {
        Path adult = Path.of(args[0]);
        String body = Files.readString(Path.of(args[1]));
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        Path dir = Files.createTempDirectory("lathe-pathcost");
        try (Platform platform = Platform.open(dir.resolve("data"))) {
            Engine session = platform.session(line -> {});
            session.execute("CREATE SCHEMA bench; LOAD DATA INTO bench.adult_train FROM FILES (format = 'CSV', uris = ['" + adult + "']);"
                    + "CREATE MODEL bench.adult OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['income'],"
                    + " max_iterations = 100, early_stop = FALSE) AS SELECT * FROM bench.adult_train", (text, result) -> {});
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {});
            for (ServerModule module : ServerModules.standard()) {
                module.configure(builder);
            }
            LatheServer server = builder.start();
            try {
            server.awaitReady(60, TimeUnit.SECONDS);
            int port = server.port();
            String base = "http://127.0.0.1:" + port + "/v1/projects/bench/locations/local/endpoints";
            HttpClient http = HttpClient.newHttpClient();
            send(http, base + "?endpointId=adult", "{\"displayName\": \"adult\"}");
            send(http, base + "/adult:deployModel", "{\"deployedModel\": {\"model\": \"bench.adult\"}, \"trafficSplit\": {\"0\": 100}}");
            byte[] healthz = ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            byte[] predict = ("POST /v1/projects/bench/locations/local/endpoints/adult:predict HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setTcpNoDelay(true);
                for (int round = 0; round < 3; round++) {
                    measure("healthz", socket, healthz, requests);
                    measure("predict", socket, predict, requests);
                }
            }
            } finally {
                server.stop();
            }
        }
    }

    private static void send(HttpClient http, String url, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static void measure(String name, Socket socket, byte[] request, int requests) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[65536];
        for (int i = 0; i < requests / 10; i++) {
            exchange(out, in, request, buffer);
        }
        long bytes0 = threads.getTotalThreadAllocatedBytes();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            exchange(out, in, request, buffer);
        }
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long bytes = threads.getTotalThreadAllocatedBytes() - bytes0;
        System.out.printf("%-8s %8.2f us cpu/req  %8.0f bytes/req  %8.2f us wall/req%n", name, cpu / 1e3 / requests, (double) bytes / requests,
                wall / 1e3 / requests);
    }

    /** Writes one request, reads one response (headers, then Content-Length bytes). */
    private static void exchange(OutputStream out, InputStream in, byte[] request, byte[] buffer) throws Exception {
        out.write(request);
        out.flush();
        int filled = 0;
        int headerEnd = -1;
        while (headerEnd < 0) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IllegalStateException("connection closed");
            }
            filled += n;
            headerEnd = indexOf(buffer, filled);
        }
        String headers = new String(buffer, 0, headerEnd + 2, StandardCharsets.US_ASCII);
        if (!headers.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException(headers);
        }
        int at = headers.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim());
        int remaining = headerEnd + 4 + length - filled;
        while (remaining > 0) {
            int n = in.read(buffer, 0, Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IllegalStateException("connection closed");
            }
            remaining -= n;
        }
    }

    private static int indexOf(byte[] buffer, int filled) {
        for (int i = 0; i + 3 < filled; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
