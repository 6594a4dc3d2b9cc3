package babble.platform.consumer;

import babble.platform.bus.BatchEventHandler;
import babble.platform.bus.Event;
import babble.platform.bus.EventHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuild of a projection (a read model, a search index) by replay: how many events each stream held when it
 * began (the target), how many have been applied since, and whether the projection has caught up (until then its
 * service reports not ready). Progress goes to the log every few seconds and to metrics
 * ({@code babble.<service>.replay.applied|total|caught_up}).
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    private final String service;
    private final String projection;
    private final Map<String, Long> targets;
    private final Map<String, AtomicLong> applied = new LinkedHashMap<>();
    private final long startedAt = System.nanoTime();
    private volatile long finishedAt;
    private long lastReported;
    private long lastReportedAt = startedAt;

    private Replay(String service, String projection, Map<String, Long> targets) {
        this.service = service;
        this.projection = projection;
        this.targets = Map.copyOf(targets);
        targets.keySet().forEach(stream -> applied.put(stream, new AtomicLong()));
        if (total() == 0) {
            finishedAt = startedAt;
        }
    }

    /** Nothing to replay: the projection of {@code service} resumes where it stopped. */
    public static Replay none(String service, String projection, Iterable<String> streams) {
        var zero = new LinkedHashMap<String, Long>();
        streams.forEach(s -> zero.put(s, 0L));
        return new Replay(service, projection, zero);
    }

    /** A replay of everything the streams hold now ({@code projection} names it in the log: "the read model"). */
    public static Replay of(String service, String projection, Map<String, Long> storedPerStream) {
        log.info("{} of {} is empty: replaying {} events from the start ({})", projection, service,
                storedPerStream.values().stream().mapToLong(Long::longValue).sum(), storedPerStream);
        return new Replay(service, projection, storedPerStream);
    }

    /** Counts an event of {@code stream} as applied once its transaction commits. */
    public TransactionalHandler counting(String stream, TransactionalHandler handler) {
        AtomicLong counter = counter(stream);
        return (event, tx) -> {
            handler.handle(event, tx);
            tx.afterCommit(counter::incrementAndGet);
        };
    }

    /** Counts an event of {@code stream} as applied once the handler returns. */
    public EventHandler counting(String stream, EventHandler handler) {
        AtomicLong counter = counter(stream);
        return event -> {
            handler.handle(event);
            counter.incrementAndGet();
        };
    }

    /** Counts the events of {@code stream} as applied once the handler returns, whether given one or many. */
    public BatchEventHandler counting(String stream, BatchEventHandler handler) {
        AtomicLong counter = counter(stream);
        return new BatchEventHandler() {
            @Override
            public void handle(Event event) throws Exception {
                handler.handle(event);
                counter.incrementAndGet();
            }

            @Override
            public void handleAll(List<Event> events) throws Exception {
                handler.handleAll(events);
                counter.addAndGet(events.size());
            }
        };
    }

    public boolean caughtUp() {
        if (finishedAt != 0) {
            return true;
        }
        for (var target : targets.entrySet()) {
            if (applied.get(target.getKey()).get() < target.getValue()) {
                return false;
            }
        }
        finishedAt = System.nanoTime();
        log.info("{} of {} has caught up: {} events replayed in {} ms ({} events/s)", projection, service, total(),
                (finishedAt - startedAt) / 1_000_000, Math.round(rate(total(), finishedAt - startedAt)));
        return true;
    }

    /** Logs progress while replaying: position of total, and events a second since the last report. */
    public synchronized void report() {
        if (finishedAt != 0 || caughtUp()) {
            return;
        }
        long now = System.nanoTime();
        long done = applied();
        log.info("replaying {} of {}: {} of {} events ({} events/s)", projection, service, done, total(),
                Math.round(rate(done - lastReported, now - lastReportedAt)));
        lastReported = done;
        lastReportedAt = now;
    }

    public void register(MeterRegistry meters) {
        String prefix = "babble." + service + ".replay.";
        Gauge.builder(prefix + "applied", this, Replay::applied)
                .description("events applied by the current or last replay of " + projection).register(meters);
        Gauge.builder(prefix + "total", this, Replay::total)
                .description("events the streams held when the replay began").register(meters);
        Gauge.builder(prefix + "caught_up", this, r -> r.caughtUp() ? 1 : 0).register(meters);
    }

    /** Events a second over the whole replay so far (or the finished one). */
    public double eventsPerSecond() {
        long end = finishedAt != 0 ? finishedAt : System.nanoTime();
        return rate(Math.min(applied(), total()), end - startedAt);
    }

    public long applied() {
        return applied.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long total() {
        return targets.values().stream().mapToLong(Long::longValue).sum();
    }

    private AtomicLong counter(String stream) {
        AtomicLong counter = applied.get(stream);
        if (counter == null) {
            throw new IllegalArgumentException("no stream " + stream + " in this replay: " + applied.keySet());
        }
        return counter;
    }

    private static double rate(long events, long nanos) {
        return nanos <= 0 ? 0 : events / (nanos / 1e9);
    }
}
