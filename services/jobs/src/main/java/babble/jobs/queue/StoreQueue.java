package babble.jobs.queue;

import babble.platform.db.Database;
import babble.platform.db.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue in the service's own database, for deployments without Redis (all-in-one keeps it in the embedded
 * store). An entry is leased by a conditional update (only one worker's update matches), so it is shared safely
 * by workers in one JVM or, on PostgreSQL, in several processes; an entry whose lease ran out goes to the next
 * worker that looks. Workers in this JVM are woken when an entry is added instead of polling.
 */
public final class StoreQueue implements JobQueue {
    private static final Duration IDLE_POLL = Duration.ofMillis(250);

    private final Database db;
    private final String owner;
    private final Duration reclaimAfter;
    private final Clock clock;
    private final Object added = new Object();

    public StoreQueue(Database db, String owner, Duration reclaimAfter, Clock clock) {
        this.db = db;
        this.owner = owner;
        this.reclaimAfter = reclaimAfter;
        this.clock = clock;
    }

    @Override
    public void enqueue(UUID jobId, Instant notBefore) {
        db.useTransaction(h -> h.createUpdate("insert into job_queue (job_id, not_before) values (:job, :at)")
                .bind("job", jobId).bind("at", Sql.utc(notBefore)).execute());
        synchronized (added) {
            added.notifyAll();
        }
    }

    @Override
    public Optional<Delivery> take(Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Optional<Delivery> next = claimNext();
            if (next.isPresent()) {
                return next;
            }
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            synchronized (added) {
                added.wait(Math.min(left, IDLE_POLL.toMillis()));
            }
        }
    }

    private Optional<Delivery> claimNext() {
        Instant now = clock.instant();
        return db.withHandle(h -> {
            var candidates = h.createQuery("""
                            select entry_id, job_id from job_queue
                            where not_before <= :now and (leased_until is null or leased_until < :now)
                            order by not_before, entry_id limit 4""")
                    .bind("now", Sql.utc(now))
                    .map((rs, ctx) -> new Delivery(Long.toString(rs.getLong("entry_id")), Sql.uuid(rs, "job_id"))).list();
            for (Delivery candidate : candidates) {
                int won = h.createUpdate("""
                                update job_queue set owner = :owner, leased_until = :until
                                where entry_id = :entry and (leased_until is null or leased_until < :now)""")
                        .bind("owner", owner).bind("until", Sql.utc(now.plus(reclaimAfter)))
                        .bind("entry", Long.parseLong(candidate.entryId())).bind("now", Sql.utc(now)).execute();
                if (won == 1) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public void touch(Delivery delivery) {
        db.useTransaction(h -> h.createUpdate("update job_queue set leased_until = :until where entry_id = :entry and owner = :owner")
                .bind("until", Sql.utc(clock.instant().plus(reclaimAfter))).bind("entry", Long.parseLong(delivery.entryId()))
                .bind("owner", owner).execute());
    }

    @Override
    public void ack(Delivery delivery) {
        db.useTransaction(h -> h.createUpdate("delete from job_queue where entry_id = :entry")
                .bind("entry", Long.parseLong(delivery.entryId())).execute());
    }

    @Override
    public long size() {
        return db.withHandle(h -> h.createQuery("select count(*) from job_queue").mapTo(Long.class).one());
    }

    @Override
    public String describe() {
        return "the service's database (table job_queue)";
    }

    @Override
    public void close() {
        synchronized (added) {
            added.notifyAll();
        }
    }
}
