package babble.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A gateway's side of presence, driven tick by tick on a clock the test moves: gateways sharing one registry (as
 * they share Redis), each announcing what its registry calls caused.
 */
class PresenceTest {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final List<String> announced = new CopyOnWriteArrayList<>();
    private final SwappableRegistry registry = new SwappableRegistry();
    private final UUID ann = UUID.randomUUID();

    private Presence gateway(String name) {
        return new Presence(registry, name, (user, online) -> announced.add((user.equals(ann) ? "ann" : user) + (online ? " online" : " offline")),
                clock, GRACE);
    }

    @Test
    void aUserWithManySocketsComesOnlineOnceAndGoesOfflineOnceTheGraceAfterTheLastCloses() {
        var g1 = gateway("g1");

        g1.opened(ann);
        g1.opened(ann);
        g1.opened(ann);
        g1.tick();
        var afterOpening = List.copyOf(announced);
        g1.closed(ann);
        g1.closed(ann);
        g1.tick();
        g1.closed(ann);
        g1.tick();
        clock.advance(GRACE.minusMillis(1));
        g1.tick();
        var withinGrace = List.copyOf(announced);
        clock.advance(Duration.ofMillis(1));
        g1.tick();

        assertThat(afterOpening).containsExactly("ann online");
        assertThat(withinGrace).containsExactly("ann online");
        assertThat(announced).containsExactly("ann online", "ann offline");
        assertThat(g1.online(List.of(ann))).isEmpty();
    }

    @Test
    void aReloadWithinTheGraceShowsNothing() {
        var g1 = gateway("g1");
        g1.opened(ann);
        g1.tick();

        g1.closed(ann);
        g1.tick();
        clock.advance(Duration.ofSeconds(1));
        g1.opened(ann);
        g1.tick();
        clock.advance(GRACE.multipliedBy(2));
        g1.tick();

        assertThat(announced).containsExactly("ann online");
        assertThat(g1.online(List.of(ann))).containsExactly(ann);
    }

    @Test
    void aUserOnTwoGatewaysIsOnlineUntilBothLetGo() {
        var g1 = gateway("g1");
        var g2 = gateway("g2");
        g1.opened(ann);
        g1.tick();
        g2.opened(ann);
        g2.tick();

        g1.closed(ann);
        g1.tick();
        clock.advance(GRACE.multipliedBy(2));
        g1.tick();
        g2.tick();
        var whileOnG2 = List.copyOf(announced);
        g2.closed(ann);
        g2.tick();
        clock.advance(GRACE);
        g1.tick(); // any gateway's sweep may find it due: it is announced once
        g2.tick();

        assertThat(whileOnG2).containsExactly("ann online");
        assertThat(announced).containsExactly("ann online", "ann offline");
    }

    @Test
    void theUsersOfAGatewayThatDiesGoOfflineWhenItsBeatRunsOutAndTheGraceHasPassed() {
        var dying = gateway("dying");
        var other = gateway("other");
        dying.opened(ann);
        dying.tick();
        other.tick();

        // dying stops ticking (killed): its last beat lasts ALIVE_FOR, then its users have the grace to come back
        clock.advance(Presence.ALIVE_FOR);
        other.tick();
        var atExpiry = List.copyOf(announced);
        clock.advance(GRACE);
        other.tick();

        assertThat(atExpiry).containsExactly("ann online");
        assertThat(announced).containsExactly("ann online", "ann offline");
    }

    @Test
    void aGatewayThatStopsCleanlyLetsItsUsersGoWithoutWaitingForItsBeatToRunOut() {
        var stopping = gateway("stopping");
        var other = gateway("other");
        stopping.opened(ann);
        stopping.tick();

        stopping.close();
        other.tick(); // its next sweep finds the stopped gateway at once; its users have the grace to come back
        var atOnce = List.copyOf(announced);
        clock.advance(GRACE);
        other.tick();

        assertThat(atOnce).containsExactly("ann online");

        assertThat(announced).containsExactly("ann online", "ann offline");
    }

    @Test
    void whatTheRegistryCouldNotTakeIsTriedAgainOnTheNextTick() {
        var g1 = gateway("g1");
        g1.opened(ann);
        registry.failing.set(true);

        assertThatThrownBy(g1::tick).isInstanceOf(IllegalStateException.class);
        registry.failing.set(false);
        g1.tick();

        assertThat(announced).containsExactly("ann online");
        assertThat(g1.online(List.of(ann))).containsExactly(ann);
    }

    @Test
    void aRegistryThatLostEverythingIsToldAgainWhoIsHere() {
        var g1 = gateway("g1");
        g1.opened(ann);
        g1.tick();

        registry.replace(); // Redis restarted: it keeps nothing on disk
        clock.advance(Presence.BEAT_EVERY);
        g1.tick();

        assertThat(g1.online(List.of(ann))).containsExactly(ann);
        assertThat(announced).containsExactly("ann online", "ann online");
    }

    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A registry in memory that can fail, or lose everything, on demand. */
    private static final class SwappableRegistry implements PresenceRegistry {
        private volatile PresenceRegistry current = PresenceRegistry.local();
        final AtomicBoolean failing = new AtomicBoolean();

        void replace() {
            current = PresenceRegistry.local();
        }

        private PresenceRegistry current() {
            if (failing.get()) {
                throw new IllegalStateException("registry unavailable");
            }
            return current;
        }

        @Override
        public boolean arrive(UUID user, String gateway) {
            return current().arrive(user, gateway);
        }

        @Override
        public void leave(UUID user, String gateway, long offlineAt) {
            current().leave(user, gateway, offlineAt);
        }

        @Override
        public boolean heartbeat(String gateway, long aliveUntil) {
            return current().heartbeat(gateway, aliveUntil);
        }

        @Override
        public List<UUID> sweep(long now, long deadGatewayOfflineAt) {
            return current().sweep(now, deadGatewayOfflineAt);
        }

        @Override
        public Set<UUID> online(Collection<UUID> users) {
            return current().online(users);
        }
    }
}
