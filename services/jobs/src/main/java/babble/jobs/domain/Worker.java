package babble.jobs.domain;

import babble.jobs.events.JobEvents;
import babble.jobs.queue.JobQueue;
import babble.jobs.store.JobFiles;
import babble.jobs.store.JobStatus;
import babble.jobs.store.JobStore;
import babble.jobs.store.StoredJob;
import babble.platform.db.Database;
import babble.platform.json.Json;
import babble.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one jobs process: take an entry from the shared queue, claim the job in the database (bumping
 * its epoch), run it while a heartbeat keeps both leases, then record the outcome: succeeded; back to the queue
 * after a backoff; failed after the last attempt; cancelled. A worker that dies mid-run just stops touching its
 * lease; after it runs out, another worker's claim succeeds and the run resumes from the last checkpoint.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final int MAX_ERROR = 500;

    private final Database db;
    private final JobStore store;
    private final JobQueue queue;
    private final JobEvents events;
    private final JobFiles files;
    private final Map<String, JobKind> kinds;
    private final JobSettings settings;
    private final Clock clock;
    private final Runnable onFinished;
    private final Semaphore slots;
    private final AtomicInteger running = new AtomicInteger();
    private final MeterRegistry meters;
    private volatile boolean stopping;
    private Thread taker;

    public Worker(Database db, JobStore store, JobQueue queue, JobEvents events, JobFiles files,
                  Map<String, JobKind> kinds, JobSettings settings, Clock clock, MeterRegistry meters,
                  Runnable onFinished) {
        this.db = db;
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.files = files;
        this.kinds = kinds;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.onFinished = onFinished;
        this.slots = new Semaphore(settings.workers());
        Gauge.builder("babble_jobs_running", running, AtomicInteger::get)
                .description("jobs this process is running now").register(meters);
    }

    public void start(String name) {
        taker = Thread.ofVirtual().name(name + "-jobs-taker").start(this::takeLoop);
    }

    /** Jobs this process runs now. */
    public int running() {
        return running.get();
    }

    private void takeLoop() {
        while (!stopping) {
            try {
                slots.acquire();
                Optional<JobQueue.Delivery> delivery;
                try {
                    delivery = queue.take(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    slots.release();
                    if (!stopping) {
                        log.warn("the job queue failed ({}); trying again in 1 s", e.toString());
                        Thread.sleep(1_000);
                    }
                    continue;
                }
                if (delivery.isEmpty()) {
                    slots.release();
                    continue;
                }
                JobQueue.Delivery d = delivery.get();
                Thread.ofVirtual().name("job-" + d.jobId()).start(() -> {
                    try {
                        handle(d);
                    } catch (RuntimeException e) {
                        // The entry stays leased to us and comes back after the lease; the sweep covers the rest.
                        log.warn("job {}: {}", d.jobId(), e.toString());
                    } finally {
                        slots.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void handle(JobQueue.Delivery delivery) {
        Instant now = clock.instant();
        Optional<StoredJob> claimed = db.inTransaction(tx -> {
            var job = store.claim(tx, delivery.jobId(), now, now.plus(settings.lease()));
            job.ifPresent(j -> events.updated(tx, j));
            return job;
        });
        if (claimed.isEmpty()) {
            settleUnclaimed(delivery, now);
            return;
        }
        StoredJob job = claimed.get();
        JobKind kind = kinds.get(job.kind());
        var run = new JobRun(job, db, store, events, files, clock);
        boolean handedOver = false; // the entry now belongs to the worker that took the job over: not ours to ack
        running.incrementAndGet();
        Thread heartbeat = Thread.ofVirtual().name("job-heartbeat-" + job.id()).start(() -> heartbeat(run, delivery));
        try {
            if (kind == null) {
                throw new JobKind.PermanentFailure("this deployment cannot run jobs of kind " + job.kind());
            }
            if (job.checkpoint() != null) {
                log.info("job {} ({}) resumes from its checkpoint, attempt {}", job.id(), job.kind(), job.attempts());
            }
            Map<String, Object> result = kind.run(run);
            boolean recorded = db.inTransaction(tx -> {
                if (!store.succeed(tx, job.id(), job.epoch(), Json.text(result), run.done(), run.total(), clock.instant())) {
                    return false;
                }
                events.updated(tx, store.find(tx, job.id()).orElseThrow());
                return true;
            });
            if (recorded) {
                count(job.kind(), JobStatus.SUCCEEDED);
            } else {
                log.info("job {} finished on this worker after another took it over; its result is dropped", job.id());
            }
        } catch (RunStopped stopped) {
            if (stopped.why() == RunStopped.Why.CANCELLED) {
                endRun(job, JobStatus.CANCELLED, null);
            } else {
                handedOver = true;
                log.info("job {}: another worker took it over; this run stops", job.id());
            }
        } catch (Exception e) {
            failed(job, e);
        } finally {
            heartbeat.interrupt();
            running.decrementAndGet();
            if (!handedOver && !run.isLost()) {
                queue.ack(delivery);
            }
            onFinished.run();
        }
    }

    /** The claim matched nothing: finished, cancelled, not yet due, or held by a live worker. */
    private void settleUnclaimed(JobQueue.Delivery delivery, Instant now) {
        var job = db.withHandle(h -> store.find(h, delivery.jobId()));
        if (job.isPresent() && !job.get().isFinished()) {
            StoredJob j = job.get();
            boolean lapsed = j.status().equals(JobStatus.RUNNING) && j.leaseUntil() != null && j.leaseUntil().isBefore(now);
            if (lapsed && j.cancelRequested()) {
                end(j, JobStatus.CANCELLED, null);
            } else if (lapsed && j.attempts() >= j.maxAttempts()) {
                end(j, JobStatus.FAILED, "the worker running it stopped; no attempts left (" + j.attempts() + ")");
            }
            // Otherwise: due later (that retry has its own entry) or held by a live worker (which has its own).
        }
        queue.ack(delivery);
        onFinished.run();
    }

    private void failed(StoredJob job, Exception e) {
        String error = describe(e);
        boolean permanent = e instanceof JobKind.PermanentFailure
                || e instanceof Problem p && p.status() >= 400 && p.status() < 500 && p.status() != 408 && p.status() != 429;
        if (permanent || job.attempts() >= job.maxAttempts()) {
            log.info("job {} ({}) failed for good after {} attempt(s): {}", job.id(), job.kind(), job.attempts(), error);
            endRun(job, JobStatus.FAILED, error);
            return;
        }
        Instant runAfter = clock.instant().plus(settings.backoff().after(job.attempts(), ThreadLocalRandom.current()));
        boolean queued = db.inTransaction(tx -> {
            if (!store.retryLater(tx, job.id(), job.epoch(), error, runAfter)) {
                return false;
            }
            store.touchEnqueued(tx, job.id(), clock.instant());
            events.updated(tx, store.find(tx, job.id()).orElseThrow());
            return true;
        });
        if (queued) {
            log.info("job {} ({}) attempt {} failed ({}); again at {}", job.id(), job.kind(), job.attempts(), error, runAfter);
            count(job.kind(), "retried");
            queue.enqueue(job.id(), runAfter);
        }
    }

    private void endRun(StoredJob job, String status, String error) {
        boolean ended = db.inTransaction(tx -> {
            if (!store.endRun(tx, job.id(), job.epoch(), status, error, clock.instant())) {
                return false;
            }
            events.updated(tx, store.find(tx, job.id()).orElseThrow());
            return true;
        });
        if (ended) {
            count(job.kind(), status);
        }
    }

    private void end(StoredJob job, String status, String error) {
        boolean ended = db.inTransaction(tx -> {
            if (!store.end(tx, job.id(), status, error, clock.instant())) {
                return false;
            }
            events.updated(tx, store.find(tx, job.id()).orElseThrow());
            return true;
        });
        if (ended) {
            count(job.kind(), status);
        }
    }

    /** Keeps the lease in the database and the queue while the run goes on; marks the run lost once it is gone. */
    private void heartbeat(JobRun run, JobQueue.Delivery delivery) {
        Duration every = settings.lease().dividedBy(3);
        while (true) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            try {
                boolean held = db.inTransaction(tx -> store.extendLease(tx, run.job().id(), run.epoch(),
                        clock.instant().plus(settings.lease())));
                if (!held) {
                    run.markLost();
                    return;
                }
                queue.touch(delivery);
            } catch (RuntimeException e) {
                log.warn("job {}: could not extend its lease: {}", run.job().id(), e.toString());
            }
        }
    }

    private void count(String kind, String outcome) {
        Counter.builder("babble_jobs_finished_total").tag("kind", kind).tag("outcome", outcome)
                .description("job runs by how they ended").register(meters).increment();
    }

    private static String describe(Exception e) {
        String message = e instanceof Problem p ? p.detail() : e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }

    @Override
    public void close() {
        stopping = true;
        if (taker != null) {
            taker.interrupt();
        }
    }
}
