package babble.gateway.domain;

import babble.contracts.api.UserView;
import babble.platform.json.Json;
import babble.platform.redis.Redis;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;

/**
 * Checked tokens, so most requests cost no call to the users service: in this gateway's memory, and with
 * Redis also shared by every gateway (a token checked by one is known to all). Keyed by the token's hash.
 * Redis failing only means asking the users service again.
 */
public final class TokenCache {
    private final Cache<String, Caller> memory;
    private final Redis redis;
    private final Duration ttl;

    private TokenCache(Duration memoryTtl, int size, Redis redis, Duration ttl) {
        this.memory = Caffeine.newBuilder().expireAfterWrite(memoryTtl).maximumSize(size).build();
        this.redis = redis;
        this.ttl = ttl;
    }

    public static TokenCache local(Duration ttl, int size) {
        return new TokenCache(ttl, size, null, ttl);
    }

    /** Memory for a few seconds in front of Redis for {@code ttl}. */
    public static TokenCache shared(Redis redis, Duration ttl, int size) {
        return new TokenCache(Duration.ofSeconds(5), size, redis, ttl);
    }

    public Caller get(String tokenHash) {
        Caller known = memory.getIfPresent(tokenHash);
        if (known != null || redis == null) {
            return known;
        }
        try {
            String json = redis.commands().get(redis.key("token", tokenHash));
            if (json == null) {
                return null;
            }
            var cached = Json.read(json, Cached.class);
            var caller = new Caller(cached.user(), tokenHash, cached.expiresAt());
            memory.put(tokenHash, caller);
            return caller;
        } catch (RuntimeException e) {
            return null;
        }
    }

    public void put(Caller caller) {
        memory.put(caller.tokenHash(), caller);
        if (redis != null) {
            try {
                redis.commands().psetex(redis.key("token", caller.tokenHash()), ttl.toMillis(),
                        Json.text(new Cached(caller.user(), caller.expiresAt())));
            } catch (RuntimeException e) {
                // only a cache
            }
        }
    }

    public void forget(String tokenHash) {
        memory.invalidate(tokenHash);
        if (redis != null) {
            try {
                redis.commands().del(redis.key("token", tokenHash));
            } catch (RuntimeException e) {
                // the session itself is gone from the users service; this entry expires by TTL
            }
        }
    }

    record Cached(UserView user, Instant expiresAt) {
    }
}
