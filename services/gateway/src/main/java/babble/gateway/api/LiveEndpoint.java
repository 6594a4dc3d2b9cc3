package babble.gateway.api;

import babble.gateway.domain.Authenticator;
import babble.gateway.domain.Caller;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.Presence;
import babble.platform.client.ServiceClient;
import babble.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/live}: the WebSocket endpoint. A token in the query is checked before the upgrade (401 if
 * bad); otherwise the first frame must be {@code {"type":"auth","token"}}. It also keeps every connection
 * alive or closes it: quiet sockets are pinged, sockets that answer nothing for a while are closed.
 */
public final class LiveEndpoint extends JettyWebSocketServlet {
    public static final String PATH = "/api/v1/live";
    static final Duration PING_AFTER = Duration.ofSeconds(25);
    static final Duration DEAD_AFTER = Duration.ofSeconds(70);
    static final Duration AUTH_WITHIN = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LiveEndpoint.class);

    final Authenticator authenticator;
    final Fanout fanout;
    private final Presence presence;
    final ServiceClient rooms;
    final Counter framesSent;
    final Counter slowClosed;
    private final Set<LiveConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Set<LiveConnection>> byUser = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final int socketsPerUser;
    final Counter refusedOverLimit;

    final babble.gateway.domain.RateLimits.Limit framesPerSocket;
    final Counter framesDropped;

    public LiveEndpoint(Authenticator authenticator, Fanout fanout, Presence presence, ServiceClient rooms,
                        MeterRegistry meters, int socketsPerUser, babble.gateway.domain.RateLimits.Limit framesPerSocket) {
        this.presence = presence;
        this.socketsPerUser = socketsPerUser;
        this.framesPerSocket = framesPerSocket;
        this.framesDropped = Counter.builder("babble.live.frames.dropped")
                .description("Frames from clients dropped: over their socket's rate").register(meters);
        this.refusedOverLimit = Counter.builder("babble.live.refused.over.limit")
                .description("Sockets refused: their user already had the most allowed open here").register(meters);
        this.authenticator = authenticator;
        this.fanout = fanout;
        this.rooms = rooms;
        this.framesSent = Counter.builder("babble.live.frames.sent").description("Frames queued to live sockets").register(meters);
        this.slowClosed = Counter.builder("babble.live.slow.closed").description("Sockets closed for falling behind").register(meters);
        Gauge.builder("babble.live.sockets", connections, Set::size).description("Open live sockets").register(meters);
        Gauge.builder("babble.live.rooms", fanout, Fanout::rooms).description("Rooms with a live subscription here").register(meters);
        Thread.ofVirtual().name("live-heartbeat").start(this::heartbeat);
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofMinutes(5)); // a backstop; the heartbeat closes dead sockets sooner
        factory.setMaxTextMessageSize(64 * 1024);
        factory.setCreator((request, response) -> {
            List<String> tokens = request.getParameterMap().get("token");
            Caller caller = null;
            if (tokens != null && !tokens.isEmpty()) {
                try {
                    caller = authenticator.authenticate(tokens.getFirst());
                } catch (Problem e) {
                    response.sendError(e.status(), e.getMessage());
                    return null;
                }
            }
            return new LiveConnection(this, caller);
        });
    }

    void opened(LiveConnection connection) {
        connections.add(connection);
    }

    void closed(LiveConnection connection) {
        connections.remove(connection);
        UUID user = connection.userId();
        if (user != null) {
            boolean[] counted = {false};
            byUser.computeIfPresent(user, (id, sockets) -> {
                counted[0] = sockets.remove(connection);
                return sockets.isEmpty() ? null : sockets;
            });
            if (counted[0]) {
                presence.closed(user);
            }
        }
        fanout.disconnect(connection);
    }

    /**
     * Counts an authenticated socket to its user; false (and not counted) when the user already holds
     * {@code socketsPerUser} open on this gateway.
     */
    boolean authenticated(LiveConnection connection) {
        boolean[] added = {false};
        byUser.compute(connection.userId(), (id, sockets) -> {
            var set = sockets == null ? ConcurrentHashMap.<LiveConnection>newKeySet() : sockets;
            if (set.size() < socketsPerUser) {
                added[0] = set.add(connection);
            }
            return set.isEmpty() ? null : set;
        });
        if (added[0]) {
            presence.opened(connection.userId());
        } else {
            refusedOverLimit.increment();
        }
        return added[0];
    }

    int socketsPerUser() {
        return socketsPerUser;
    }

    /** Sends a frame to every live socket of one user on this gateway (notifications). */
    public void notifyUser(UUID userId, String frame) {
        for (LiveConnection c : byUser.getOrDefault(userId, Set.of())) {
            c.send(frame);
        }
    }

    /** A session was revoked (logout): its live sockets end now. */
    public void sessionRevoked(String tokenHash) {
        for (LiveConnection c : connections) {
            if (c.isFor(tokenHash)) {
                c.close(4401, "session ended");
            }
        }
    }

    public int openConnections() {
        return connections.size();
    }

    @Override
    public void destroy() {
        running = false;
        connections.forEach(c -> c.close(1001, "server stopping"));
        super.destroy();
    }

    private void heartbeat() {
        while (running) {
            try {
                Thread.sleep(Duration.ofSeconds(5));
                long now = System.nanoTime();
                for (LiveConnection c : connections) {
                    c.checkAlive(now);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("live heartbeat failed: {}", e.toString());
            }
        }
    }
}
