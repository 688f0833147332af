package dev.lathe.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Standard output that a long result stops writing to when it can no longer be written: a closed pipe ({@code lathe sql
 * ... | head}) or a full disk. Java's print streams swallow the write's IOException, so a query went on to its last row
 * and the command exited 0 after losing its output. {@link #install()} puts a stream in {@code System.out} that keeps
 * the failure's message; the formatters call {@link #check(PrintWriter)} every {@link #CHECK_ROWS} rows and after each
 * result.
 */
final class StandardOutput {
    /** How often (in rows) a result checks its output: a check flushes, so not every row. */
    static final int CHECK_ROWS = 1024;

    private static volatile String failure;

    private StandardOutput() {}

    /** Replaces {@code System.out} by the same stream (descriptor 1, its charset, flushed as before) that keeps its failure. */
    static void install() {
        FileOutputStream descriptor = new FileOutputStream(FileDescriptor.out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    super.write(bytes, offset, length);
                } catch (IOException e) {
                    failure = String.valueOf(e.getMessage());
                    throw e;
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
        System.setOut(new PrintStream(new BufferedOutputStream(descriptor, 8192), true, System.out.charset()));
    }

    /** Flushes {@code out}; throws {@link Failed} when it, or standard output beneath it, could not be written. */
    static void check(PrintWriter out) {
        if (out.checkError() || System.out.checkError()) {
            throw new Failed(failure);
        }
    }

    /**
     * The output could not be written (RESOURCE_EXHAUSTED: a full disk, most often); {@code brokenPipe} when its reader went
     * away. A LatheException, so the engine passes it on as it is rather than as a failure of its own.
     */
    static final class Failed extends dev.lathe.core.LatheException {
        private final boolean brokenPipe;

        Failed(String cause) {
            super(dev.lathe.core.ErrorCode.RESOURCE_EXHAUSTED, "The output could not be written" + (cause == null ? "" : ": " + cause)
                    + "; stopped");
            this.brokenPipe = cause != null && cause.toLowerCase(java.util.Locale.ROOT).contains("broken pipe");
        }

        boolean brokenPipe() {
            return brokenPipe;
        }
    }
}
