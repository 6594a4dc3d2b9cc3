package babble.gateway.domain;

import babble.platform.problem.TooManyRequests;
import babble.platform.redis.Redis;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) per signed-in user and, for anonymous calls (sign-up, sign-in, the counter), per
 * client address: over the limit is 429 with Retry-After. Buckets live in Redis when the deployment has it (so
 * every gateway counts together), else in this gateway's memory. If Redis cannot be reached, requests pass:
 * a rate limiter must not take the site down.
 *
 * <p>With Redis, each gateway keeps one bucket proxy per key that consumes locally and settles with Redis after
 * {@link #SYNC_EVERY} or a tenth of a second's worth of tokens, whichever comes first (Bucket4j's "delaying"
 * optimization): a busy key costs one Redis compare-and-swap per settlement instead of one per request, and
 * concurrent requests no longer retry against each other on the same key. The price is that each gateway may
 * overshoot a limit by that tenth of a second's worth of tokens before it settles.
 *
 * <p>A bucket in Redis outlives gateways; it carries the configuration version of the gateway that wrote it
 * (the gateway's start time), and a gateway started later replaces an older configuration on first use, so a
 * changed limit applies as soon as the new gateways run (tokens carried over additively: a raised limit grants
 * the difference at once, a lowered one takes it away).
 */
public final class RateLimits {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    static final Duration SYNC_EVERY = Duration.ofMillis(100);

    /** A sustained rate per second and the burst allowed above it. */
    public record Limit(long perSecond, long burst) {
        /** A bucket of this limit in this process's memory alone (one socket's frames, say). */
        public Bucket localBucket() {
            return Bucket.builder().addLimit(bandwidth()).build();
        }

        Bandwidth bandwidth() {
            return Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
        }

        BucketConfiguration configuration() {
            return BucketConfiguration.builder().addLimit(bandwidth()).build();
        }

        /** Tokens a gateway may hand out before settling with Redis: a tenth of a second's worth, at least one. */
        long unsynchronizedTokens() {
            return Math.max(1, Math.min(burst, perSecond / 10));
        }
    }

    private final LoadingCache<String, Bucket> buckets;

    private RateLimits(Function<String, Bucket> newBucket) {
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(10))
                .maximumSize(1_000_000)
                .build(newBucket::apply);
    }

    /** Buckets in this process's memory (one gateway). */
    public static RateLimits local(Limit user, Limit anonymous) {
        return new RateLimits(key -> Bucket.builder().addLimit(limitOf(key, user, anonymous).bandwidth()).build());
    }

    /** Buckets in Redis, shared by every gateway; {@code configurationVersion} orders gateways' settings (see above). */
    public static RateLimits shared(Redis redis, Limit user, Limit anonymous, long configurationVersion) {
        LettuceBasedProxyManager<String> manager = Bucket4jLettuce.casBasedBuilder(redis.binaryConnection())
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        return new RateLimits(key -> {
            Limit limit = limitOf(key, user, anonymous);
            return manager.builder()
                    .withImplicitConfigurationReplacement(configurationVersion, TokensInheritanceStrategy.ADDITIVE)
                    .withOptimization(Optimizations.delaying(new DelayParameters(limit.unsynchronizedTokens(), SYNC_EVERY)))
                    .build(redis.key("rate", key), limit::configuration);
        });
    }

    public void checkUser(String userId) {
        check("u:" + userId);
    }

    public void checkAnonymous(String clientAddress) {
        check("a:" + clientAddress);
    }

    private static Limit limitOf(String key, Limit user, Limit anonymous) {
        return key.startsWith("u:") ? user : anonymous;
    }

    private void check(String key) {
        ConsumptionProbe probe;
        try {
            probe = buckets.get(key).tryConsumeAndReturnRemaining(1);
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
