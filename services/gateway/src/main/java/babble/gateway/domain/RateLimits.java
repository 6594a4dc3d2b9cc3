package babble.gateway.domain;

import babble.platform.problem.TooManyRequests;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import babble.platform.redis.Redis;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) per signed-in user and, for anonymous calls (sign-up, sign-in, the counter), per
 * client address: over the limit is 429 with Retry-After. Buckets live in Redis when the deployment has it (so
 * every gateway counts together), else in this gateway's memory. If Redis cannot be reached, requests pass:
 * a rate limiter must not take the site down.
 */
public final class RateLimits {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    /** A sustained rate per second and the burst allowed above it. */
    public record Limit(long perSecond, long burst) {
        BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(bandwidth -> bandwidth.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .build();
        }
    }

    private final Limit user;
    private final Limit anonymous;
    private final Function<String, Function<Limit, ConsumptionProbe>> buckets;

    private RateLimits(Limit user, Limit anonymous, Function<String, Function<Limit, ConsumptionProbe>> buckets) {
        this.user = user;
        this.anonymous = anonymous;
        this.buckets = buckets;
    }

    /** Buckets in this process's memory (one gateway). */
    public static RateLimits local(Limit user, Limit anonymous) {
        LoadingCache<String, Bucket> memory = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(10))
                .maximumSize(1_000_000)
                .build(key -> Bucket.builder().addLimit(b -> {
                    Limit limit = key.startsWith("u:") ? user : anonymous;
                    return b.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1));
                }).build());
        return new RateLimits(user, anonymous, key -> limit -> memory.get(key).tryConsumeAndReturnRemaining(1));
    }

    /** Buckets in Redis, shared by every gateway. */
    public static RateLimits shared(Redis redis, Limit user, Limit anonymous) {
        LettuceBasedProxyManager<String> manager = Bucket4jLettuce.casBasedBuilder(redis.binaryConnection())
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        return new RateLimits(user, anonymous, key -> limit -> manager.builder()
                .build(redis.key("rate", key), limit::configuration)
                .tryConsumeAndReturnRemaining(1));
    }

    public void checkUser(String userId) {
        check("u:" + userId, user);
    }

    public void checkAnonymous(String clientAddress) {
        check("a:" + clientAddress, anonymous);
    }

    private void check(String key, Limit limit) {
        ConsumptionProbe probe;
        try {
            probe = buckets.apply(key).apply(limit);
        } catch (RuntimeException e) {
            log.debug("rate limit store unavailable, letting the request through: {}", e.toString());
            return;
        }
        if (!probe.isConsumed()) {
            int seconds = (int) Math.max(1, Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
            throw new TooManyRequests("too many requests; slow down", seconds);
        }
    }
}
