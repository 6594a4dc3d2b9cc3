package babble.gateway.api;

import babble.contracts.internal.UserRooms;
import babble.gateway.domain.Caller;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.Frames;
import babble.gateway.domain.LiveSocket;
import babble.platform.json.Json;
import babble.platform.problem.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live socket: the client's frames ({@code auth}, {@code subscribe}, {@code unsubscribe}, {@code ping}) in,
 * and a bounded queue of frames out. Frames from one client are handled one at a time, in order. (Public only
 * because Jetty looks up the listener methods reflectively.)
 */
public final class LiveConnection implements Session.Listener.AutoDemanding, LiveSocket {
    /** Frames sent but not yet written; beyond this the client is too slow and is closed. */
    static final int MAX_IN_FLIGHT = 2_000;
    static final int MAX_ROOMS_PER_FRAME = 500;
    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    private final LiveEndpoint endpoint;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long openedAt = System.nanoTime();
    private volatile Caller caller;
    private volatile Session session;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean closed;

    private final io.github.bucket4j.Bucket frames; // this socket's allowance of frames from the client
    private long lastSlowDown;
    static final long TYPING_EVERY_NANOS = 3_000_000_000L;
    private final Map<UUID, Long> lastTyping = new java.util.HashMap<>(); // room → when this socket's typing went out

