package babble.users.domain;

import java.util.Optional;

/** Where sessions live: the service's database by default, Redis (with TTLs) in production. */
public interface SessionStore {
    void save(Session session);

    /** The session, if it exists and has not expired. */
    Optional<Session> find(String tokenHash);

    /** Removes the session; false if there was none. */
    boolean delete(String tokenHash);

    void deleteExpired();
}
