package babble.platform.outbox;

import babble.platform.bus.Event;
import babble.platform.db.Sql;
import babble.platform.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import babble.platform.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return addAll(tx, List.of(new New(type, version, key, data, MDC.get("request_id")))).getFirst();
    }

    /** An event to add: type, version, key, data, and the request that caused it (null when none). */
    public record New(String type, int version, String key, Object data, String requestId) {
        public New(String type, String key, Object data, String requestId) {
            this(type, 1, key, data, requestId);
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
        for (New e : events) {
            var event = new Event(Ids.newId(), e.type(), e.version(), clock.instant(), e.key(), Json.toTree(e.data()),
                    e.requestId() == null ? Map.of() : Map.of("requestId", e.requestId()));
            insert.bind("id", event.id())
                    .bind("subject", event.subject())
                    .bind("payload", new String(event.encode(), StandardCharsets.UTF_8))
                    .bind("at", Sql.utc(event.occurredAt()))
                    .add();
            added.add(event);
        }
        if (!added.isEmpty()) {
            insert.execute();
            tx.afterCommit(relay::wake);
        }
        return added;
    }
}
