package babble.jobs.store;

import babble.platform.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL for job records. Every change a worker makes names the epoch it claimed the job at: once another worker
 * has claimed it (the first one's lease ran out), the first one's updates match nothing (fencing).
 */
public final class JobStore {
    private static final String COLUMNS = """
            id, owner_id, kind, params, status, progress_done, progress_total, attempts, max_attempts, error, result,
            checkpoint, epoch, lease_until, run_after, cancel_requested, request_hash, created_at, started_at, finished_at""";
    private static final RowMapper<StoredJob> JOB = (rs, ctx) -> new StoredJob(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "owner_id"), rs.getString("kind"), rs.getString("params"),
            rs.getString("status"), rs.getLong("progress_done"), (Long) rs.getObject("progress_total", Long.class),
            rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getString("error"), rs.getString("result"),
            rs.getString("checkpoint"), rs.getLong("epoch"), Sql.instant(rs, "lease_until"), Sql.instant(rs, "run_after"),
            rs.getBoolean("cancel_requested"), rs.getString("request_hash"), Sql.instant(rs, "created_at"),
            Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"));

    public void insert(Handle tx, StoredJob job, String idempotencyKey) {
        tx.createUpdate("""
                        insert into jobs (id, owner_id, kind, params, status, progress_done, progress_total, attempts,
                                          max_attempts, epoch, run_after, enqueued_at, cancel_requested, idempotency_key, request_hash,
                                          created_at)
                        values (:id, :owner, :kind, :params, :status, 0, :total, 0, :max, 0, :at, :at, false, :key, :hash, :at)""")
                .bind("id", job.id()).bind("owner", job.ownerId()).bind("kind", job.kind()).bind("params", job.params())
                .bind("status", job.status()).bind("total", job.total()).bind("max", job.maxAttempts())
                .bind("at", Sql.utc(job.createdAt())).bind("key", idempotencyKey).bind("hash", job.requestHash())
                .execute();
    }

    public Optional<StoredJob> find(Handle h, UUID id) {
        return h.createQuery("select " + COLUMNS + " from jobs where id = :id").bind("id", id).map(JOB).findOne();
    }

    public Optional<StoredJob> findByKey(Handle h, UUID ownerId, String key) {
        return h.createQuery("select " + COLUMNS + " from jobs where owner_id = :owner and idempotency_key = :key")
                .bind("owner", ownerId).bind("key", key).map(JOB).findOne();
    }

    /** The owner's jobs, newest first, after the cursor position (created, id); optionally of one status. */
    public List<StoredJob> page(Handle h, UUID ownerId, String status, Instant beforeAt, UUID beforeId, int limit) {
        String where = "owner_id = :owner" + (status == null ? "" : " and status = :status")
                + (beforeAt == null ? "" : " and (created_at < :at or created_at = :at and id < :id)");
        var query = h.createQuery("select " + COLUMNS + " from jobs where " + where
                        + " order by owner_id desc, created_at desc, id desc limit :limit")
                .bind("owner", ownerId).bind("limit", limit);
        if (status != null) {
            query.bind("status", status);
        }
        if (beforeAt != null) {
            query.bind("at", Sql.utc(beforeAt)).bind("id", beforeId);
        }
        return query.map(JOB).list();
    }

    /**
     * Claims the job for one run: when it is queued and due, or running under a lease that ran out (its worker
     * died). Bumps the epoch and the attempts. Returns the claimed job, or empty when someone else has it or it
     * needs no run.
     */
    public Optional<StoredJob> claim(Handle tx, UUID id, Instant now, Instant leaseUntil) {
        int claimed = tx.createUpdate("""
                        update jobs set status = 'running', epoch = epoch + 1, attempts = attempts + 1,
                               lease_until = :until, started_at = coalesce(started_at, :now)
                        where id = :id and attempts < max_attempts and not cancel_requested
                          and (status = 'queued' and run_after <= :now or status = 'running' and lease_until < :now)""")
                .bind("id", id).bind("now", Sql.utc(now)).bind("until", Sql.utc(leaseUntil)).execute();
        return claimed == 1 ? find(tx, id) : Optional.empty();
    }

    /** Extends the lease; false when the worker no longer holds the job (another claimed it, or it ended). */
    public boolean extendLease(Handle tx, UUID id, long epoch, Instant until) {
        return tx.createUpdate("update jobs set lease_until = :until where id = :id and epoch = :epoch and status = 'running'")
                .bind("until", Sql.utc(until)).bind("id", id).bind("epoch", epoch).execute() == 1;
    }

    /** Records a checkpoint and progress; false when the worker no longer holds the job. */
    public boolean checkpoint(Handle tx, UUID id, long epoch, String checkpoint, long done, Long total) {
        return tx.createUpdate("""
                        update jobs set checkpoint = :checkpoint, progress_done = :done, progress_total = :total
                        where id = :id and epoch = :epoch and status = 'running'""")
                .bind("checkpoint", checkpoint).bind("done", done).bind("total", total).bind("id", id)
                .bind("epoch", epoch).execute() == 1;
    }

    public boolean succeed(Handle tx, UUID id, long epoch, String result, long done, Long total, Instant now) {
        return tx.createUpdate("""
                        update jobs set status = 'succeeded', result = :result, progress_done = :done,
                               progress_total = :total, error = null, lease_until = null, finished_at = :now
                        where id = :id and epoch = :epoch and status = 'running'""")
                .bind("result", result).bind("done", done).bind("total", total).bind("now", Sql.utc(now))
                .bind("id", id).bind("epoch", epoch).execute() == 1;
    }

    /** Back to the queue after a failed attempt, due at {@code runAfter}. */
    public boolean retryLater(Handle tx, UUID id, long epoch, String error, Instant runAfter) {
        return tx.createUpdate("""
                        update jobs set status = 'queued', error = :error, lease_until = null, run_after = :after
                        where id = :id and epoch = :epoch and status = 'running'""")
                .bind("error", error).bind("after", Sql.utc(runAfter)).bind("id", id).bind("epoch", epoch).execute() == 1;
    }

    /** Ends the job {@code failed} or {@code cancelled}, from whatever unfinished status it is in. */
    public boolean end(Handle tx, UUID id, String status, String error, Instant now) {
        return tx.createUpdate("""
                        update jobs set status = :status, error = :error, lease_until = null, finished_at = :now
                        where id = :id and status in ('queued', 'running')""")
                .bind("status", status).bind("error", error).bind("now", Sql.utc(now)).bind("id", id).execute() == 1;
    }

    /** Ends the claimed run {@code failed} or {@code cancelled}; false when the worker no longer holds the job. */
    public boolean endRun(Handle tx, UUID id, long epoch, String status, String error, Instant now) {
        return tx.createUpdate("""
                        update jobs set status = :status, error = :error, lease_until = null, finished_at = :now
                        where id = :id and epoch = :epoch and status = 'running'""")
                .bind("status", status).bind("error", error).bind("now", Sql.utc(now)).bind("id", id)
                .bind("epoch", epoch).execute() == 1;
    }

    /** Cancels a job that has not started; false when it is no longer queued. */
    public boolean cancelQueued(Handle tx, UUID id, Instant now) {
        return tx.createUpdate("""
                        update jobs set status = 'cancelled', lease_until = null, finished_at = :now
                        where id = :id and status = 'queued'""")
                .bind("now", Sql.utc(now)).bind("id", id).execute() == 1;
    }

    public boolean requestCancel(Handle tx, UUID id) {
        return tx.createUpdate("update jobs set cancel_requested = true where id = :id and status = 'running'")
                .bind("id", id).execute() == 1;
    }

    /**
     * Jobs that should be in the queue but may have no entry (the queue lost it, or a process died between
     * committing a job and queueing it): queued and overdue, or running with a lease long over, and not put on
     * the queue since {@code enqueuedBefore}.
     */
    public List<UUID> overdue(Handle h, Instant dueBefore, Instant enqueuedBefore, int limit) {
        return h.createQuery("""
                        select id from jobs
                        where (status = 'queued' and run_after < :due or status = 'running' and lease_until < :due)
                          and enqueued_at < :enqueued
                        limit :limit""")
                .bind("due", Sql.utc(dueBefore)).bind("enqueued", Sql.utc(enqueuedBefore)).bind("limit", limit)
                .mapTo(UUID.class).list();
    }

    /** Marks the job as just queued again; false when another process did it first. */
    public boolean markEnqueued(Handle tx, UUID id, Instant enqueuedBefore, Instant now) {
        return tx.createUpdate("update jobs set enqueued_at = :now where id = :id and enqueued_at < :before")
                .bind("now", Sql.utc(now)).bind("id", id).bind("before", Sql.utc(enqueuedBefore)).execute() == 1;
    }

    /** Marks the job as put on the queue now (a retry). */
    public void touchEnqueued(Handle tx, UUID id, Instant now) {
        tx.createUpdate("update jobs set enqueued_at = :now where id = :id").bind("now", Sql.utc(now)).bind("id", id).execute();
    }
}
