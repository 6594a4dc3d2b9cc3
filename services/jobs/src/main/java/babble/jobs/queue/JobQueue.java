package babble.jobs.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue the workers of every jobs process share (competing consumers): each entry goes to one worker at a
 * time. An entry a worker took stays leased to it while it calls {@link #touch}; when it stops (the process died),
 * the entry goes to another worker after the lease. The queue only says what to run: the job's record in the
 * database says whether it still needs running, and from which checkpoint.
 */
public interface JobQueue extends AutoCloseable {
    /** An entry handed to this worker. */
    record Delivery(String entryId, UUID jobId) {
    }

    /** Adds the job; it is handed out at or after {@code notBefore}. */
    void enqueue(UUID jobId, Instant notBefore);

    /** The next entry for this worker (a new one, or one whose worker stopped touching it), waiting up to {@code wait}. */
    Optional<Delivery> take(Duration wait) throws InterruptedException;

    /** Keeps the entry leased to this worker. */
    void touch(Delivery delivery);

    /** Done with the entry: it is never handed out again. */
    void ack(Delivery delivery);

    /** Entries waiting or leased (for metrics and tests). */
    long size();

    /** What it runs on, for the log and health. */
    String describe();

    @Override
    void close();
}
