package babble.search.events;

import babble.platform.bus.BatchEventHandler;
import babble.platform.bus.Event;
import babble.search.domain.Indexing;
import babble.search.store.IndexBatch;
import babble.search.store.SearchIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Feeds the index from the post, moderation and message streams. Batches from the three consumers are applied one
 * at a time (one writer, and each batch reads the states the one before committed); a batch is committed and made
 * searchable before the handler returns, so an event the bus counts as handled is never lost with the process.
 * Records how long events took from happening to being searchable ({@code babble.search.index.lag}).
 */
public final class IndexFeed implements BatchEventHandler {
    private final SearchIndex index;
    private final Indexing indexing;
    private final BooleanSupplier live;
    private final Timer lag;
    private final ReentrantLock writing = new ReentrantLock();

    /** {@code live} is false while the index is rebuilt by replay, whose old events would swamp the lag. */
    public IndexFeed(SearchIndex index, Indexing indexing, BooleanSupplier live, MeterRegistry meters) {
        this.index = index;
        this.indexing = indexing;
        this.live = live;
        this.lag = Timer.builder("babble.search.index.lag")
                .description("from an event's occurrence to its change being searchable")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
    }

    @Override
    public void handle(Event event) throws IOException {
        handleAll(List.of(event));
    }

    @Override
    public void handleAll(List<Event> events) throws IOException {
        writing.lock();
        try {
            var searcher = index.acquire();
            try {
                var batch = new IndexBatch(searcher);
                for (Event event : events) {
                    indexing.apply(event, batch);
                }
                index.write(batch.changes());
            } finally {
                index.release(searcher);
            }
            index.commit();
        } finally {
            writing.unlock();
        }
        if (live.getAsBoolean()) {
            Instant now = Instant.now();
            for (Event event : events) {
                Duration took = Duration.between(event.occurredAt(), now);
                lag.record(took.isNegative() ? Duration.ZERO : took);
            }
        }
    }
}
