package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes into a PrintWriter, so code written against PrintStream prints through picocli's writer. Bytes
 * are decoded on flush; PrintStream flushes after whole characters, so no character is split. Closing
 * flushes but leaves the writer open: it belongs to the command line.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public void write(int b) {
        pending.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        writer.write(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
