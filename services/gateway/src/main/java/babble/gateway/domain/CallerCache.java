package babble.gateway.domain;

import babble.contracts.api.UserView;
import babble.platform.json.Json;
import babble.platform.redis.Redis;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway remembers about callers, so most requests cost no call to the users or rooms service: checked
 * tokens (keyed by the token's hash) and each user's latest membership version.
 *
 * <p>In this gateway's memory; with Redis, Redis is the truth every gateway shares and is read on every request
 * (one round trip for both): a logout or a join/leave made through one gateway holds on the user's next request
 * through any other, with no window while an event travels. The memory copy then only saves parsing, and keeps
 * the site up while Redis is away (each gateway then answers from what it last knew).
 */
public final class CallerCache {
    private static final Logger log = LoggerFactory.getLogger(CallerCache.class);
    // A membership version must outlive the copies that lag behind it; as long as a session lasts is plenty.
    private static final Duration VERSION_TTL = Duration.ofDays(30);
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local given = tonumber(ARGV[1])
            if given > current then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return given
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return current""";

    private final Cache<String, Entry> tokens;
    private final Cache<UUID, Long> versions;
    private final Redis redis;
    private final Duration ttl;

    private CallerCache(Duration ttl, int size, Redis redis) {
        this.tokens = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
        this.versions = Caffeine.newBuilder().expireAfterAccess(VERSION_TTL).maximumSize(size).build();
        this.redis = redis;
        this.ttl = ttl;
    }

    /** Everything in this gateway's memory (one gateway, or gateways without Redis). */
    public static CallerCache local(Duration ttl, int size) {
        return new CallerCache(ttl, size, null);
    }

    /** Shared by every gateway through Redis, for {@code ttl} per checked token. */
    public static CallerCache shared(Redis redis, Duration ttl, int size) {
        return new CallerCache(ttl, size, redis);
    }

    /**
     * The caller of a checked token, with their membership version ({@link Caller#UNKNOWN} when not known here);
     * null when the token must be checked by the users service (never seen, expired here, or logged out).
     */
    public Caller get(String tokenHash) {
        Entry known = tokens.getIfPresent(tokenHash);
        if (redis == null) {
            return known == null ? null : known.caller().withMembershipVersion(localVersion(known.caller().user().id()));
        }
        try {
            return known == null ? fetch(tokenHash) : refresh(known);
        } catch (RuntimeException e) {
            log.debug("Redis unavailable, answering from this gateway's memory: {}", e.toString());
            return known == null ? null : known.caller().withMembershipVersion(localVersion(known.caller().user().id()));
        }
    }

    public void put(Caller caller) {
        String json = Json.text(new Stored(caller.user(), caller.expiresAt()));
        tokens.put(caller.tokenHash(), new Entry(json, caller.withMembershipVersion(Caller.UNKNOWN)));
        if (redis != null) {
            try {
                redis.commands().psetex(tokenKey(caller.tokenHash()), ttl.toMillis(), json);
            } catch (RuntimeException e) {
                // only a cache: the next request asks the users service again
            }
        }
    }

    public void forget(String tokenHash) {
        tokens.invalidate(tokenHash);
        if (redis != null) {
            try {
                redis.commands().del(tokenKey(tokenHash));
            } catch (RuntimeException e) {
                // the session itself is gone from the users service; this entry expires by TTL
            }
        }
    }

    /** Remembers that the user's memberships changed up to {@code version} (never lowers what is known). */
    public void membershipChanged(UUID userId, long version) {
        versions.asMap().merge(userId, version, Math::max);
        if (redis != null) {
            try {
                redis.commands().eval(RAISE, ScriptOutputType.INTEGER, new String[] {versionKey(userId)},
                        Long.toString(version), Long.toString(VERSION_TTL.toMillis()));
            } catch (RuntimeException e) {
                log.warn("could not share the membership version of {}: {}", userId, e.toString());
            }
        }
    }

    private Caller fetch(String tokenHash) {
        String json = redis.commands().get(tokenKey(tokenHash));
        if (json == null) {
            return null;
        }
        Entry entry = parse(tokenHash, json);
        tokens.put(tokenHash, entry);
        UUID user = entry.caller().user().id();
        return entry.caller().withMembershipVersion(sharedVersion(user, redis.commands().get(versionKey(user))));
    }

    private Caller refresh(Entry known) {
        String tokenHash = known.caller().tokenHash();
        UUID user = known.caller().user().id();
        var values = redis.commands().mget(tokenKey(tokenHash), versionKey(user));
        String json = values.get(0).getValueOrElse(null);
        if (json == null) {
            tokens.invalidate(tokenHash); // logged out through another gateway, or expired: ask the users service
            return null;
        }
        Entry entry = json.equals(known.json()) ? known : parse(tokenHash, json);
        if (entry != known) {
            tokens.put(tokenHash, entry);
        }
        return entry.caller().withMembershipVersion(sharedVersion(user, values.get(1).getValueOrElse(null)));
    }

    private long sharedVersion(UUID user, String stored) {
        long shared = stored == null ? Caller.UNKNOWN : Long.parseLong(stored);
        return Math.max(shared, localVersion(user));
    }

    private long localVersion(UUID user) {
        Long version = versions.getIfPresent(user);
        return version == null ? Caller.UNKNOWN : version;
    }

    private static Entry parse(String tokenHash, String json) {
        var stored = Json.read(json, Stored.class);
        return new Entry(json, new Caller(stored.user(), tokenHash, stored.expiresAt()));
    }

    private String tokenKey(String tokenHash) {
        return redis.key("token", tokenHash);
    }

    private String versionKey(UUID userId) {
        return redis.key("membership-version", userId.toString());
    }

    /** A checked token as stored in Redis, and in memory with its parsed caller. */
    record Stored(UserView user, Instant expiresAt) {
    }

    private record Entry(String json, Caller caller) {
    }
}
