package babble.platform.outbox;

import babble.platform.bus.Event;
import babble.platform.db.Sql;
import babble.platform.json.Json;
import babble.platform.telemetry.ProducerSpans;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import babble.platform.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.MDC;

/**
 * The transactional outbox: a service adds events inside the transaction that changes its state, so an event
 * exists exactly when the change committed. The {@link OutboxRelay} publishes them to the bus afterwards.
 */
public final class Outbox {
    private final OutboxRelay relay;
    private final Clock clock;

    public Outbox(OutboxRelay relay, Clock clock) {
        this.relay = relay;
        this.clock = clock;
    }

    /** Adds an event of {@code type} about {@code key} with {@code data} (a record), version 1. */
    public Event add(Handle tx, String type, String key, Object data) {
        return add(tx, type, 1, key, data);
    }

    public Event add(Handle tx, String type, int version, String key, Object data) {
        return addAll(tx, List.of(new New(type, version, key, data, Cause.current()))).getFirst();
    }

    /** An event to add: type, version, key, data, and what caused it. */
    public record New(String type, int version, String key, Object data, Cause cause) {
        public New(String type, String key, Object data, Cause cause) {
            this(type, 1, key, data, cause);
        }
    }

    /**
     * What caused an event: the request (its id, null when none) and the trace it belongs to. Taken with
     * {@link #current()} on the thread that serves the request, and handed along when the event is written on
     * another (a group commit's writer), so that the event still names its request and continues its trace.
     */
    public record Cause(String requestId, Context trace) {
        public static Cause current() {
            return new Cause(MDC.get("request_id"), Context.current());
        }
    }

    /** Adds several events in one round trip (a JDBC batch), in order. */
    public List<Event> addAll(Handle tx, List<New> events) {
        if (!tx.isInTransaction()) {
            throw new IllegalStateException("outbox events must be added inside the transaction of the change");
        }
        var added = new ArrayList<Event>(events.size());
        var insert = tx.prepareBatch("""
                insert into outbox (event_id, subject, payload, created_at)
                values (:id, :subject, :payload, :at)""");
        // The trace context rides in each event's meta, inside the payload the relay publishes as it is: no column.
        var producers = new ProducerSpans();
        Throwable failure = null;
        try {
            for (New e : events) {
                String subject = Event.subjectOf(e.type(), e.key());
                var meta = new LinkedHashMap<String, String>(4);
                Cause cause = e.cause() == null ? Cause.current() : e.cause();
                if (cause.requestId() != null) {
                    meta.put("requestId", cause.requestId());
                }
                producers.inject(cause.trace(), e.type(), subject, meta);
                var event = new Event(Ids.newId(), e.type(), e.version(), clock.instant(), e.key(), Json.toTree(e.data()),
                        meta);
                insert.bind("id", event.id())
                        .bind("subject", subject)
                        .bind("payload", new String(event.encode(), StandardCharsets.UTF_8))
                        .bind("at", Sql.utc(event.occurredAt()))
                        .add();
                added.add(event);
            }
            if (!added.isEmpty()) {
                insert.execute();
                tx.afterCommit(relay::wake);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            producers.end(failure);
        }
        return added;
    }
}
