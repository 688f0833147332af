package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.registry.ModelStore;
import dev.lathe.testing.PostgresSchemas;
import dev.lathe.testing.TcpProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL metadata store whose server dropped the pooled connections (a restart, a failover,
 * {@code pg_terminate_backend}): a CREATE OR REPLACE MODEL committed its new version, then answered 503 because the read
 * after its commit (the model's DEFAULT following the registry) met a dropped connection.
 */
class PostgresqlDroppedConnectionTest {
    private static final String PENGUINS = Path.of("src/test/resources/datasets/penguins.csv").toAbsolutePath().toString();
    private static final String TRAIN = " MODEL d.weight OPTIONS(model_type = 'LINEAR_REG', input_label_cols = ['body_mass_g']) AS"
            + " SELECT bill_length_mm, flipper_length_mm, sex, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
    /** The register transaction's last statement (it moves the default alias); the COMMIT follows it. */
    private static final String LAST_BEFORE_COMMIT = "INSERT INTO model_aliases";

    @TempDir
    Path directory;

    /** The read runs again on a new connection. */
    @Test
    void aCreateOrReplaceModelWhoseReadAfterItsCommitMeetsADroppedConnectionSucceeds() throws Exception {
        List<String> logged = createOrReplace(false);
        assertThat(logged).as("the read after the commit ran again on a new connection")
                .anySatisfy(line -> assertThat(line).contains("was found dropped"));
    }

    /** The server down once the commit was answered: the statement succeeds, and the next open sets DEFAULT. */
    @Test
    void aCreateOrReplaceModelWhoseStoreGoesDownAfterItsCommitSucceeds() throws Exception {
        List<String> logged = createOrReplace(true);
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("its DEFAULT file could not be updated")
                .contains("a new connection failed too"));
    }

    /**
     * Trains d.weight, then replaces it, the connection of the replacing statement's commit closed once the COMMIT is
     * answered (and the server turning connections away from then on, with {@code thenDown}); checks that the statement
     * answered success and the registry and DEFAULT have version 2, and returns what the store and registry logged.
     */
    private List<String> createOrReplace(boolean thenDown) throws Exception {
        String url = PostgresSchemas.create();
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        List<Logger> logs = List.of(Logger.getLogger(dev.lathe.metadata.MetadataStore.class.getName()),
                Logger.getLogger(dev.lathe.registry.Registry.class.getName()));
        logs.forEach(log -> log.addHandler(handler));
        try (TcpProxy proxy = TcpProxy.toServerOf(url)) {
            String proxied = proxy.through(url);
            try (Platform platform = PostgresSchemas.withUncheckedPool(() -> Platform.open(directory.resolve("data"), proxied));
                    Engine session = platform.session(line -> {})) {
                session.execute("CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + PENGUINS + "']);"
                        + " CREATE" + TRAIN, (statement, result) -> {});
                if (thenDown) {
                    proxy.cutAfterAnsweringTheMessageAfter(LAST_BEFORE_COMMIT);
                } else {
                    proxy.closeAfterAnsweringTheMessageAfter(LAST_BEFORE_COMMIT);
                }
                List<String> messages = new ArrayList<>();
                session.execute("CREATE OR REPLACE" + TRAIN, (statement, result) -> {
                    if (result instanceof Result.Message message) {
                        messages.add(message.text());
                    }
                });
                assertThat(proxy.armed()).as("the connection was closed after the commit").isFalse();
                assertThat(messages).singleElement().asString().startsWith("Created model d.weight (version 2)");
                proxy.restore();
                assertThat(platform.registry().getModel("d", "weight").orElseThrow().defaultVersion()).isEqualTo(2);
                assertThat(ModelStore.open(directory.resolve("data")).defaultVersion("d", "weight")).hasValue(2);
            }
            return logged;
        } finally {
            logs.forEach(log -> log.removeHandler(handler));
            PostgresSchemas.drop(url);
        }
    }
}
