import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate, for latency percentiles that wrk 4.1 (closed loop, no constant-rate mode) cannot
 * give. Each of C keep-alive connections owns every C-th slot of one global schedule (slot i is due at
 * start + i / rate); a request's latency runs from its slot's due time to the end of its response, so a stall
 * delays and counts every request scheduled behind it (no coordinated omission, as in wrk2 and HdrHistogram's
 * corrected recording). All latencies are kept and sorted, so percentiles are exact, not bucketed.
 *
 * <pre>
 * java LoadClient.java URL BODY_FILE|- RATE SECONDS [WARMUP_SECONDS=5] [CONNECTIONS=32]
 * </pre>
 * BODY_FILE is POSTed as application/json; "-" sends GET. Prints one RESULT line and a human summary. The
 * send lag (how late the client itself sent, from its timer and scheduling) is printed too: it is part of the
 * measured latency and bounds what the client adds.
 */
public final class LoadClient {
    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java LoadClient.java URL BODY_FILE|- RATE SECONDS [WARMUP_SECONDS=5] [CONNECTIONS=32]");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        byte[] request = request(uri, args[1].equals("-") ? null : Files.readAllBytes(Path.of(args[1])));
        double rate = Double.parseDouble(args[2]);
        double seconds = Double.parseDouble(args[3]);
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        int connections = args.length > 5 ? Integer.parseInt(args[5]) : 32;

        long period = Math.round(1e9 / rate);
        long total = Math.round((warmup + seconds) * rate);
        long measuredFrom = Math.round(warmup * rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<Worker> workers = new ArrayList<>();
        for (int k = 0; k < connections; k++) {
            Worker worker = new Worker(uri, request, k, connections, start, period, total, measuredFrom);
            workers.add(worker);
            worker.thread.start();
        }
        long latencyCount = 0;
        long errors = 0;
        for (Worker worker : workers) {
            worker.thread.join();
            latencyCount += worker.count;
            errors += worker.errors;
        }
        long[] latencies = new long[(int) latencyCount];
        long[] lags = new long[(int) latencyCount];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, latencies, at, worker.count);
            System.arraycopy(worker.lags, 0, lags, at, worker.count);
            at += worker.count;
        }
        Arrays.sort(latencies);
        Arrays.sort(lags);
        long elapsed = workers.stream().mapToLong(w -> w.lastEnd).max().orElse(start) - (start + measuredFrom * period);
        double achieved = latencyCount / (elapsed / 1e9);
        System.out.printf(Locale.ROOT,
                "RESULT url=%s rate=%.0f achieved=%.0f seconds=%.0f connections=%d requests=%d errors=%d"
                        + " p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f lag_p50_ms=%.3f lag_p99_ms=%.3f%n",
                uri, rate, achieved, seconds, connections, latencyCount, errors, ms(latencies, 0.50), ms(latencies, 0.90),
                ms(latencies, 0.99), ms(latencies, 0.999), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6,
                ms(lags, 0.50), ms(lags, 0.99));
        if (errors > 0) {
            System.exit(1);
        }
    }

    /** Nearest-rank percentile in milliseconds. */
    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static byte[] request(URI uri, byte[] body) {
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String head = body == null
                ? "GET " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n\r\n"
                : "POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + (body == null ? 0 : body.length));
        if (body != null) {
            System.arraycopy(body, 0, all, headBytes.length, body.length);
        }
        return all;
    }

    /** One connection: its share of the schedule, sent in order, one request in flight. */
    private static final class Worker implements Runnable {
        final Thread thread;
        final URI uri;
        final byte[] request;
        final int index;
        final int connections;
        final long start;
        final long period;
        final long total;
        final long measuredFrom;
        final long[] latencies;
        final long[] lags;
        int count;
        long errors;
        long lastEnd;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Worker(URI uri, byte[] request, int index, int connections, long start, long period, long total, long measuredFrom) {
            this.uri = uri;
            this.request = request;
            this.index = index;
            this.connections = connections;
            this.start = start;
            this.period = period;
            this.total = total;
            this.measuredFrom = measuredFrom;
            int slots = (int) (total / connections + 1);
            this.latencies = new long[slots];
            this.lags = new long[slots];
            this.thread = new Thread(this, "load-" + index);
        }

        @Override
        public void run() {
            for (long slot = index; slot < total; slot += connections) {
                long due = start + slot * period;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                boolean ok;
                try {
                    ok = exchange();
                } catch (IOException e) {
                    ok = false;
                    close();
                }
                long end = System.nanoTime();
                if (slot >= measuredFrom) {
                    if (ok) {
                        latencies[count] = end - due;
                        lags[count] = now - due;
                        count++;
                    } else {
                        errors++;
                    }
                    lastEnd = end;
                }
            }
            close();
        }

        private boolean exchange() throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 65536);
            }
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("response without length");
            }
            if (closeAfter) {
                close();
            }
            return code == 200;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do: the next exchange reconnects
                }
                socket = null;
            }
        }
    }
}
