package babble.platform;

/**
 * One Babble service. {@link #start} is its composition root: it reads its settings, builds its store, domain
 * and API from what the {@link Chassis} gives, and registers routes and subscriptions. The chassis then
 * starts the HTTP server, the outbox relay and the consumers.
 */
public interface Service {
    String name();

    void start(Chassis chassis) throws Exception;
}
