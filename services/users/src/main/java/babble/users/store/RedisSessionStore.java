package babble.users.store;

import babble.platform.redis.Redis;
import babble.users.domain.Session;
import babble.users.domain.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions in Redis (production): one key per token hash, holding the user and the times, set to expire when
 * the session does, so Redis forgets expired sessions by itself.
 */
public final class RedisSessionStore implements SessionStore {
    private final Redis redis;

    public RedisSessionStore(Redis redis) {
        this.redis = redis;
    }

    @Override
    public void save(Session session) {
        long ttl = Duration.between(Instant.now(), session.expiresAt()).toMillis();
        if (ttl <= 0) {
            return;
        }
        String value = session.userId() + " " + session.createdAt() + " " + session.expiresAt();
        redis.commands().psetex(key(session.tokenHash()), ttl, value);
    }

    @Override
    public Optional<Session> find(String tokenHash) {
        String value = redis.commands().get(key(tokenHash));
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(" ");
        var session = new Session(tokenHash, UUID.fromString(parts[0]), Instant.parse(parts[1]), Instant.parse(parts[2]));
        return session.expiresAt().isAfter(Instant.now()) ? Optional.of(session) : Optional.empty();
    }

    @Override
    public boolean delete(String tokenHash) {
        return redis.commands().del(key(tokenHash)) > 0;
    }

    @Override
    public void deleteExpired() {
        // Redis expires the keys itself.
    }

    private String key(String tokenHash) {
        return redis.key("session", tokenHash);
    }
}
