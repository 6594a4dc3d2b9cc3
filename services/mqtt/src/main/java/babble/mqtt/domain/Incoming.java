package babble.mqtt.domain;

import babble.contracts.internal.VerifiedSession;
import babble.mqtt.api.Services;
import babble.mqtt.store.BridgeStore;
import babble.platform.db.Database;
import babble.contracts.internal.MessageBatch;
import babble.platform.problem.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import babble.platform.json.Json;
import java.time.Duration;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts from devices: {@code {"token","text","id"}} on a bridged room's post topic becomes a message by the
 * token's user, with {@code mqtt:<id>} as the Idempotency-Key, so a QoS 1 redelivery (or a device sending twice)
 * posts once. The messages service decides whether the user may post (a member, as of their latest change).
 * Posts go through lanes by room: one room's posts are handled in the order they came, rooms in parallel. A
 * post is acknowledged to the broker once handled, so one the bridge had not finished when it died comes again.
 */
public final class Incoming implements Consumer<Mqtt3Publish>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Incoming.class);
    private static final Pattern ID = Pattern.compile("[\\x21-\\x7E]{1,100}");
    private static final int LANES = 8;
    private static final int ATTEMPTS = 5;
    private static final int BATCH = 100;

    private final Database db;
    private final BridgeStore store;
    private final Services services;
    private final Topics topics;
    private final List<BlockingQueue<Mqtt3Publish>> lanes = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Counter posted;
    private final Cache<String, VerifiedSession> sessions = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();
    private final MeterRegistry meters;
    private volatile boolean closed;

    public Incoming(Database db, BridgeStore store, Services services, Topics topics, MeterRegistry meters) {
        this.db = db;
        this.store = store;
        this.services = services;
        this.topics = topics;
        this.meters = meters;
        this.posted = Counter.builder("babble_mqtt_posted_total").description("device posts turned into messages")
                .register(meters);
        for (int i = 0; i < LANES; i++) {
            var lane = new ArrayBlockingQueue<Mqtt3Publish>(1_000);
            lanes.add(lane);
            workers.add(Thread.ofVirtual().name("mqtt-incoming-" + i).start(() -> drain(lane)));
        }
    }

    /** Called by the MQTT client for each publish; blocks when the room's lane is full (back-pressure to the broker). */
    @Override
    public void accept(Mqtt3Publish publish) {
        int lane = Math.floorMod(publish.getTopic().toString().hashCode(), LANES);
        try {
            lanes.get(lane).put(publish);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Handles a lane's posts in arrival order, taking what has queued up as one batch: each room's accepted posts
     * go to the messages service in one call, written in order; then every post is acknowledged to the broker.
     */
    private void drain(BlockingQueue<Mqtt3Publish> lane) {
        var batch = new ArrayList<Mqtt3Publish>(BATCH);
        while (!closed) {
            try {
                batch.add(lane.take());
            } catch (InterruptedException e) {
                return;
            }
            lane.drainTo(batch, BATCH - 1);
            try {
                handle(batch);
            } catch (RuntimeException e) {
                log.warn("{} posts from MQTT failed: {}", batch.size(), e.toString());
            }
            batch.forEach(Mqtt3Publish::acknowledge);
            batch.clear();
        }
    }

    /** A device's post, checked and ready for the messages service. */
    private record Accepted(String topic, MessageBatch.Post post) {
    }

    void handle(List<Mqtt3Publish> publishes) {
        var byRoom = new LinkedHashMap<UUID, List<Accepted>>();
        // The users' latest membership changes, read once per batch: read after these posts arrived, they
        // include every join or leave a user made before posting.
        var versions = new HashMap<UUID, Long>();
        for (Mqtt3Publish publish : publishes) {
            check(publish, versions).ifPresent(a -> byRoom.computeIfAbsent(topics.roomOfPost(a.topic()).orElseThrow(),
                    r -> new ArrayList<>()).add(a));
        }
        byRoom.forEach(this::post);
    }

    /** Checks one post (topic, payload, bridged room, token); empty, counted and logged, when it is refused. */
    private Optional<Accepted> check(Mqtt3Publish publish, Map<UUID, Long> versions) {
        String topic = publish.getTopic().toString();
        var roomId = topics.roomOfPost(topic);
        if (roomId.isEmpty()) {
            return refuse("topic", topic, "not a room's post topic");
        }
        JsonNode post;
        try {
            post = Json.tree(publish.getPayloadAsBytes());
        } catch (RuntimeException e) {
            return refuse("payload", topic, "not JSON");
        }
        String token = post.path("token").asText("");
        String text = post.path("text").asText("");
        String id = post.path("id").asText("");
        if (token.isEmpty() || text.isEmpty() || !ID.matcher(id).matches()) {
            return refuse("payload", topic, "needs token, text and id (1-100 visible ASCII characters)");
        }
        if (!db.withHandle(h -> store.enabled(h, roomId.get())).orElse(false)) {
            return refuse("not-bridged", topic, "the room is not bridged");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                var user = session(token).user();
                long version = versions.computeIfAbsent(user.id(), services::membershipVersion);
                return Optional.of(new Accepted(topic, new MessageBatch.Post(user.id(), user.username(),
                        user.displayName(), version, text, "mqtt:" + id)));
            } catch (Problem p) {
                if (p.status() < 500 && p.status() != 429 || attempt >= ATTEMPTS) {
                    return refuse(p.status() == 401 ? "token" : "status-" + p.status(), topic, p.detail());
                }
            }
            pause(attempt);
        }
    }

    /** One room's accepted posts in one call, retried as a whole (their keys make a repeat harmless). */
    private void post(UUID roomId, List<Accepted> accepted) {
        var posts = accepted.stream().map(Accepted::post).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                var outcomes = services.post(roomId, posts);
                for (int i = 0; i < outcomes.size(); i++) {
                    var outcome = outcomes.get(i);
                    if (outcome.message() != null) {
                        posted.increment();
                    } else {
                        refuse(outcome.status() == 403 ? "forbidden" : "status-" + outcome.status(),
                                accepted.get(i).topic(), outcome.detail());
                    }
                }
                return;
            } catch (Problem p) {
                if (p.status() < 500 && p.status() != 429 || attempt >= ATTEMPTS) {
                    accepted.forEach(a -> refuse("status-" + p.status(), a.topic(), p.detail()));
                    return;
                }
            }
            pause(attempt);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Duration.ofMillis(200L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whom a token belongs to: asked of the users service, then kept a minute (a logout evicts it at once). */
    private VerifiedSession session(String token) {
        VerifiedSession known = sessions.getIfPresent(token);
        if (known != null && known.expiresAt().isAfter(java.time.Instant.now())) {
            return known;
        }
        VerifiedSession verified = services.verify(token);
        sessions.put(token, verified);
        return verified;
    }

    /** A session was revoked (logout): forget it, so its token posts nothing more. */
    public void revoked(String tokenHash) {
        sessions.asMap().values().removeIf(s -> tokenHash.equals(s.tokenHash()));
    }

    private Optional<Accepted> refuse(String reason, String topic, String detail) {
        log.info("refused a post on {}: {}", topic, detail);
        Counter.builder("babble_mqtt_refused_total").tag("reason", reason).description("device posts refused, by reason")
                .register(meters).increment();
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
    }
}
