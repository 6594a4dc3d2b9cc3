package babble.platform.bus;

import java.util.List;

/**
 * A handler that can take several events at once (one transaction for all, say): a durable consumer hands it
 * what it has read in one go, in order. When {@link #handleAll} throws, nothing of the batch counts as handled
 * and the consumer hands the same events over one by one through {@link #handle}, so one bad event is retried
 * (and set aside) alone.
 */
public interface BatchEventHandler extends EventHandler {
    void handleAll(List<Event> events) throws Exception;
}
