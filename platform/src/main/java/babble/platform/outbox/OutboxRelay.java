package babble.platform.outbox;

import babble.platform.bus.Bus;
import babble.platform.db.Database;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox events to the bus in the order of their positions, then deletes exactly those it
 * published. It wakes as soon as a transaction with events commits (and polls once a second as a safety net); when
 * the bus is down it backs off and keeps the events until the bus returns. Publishing is idempotent (the bus dedupes
 * by event id), so an event published twice after a crash is delivered once.
 *
 * <p>There is no "published up to" mark: a position is taken at insert and becomes visible at commit, so a
 * transaction that took its position first may commit after a later one was published. Such an event is published
 * when it appears, after the later one (events of one aggregate keep their order: their transactions lock the same
 * row, so they take positions and commit in the same order). A mark skipped it, and the event was lost.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(1);

    private final Database db;
    private final Bus bus;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private final String owner = UUID.randomUUID().toString();
    private long leaseRenewedAt;
    private boolean leaseHeld;

    public OutboxRelay(Database db, Bus bus) {
        this.db = db;
        this.bus = bus;
    }

    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("outbox-relay-" + db.name()).start(this::run);
    }

    /** Called after a commit that added events: publish them now rather than at the next poll. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    public long publishedCount() {
        return published.get();
    }

    /** Events written and committed but not yet published (for tests). */
    public long pending() {
        return db.withHandle(h -> h.createQuery("select count(*) from outbox").mapTo(Long.class).one());
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                int sent = relayBatch();
                failures = 0;
                if (sent < BATCH) {
                    wakeups.tryAcquire(1, TimeUnit.SECONDS);
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failures++;
                Duration pause = Duration.ofMillis(Math.min(5_000, 100L << Math.min(failures, 6)));
                if (failures == 1 || failures % 20 == 0) {
                    log.warn("outbox relay of {} cannot publish yet (attempt {}), retrying in {} ms: {}", db.name(),
                            failures, pause.toMillis(), e.toString());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Publishes the next batch (the first committed events by position), then deletes exactly those. If the service
     * stops in between, they are published again at start, which the bus ignores (same ids).
     */
    private int relayBatch() {
        if (!holdsLease()) {
            return 0; // another replica relays; if this one takes over, it starts from what is left
        }
        List<Pending> batch = db.withHandle(h -> h.createQuery(
                        "select position, event_id, subject, payload from outbox order by position limit " + BATCH)
                .map((rs, ctx) -> new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)))
                .list());
        if (batch.isEmpty()) {
            return 0;
        }
        bus.publishAll(batch.stream()
                .map(p -> new Bus.Outgoing(p.subject(), p.eventId(), p.payload().getBytes(StandardCharsets.UTF_8)))
                .toList());
        published.addAndGet(batch.size());
        List<Long> positions = batch.stream().map(Pending::position).toList();
        db.withHandle(h -> h.createUpdate("delete from outbox where position in (<positions>)")
                .bindList("positions", positions).execute());
        return batch.size();
    }

    /**
     * Whether this process is the one relaying: a lease row taken by a conditional update, renewed every second
     * and lost after {@link #LEASE} without renewal (the holder died); other replicas of the service stand by.
     */
    private boolean holdsLease() {
        long now = System.nanoTime();
        if (now - leaseRenewedAt < RENEW_EVERY.toNanos()) {
            return leaseHeld; // checked within the last second (a standby too: commits wake it often)
        }
        java.time.Instant at = java.time.Instant.now();
        leaseHeld = db.withHandle(h -> h.createUpdate("""
                        update outbox_relay_lease set owner = :owner, until = :until
                        where name = 'relay' and (owner = :owner or until < :now)""")
                .bind("owner", owner).bind("until", babble.platform.db.Sql.utc(at.plus(LEASE)))
                .bind("now", babble.platform.db.Sql.utc(at)).execute()) == 1;
        leaseRenewedAt = now;
        return leaseHeld;
    }

    @Override
    public void close() {
        running = false;
        wakeups.release(); // no interrupt: H2 closes its file when a thread is interrupted mid-I/O
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try { // hand the relay over at once instead of after the lease
            db.withHandle(h -> h.createUpdate("update outbox_relay_lease set until = :past where name = 'relay' and owner = :owner")
                    .bind("past", babble.platform.db.Sql.utc(java.time.Instant.EPOCH)).bind("owner", owner).execute());
        } catch (RuntimeException e) {
            // the database is going away too: the lease runs out by itself
        }
    }

    private record Pending(long position, UUID eventId, String subject, String payload) {
    }
}
