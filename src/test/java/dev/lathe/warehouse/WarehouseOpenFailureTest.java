package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Why the warehouse did not open, in the user's terms (the texts are DuckDB's, as its driver throws them). */
class WarehouseOpenFailureTest {
    private static final Path FILE = Path.of("/data/lab/warehouse.duckdb");

    /** Probe sc: a read-only data directory was exit code 1, "internal", for a problem of the environment. */
    @Test
    void aDataDirectoryThatCannotBeWrittenIsAPreconditionSayingWhatToDo() {
        LatheException readOnly = Warehouse.openFailure(FILE, new SQLException(
                "IO Error: Cannot open file \"/data/lab/warehouse.duckdb\": Read-only file system"));
        assertThat(readOnly.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(readOnly.getMessage()).contains("Read-only file system").endsWith("the data directory must be writable"
                + " (give a writable --data-dir, or make it writable)");
        assertThat(Warehouse.openFailure(FILE, new SQLException("IO Error: Cannot open file \"x\": Permission denied")).code())
                .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    }

    @Test
    void anotherProcesssLockNamesItsPidAndAnythingElseIsInternal() {
        LatheException busy = Warehouse.openFailure(FILE, new SQLException("IO Error: Could not set lock on file \"x\": Conflicting"
                + " lock is held in /usr/bin/java (PID 4242) by user root."));
        assertThat(busy.code()).isEqualTo(ErrorCode.WAREHOUSE_BUSY);
        assertThat(busy.getMessage()).contains("(PID 4242)");
        assertThat(Warehouse.openFailure(FILE, new SQLException("Serialization Error: bad header")).code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
