package babble.platform.batch;

import babble.platform.problem.Unavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many small writes that arrive together are made as one. Each caller queues its item and waits;
 * one writer thread takes everything queued (up to {@code maxBatch}) and writes it in one go (one transaction,
 * one round trip), then answers every caller with its own result. While a write is under way the next batch
 * gathers, so under load the cost of a durable write is shared, and alone a caller waits for one write only.
 * A caller is answered only after its write succeeded; if it failed, every caller of that batch gets the error.
 * The queue is bounded: when it is full the caller is told to come back (503) rather than queued without end.
 */
public final class GroupCommit<T, R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final String name;
    private final int maxBatch;
    private final Function<List<T>, List<R>> writeAll;
    private final BlockingQueue<Pending<T, R>> queue;
    private final Thread writer;
    private volatile boolean closed;

    /** {@code writeAll} gets the items of one batch in arrival order and returns one result per item, in order. */
    public GroupCommit(String name, int maxBatch, int maxQueued, Function<List<T>, List<R>> writeAll) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.writeAll = writeAll;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.writer = Thread.ofVirtual().name("group-commit-" + name).start(this::writeForever);
    }

    /** Queues the item, waits until its batch is written, and answers its result. */
    public R submit(T item) {
        if (closed) {
            throw new Unavailable(name + " is stopping", 1);
        }
        var pending = new Pending<T, R>(item, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new Unavailable(name + " is overloaded", 1);
        }
        try {
            return pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(name + ": interrupted while waiting for the write", 1);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Queues the items in this order without waiting; each future completes once its batch is written. Items are
     * written in queue order, so one caller's items keep theirs. When the queue fills up, the remaining items
     * fail (503) and the earlier ones still go.
     */
    public List<CompletableFuture<R>> submitAllAsync(List<T> items) {
        var futures = new ArrayList<CompletableFuture<R>>(items.size());
        boolean refused = closed;
        for (T item : items) {
            var pending = new Pending<T, R>(item, new CompletableFuture<>());
            refused = refused || !queue.offer(pending);
            if (refused) {
                pending.result().completeExceptionally(new Unavailable(name + (closed ? " is stopping" : " is overloaded"), 1));
            }
            futures.add(pending.result());
        }
        return futures;
    }

    private void writeForever() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (true) {
            Pending<T, R> first;
            try {
                // Polled, never interrupted: an interrupt inside a write would break the store's connection.
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closed) {
                    break;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            write(batch);
            batch.clear();
        }
        Pending<T, R> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new Unavailable(name + " is stopping", 1));
        }
    }

    private void write(List<Pending<T, R>> batch) {
        List<R> results;
        try {
            results = writeAll.apply(batch.stream().map(Pending::item).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException(name + " answered " + results.size() + " results for " + batch.size());
            }
        } catch (RuntimeException e) {
            log.debug("{}: a batch of {} failed: {}", name, batch.size(), e.toString());
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /** Writes what is queued, then stops; later submits are refused (503). */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
