package babble.counter.domain;

import babble.platform.batch.GroupCommit;
import java.util.ArrayList;
import java.util.List;

/**
 * Counting visits: each visit gets its own number, answered only once it is stored. Visits that arrive together
 * are stored with one write (group commit: one transaction, or one INCRBY), and numbered in arrival order from
 * the total that write returns, so a busy counter costs one write per batch instead of one per visit.
 */
public final class Counter implements AutoCloseable {
    private static final int MAX_BATCH = 1_000;
    private static final int MAX_WAITING = 10_000;

    private final GroupCommit<Boolean, Long> writes;

    public Counter(VisitCounter counter) {
        this.writes = new GroupCommit<>("visit counter", MAX_BATCH, MAX_WAITING, batch -> {
            long total = counter.add(batch.size());
            var numbers = new ArrayList<Long>(batch.size());
            for (long n = total - batch.size() + 1; n <= total; n++) {
                numbers.add(n);
            }
            return List.copyOf(numbers);
        });
    }

    /** Counts one visit; the total with it, once stored. */
    public long visit() {
        return writes.submit(Boolean.TRUE);
    }

    @Override
    public void close() {
        writes.close();
    }
}
