package babble.platform.consumer;

import babble.platform.bus.Event;
import org.jdbi.v3.core.Handle;

/** Handles an event inside the transaction that also records it as processed. */
@FunctionalInterface
public interface TransactionalHandler {
    void handle(Event event, Handle tx) throws Exception;
}
