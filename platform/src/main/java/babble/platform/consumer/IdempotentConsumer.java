package babble.platform.consumer;

import babble.platform.bus.BatchEventHandler;
import babble.platform.bus.Event;
import babble.platform.db.Database;
import babble.platform.db.Sql;
import java.time.Clock;
import java.util.List;

/**
 * Makes a handler idempotent: the event id is recorded in {@code processed_events} in the same transaction as
 * the handler's writes, so an event delivered twice (at-least-once buses do that) changes state once.
 */
public final class IdempotentConsumer implements BatchEventHandler {
    private final Database db;
    private final String consumer;
    private final TransactionalHandler handler;
    private final Clock clock;

    public IdempotentConsumer(Database db, String consumer, TransactionalHandler handler, Clock clock) {
        this.db = db;
        this.consumer = consumer;
        this.handler = handler;
        this.clock = clock;
    }

    @Override
    public void handle(Event event) throws Exception {
        handleAll(List.of(event));
    }

    /** Several events in one transaction (one commit for a whole batch of a replay), each still at most once. */
    @Override
    public void handleAll(List<Event> events) throws Exception {
        db.useTransaction(tx -> {
            for (Event event : events) {
                // A concurrent duplicate waits here for the first to commit, then inserts nothing and is skipped.
                int fresh = tx.createUpdate("""
                                insert into processed_events (consumer, event_id, processed_at) values (:c, :id, :at)
                                on conflict do nothing""")
                        .bind("c", consumer).bind("id", event.id()).bind("at", Sql.utc(clock.instant())).execute();
                if (fresh == 1) {
                    handler.handle(event, tx);
                }
            }
        });
    }
}
