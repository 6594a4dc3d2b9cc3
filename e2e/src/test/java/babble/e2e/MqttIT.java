package babble.e2e;

import static babble.e2e.JobsApi.history;
import static babble.e2e.JobsApi.postMany;
import static babble.e2e.JobsApi.seqs;
import static babble.e2e.PostsApi.assertField;
import static babble.e2e.PostsApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * API.md, "MQTT bridge": a room's owner turns the bridge on; from then on every new message of the room goes to
 * its messages topic at QoS 1, once and in seq order, and devices post to its post topic with a member's token
 * (once per id). Unbridged rooms publish nothing and take no posts. The tests are devices of their own on the
 * broker the bridge's answer names.
 */
class MqttIT extends E2E {
    private static final Duration DELIVERY = Duration.ofSeconds(10);
    /** How long a test watches a topic to see that nothing (more) comes. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private static String path(UUID room) {
        return "/api/v1/rooms/" + room + "/mqtt";
    }

    /** {@code PUT /rooms/{id}/mqtt}: asserts the 200 and answers the bridge's state. */
    private static JsonNode bridge(UserSession owner, UUID room, boolean enabled) {
        ApiResponse response = owner.call("PUT", path(room), Map.of("enabled", enabled));
        assertThat(response.status()).as("PUT mqtt: %s", response.text()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode state(UserSession owner, UUID room) {
        return PostsApi.ok(owner, path(room));
    }

    private static Map<String, String> devicePost(UserSession user, String text, String id) {
        return Map.of("token", user.token(), "text", text, "id", id);
    }

    private static List<String> texts(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("text").asText()).toList();
    }

    /** An MQTT 3.1.1 client of its own (a unique identifier), collecting what its subscriptions receive, in order. */
    private static final class Device implements AutoCloseable {
        private final Mqtt3AsyncClient client;
        final List<JsonNode> received = new CopyOnWriteArrayList<>();

        Device(String broker) {
            URI uri = URI.create(broker);
            client = MqttClient.builder().useMqttVersion3()
                    .identifier("e2e-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                    .serverHost(uri.getHost()).serverPort(uri.getPort())
                    .buildAsync();
            join(client.connectWith().cleanSession(true).send());
        }

        /** Subscribes at QoS 1 and waits for the broker's acknowledgement. */
        void subscribe(String topic) {
            join(client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> received.add(parse(publish.getPayloadAsBytes()))).send());
        }

        /** Publishes JSON at QoS 1 and waits for the broker's acknowledgement. */
        void publish(String topic, Object payload) {
            join(client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(BabbleClient.json().valueToTree(payload).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .send());
        }

        private static JsonNode parse(byte[] payload) {
            try {
                return BabbleClient.json().readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static <T> T join(CompletableFuture<T> future) {
            try {
                return future.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("MQTT: " + e, e);
            }
        }

        @Override
        public void close() {
            client.disconnect().orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    /** Waits until exactly {@code count} payloads have come and no more came for a second after. */
    private static List<JsonNode> awaitExactly(Device device, int count) {
        await("%d payloads, then no more".formatted(count)).atMost(DELIVERY).until(() -> device.received.size() >= count);
        await("no more than %d payloads".formatted(count)).during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> device.received.size() == count);
        return List.copyOf(device.received);
    }

    // ---- publishing a room's messages ----

    @Test
    void aBridgedRoomsNewMessagesArriveOnItsTopicOnceInSeqOrder() throws Exception {
        var ann = newUser("ann");
        var ben = newUser("ben");
        UUID room = ann.createRoom("sensors").id();
        ben.join(room);
        for (int i = 1; i <= 3; i++) {
            ann.post(room, "before the bridge " + i);
        }

        JsonNode bridge = bridge(ann, room, true);

        assertThat(bridge.get("enabled").asBoolean()).isTrue();
        assertThat(bridge.get("topics").get("messages").asText()).isEqualTo("babble/rooms/" + room + "/messages");
        assertThat(bridge.get("topics").get("post").asText()).isEqualTo("babble/rooms/" + room + "/post");
        assertThat(bridge.get("broker").asText()).matches("tcp://127\\.0\\.0\\.1:\\d+");
        assertThat(state(ann, room)).isEqualTo(bridge);
        try (var device = new Device(bridge.get("broker").asText())) {
            device.subscribe(bridge.get("topics").get("messages").asText());

            postMany(List.of(ann, ben), room, 50);

            List<JsonNode> published = awaitExactly(device, 50);
            assertThat(seqs(published)).as("the 50 messages after the bridge was turned on, in seq order, once each")
                    .isEqualTo(LongStream.rangeClosed(4, 53).boxed().toList());
            assertThat(published).as("each as the REST message").isEqualTo(history(ann, room).subList(3, 53));
        }
    }

    @Test
    void anUnbridgedRoomPublishesNothingAndTakesNoPosts() {
        var cy = newUser("cy");
        UUID room = cy.createRoom("not bridged").id();
        JsonNode state = state(cy, room);
        assertThat(state.get("enabled").asBoolean()).isFalse();

        try (var device = new Device(state.get("broker").asText())) {
            device.subscribe(state.get("topics").get("messages").asText());
            cy.post(room, "only over REST");
            device.publish(state.get("topics").get("post").asText(), devicePost(cy, "from a device", "unbridged-1"));

            await("nothing on the topic").during(QUIET).atMost(QUIET.plusSeconds(1)).until(device.received::isEmpty);
            assertThat(texts(history(cy, room))).containsExactly("only over REST");
        }
    }

    @Test
    void turningTheBridgeOffStopsPublishingAndPosting() {
        var dee = newUser("dee");
        UUID room = dee.createRoom("on and off").id();
        JsonNode bridge = bridge(dee, room, true);
        String post = bridge.get("topics").get("post").asText();

        try (var device = new Device(bridge.get("broker").asText())) {
            device.subscribe(bridge.get("topics").get("messages").asText());
            dee.post(room, "while on");
            awaitExactly(device, 1);

            JsonNode off = bridge(dee, room, false);
            assertThat(off.get("enabled").asBoolean()).isFalse();
            assertThat(state(dee, room).get("enabled").asBoolean()).isFalse();
            dee.post(room, "while off");
            device.publish(post, devicePost(dee, "from a device while off", "off-1"));
            await("nothing more while off").during(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> device.received.size() == 1);

            bridge(dee, room, true);
            dee.post(room, "on again");
            List<JsonNode> published = awaitExactly(device, 2);
            assertThat(texts(published)).containsExactly("while on", "on again");
            assertThat(texts(history(dee, room))).containsExactly("while on", "while off", "on again");
        }
    }

    // ---- posts from devices ----

    @Test
    void aDevicePostIsPostedOnceByTheTokensUserEvenWhenPublishedTwice() {
        var eve = newUser("eve"); // owner
        var fay = newUser("fay"); // a member with a device
        UUID room = eve.createRoom("devices").id();
        fay.join(room);
        JsonNode bridge = bridge(eve, room, true);
        String post = bridge.get("topics").get("post").asText();

        try (var device = new Device(bridge.get("broker").asText())) {
            device.subscribe(bridge.get("topics").get("messages").asText());
            device.publish(post, devicePost(fay, "temperature 21.5", "reading-1"));
            device.publish(post, devicePost(fay, "temperature 21.5", "reading-1"));
            device.publish(post, devicePost(fay, "temperature 22.0", "reading-2"));

            // One room's posts are taken in order: once the second reading shows, the repeat was handled too.
            await("the second reading").atMost(DELIVERY).until(() -> texts(history(eve, room)).contains("temperature 22.0"));
            List<JsonNode> messages = history(eve, room);
            assertThat(texts(messages)).containsExactly("temperature 21.5", "temperature 22.0");
            messages.forEach(m -> {
                assertThat(m.get("userId").asText()).isEqualTo(fay.id().toString());
                assertThat(m.get("username").asText()).isEqualTo(fay.user().username());
            });
            assertThat(awaitExactly(device, 2)).as("published back as messages of the room").isEqualTo(messages);
        }
    }

    @Test
    void aPostWithANonMembersOrABadTokenIsRefused() {
        var gus = newUser("gus"); // owner
        var hal = newUser("hal"); // not a member
        UUID room = gus.createRoom("members' devices").id();
        JsonNode bridge = bridge(gus, room, true);
        String post = bridge.get("topics").get("post").asText();

        try (var device = new Device(bridge.get("broker").asText())) {
            device.subscribe(bridge.get("topics").get("messages").asText());
            device.publish(post, devicePost(hal, "let me in", "intruder-1"));
            device.publish(post, Map.of("token", "not-a-token", "text", "nobody", "id", "intruder-2"));
            device.publish(post, devicePost(gus, "the owner's device", "owner-1"));

            await("the owner's post").atMost(DELIVERY).until(() -> texts(history(gus, room)).contains("the owner's device"));
            assertThat(texts(history(gus, room))).containsExactly("the owner's device");
            assertThat(texts(awaitExactly(device, 1))).containsExactly("the owner's device");
        }
    }

    // ---- who may bridge ----

    @Test
    void onlyTheRoomsOwnerReadsOrTurnsTheBridge() {
        var ida = newUser("ida"); // owner
        var jo = newUser("jo");   // member
        var kim = newUser("kim"); // neither
        UUID room = ida.createRoom("owned").id();
        jo.join(room);

        assertProblem(jo.call("PUT", path(room), Map.of("enabled", true)), 403);
        assertProblem(jo.call("GET", path(room), null), 403);
        assertProblem(kim.call("PUT", path(room), Map.of("enabled", true)), 403);
        assertProblem(kim.call("GET", path(room), null), 403);
        UUID unknown = UUID.randomUUID();
        assertProblem(ida.call("PUT", path(unknown), Map.of("enabled", true)), 404);
        assertProblem(ida.call("GET", path(unknown), null), 404);
        assertField(ida.call("PUT", path(room), Map.of()), "enabled");
        assertProblem(client.call("PUT", path(room), Map.of("enabled", true), null), 401);
        assertProblem(client.call("GET", path(room), null, null), 401);

        assertThat(state(ida, room).get("enabled").asBoolean()).as("nobody turned it on").isFalse();
    }
}
