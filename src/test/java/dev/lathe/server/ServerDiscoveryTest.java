package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerDiscoveryTest {
    private static final ServerInfo INFO = new ServerInfo(4242, "0.0.0.0", 8080, "2026-12-06T07:00:00Z", "0.1.0 \"dev\"");

    @Test
    void theFileHoldsWhatJacksonsDatabindWritesAndReadsBack(@TempDir Path dataDirectory) throws Exception {
        ServerDiscovery.write(dataDirectory, INFO);
        byte[] written = Files.readAllBytes(ServerDiscovery.file(dataDirectory));
        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(INFO));
        assertThat(ServerDiscovery.read(dataDirectory)).contains(INFO);
        assertThat(new ObjectMapper().readValue(written, ServerInfo.class)).isEqualTo(INFO);

        // this build's server records its HTTP API and metadata schema versions; a file without them is an older build's
        ServerInfo current = new ServerInfo(4242, "0.0.0.0", 8080, "2026-12-06T07:00:00Z", "0.1.0", "/data", 1, 8);
        ServerDiscovery.write(dataDirectory, current);
        assertThat(Files.readString(ServerDiscovery.file(dataDirectory))).contains("\"apiVersion\" : 1", "\"metadataSchema\" : 8");
        assertThat(ServerDiscovery.read(dataDirectory)).contains(current);
        assertThat(INFO.apiVersion()).isZero();
    }

    @Test
    void fieldsAreReadInAnyOrderAndUnknownOnesSkipped(@TempDir Path dataDirectory) throws Exception {
        Files.writeString(ServerDiscovery.file(dataDirectory), """
                {"version": "0.1.0 \\"dev\\"", "extra": {"nested": [1, {"x": null}]}, "port": 8080, "startedAt": "2026-12-06T07:00:00Z",
                 "host": "0.0.0.0", "pid": 4242, "later": true}
                """);
        assertThat(ServerDiscovery.read(dataDirectory)).contains(INFO);
    }

    @Test
    void anAbsentHalfWrittenOrForeignFileIsIgnored(@TempDir Path dataDirectory) throws Exception {
        assertThat(ServerDiscovery.read(dataDirectory)).isEmpty();
        Path file = ServerDiscovery.file(dataDirectory);
        for (String content : new String[] {"", "{\"pid\": 1, \"host\": \"h\"", "[1, 2]", "{\"pid\": 1, \"port\": 80}",
                "{\"pid\": 1, \"host\": \"h\", \"port\": 0, \"startedAt\": \"t\", \"version\": \"v\"}", "not json"}) {
            Files.writeString(file, content);
            assertThat(ServerDiscovery.read(dataDirectory)).as(content).isEmpty();
        }
    }
}
