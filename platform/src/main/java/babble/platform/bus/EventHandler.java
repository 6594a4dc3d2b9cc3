package babble.platform.bus;

/** Handles one event; throwing means "not handled", and a durable consumer will deliver it again. */
@FunctionalInterface
public interface EventHandler {
    void handle(Event event) throws Exception;
}
