package babble.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.redis.Redis;
import babble.platform.testing.TestServers;
import babble.platform.testing.TestStores;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Who is online across gateways: in memory, and with the production adapters in the machine's Redis, each test on
 * a namespace of its own. Times are plain numbers: the registry only compares what it is given.
 */
class PresenceRegistryTest {
    private static final ConcurrentLinkedQueue<Redis> OPEN = new ConcurrentLinkedQueue<>();

    /** An empty registry: in memory, or with the production adapters under a namespace of its own in Redis. */
    private static PresenceRegistry registry() {
        if (!TestStores.production()) {
            return PresenceRegistry.local();
        }
        var redis = Redis.connect(TestServers.redisUrl(), "t" + UUID.randomUUID().toString().substring(0, 8),
                Duration.ofSeconds(5));
        OPEN.add(redis);
        return PresenceRegistry.shared(redis);
    }

    @AfterAll
    static void close() {
        OPEN.forEach(Redis::close);
    }

    @Test
    void theFirstGatewayToHoldAUserMakesThemOnlineAndOnlyThatOne() {
        var registry = registry();
        var ann = UUID.randomUUID();

        boolean first = registry.arrive(ann, "g1");
        boolean second = registry.arrive(ann, "g2");
        boolean again = registry.arrive(ann, "g1");

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(again).isFalse();
        assertThat(registry.online(List.of(ann, UUID.randomUUID()))).containsExactly(ann);
    }

    @Test
    void aUserGoesOfflineOnlyWhenNoGatewayHoldsThemAndTheGraceHasPassed() {
        var registry = registry();
        var ann = UUID.randomUUID();
        registry.arrive(ann, "g1");
        registry.arrive(ann, "g2");

        registry.leave(ann, "g1", 1_000);
        var whileHeldByG2 = registry.sweep(5_000, 5_000);
        registry.leave(ann, "g2", 6_000);
        var withinGrace = registry.sweep(5_999, 5_999);
        var afterGrace = registry.sweep(6_000, 6_000);
        var sweptAgain = registry.sweep(9_000, 9_000);

        assertThat(whileHeldByG2).isEmpty();
        assertThat(withinGrace).isEmpty();
        assertThat(afterGrace).containsExactly(ann);
        assertThat(sweptAgain).as("announced once").isEmpty();
        assertThat(registry.online(List.of(ann))).isEmpty();
    }

    @Test
    void comingBackWithinTheGraceIsNoTransitionAtAll() {
        var registry = registry();
        var ann = UUID.randomUUID();
        registry.arrive(ann, "g1");
        registry.leave(ann, "g1", 5_000);

        boolean cameOnline = registry.arrive(ann, "g2"); // a reload, landing on the other gateway

        assertThat(cameOnline).isFalse();
        assertThat(registry.sweep(10_000, 10_000)).isEmpty();
        assertThat(registry.online(List.of(ann))).containsExactly(ann);
    }

    @Test
    void theUsersOfAGatewayThatStopsBeatingLeaveAfterTheGrace() {
        var registry = registry();
        var ann = UUID.randomUUID();
        var bob = UUID.randomUUID();
        registry.heartbeat("g1", 10_000);
        registry.heartbeat("g2", 30_000);
        registry.arrive(ann, "g1");
        registry.arrive(bob, "g1");
        registry.arrive(bob, "g2");

        var beforeExpiry = registry.sweep(9_999, 14_999);
        var atExpiry = registry.sweep(10_000, 15_000); // g1 is dead: ann leaves at 15,000, bob is still on g2
        var afterGrace = registry.sweep(15_000, 20_000);

        assertThat(beforeExpiry).isEmpty();
        assertThat(atExpiry).isEmpty();
        assertThat(afterGrace).containsExactly(ann);
        assertThat(registry.online(List.of(ann, bob))).containsExactly(bob);
        assertThat(registry.heartbeat("g1", 40_000)).as("a gateway taken for dead is unknown when it beats again").isTrue();
        assertThat(registry.heartbeat("g2", 40_000)).isFalse();
    }

    @Test
    void aUserHeldByGatewaysRacingToArriveAndLeaveIsAnnouncedExactlyOnceEachWay() throws Exception {
        var registry = registry();
        var ann = UUID.randomUUID();
        var start = new CountDownLatch(1);
        var onlineAnswers = new ConcurrentLinkedQueue<Boolean>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int g = 0; g < 8; g++) {
                String gateway = "g" + g;
                pool.submit(() -> {
                    start.await();
                    onlineAnswers.add(registry.arrive(ann, gateway));
                    registry.leave(ann, gateway, 100);
                    return null;
                });
            }
            start.countDown();
        }

        assertThat(onlineAnswers).hasSize(8).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(registry.sweep(100, 100)).containsExactly(ann);
    }
}
