package dev.lathe.evaluate;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Evaluated rows as they are scored, appended a batch at a time: on the heap up to {@code heapBytes}, then all of them in
 * a file of {@code directory} (deleted on {@link #close}), read back in order as often as the metrics ask. A row takes
 * {@code 8 * (1 + width)} bytes wherever it is; ML.EVALUATE kept every row on the heap in arrays that doubled as they grew,
 * about three times that at the peak, and 10M rows failed at -Xmx256m where ML.PREDICT over them ran (probe ta F4).
 */
public final class EvaluationBuffer implements ScoredRows {
    /** The bytes of rows written or read at a time. */
    private static final int IO_BYTES = 1 << 20;

    private final int width;
    private final long heapBytes;
    private final Supplier<Path> directory;
    private final List<double[]> labelChunks = new ArrayList<>();
    private final List<double[]> predictionChunks = new ArrayList<>();
    private long count;
    private Path file;
    private FileChannel channel;
    private ByteBuffer io;

    /**
     * @param heapBytes how many bytes of rows stay on the heap; past them every row goes to a file
     * @param directory where that file goes, asked the first time one is needed
     */
    public EvaluationBuffer(int width, long heapBytes, Supplier<Path> directory) {
        if (width < 1) {
            throw new IllegalArgumentException("width is " + width);
        }
        this.width = width;
        this.heapBytes = heapBytes;
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** The share of the heap an evaluation keeps rows in before it writes them to a file: an eighth of the maximum heap. */
    public static long defaultHeapBytes() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    private int rowBytes() {
        return 8 * (1 + width);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public long count() {
        return count;
    }

    /** Whether the rows went to a file. */
    public boolean spilled() {
        return channel != null;
    }

    /** Appends {@code rows} rows: their labels and their predictions, {@link #width} a row, row-major. */
    public void append(double[] labels, double[] predictions, int rows) {
        if (labels.length < rows || predictions.length < (long) rows * width) {
            throw new IllegalArgumentException(rows + " rows of width " + width + " from " + labels.length + " labels and "
                    + predictions.length + " predictions");
        }
        if (rows == 0) {
            return;
        }
        if (channel == null && (count + rows) * rowBytes() > heapBytes) {
            spill();
        }
        if (channel == null) {
            labelChunks.add(java.util.Arrays.copyOf(labels, rows));
            predictionChunks.add(java.util.Arrays.copyOf(predictions, rows * width));
        } else {
            write(labels, predictions, rows);
        }
        count += rows;
    }

    /** Moves the rows held on the heap to a new file, which takes every later row too. */
    private void spill() {
        Path folder = directory.get();
        try {
            Files.createDirectories(folder);
            file = Files.createTempFile(folder, "lathe-evaluation-", ".rows");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            close();
            throw failure(folder, e);
        }
        io = ByteBuffer.allocateDirect(Math.max(IO_BYTES / rowBytes(), 1) * rowBytes()).order(ByteOrder.nativeOrder());
        for (int chunk = 0; chunk < labelChunks.size(); chunk++) {
            write(labelChunks.get(chunk), predictionChunks.get(chunk), labelChunks.get(chunk).length);
        }
        labelChunks.clear();
        predictionChunks.clear();
    }

    private void write(double[] labels, double[] predictions, int rows) {
        DoubleBuffer values = io.clear().asDoubleBuffer();
        try {
            for (int row = 0; row < rows; row++) {
                if (values.remaining() < 1 + width) {
                    flush(values.position());
                    values = io.clear().asDoubleBuffer();
                }
                values.put(labels[row]).put(predictions, row * width, width);
            }
            flush(values.position());
        } catch (IOException e) {
            throw failure(file.getParent(), e);
        }
    }

    private void flush(int doubles) throws IOException {
        io.position(0).limit(doubles * 8);
        while (io.hasRemaining()) {
            channel.write(io);
        }
    }

    @Override
    public void forEachChunk(Chunk chunk) {
        if (channel == null) {
            long first = 0;
            for (int i = 0; i < labelChunks.size(); i++) {
                chunk.accept(first, labelChunks.get(i), predictionChunks.get(i), labelChunks.get(i).length);
                first += labelChunks.get(i).length;
            }
            return;
        }
        int capacity = io.capacity() / rowBytes();
        double[] labels = new double[capacity];
        double[] predictions = new double[capacity * width];
        long position = 0;
        long first = 0;
        try {
            while (first < count) {
                int rows = (int) Math.min(capacity, count - first);
                io.clear().limit(rows * rowBytes());
                while (io.hasRemaining()) {
                    if (channel.read(io, position + io.position()) < 0) {
                        throw new IOException("the file ended at row " + first + " of " + count);
                    }
                }
                DoubleBuffer values = io.flip().asDoubleBuffer();
                for (int row = 0; row < rows; row++) {
                    labels[row] = values.get();
                    values.get(predictions, row * width, width);
                }
                chunk.accept(first, labels, predictions, rows);
                position += (long) rows * rowBytes();
                first += rows;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the evaluated rows back from " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** A failed write to {@code folder}, as the user reads it: a full disk is RESOURCE_EXHAUSTED naming the folder and what to do. */
    private LatheException failure(Path folder, IOException e) {
        boolean full = dev.lathe.core.DiskFull.is(e.getMessage());
        String held = String.format(java.util.Locale.ROOT, "%,d", heapBytes >> 20);
        return new LatheException(full ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.INTERNAL, "The evaluated rows past the " + held
                + " MB kept on the heap could not be written to " + folder + ": " + e.getMessage() + (full ? "; the disk holding " + folder
                        + " is full: free space on it (each evaluated row takes " + rowBytes() + " bytes) and run the statement again" : ""), e);
    }

    @Override
    public void close() {
        labelChunks.clear();
        predictionChunks.clear();
        if (channel != null) {
            try {
                channel.close(); // DELETE_ON_CLOSE removes the file
            } catch (IOException ignored) {
                // nothing was being written
            }
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the channel's close removed it, or it never held rows
            }
        }
    }
}
