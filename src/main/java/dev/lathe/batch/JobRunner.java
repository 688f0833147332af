package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.engine.Platform;
import dev.lathe.registry.ModelReference;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Accepts batch prediction jobs and runs them, at most {@code threads} at a time, each on its own warehouse
 * connection. State lives in the {@link JobStore}, so any process reading the metadata store sees progress, and
 * a cancel request recorded there stops the job at its next batch.
 */
public final class JobRunner implements AutoCloseable {
    private final Platform platform;
    private final JobStore store;
    private final ExecutorService executor;
    /** Set by {@link #close()}: jobs queued in the executor stay QUEUED in the store, for the next start to run. */
    private volatile boolean closing;
    /** Which process runs the jobs, for what a job that ran out of memory says to do (start the server or command with more). */
    private final dev.lathe.core.OutOfMemory.Process process;

    /** A command's runner: a job that runs out of memory says to run the command with more. */
    public JobRunner(Platform platform, int threads) {
        this(platform, threads, dev.lathe.core.OutOfMemory.Process.COMMAND);
    }

    public JobRunner(Platform platform, int threads, dev.lathe.core.OutOfMemory.Process process) {
        this.platform = requireNonNull(platform, "platform is null");
        this.process = requireNonNull(process, "process is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.store = new JobStore(platform.metadataStore());
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            // Daemon: a job interrupted by the process ending is marked failed by the next start's recover().
            Thread thread = new Thread(runnable, "lathe-batch-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newFixedThreadPool(threads, factory);
    }

    public JobStore store() {
        return store;
    }

    /**
     * Marks jobs a previous process left RUNNING as FAILED (their output was never committed) and CANCELLING ones
     * as CANCELLED; with {@code requeue}, runs the jobs still QUEUED. Call once, before submitting.
     */
    public void recover(boolean requeue) {
        // A job cut off while writing files left its hidden staging directory; it never runs again, so it goes now.
        for (JobState cut : List.of(JobState.RUNNING, JobState.CANCELLING)) {
            for (BatchPredictionJob job : store.inState(cut)) {
                if (job.spec().output() instanceof JobOutput.Files files) {
                    JobExecution.deleteStaging(files, job.id());
                }
                // cut off after committing its output, before recording its end: it succeeded (its outcome was recorded
                // before the commit); one cut off before the commit has no output and fails below as interrupted
                if (job.outputLocation().isPresent() && committed(job)) {
                    store.completeCommitted(job.id());
                }
            }
        }
        for (BatchPredictionJob job : store.recover()) {
            if (requeue) {
                schedule(job.id());
            }
        }
    }

    private boolean committed(BatchPredictionJob job) {
        try (java.sql.Connection connection = platform.warehouse().connect()) {
            return JobExecution.outputExists(connection, job.spec().output());
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Records and queues a job, resolving its model to a version now (so a later alias move does not change
     * it). A model that does not resolve gives a job that is FAILED at once with the reason.
     */
    public BatchPredictionJob submit(JobSpec spec) {
        requireNonNull(spec, "spec is null");
        JobSpec resolved = spec;
        Optional<LatheException> failure = Optional.empty();
        try {
            ModelReference model = ModelReference.parse(spec.model());
            resolved = spec.withModelVersion(platform.registry().resolve(model.dataset(), model.name(), model.versionOrAlias()));
        } catch (LatheException e) {
            failure = Optional.of(e);
        }
        BatchPredictionJob job = store.create(resolved, failure);
        if (failure.isEmpty()) {
            schedule(job.id());
        }
        return job;
    }

    /** Asks a job to stop; one that ended in this process, its end unrecorded, has nothing to stop and is answered as it ended. */
    public BatchPredictionJob cancel(long id) {
        if (unrecorded.containsKey(id)) { // probe pu3: a cancel made it CANCELLING, and the next start CANCELLED, its failure lost
            return current(store.require(id));
        }
        return store.cancel(id);
    }

    /**
     * Waits until the job is finished, telling {@code onUpdate} each time its state or progress changed (polled
     * every {@code poll}); answers the finished job, or the job as it is when {@code timeout} passed.
     */
    public BatchPredictionJob await(long id, Duration timeout, Duration poll, Consumer<BatchPredictionJob> onUpdate) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BatchPredictionJob last = null;
        while (true) {
            BatchPredictionJob job = store.require(id);
            job = current(job);
            if (last == null || job.state() != last.state() || job.rowsProcessed() != last.rowsProcessed()) {
                onUpdate.accept(job);
            }
            last = job;
            if (job.state().terminal() || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private void schedule(long id) {
        JobExecution execution = new JobExecution(platform, store, id, process);
        executor.execute(() -> {
            if (closing) {
                return;
            }
            try {
                execution.run();
            } catch (RuntimeException | Error e) {
                // The job's end could not be recorded (a full disk failed SQLite's commit: probe pu). The worker lived on
                // for the next job; the job stays RUNNING in the store until the next start, so awaiting it here answers
                // this failure rather than waiting forever on a job nothing runs.
                String message = (execution.committed() ? "The job's output is committed, but recording its end in the metadata store"
                        + " failed (the next start of Lathe records it as succeeded): " : "") + e.getMessage() + diskHint();
                unrecorded.put(id, new Unrecorded(execution.committed(), message));
                LOG.severe("Batch prediction job " + id + ": " + message);
            }
        });
    }

    /**
     * The job as this process knows it: as stored, unless it ended here and the store refused its end (then as it
     * ended, with why); for a server's GET, as {@link #await} answers it.
     */
    public BatchPredictionJob current(BatchPredictionJob job) {
        Unrecorded lost = unrecorded.get(job.id());
        return lost == null || job.state().terminal() ? job : job.endedUnrecorded(lost.committed() ? JobState.SUCCEEDED : JobState.FAILED,
                lost.message());
    }

    /** Jobs of this process whose end could not be recorded, with why. */
    private final java.util.Map<Long, Unrecorded> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();

    private record Unrecorded(boolean committed, String message) {}
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(JobRunner.class.getName());

    /** " (the disk holding ... is full)" where the data directory's disk has almost no space left, else "". */
    private String diskHint() {
        try {
            java.nio.file.FileStore disk = java.nio.file.Files.getFileStore(platform.dataDirectory());
            return disk.getUsableSpace() < 1 << 20 ? " (the disk holding " + platform.dataDirectory() + " is full: "
                    + disk.getUsableSpace() / 1024 + " KB free)" : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Stops taking jobs and asks the running ones to stop (they end CANCELLED, their output never written); waits up to 30
     * s for them. Queued jobs stay QUEUED in the store: the next start runs them. A server's stop and the CLI's in-process
     * run (also on SIGTERM or Ctrl-C) call it, so no job is left RUNNING with nothing running it.
     */
    @Override
    public void close() {
        closing = true;
        executor.shutdown();
        for (BatchPredictionJob job : store.inState(JobState.RUNNING)) {
            if (!unrecorded.containsKey(job.id())) { // one that ended here, its end unrecorded, was not cancelled (probe pu2)
                store.cancel(job.id());
            }
        }
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
