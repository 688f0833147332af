package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An OutOfMemoryError is RESOURCE_EXHAUSTED naming the heap's limit and the launcher's option that raises it: `lathe sql`
 * printed the JVM's stack trace and exited 1, a server answered 500 "Internal error (OutOfMemoryError)" (probe ta F3).
 */
class OutOfMemoryTest {
    private static final long MB = 1024 * 1024;

    @Test
    void aFullHeapNamesItsLimitAndTheLaunchersOptionForALargerOne() {
        assertThat(OutOfMemory.message("Java heap space", 256 * MB, OutOfMemory.Process.COMMAND)).isEqualTo("Out of memory: this"
                + " command's Java heap, at most 256 MB, is full (Java heap space). Run it with more: LATHE_JAVA_OPTS='-Xmx512m'"
                + " ./lathe ... (LATHE_JAVA_OPTS replaces the launcher's default -Xmx8g), or give the statement less data");
        assertThat(OutOfMemory.message("Java heap space", 8192 * MB, OutOfMemory.Process.SERVER)).isEqualTo("Out of memory: the"
                + " server's Java heap, at most 8 GB, is full (Java heap space); the server goes on answering. Start it with more:"
                + " LATHE_JAVA_OPTS='-Xmx16g' ./lathe server ... (LATHE_JAVA_OPTS replaces the launcher's default -Xmx8g), or give"
                + " the statement less data");
        // a limit a little under -Xmx (the parallel collector's) still suggests the next power of two up
        assertThat(OutOfMemory.message("GC overhead limit exceeded", 245 * MB, OutOfMemory.Process.COMMAND))
                .contains("at most 245 MB", "LATHE_JAVA_OPTS='-Xmx512m'");
        assertThat(OutOfMemory.message("Java heap space", 3072 * MB, OutOfMemory.Process.COMMAND)).contains("at most 3 GB", "-Xmx8g'");
    }

    @Test
    void directBuffersThreadsAndMetaspaceNameTheirOwnLimits() {
        assertThat(OutOfMemory.message("Cannot reserve 1048576 bytes of direct buffer memory", 256 * MB, OutOfMemory.Process.COMMAND))
                .contains("direct buffers", "LATHE_JAVA_OPTS='-Xmx256m -XX:MaxDirectMemorySize=512m'");
        assertThat(OutOfMemory.message("unable to create native thread: possibly out of memory or process/resource limits reached",
                256 * MB, OutOfMemory.Process.SERVER)).contains("refused the server a new thread", "ulimit -u");
        assertThat(OutOfMemory.message("Metaspace", 256 * MB, OutOfMemory.Process.COMMAND)).contains("-XX:MaxMetaspaceSize=1g");
    }

    @Test
    void itIsFoundBehindTheExceptionsThatWrapIt() {
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        assertThat(OutOfMemory.in(new RuntimeException(new IllegalStateException(error)))).containsSame(error);
        assertThat(OutOfMemory.in(new RuntimeException("no"))).isEmpty();
        LatheException exhausted = OutOfMemory.exhausted(error, OutOfMemory.Process.COMMAND);
        assertThat(exhausted.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(exhausted.category().exitCode()).isEqualTo(5);
        assertThat(exhausted.getCause()).isSameAs(error);
    }
}
