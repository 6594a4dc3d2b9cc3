package babble.query.domain;

import babble.platform.consumer.TransactionalHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuild of the read model by replay: how many events each stream held when it began (the target), how many
 * have been applied since, and whether the model has caught up (until then the service is not ready). Progress
 * goes to the log every few seconds and to metrics ({@code babble_query_replay_*}).
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    private final Map<String, Long> targets;
    private final Map<String, AtomicLong> applied = new LinkedHashMap<>();
    private final long startedAt = System.nanoTime();
    private volatile long finishedAt;
    private long lastReported;
    private long lastReportedAt = startedAt;

    private Replay(Map<String, Long> targets) {
        this.targets = Map.copyOf(targets);
        targets.keySet().forEach(stream -> applied.put(stream, new AtomicLong()));
        if (total() == 0) {
            finishedAt = startedAt;
        }
    }

    /** Nothing to replay: the model resumes where it stopped. */
    public static Replay none(Iterable<String> streams) {
        var zero = new LinkedHashMap<String, Long>();
        streams.forEach(s -> zero.put(s, 0L));
        return new Replay(zero);
    }

    /** A replay of everything the streams hold now. */
    public static Replay of(Map<String, Long> storedPerStream) {
        log.info("the read model is empty: replaying {} events from the start ({})",
                storedPerStream.values().stream().mapToLong(Long::longValue).sum(), storedPerStream);
        return new Replay(storedPerStream);
    }

    /** Counts an event of {@code stream} as applied once its transaction commits. */
    public TransactionalHandler counting(String stream, TransactionalHandler handler) {
        AtomicLong counter = applied.get(stream);
        return (event, tx) -> {
            handler.handle(event, tx);
            tx.afterCommit(counter::incrementAndGet);
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
        log.info("the read model has caught up: {} events replayed in {} ms ({} events/s)", total(),
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
        log.info("replaying the read model: {} of {} events ({} events/s)", done, total(),
                Math.round(rate(done - lastReported, now - lastReportedAt)));
        lastReported = done;
        lastReportedAt = now;
    }

    public void register(MeterRegistry meters) {
        Gauge.builder("babble.query.replay.applied", this, Replay::applied)
                .description("events applied by the current or last replay of the read model").register(meters);
        Gauge.builder("babble.query.replay.total", this, Replay::total)
                .description("events the streams held when the replay began").register(meters);
        Gauge.builder("babble.query.replay.caught_up", this, r -> r.caughtUp() ? 1 : 0).register(meters);
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

    private static double rate(long events, long nanos) {
        return nanos <= 0 ? 0 : events / (nanos / 1e9);
    }
}
