package babble.jobs.domain;

import babble.contracts.api.JobList;
import babble.contracts.api.JobView;
import babble.contracts.api.SubmitJobRequest;
import babble.jobs.events.JobEvents;
import babble.jobs.queue.JobQueue;
import babble.jobs.store.JobFiles;
import babble.jobs.store.JobStatus;
import babble.jobs.store.JobStore;
import babble.jobs.store.StoredJob;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.db.Sql;
import babble.platform.http.Cursors;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.Conflict;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs as their owners see them: submit (idempotent by key), read, list, cancel, wait for the end (the hybrid
 * call), and the file a finished job produced.
 */
public final class Jobs {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    public static final int MAX_LIMIT = 100;
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** A job that was submitted, and whether this call created it (false: the idempotency key named an earlier one). */
    public record Submitted(JobView job, boolean created) {
    }

    /** A finished job's file. */
    public record ResultFile(Path path, String fileName, String contentType, long size) {
    }

    private final Database db;
    private final JobStore store;
    private final JobQueue queue;
    private final JobEvents events;
    private final JobFiles files;
    private final Map<String, JobKind> kinds;
    private final JobSettings settings;
    private final Clock clock;
    private final Object finished = new Object();

    public Jobs(Database db, JobStore store, JobQueue queue, JobEvents events, JobFiles files,
                Map<String, JobKind> kinds, JobSettings settings, Clock clock) {
        this.db = db;
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.files = files;
        this.kinds = kinds;
        this.settings = settings;
        this.clock = clock;
    }

    public Submitted submit(Identity caller, SubmitJobRequest request, String idempotencyKey) {
        UUID owner = caller.requireUser();
        if (request.kind() == null || request.kind().isBlank()) {
            throw new InvalidField("kind", "is required (one of " + String.join(", ", kinds.keySet()) + ")");
        }
        JobKind kind = kinds.get(request.kind());
        if (kind == null) {
            throw new InvalidField("kind", "must be one of " + String.join(", ", kinds.keySet()));
        }
        checkKey(idempotencyKey);
        String hash = hash(Json.text(request));
        var earlier = earlier(owner, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return create(owner, kind.name(), kind.accept(caller, request), idempotencyKey, hash, (tx, jobId) -> true);
    }

    /** 422 unless the Idempotency-Key (when given) is 1-128 visible ASCII characters. */
    public static void checkKey(String idempotencyKey) {
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidField("Idempotency-Key", "must be 1-128 visible ASCII characters");
        }
    }

