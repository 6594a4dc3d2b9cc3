package babble.gateway.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's part in presence. Sockets opening and closing only mark their user as changed; one thread
 * brings the registry in line with what is true here (does this gateway hold a socket of the user now?), so a
 * user with fifty tabs costs one registry call, a burst of reconnects coalesces, and the registry hears of a user
 * in the order things happened here. The same thread beats for this gateway, sweeps the registry, and announces
 * every transition the registry answers, once. Stored nowhere but the registry; a registry that cannot be reached
 * costs presence, never a socket: the work is kept and tried again on the next tick.
 */
public final class Presence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration BEAT_EVERY = Duration.ofSeconds(5);
    static final Duration ALIVE_FOR = Duration.ofSeconds(15);

    /** Tells everyone concerned that a user came online or went offline. */
    @FunctionalInterface
    public interface Announcer {
        void announce(UUID user, boolean online);
    }

    private final PresenceRegistry registry;
    private final String gateway;
    private final Announcer announcer;
    private final Clock clock;
    private final Duration grace;
    private final Set<UUID> changed = new LinkedHashSet<>(); // guards socketsHere too
    private final Map<UUID, Integer> socketsHere = new HashMap<>();
    private final Set<UUID> registered = new HashSet<>(); // only the presence thread touches it
    private long nextBeat = Long.MIN_VALUE;
    private ScheduledExecutorService thread;

    public Presence(PresenceRegistry registry, String gateway, Announcer announcer, Clock clock, Duration grace) {
        this.registry = registry;
        this.gateway = gateway;
        this.announcer = announcer;
        this.clock = clock;
        this.grace = grace;
    }

    /** Starts the presence thread. */
    public Presence start() {
        thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("presence").daemon().factory());
        thread.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** A socket of the user opened here (authenticated). */
    public void opened(UUID user) {
        synchronized (changed) {
            if (socketsHere.merge(user, 1, Integer::sum) > 1) {
                return;
            }
        }
        changed(user);
    }

    /** A socket of the user that {@link #opened} closed. */
    public void closed(UUID user) {
        synchronized (changed) {
            if (socketsHere.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1) != null) {
                return;
            }
        }
        changed(user);
    }

    /** The user's first socket here opened, or their last one closed. */
    private void changed(UUID user) {
        boolean first;
        synchronized (changed) {
            first = changed.isEmpty();
            changed.add(user);
        }
        if (first && thread != null) {
            try {
                thread.execute(this::tickSafely); // now, not at the next tick: coming online shows at once
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** Which of these users are online (on any gateway). */
    public Set<UUID> online(Collection<UUID> users) {
        return registry.online(users);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("presence: the registry could not be brought up to date ({}); trying again", e.toString());
        }
    }

    /** One round: beat when due, register or release changed users, settle what is due, announce. */
    synchronized void tick() {
        long now = clock.millis();
        if (now >= nextBeat) {
            if (registry.heartbeat(gateway, now + ALIVE_FOR.toMillis()) && !registered.isEmpty()) {
                // The registry did not know this gateway (Redis restarted, or it took us for dead): register again.
                log.info("presence: the registry had lost this gateway; registering its {} users again", registered.size());
                synchronized (changed) {
                    changed.addAll(registered);
                }
                registered.clear();
            }
            nextBeat = now + BEAT_EVERY.toMillis();
        }
        List<UUID> users;
        synchronized (changed) {
            users = List.copyOf(changed);
        }
        for (UUID user : users) {
            synchronized (changed) {
                changed.remove(user);
            }
            try {
                reconcile(user, now);
            } catch (RuntimeException e) {
                synchronized (changed) {
                    changed.add(user); // the next tick tries again
                }
                throw e;
            }
        }
        for (UUID user : registry.sweep(now, now + grace.toMillis())) {
            announce(user, false);
        }
    }

    private void reconcile(UUID user, long now) {
        boolean here;
        synchronized (changed) {
            here = socketsHere.containsKey(user);
        }
        if (here && !registered.contains(user)) {
            boolean cameOnline = registry.arrive(user, gateway);
            registered.add(user);
            if (cameOnline) {
                announce(user, true);
            }
        } else if (!here && registered.contains(user)) {
            registry.leave(user, gateway, now + grace.toMillis());
            registered.remove(user);
        }
    }

    private void announce(UUID user, boolean online) {
        try {
            announcer.announce(user, online);
        } catch (RuntimeException e) { // presence is worth nothing a moment later: not tried again
            log.warn("presence: could not announce {} {}: {}", user, online ? "online" : "offline", e.toString());
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
        // Others let this gateway's users go at their next sweep instead of waiting for its beat to run out.
        try {
            registry.heartbeat(gateway, clock.millis());
        } catch (RuntimeException e) {
            // the registry is away: its beat runs out by itself
        }
    }
}
