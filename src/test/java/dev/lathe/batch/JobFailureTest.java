package dev.lathe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.OutOfMemory;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a job's record says when it fails for a fault of Lathe's or of its process rather than of its input or model. */
class JobFailureTest {
    /**
     * Probe ta: a job that ran out of Java heap ended as an unrecorded INTERNAL failure, left RUNNING in the store; it is
     * RESOURCE_EXHAUSTED (8), naming the heap and how to start the process that ran it with more, as a statement's is.
     */
    @Test
    void runningOutOfMemoryIsResourceExhaustedNamingTheProcess() {
        for (Throwable cause : List.of(new OutOfMemoryError("Java heap space"),
                new IllegalStateException("a worker failed", new OutOfMemoryError("Java heap space")))) {
            JobExecution.Failure server = JobExecution.failure(cause, OutOfMemory.Process.SERVER);
            assertThat(server.code()).isEqualTo(8);
            assertThat(server.message()).startsWith("Out of memory: the server's Java heap, at most ")
                    .contains("is full (Java heap space)", "LATHE_JAVA_OPTS='-Xmx", "./lathe server");
            JobExecution.Failure command = JobExecution.failure(cause, OutOfMemory.Process.COMMAND);
            assertThat(command.code()).isEqualTo(8);
            assertThat(command.message()).startsWith("Out of memory: this command's Java heap").contains("./lathe ...");
        }
    }

    @Test
    void anyOtherFaultIsInternal() {
        JobExecution.Failure failure = JobExecution.failure(new SQLException("boom"), OutOfMemory.Process.SERVER);
        assertThat(failure.code()).isEqualTo(13);
        assertThat(failure.message()).isEqualTo("Internal failure: SQLException: boom");
    }
}