    /** The job an Idempotency-Key already names, if any; 422 when it was made by a different request. */
    public Optional<Submitted> earlier(UUID owner, String idempotencyKey, String hash) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return db.withHandle(h -> store.findByKey(h, owner, idempotencyKey)).map(job -> repeated(job, hash));
    }

    /**
     * Records a job whose parameters are checked, and queues it. {@code alongside} runs in the transaction that
     * records it (another record that must change with it, such as an upload becoming the job's input); when it
     * answers false, nothing is recorded and the call fails with 409.
     */
    public Submitted create(UUID owner, String kind, Map<String, Object> params, String idempotencyKey, String hash,
                            Alongside alongside) {
        Instant now = clock.instant();
        var job = new StoredJob(Ids.newId(), owner, kind, Json.text(params), JobStatus.QUEUED, 0, null, 0,
                settings.maxAttempts(), null, null, null, 0, null, now, false, hash, now, null, null);
        try {
            db.useTransaction(tx -> {
                store.insert(tx, job, idempotencyKey);
                if (!alongside.apply(tx, job.id())) {
                    throw new Conflict("the job's input changed while the job was being recorded");
                }
                events.updated(tx, job);
            });
        } catch (RuntimeException e) {
            if (idempotencyKey != null && Sql.isUniqueViolation(e)) {
                // The same key at the same moment from another request: answer what that one created.
                return repeated(db.withHandle(h -> store.findByKey(h, owner, idempotencyKey)).orElseThrow(), hash);
            }
            throw e;
        }
        try {
            queue.enqueue(job.id(), now);
        } catch (RuntimeException e) {
            // The job is recorded: the sweep queues it once the queue is back.
            log.warn("job {} is recorded but could not be queued yet ({}); the sweep will queue it", job.id(), e.toString());
        }
        return new Submitted(job.view(), true);
    }

    /** A change made in the transaction that records a job; false to give the job up. */
    @FunctionalInterface
    public interface Alongside {
        boolean apply(Handle tx, UUID jobId);
    }

    private static Submitted repeated(StoredJob earlier, String hash) {
        if (!hash.equals(earlier.requestHash())) {
            throw new Problem(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used for a different request");
        }
        return new Submitted(earlier.view(), false);
    }

    public JobView get(Identity caller, UUID id) {
        return own(caller, id).view();
    }

    public JobList list(Identity caller, String status, String cursor, int limit) {
        UUID owner = caller.requireUser();
        if (status != null && !JobStatus.isKnown(status)) {
            throw new InvalidField("status", "must be queued, running, succeeded, failed or cancelled");
        }
        Instant beforeAt = null;
        UUID beforeId = null;
        if (cursor != null) {
            String position = Cursors.decode(cursor);
            int bar = position.indexOf('|');
            try {
                beforeAt = Instant.parse(position.substring(0, bar));
                beforeId = UUID.fromString(position.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new InvalidField("cursor", "is not a cursor this list gave");
            }
        }
        Instant at = beforeAt;
        UUID atId = beforeId;
        List<StoredJob> page = db.withHandle(h -> store.page(h, owner, status, at, atId, limit + 1));
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            StoredJob last = page.getLast();
            next = Cursors.encode(last.createdAt() + "|" + last.id());
        }
        return new JobList(page.stream().map(StoredJob::view).toList(), next);
    }

    /** Cancels a queued job at once; asks a running one to stop at its next checkpoint. 409 once finished. */
    public JobView cancel(Identity caller, UUID id) {
        StoredJob job = own(caller, id);
        if (job.isFinished()) {
            throw new Conflict("the job has already " + job.status());
        }
        return db.inTransaction(tx -> {
            if (!store.cancelQueued(tx, id, clock.instant())) {
                store.requestCancel(tx, id); // it is running (or just started): its next checkpoint stops it
            } else {
                events.updated(tx, store.find(tx, id).orElseThrow());
            }
            return store.find(tx, id).orElseThrow().view();
        });
    }

    /**
     * Waits up to {@code wait} for the job to finish (the hybrid call). Woken at once when a worker of this
     * process finishes any job, and looks again at least every 250 ms for jobs finished by other processes.
     */
    public JobView await(UUID id, Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            JobView job = db.withHandle(h -> store.find(h, id)).orElseThrow().view();
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (isFinished(job) || left <= 0) {
                return job;
            }
            synchronized (finished) {
                finished.wait(Math.min(left, 250));
            }
        }
    }

    /** Succeeded, failed or cancelled: nothing more will happen to it. */
    public static boolean isFinished(JobView job) {
        return !job.status().equals(JobStatus.QUEUED) && !job.status().equals(JobStatus.RUNNING);
    }

    /** Called when a worker of this process ended a run. */
    public void onFinished() {
        synchronized (finished) {
            finished.notifyAll();
        }
    }

    /** The file a finished job produced: 409 until it succeeded, 410 once the file expired. */
    public ResultFile result(Identity caller, UUID id) {
        StoredJob job = own(caller, id);
        if (!job.status().equals(JobStatus.SUCCEEDED)) {
            throw new Conflict("the job has no result while " + job.status());
        }
        var result = Json.tree(job.result());
        if (!result.hasNonNull("file")) {
            throw new NotFound("this job's kind produces no file");
        }
        Path path = files.path(result.get("file").asText());
        if (!Files.exists(path)) {
            throw new Problem(410, "gone", "Gone", "the result expired (results are kept for "
                    + settings.resultTtl().toDays() + " days)");
        }
        return new ResultFile(path, result.path("fileName").asText("result"),
                result.path("contentType").asText("application/octet-stream"), result.path("bytes").asLong());
    }

    private StoredJob own(Identity caller, UUID id) {
        UUID owner = caller.requireUser();
        return db.withHandle(h -> store.find(h, id)).filter(j -> j.ownerId().equals(owner))
                .orElseThrow(() -> new NotFound("no such job"));
    }

    /**
     * Puts back on the queue the jobs that should be there but may have lost their entry (the queue's data went,
     * or a process died between recording a job and queueing it). Several processes may sweep: a conditional
     * update lets one of them queue each job.
     */
    public int sweep() {
        Instant now = clock.instant();
        Instant grace = now.minus(settings.reclaimAfter().multipliedBy(3));
        var overdue = db.withHandle(h -> store.overdue(h, grace, grace, 500));
        int queued = 0;
        for (UUID id : overdue) {
            if (db.inTransaction(tx -> store.markEnqueued(tx, id, grace, now))) {
                queue.enqueue(id, now);
                queued++;
            }
        }
        if (queued > 0) {
            log.info("queued {} overdue job(s) again", queued);
        }
        return queued;
    }

    /** The hash a job keeps of the request that made it (an Idempotency-Key used again must carry the same). */
    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
