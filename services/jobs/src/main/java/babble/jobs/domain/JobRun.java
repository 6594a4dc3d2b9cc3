package babble.jobs.domain;

import babble.jobs.events.JobEvents;
import babble.jobs.store.JobFiles;
import babble.jobs.store.JobStore;
import babble.jobs.store.StoredJob;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a job by one worker: its parameters, the checkpoint an earlier run left, and the way to record a new
 * one. Every write names the epoch this run claimed the job at, so once the lease is lost nothing more lands.
 */
public final class JobRun {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final StoredJob job;
    private final Database db;
    private final JobStore store;
    private final JobEvents events;
    private final JobFiles files;
    private final Clock clock;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile long done;
    private volatile Long total;
    private Instant lastPublished = Instant.EPOCH;

    JobRun(StoredJob job, Database db, JobStore store, JobEvents events, JobFiles files, Clock clock) {
        this.job = job;
        this.db = db;
        this.store = store;
        this.events = events;
        this.files = files;
        this.clock = clock;
        this.done = job.done();
        this.total = job.total();
    }

    public StoredJob job() {
        return job;
    }

    /** The owner, as the identity the run calls other services with (they check what the owner may do). */
    public Identity owner() {
        return Identity.ofUser("jobs", job.ownerId(), null, null);
    }

    public JsonNode params() {
        return job.paramsTree();
    }

    /** Where the last run stopped, or null for a fresh start. */
    public JsonNode checkpoint() {
        return job.checkpointTree();
    }

    public long epoch() {
        return job.epoch();
    }

    public int attempt() {
        return job.attempts();
    }

    public JobFiles files() {
        return files;
    }

    public long done() {
        return done;
    }

    public Long total() {
        return total;
    }

    /**
     * Records how far the run got: {@code state} is what a resumed run needs to go on from here (the kind's own
     * JSON), {@code done}/{@code total} the progress shown to the owner (a live frame at most every second).
     * Everything the run did before this call must already be durable. Throws {@link RunStopped} when the owner
     * cancelled the job or this worker no longer holds it.
     */
    public void checkpoint(Object state, long done, Long total) {
        if (lost.get()) {
            throw new RunStopped(RunStopped.Why.LEASE_LOST);
        }
        this.done = done;
        this.total = total;
        String json = Json.text(state);
        Instant now = clock.instant();
        boolean publish = !now.isBefore(lastPublished.plus(PROGRESS_EVERY));
        boolean cancelled = db.inTransaction(tx -> {
            if (!store.checkpoint(tx, job.id(), job.epoch(), json, done, total)) {
                lost.set(true);
                return false;
            }
            var current = store.find(tx, job.id()).orElseThrow();
            if (publish && !current.cancelRequested()) {
                events.updated(tx, current);
            }
            return current.cancelRequested();
        });
        if (lost.get()) {
            throw new RunStopped(RunStopped.Why.LEASE_LOST);
        }
        if (cancelled) {
            throw new RunStopped(RunStopped.Why.CANCELLED);
        }
        if (publish) {
            lastPublished = now;
        }
    }

    /** True once another worker has taken the job over (a heartbeat found the lease gone). */
    public boolean isLost() {
        return lost.get();
    }

    void markLost() {
        lost.set(true);
    }
}
