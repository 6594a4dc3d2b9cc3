package babble.platform.bus;

/** A running subscription; closing it stops deliveries (a durable consumer keeps its position). */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
