package dev.lathe.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Probe qe: a currentSchema that does not exist failed as an internal error about a missing schema_migrations relation. */
class PostgresqlMissingSchemaTest {
    @Test
    void aSchemaThatDoesNotExistIsNamedAsSuch() {
        String other = dev.lathe.testing.PostgresSchemas.create(); // another store's tables, which were found instead
        try {
            try (MetadataStore store = MetadataStore.open(other)) {
                assertThat(store).isNotNull();
            }
            String server = dev.lathe.testing.PostgresSchemas.postgresServer();
            String missing = "lathe_test_missing_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            LatheException e = catchThrowableOfType(LatheException.class,
                    () -> MetadataStore.open(server + (server.contains("?") ? "&" : "?") + "currentSchema=" + missing).close());
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains("has no schema of its search path", missing, "CREATE SCHEMA");
        } finally {
            dev.lathe.testing.PostgresSchemas.drop(other);
        }
    }
}
