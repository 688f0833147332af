package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.lathe.core.LatheException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of a {@code POST /v1/queries} result past its first page, kept in a file until they are read with the
 * response's pageToken ({@code GET /v1/queries/{jobId}?pageToken=...}, BigQuery's jobs.getQueryResults): one JSON row
 * ({@code {"f":[...]}}, as in the response) a line, beside a small file with the schema and the row count. A page is
 * {@code maxResults} rows, at most {@link #PAGE_BYTES} of JSON, as BigQuery's pages are. The files go once their last
 * page was read, else after {@link #KEEP}.
 */
final class QueryResults {
    /** BigQuery's most bytes of rows in one jobs.query or jobs.getQueryResults page. */
    static final long PAGE_BYTES = 10L * 1024 * 1024;
    static final Duration KEEP = Duration.ofHours(1);
    private static final Pattern JOB_ID = Pattern.compile("lathe_[0-9a-f]{32}");
    private static final Pattern TOKEN = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

    private final Path directory;

    QueryResults(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /**
     * A new spill for rows from {@code firstRow} (0-based) on, their TIMESTAMP values in microseconds when
     * {@code int64Timestamps}; old spills past {@link #KEEP} go first.
     */
    Spill spill(long firstRow, boolean int64Timestamps) throws IOException {
        return spill(newJobId(), firstRow, int64Timestamps);
    }

    /** As {@link #spill(long, boolean)}, under the id of the query job whose rows they are. */
    Spill spill(String jobId, long firstRow, boolean int64Timestamps) throws IOException {
        removeExpired();
        Files.createDirectories(directory);
        return new Spill(jobId, firstRow, int64Timestamps);
    }

    /** A new query job's id, which its rows past the first page are kept under. */
    static String newJobId() {
        return "lathe_" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Keeps the answer of a query job whose request answered {@code jobComplete: false} (its first page, its pages' token,
     * its statements), for jobs.getQueryResults; it goes after {@link #KEEP}, as spilled rows do.
     */
    void keep(String jobId, byte[] answer) throws IOException {
        removeExpired();
        Files.createDirectories(directory);
        Path kept = directory.resolve(jobId + ".answer.json");
        Path written = directory.resolve(jobId + ".answer.json.tmp");
        Files.write(written, answer);
        Files.move(written, kept, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The answer {@link #keep} kept for {@code jobId}; empty once it has expired. */
    java.util.Optional<byte[]> kept(String jobId) {
        try {
            return java.util.Optional.of(Files.readAllBytes(directory.resolve(jobId + ".answer.json")));
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw LatheException.internal("Reading the answer of " + jobId + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether rows past a first page are kept under {@code jobId}. */
    boolean hasRows(String jobId) {
        return JOB_ID.matcher(jobId).matches() && Files.isRegularFile(directory.resolve(jobId + ".meta.json"));
    }

    /** Removes the answer {@link #keep} kept for {@code jobId}, and its rows: the job was forgotten. */
    void forget(String jobId) {
        try {
            Files.deleteIfExists(directory.resolve(jobId + ".answer.json"));
        } catch (IOException e) {
            // removed later, when it has expired
        }
        delete(jobId);
    }

    /**
     * A jobs.getQueryResults response: the page at {@code pageToken}, up to {@code maxResults} rows. The rows were
     * written as the query's formatOptions asked; {@code int64Timestamps}, the page request's
     * formatOptions.useInt64Timestamp where given, must ask for the same.
     */
    byte[] page(String jobId, String pageToken, long maxResults, java.util.Optional<Boolean> int64Timestamps) {
        if (!JOB_ID.matcher(jobId).matches()) {
            throw ApiException.notFound("Query results " + jobId + " not found: a job id is the jobReference.jobId of a /v1/queries response");
        }
        Matcher token = TOKEN.matcher(pageToken);
        if (!token.matches()) {
            throw ApiException.badField("pageToken", "must be the pageToken of a /v1/queries or /v1/queries/{jobId} response, got '"
                    + pageToken + "'");
        }
        Path rows = directory.resolve(jobId + ".rows.jsonl");
        Path meta = directory.resolve(jobId + ".meta.json");
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(rows)) {
            throw ApiException.notFound("Query results " + jobId + " not found: they are kept until their last page is read, for at most "
                    + KEEP.toMinutes() + " minutes; run the query again");
        }
        long row = Long.parseLong(token.group(1));
        long offset = Long.parseLong(token.group(2));
        try {
            com.fasterxml.jackson.databind.JsonNode info = Json.MAPPER.readTree(meta.toFile());
            long total = info.path("totalRows").asLong();
            boolean written = info.path("int64Timestamps").asBoolean(false);
            if (int64Timestamps.isPresent() && int64Timestamps.get() != written) {
                throw ApiException.badField("formatOptions.useInt64Timestamp", "the rows of " + jobId + " hold TIMESTAMP values as "
                        + (written ? "microseconds (useInt64Timestamp: true)" : "seconds (useInt64Timestamp: false)")
                        + ", as the query asked; give " + written + " or omit it");
            }
            if (row > total || offset > Files.size(rows)) {
                throw ApiException.badField("pageToken", "points past the end of the results of " + jobId + ", got '" + pageToken + "'");
            }
            ByteArrayBuilder buffer = new ByteArrayBuilder(64 * 1024);
            long next;
            long taken = 0;
            try (JsonGenerator json = Json.MAPPER.createGenerator(buffer);
                    FileChannel channel = FileChannel.open(rows, StandardOpenOption.READ)) {
                channel.position(offset);
                InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
                json.writeStartObject();
                json.writeStringField("kind", "bigquery#getQueryResultsResponse");
                json.writeObjectFieldStart("jobReference");
                json.writeStringField("jobId", jobId);
                json.writeEndObject();
                json.writeFieldName("schema");
                json.writeTree(info.path("schema"));
                json.writeArrayFieldStart("rows");
                long bytes = 0;
                next = offset;
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (taken < maxResults && bytes < PAGE_BYTES && readLine(in, line)) {
                    json.writeRawValue(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                    bytes += line.size();
                    next += line.size() + 1;
                    taken++;
                }
                json.writeEndArray();
                json.writeStringField("totalRows", Long.toString(total));
                boolean more = row + taken < total;
                if (more) {
                    json.writeStringField("pageToken", token(row + taken, next));
                }
                json.writeBooleanField("jobComplete", true);
                json.writeEndObject();
                json.flush();
                if (!more) {
                    delete(jobId);
                }
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw LatheException.internal("Reading the results of " + jobId + " failed: " + e.getMessage(), e);
        }
    }

    /** Reads the bytes up to the next '\n' (not kept) into {@code line}; false at the end of the file. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return true;
            }
            line.write(b);
        }
        return line.size() > 0;
    }

    static String token(long row, long offset) {
        return row + "-" + offset;
    }

    private void delete(String jobId) {
        try {
            Files.deleteIfExists(directory.resolve(jobId + ".rows.jsonl"));
            Files.deleteIfExists(directory.resolve(jobId + ".meta.json"));
        } catch (IOException e) {
            // removed later, when it has expired
        }
    }

    /** Removes spills older than {@link #KEEP}: results nobody read to the end. */
    void removeExpired() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Instant oldest = Instant.now().minus(KEEP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "lathe_*")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // a later request tries again
        }
    }

    /** Rows being written past a first page; {@link #finish} makes them readable, {@link #delete} drops them. */
    final class Spill {
        private final String jobId;
        private final long firstRow;
        private final boolean int64Timestamps;
        private final OutputStream out;
        private final JsonGenerator generator;

        private Spill(String jobId, long firstRow, boolean int64Timestamps) throws IOException {
            this.jobId = jobId;
            this.firstRow = firstRow;
            this.int64Timestamps = int64Timestamps;
            this.out = new BufferedOutputStream(Files.newOutputStream(directory.resolve(jobId + ".rows.jsonl")), 256 * 1024);
            this.generator = Json.MAPPER.createGenerator(out);
            generator.setRootValueSeparator(null);
        }

        String jobId() {
            return jobId;
        }

        JsonGenerator generator() {
            return generator;
        }

        /** Ends the row just written with its line break. */
        void rowWritten() throws IOException {
            generator.writeRaw('\n');
        }

        /** The first page's pageToken: this spill's first row, at its start. */
        String firstToken() {
            return token(firstRow, 0);
        }

        void finish(BigQueryTypes.Field[] fields, long totalRows) throws IOException {
            generator.close();
            out.close();
            try (JsonGenerator meta = Json.MAPPER.createGenerator(Files.newOutputStream(directory.resolve(jobId + ".meta.json")))) {
                meta.writeStartObject();
                QueryService.writeSchema(meta, List.of(fields));
                meta.writeStringField("totalRows", Long.toString(totalRows));
                meta.writeBooleanField("int64Timestamps", int64Timestamps);
                meta.writeEndObject();
            }
        }

        void delete() {
            try {
                generator.close();
                out.close();
            } catch (IOException e) {
                // deleted below all the same
            }
            QueryResults.this.delete(jobId);
        }
    }
}