    LiveConnection(LiveEndpoint endpoint, Caller caller) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.frames = endpoint.framesPerSocket.localBucket();
        this.lastSlowDown = System.nanoTime() - 2_000_000_000L;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        endpoint.opened(this);
        if (caller != null && admitted()) {
            send(Frames.welcome(caller.user()));
        }
    }

    @Override
    public void onWebSocketText(String text) {
        lastHeard = System.nanoTime();
        if (!frames.tryConsume(1)) {
            endpoint.framesDropped.increment();
            if (lastHeard - lastSlowDown > 1_000_000_000L) { // one error a second, not one per dropped frame
                lastSlowDown = lastHeard;
                send(Frames.error(429, "too many frames: at most " + endpoint.framesPerSocket.perSecond()
                        + " a second (bursts of " + endpoint.framesPerSocket.burst() + "); this one was dropped", null));
            }
            return;
        }
        JsonNode frame;
        try {
            frame = Json.tree(text);
        } catch (RuntimeException e) {
            send(Frames.error(400, "a frame must be a JSON object", null));
            return;
        }
        String type = frame.path("type").asText("");
        try {
            if (type.equals("ping")) {
                send(Frames.pong());
            } else if (type.equals("auth")) {
                authenticate(frame.path("token").asText(null));
            } else if (caller == null) {
                send(Frames.error(401, "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}", null));
                close(4401, "not authenticated");
            } else if (type.equals("subscribe")) {
                subscribe(frame.path("rooms"));
            } else if (type.equals("unsubscribe")) {
                unsubscribe(frame.path("rooms"));
            } else if (type.equals("typing")) {
                typing(frame.path("roomId"));
            } else {
                send(Frames.error(400, "unknown frame type '" + type + "'", null));
            }
        } catch (Problem e) {
            send(Frames.error(e.status(), e.getMessage(), null));
        }
    }

    /** The protocol is JSON text: a binary frame is unsupported data (RFC 6455's 1003), and the socket closes. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
        callback.succeed();
        close(1003, "binary frames are not part of the protocol");
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastHeard = System.nanoTime();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        cleanUp();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("live socket error: {}", cause.toString());
        cleanUp();
    }

    /** Within the user's limit of sockets; else an error frame and a close (4429), and no more frames are read. */
    private boolean admitted() {
        if (endpoint.authenticated(this)) {
            return true;
        }
        caller = null; // not counted, so nothing it sends is acted on while it closes
        send(Frames.error(429, "too many live sockets: at most " + endpoint.socketsPerUser() + " per user", null));
        close(4429, "too many sockets");
        return false;
    }

    private void authenticate(String token) {
        if (caller != null) {
            send(Frames.error(400, "already authenticated", null));
            return;
        }
        try {
            caller = endpoint.authenticator.authenticate(token);
            if (admitted()) {
                send(Frames.welcome(caller.user()));
            }
        } catch (Problem e) {
            send(Frames.error(e.status(), e.getMessage(), null));
            if (e.status() == 401) {
                close(4401, "bad token");
            }
        }
    }

    /** Where a client is in a room: the last seq and the last change it has. */
    private record Position(long seq, long change) {
    }

    /**
     * {@code {"type":"subscribe","rooms":{"<roomId>": lastSeq | {"seq","change"}}}}: only rooms the caller is a
     * member of. A bare seq knows no change: every change to the messages up to it is sent again.
     */
    private void subscribe(JsonNode rooms) {
        if (!rooms.isObject() || rooms.isEmpty() || rooms.size() > MAX_ROOMS_PER_FRAME) {
            send(Frames.error(422, "rooms must map 1 to " + MAX_ROOMS_PER_FRAME + " room ids to the last seq seen (0 for none)", null));
            return;
        }
        Map<UUID, Position> wanted = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = rooms.fields(); it.hasNext(); ) {
            var entry = it.next();
            UUID roomId = uuid(entry.getKey());
            Position position = roomId == null ? null : position(entry.getValue());
            if (position == null) {
                send(Frames.error(422, "each room needs a room id and a last seq of 0 or more, or {\"seq\",\"change\"} of 0 or more",
                        roomId));
                continue;
            }
            wanted.put(roomId, position);
        }
        if (wanted.isEmpty()) {
            return;
        }
        long checkedAt = Fanout.now();
        Set<UUID> mine;
        try {
            mine = memberRooms();
        } catch (Problem e) { // the rooms service cannot say now: each room is answered, so the client can retry it
            wanted.keySet().forEach(roomId -> send(Frames.error(e.status(), e.getMessage(), roomId)));
            return;
        }
        wanted.forEach((roomId, at) -> {
            if (!mine.contains(roomId) || !endpoint.fanout.subscribe(this, roomId, at.seq(), at.change(), checkedAt)) {
                send(Frames.error(403, "not a member of room " + roomId, roomId));
            }
        });
    }

    private static Position position(JsonNode value) {
        if (value.isObject()) {
            JsonNode seq = value.path("seq");
            JsonNode change = value.path("change");
            if (value.size() > 2 || !wholeNumber(seq) || !(change.isMissingNode() || wholeNumber(change))) {
                return null;
            }
            return new Position(seq.asLong(), change.isMissingNode() ? 0 : change.asLong());
        }
        return wholeNumber(value) ? new Position(value.asLong(), 0) : null;
    }

    private static boolean wholeNumber(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0;
    }

    /**
     * {@code {"type":"typing","roomId"}} in a room this socket follows: forwarded to the room's other members at most
     * once every 3 s per room (more often is dropped silently: a client sends it on every key).
     */
    private void typing(JsonNode room) {
        UUID roomId = room.isTextual() ? uuid(room.asText()) : null;
        if (roomId == null) {
            send(Frames.error(422, "typing needs the roomId of a room you are subscribed to", null));
            return;
        }
        if (!endpoint.fanout.isSubscribed(this, roomId)) {
            send(Frames.error(403, "subscribe to room " + roomId + " before saying you are typing in it", roomId));
            return;
        }
        long now = System.nanoTime();
        synchronized (lastTyping) {
            Long last = lastTyping.get(roomId);
            if (last != null && now - last < TYPING_EVERY_NANOS) {
                return;
            }
            if (lastTyping.size() >= MAX_ROOMS_PER_FRAME) {
                lastTyping.values().removeIf(at -> now - at >= TYPING_EVERY_NANOS);
            }
            lastTyping.put(roomId, now);
        }
        endpoint.fanout.typing(roomId, caller.user());
    }

    private void unsubscribe(JsonNode rooms) {
        if (!rooms.isArray()) {
            send(Frames.error(422, "rooms must be a list of room ids", null));
            return;
        }
        for (JsonNode id : rooms) {
            UUID roomId = uuid(id.asText());
            if (roomId != null) {
                endpoint.fanout.unsubscribe(this, roomId, "unsubscribed");
            }
        }
    }

    private Set<UUID> memberRooms() {
        var rooms = endpoint.rooms.get("/internal/members/" + caller.user().id() + "/rooms", caller.identity(), UserRooms.class);
        var ids = new HashSet<UUID>();
        rooms.rooms().forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Override
    public UUID userId() {
        Caller c = caller;
        return c == null ? null : c.user().id();
    }

    boolean isFor(String tokenHash) {
        Caller c = caller;
        return c != null && c.tokenHash().equals(tokenHash);
    }

    @Override
    public void send(String frame) {
        Session s = session;
        if (closed || s == null) {
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            endpoint.slowClosed.increment();
            close(4008, "too slow: frames were not read in time");
            return;
        }
        endpoint.framesSent.increment();
        s.sendText(frame, Callback.from(inFlight::decrementAndGet, failure -> inFlight.decrementAndGet()));
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    void close(int code, String reason) {
        Session s = session;
        if (closed || s == null) {
            return;
        }
        closed = true;
        s.close(code, reason, Callback.from(() -> { }, failure -> s.disconnect()));
        cleanUp();
    }

    /** Called by the heartbeat: pings a quiet socket, closes a silent or never-authenticated one. */
    void checkAlive(long now) {
        Session s = session;
        if (closed || s == null) {
            return;
        }
        if (caller == null && now - openedAt > LiveEndpoint.AUTH_WITHIN.toNanos()) {
            close(4401, "not authenticated in time");
        } else if (now - lastHeard > LiveEndpoint.DEAD_AFTER.toNanos()) {
            close(1001, "no heartbeat");
            s.disconnect();
        } else if (now - lastHeard > LiveEndpoint.PING_AFTER.toNanos()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    private void cleanUp() {
        closed = true;
        endpoint.closed(this);
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
