package babble.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.platform.problem.TooManyRequests;
import babble.platform.redis.Redis;
import babble.platform.testing.TestServers;
import babble.platform.testing.TestStores;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits in memory, and with the production adapters in the machine's Redis, shared by gateways. */
class RateLimitsTest {
    static final RateLimits.Limit GENEROUS = new RateLimits.Limit(1_000_000, 1_000_000);
    static Redis redis;

    @BeforeAll
    static void connect() {
        if (TestStores.production()) {
            redis = Redis.connect(TestServers.redisUrl(), "t" + UUID.randomUUID().toString().substring(0, 8),
                    Duration.ofSeconds(5));
        }
    }

    @AfterAll
    static void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** A gateway with these limits for anonymous calls, started at {@code startedAt} (its configuration version). */
    private static RateLimits gateway(RateLimits.Limit anonymous, long startedAt) {
        return redis == null ? RateLimits.local(GENEROUS, anonymous) : RateLimits.shared(redis, GENEROUS, anonymous, startedAt);
    }

    private static int allowed(RateLimits limits, String address, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            try {
                limits.checkAnonymous(address);
                allowed++;
            } catch (TooManyRequests e) {
                assertThat(e.retryAfterSeconds()).isPositive();
            }
        }
        return allowed;
    }

    @Test
    void anAddressGetsItsBurstThenIsToldToWait() {
        var limits = gateway(new RateLimits.Limit(1, 20), 1);
        String address = "10.0.0." + UUID.randomUUID().hashCode();

        int allowed = allowed(limits, address, 40);

        assertThat(allowed).isBetween(20, 21); // the burst, and perhaps one token refilled meanwhile
        assertThatThrownBy(() -> limits.checkAnonymous(address)).isInstanceOf(TooManyRequests.class);
    }

    @Test
    void aRaisedLimitAppliesAtOnceToAnAddressThatKeepsCalling() {
        assumeTrue(redis != null, "only buckets in Redis outlive a gateway (production adapters)");
        String address = "10.0.1." + UUID.randomUUID().hashCode();
        var before = gateway(new RateLimits.Limit(1, 20), 1);
        allowed(before, address, 40);
        assertThatThrownBy(() -> before.checkAnonymous(address)).isInstanceOf(TooManyRequests.class);

        var restartedWithMore = gateway(GENEROUS, 2); // the same bucket in Redis, a later gateway's settings

        assertThat(allowed(restartedWithMore, address, 500)).isEqualTo(500);
    }

    @Test
    void gatewaysCountTogetherWithinWhatEachMayHandOutBeforeSettling() {
        assumeTrue(redis != null, "gateways count together only through Redis (production adapters)");
        String address = "10.0.2." + UUID.randomUUID().hashCode();
        var limit = new RateLimits.Limit(1, 20); // one token a second: each gateway may hand out one before settling
        var first = gateway(limit, 1);
        var second = gateway(limit, 1);

        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += allowed(first, address, 1) + allowed(second, address, 1);
        }

        assertThat(allowed).isBetween(20, 23);
    }
}
