package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.BabbleClient;
import babble.client.LiveClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile frames on the live WebSocket (jqwik): malformed and non-object JSON, unknown and mistyped types, deep
 * JSON, control characters, subscriptions with bad shapes, ids and seqs, to rooms that do not exist or are not the
 * caller's, too many rooms at once, a second auth, binary frames, frames over the size limit, floods, and anything
 * before authenticating. Each try opens a socket, sends its frames, then a ping. Every frame the server answers must
 * be a known kind: an error has a 4xx status the protocol documents; no message of a room the caller is not in ever
 * arrives (its owner posts one after each attempt); the socket still answers the ping, or it is closed with the
 * documented code (1009 for a frame over 64 KiB, 1003 for binary, 4401 for acting before authenticating).
 *
 * <p>As many tries as {@code jqwik.tries.default}: in {@code ./babble test} 600 against the all-in-one and 200
 * against processes (e2e/pom.xml); {@code ./babble bench --fuzz N} sends N.
 */
class LiveFuzzIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Set<Integer> ERROR_STATUSES = Set.of(400, 401, 403, 422, 429, 503);
    private static final Set<String> FRAME_TYPES = Set.of("welcome", "pong", "error", "subscribed", "message", "unsubscribed",
            "presence");
    private static final HttpClient SOCKETS = HttpClient.newHttpClient();

    enum Attack {
        NOT_JSON, NOT_AN_OBJECT, UNKNOWN_TYPE, TYPE_NOT_A_STRING, DEEP_JSON, CONTROL_CHARACTERS, SUBSCRIBE_BAD_SHAPE,
        SUBSCRIBE_BAD_IDS, SUBSCRIBE_BAD_SEQS, SUBSCRIBE_UNKNOWN_ROOM, SUBSCRIBE_OTHERS_ROOM, SUBSCRIBE_TOO_MANY,
        UNSUBSCRIBE_JUNK, AUTH_AGAIN, BINARY, OVERSIZED, FLOOD, BEFORE_AUTH
    }

    record Case(Attack attack, String noise, long number) {
    }

    private static URI base;
    private static UserSession caller;
    private static UserSession stranger;
    private static UUID ownRoom;
    private static UUID othersRoom;
    private static final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private static final AtomicInteger tries = new AtomicInteger();
    private static final AtomicInteger othersPosts = new AtomicInteger();

    @BeforeContainer
    static void setUp() {
        var deployment = Deployments.shared();
        base = deployment.baseUrl();
        var client = new BabbleClient(base);
        caller = client.signUp(E2E.uniqueName("wsfuzz"), E2E.PASSWORD);
        ownRoom = caller.createRoom("fuzzed live").id();
        stranger = client.signUp(E2E.uniqueName("secret"), E2E.PASSWORD);
        othersRoom = stranger.createRoom("not the fuzzer's").id();
    }

    @AfterContainer
    static void report() {
        E2E.reportFailureTest("live fuzz", Map.of("tries", tries.get(), "answers", new java.util.TreeMap<>(answers),
                "posts in the other room", othersPosts.get()));
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(Attack.values()), Arbitraries.strings().ofMaxLength(40),
                        Arbitraries.oneOf(Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 501L), Arbitraries.longs()))
                .as(Case::new);
    }

    @Property // as many tries as jqwik.tries.default
    void hostileFramesGetDocumentedAnswersAndNeverAnotherRoomsMessages(@ForAll("cases") Case fuzz) {
        tries.incrementAndGet();
        boolean authenticated = fuzz.attack() != Attack.BEFORE_AUTH;
        try (var socket = LiveClient.connectWithQueryToken(SOCKETS, base, authenticated ? caller.token() : null)) {
            if (authenticated) {
                socket.awaitType("welcome", WAIT);
            }
            send(socket, fuzz);
            if (fuzz.attack() == Attack.SUBSCRIBE_OTHERS_ROOM) { // were it subscribed, this would reach the socket
                stranger.post(othersRoom, "not for the fuzzer " + othersPosts.incrementAndGet());
            }
            Integer expectedClose = switch (fuzz.attack()) {
                case OVERSIZED -> 1009;
                case BINARY -> 1003;
                case BEFORE_AUTH -> 4401;
                default -> null;
            };
            if (expectedClose != null) {
                assertThat(socket.closeCode(WAIT)).as(fuzz + ": closed with the documented code").isEqualTo(expectedClose);
                check(fuzz, socket.drain(Duration.ofMillis(50)));
                answers.merge(fuzz.attack() + " close " + expectedClose, 1, Integer::sum);
                return;
            }
            var frames = new ArrayList<JsonNode>();
            pingUntilPong(socket, frames);
            if (fuzz.attack() == Attack.SUBSCRIBE_OTHERS_ROOM) {
                frames.addAll(socket.drain(Duration.ofMillis(150))); // the other room's message, were it delivered
            }
            check(fuzz, frames);
            answers.merge(fuzz.attack() + " " + frames.stream().map(f -> f.path("type").asText()
                    + (f.has("status") ? f.get("status").asText() : "")).distinct().sorted().toList(), 1, Integer::sum);
        }
    }

    /**
     * Pings until a pong comes back, within {@link #WAIT}: after a flood the socket's allowance must refill first
     * (frames over it are dropped, pings included). Every frame that arrives on the way goes to {@code frames}.
     */
    private static void pingUntilPong(LiveClient socket, List<JsonNode> frames) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            socket.ping();
            try {
                socket.await(f -> f.path("type").asText().equals("pong"), Duration.ofMillis(250), frames);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the socket stopped answering pings", e);
                }
            }
        }
    }

    /** Every answer a kind the protocol has, errors with a documented status, nothing from a room not the caller's. */
    private static void check(Case fuzz, List<JsonNode> frames) {
        for (JsonNode frame : frames) {
            String type = frame.path("type").asText();
            assertThat(FRAME_TYPES).as(fuzz + ": a frame of a documented type: " + frame).contains(type);
            if (type.equals("error")) {
                assertThat(ERROR_STATUSES).as(fuzz + ": a documented error status: " + frame).contains(frame.path("status").asInt());
            }
            if (type.equals("message") || type.equals("subscribed")) {
                String room = type.equals("message") ? frame.path("message").path("roomId").asText() : frame.path("roomId").asText();
                assertThat(room).as(fuzz + ": only the caller's room: " + frame).isEqualTo(ownRoom.toString());
            }
        }
        if (fuzz.attack() == Attack.SUBSCRIBE_OTHERS_ROOM || fuzz.attack() == Attack.SUBSCRIBE_UNKNOWN_ROOM) {
            assertThat(frames).as(fuzz + ": refused").anyMatch(f -> f.path("status").asInt() == 403);
        }
    }

    private static void send(LiveClient socket, Case fuzz) {
        String noise = fuzz.noise();
        long n = fuzz.number();
        switch (fuzz.attack()) {
            case NOT_JSON -> socket.send("{" + noise);
            case NOT_AN_OBJECT -> socket.send(List.of("[1,2]", "\"" + noise.replace("\"", "").replace("\\", "") + "\"",
                    Long.toString(n), "null", "true").get((int) Math.floorMod(n, 5)));
            case UNKNOWN_TYPE -> socket.send(Map.of("type", "x-" + noise));
            case TYPE_NOT_A_STRING -> socket.send("{\"type\":" + n + "}");
            case DEEP_JSON -> socket.send("{\"type\":\"subscribe\",\"rooms\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
            case CONTROL_CHARACTERS -> socket.send(Map.of("type", "ping\u0000\u001b\u202e" + noise));
            case SUBSCRIBE_BAD_SHAPE -> socket.send("{\"type\":\"subscribe\",\"rooms\":" + List.of("[]", "{}", "null",
                    Long.toString(n), "\"" + ownRoom + "\"", "[\"" + ownRoom + "\"]").get((int) Math.floorMod(n, 6)) + "}");
            case SUBSCRIBE_BAD_IDS -> socket.send(Map.of("type", "subscribe", "rooms", Map.of(noise + "-" + n, 0)));
            case SUBSCRIBE_BAD_SEQS -> socket.send("{\"type\":\"subscribe\",\"rooms\":{\"" + ownRoom + "\":" + List.of("-1", "1.5",
                    "\"0\"", "1e30", "null", "[0]", Long.toString(n)).get((int) Math.floorMod(n, 7)) + "}}");
            case SUBSCRIBE_UNKNOWN_ROOM -> socket.subscribe(UUID.randomUUID(), Math.max(0, n));
            case SUBSCRIBE_OTHERS_ROOM -> socket.subscribe(othersRoom, 0);
            case SUBSCRIBE_TOO_MANY -> {
                var rooms = new LinkedHashMap<UUID, Long>();
                for (int i = 0; i < 501; i++) {
                    rooms.put(UUID.randomUUID(), 0L);
                }
                socket.subscribe(rooms);
            }
            case UNSUBSCRIBE_JUNK -> socket.send("{\"type\":\"unsubscribe\",\"rooms\":" + List.of("{}", "null", "[1,\"x\"]",
                    "\"" + noise.replace("\"", "").replace("\\", "") + "\"").get((int) Math.floorMod(n, 4)) + "}");
            case AUTH_AGAIN -> socket.send(Map.of("type", "auth", "token", noise));
            case BINARY -> socket.sendBinary(noise.getBytes(StandardCharsets.UTF_8));
            case OVERSIZED -> socket.send(Map.of("type", "ping", "pad", "x".repeat(65 * 1024)));
            case FLOOD -> {
                for (int i = 0; i < 100; i++) {
                    socket.send(Map.of("type", "unsubscribe", "rooms", List.of(ownRoom)));
                }
            }
            case BEFORE_AUTH -> socket.send(Map.of("type", "subscribe", "rooms", Map.of(ownRoom, 0)));
        }
    }
}
