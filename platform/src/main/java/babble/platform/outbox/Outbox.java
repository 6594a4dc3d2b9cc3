package babble.platform.outbox;

import babble.platform.bus.Event;
import babble.platform.db.Sql;
import babble.platform.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
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
        if (!tx.isInTransaction()) {
            throw new IllegalStateException("outbox events must be added inside the transaction of the change");
        }
        String requestId = MDC.get("request_id");
        var event = new Event(UUID.randomUUID(), type, version, clock.instant(), key, Json.toTree(data),
                requestId == null ? Map.of() : Map.of("requestId", requestId));
        tx.createUpdate("""
                insert into outbox (event_id, subject, payload, created_at)
                values (:id, :subject, :payload, :at)""")
                .bind("id", event.id())
                .bind("subject", event.subject())
                .bind("payload", new String(event.encode(), StandardCharsets.UTF_8))
                .bind("at", Sql.utc(event.occurredAt()))
                .execute();
        tx.afterCommit(relay::wake);
        return event;
    }
}
