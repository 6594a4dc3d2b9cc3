package babble.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.contracts.api.UserView;
import babble.platform.redis.Redis;
import babble.platform.testing.TestServers;
import babble.platform.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What gateways remember about callers: in memory, and with the production adapters shared through the machine's
 * Redis, where two caches stand for two gateways.
 */
class CallerCacheTest {
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

    private static CallerCache gateway() {
        return redis == null ? CallerCache.local(Duration.ofMinutes(1), 1000)
                : CallerCache.shared(redis, Duration.ofMinutes(1), 1000);
    }

    private static Caller caller() {
        var id = UUID.randomUUID();
        return new Caller(new UserView(id, "u" + id.toString().substring(0, 6), "U"), "hash-" + id,
                Instant.now().plusSeconds(3600));
    }

    @Test
    void aCheckedTokenIsKnownUntilForgotten() {
        var cache = gateway();
        var caller = caller();

        cache.put(caller);
        var known = cache.get(caller.tokenHash());
        cache.forget(caller.tokenHash());

        assertThat(known.user()).isEqualTo(caller.user());
        assertThat(known.membershipVersion()).isEqualTo(Caller.UNKNOWN);
        assertThat(cache.get(caller.tokenHash())).isNull();
    }

    @Test
    void aMembershipVersionOnlyEverRises() {
        var cache = gateway();
        var caller = caller();
        cache.put(caller);

        cache.membershipChanged(caller.user().id(), 7);
        cache.membershipChanged(caller.user().id(), 5); // an older answer arriving late

        assertThat(cache.get(caller.tokenHash()).membershipVersion()).isEqualTo(7);
    }

    @Test
    void aJoinOrLeaveThroughOneGatewayIsCarriedByTheNextRequestThroughAnother() {
        assumeTrue(redis != null, "gateways share what they know only through Redis (production adapters)");
        var first = gateway();
        var second = gateway();
        var caller = caller();
        first.put(caller);
        assertThat(second.get(caller.tokenHash()).membershipVersion()).isEqualTo(Caller.UNKNOWN);

        first.membershipChanged(caller.user().id(), 3);

        assertThat(second.get(caller.tokenHash()).membershipVersion()).isEqualTo(3);
    }

    @Test
    void aLogoutThroughOneGatewayEndsTheTokenOnTheNextRequestThroughAnother() {
        assumeTrue(redis != null, "gateways share what they know only through Redis (production adapters)");
        var first = gateway();
        var second = gateway();
        var caller = caller();
        first.put(caller);
        assertThat(second.get(caller.tokenHash())).isNotNull(); // now in the second gateway's memory too

        first.forget(caller.tokenHash());

        assertThat(second.get(caller.tokenHash())).isNull();
    }
}
