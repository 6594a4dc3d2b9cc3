package babble.platform.bus;

/**
 * The event bus. Adapters: {@link InProcessBus} (one JVM, streams kept in an embedded database) and
 * {@code NatsBus} (NATS JetStream). Subjects are NATS-style: {@code events.room.member-joined.<roomId>}, where
 * {@code *} matches one word and {@code >} the rest.
 */
public interface Bus extends AutoCloseable {

    /** Stores the event durably (returns once it is stored); a second publish of the same event id is ignored. */
    void publish(String subject, java.util.UUID eventId, byte[] payload);

    /** One event to publish in a batch. */
    record Outgoing(String subject, java.util.UUID eventId, byte[] payload) {
    }

    /**
     * Publishes several events in order, returning once all are stored. Adapters do it in one round (one
     * transaction, or pipelined acknowledgements); if it fails, some may be stored, and republishing is safe.
     */
    default void publishAll(java.util.List<Outgoing> events) {
        for (Outgoing e : events) {
            publish(e.subject(), e.eventId(), e.payload());
        }
    }

    /**
     * A durable consumer: receives every event on matching subjects from the first one ever published (replay
     * from the start), in order, at least once; its position survives restarts. An event is acknowledged when
     * the handler returns; when it throws, the event is delivered again after a pause.
     */
    Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start);

    default Subscription consume(String consumerName, String subjectFilter, EventHandler handler) {
        return consume(consumerName, subjectFilter, handler, StartFrom.BEGINNING);
    }

    /** Where a durable consumer starts the first time it is created (afterwards it resumes where it stopped). */
    enum StartFrom {
        /** Every event ever published (a projection rebuilding its copy). */
        BEGINNING,
        /** Events published from now on (a bot that must not answer last week's commands). */
        NEW
    }

    /**
     * A live listener: receives events published from now on, at most once, through a bounded buffer (when the
     * listener falls behind, events are dropped and counted). For fan-out and cache eviction, where the listener
     * can detect and repair gaps itself.
     */
    Subscription listen(String subjectFilter, EventHandler handler);

    /**
     * Hands an event to the live listeners of its subject in every process, now, and stores nothing: for what is
     * worth nothing a moment later (someone is typing). At most once; a listener that is not there misses it.
     * The subject must not be under {@code events.}, whose subjects are kept in streams.
     */
    void broadcast(String subject, byte[] payload);

    /**
     * Registers a callback for moments when live deliveries may have been lost (a reconnect to the broker), so
     * listeners that track positions can catch up from their source of truth.
     */
    default void onLiveGap(Runnable listener) {
    }

    /**
     * How many events a stream holds now (what a consumer starting from the beginning would be handed, before
     * its filter): a rebuilding projection's progress is measured against it.
     */
    long storedEvents(String stream);

    /**
     * Forgets a durable consumer's position, so that it starts again from the beginning (a projection whose store
     * was lost replays everything). Only for a consumer that is not running.
     */
    void resetConsumer(String consumerName, String subjectFilter);

    /** True when the bus can take publishes right now. */
    boolean isReady();

    @Override
    void close();
}
