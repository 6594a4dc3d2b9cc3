package babble.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.MessageList;
import babble.contracts.api.MessageView;
import babble.contracts.api.MqttBridge;
import babble.contracts.api.RoomView;
import babble.contracts.api.SessionView;
import babble.messages.MessagesService;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.testing.TestHarness;
import babble.platform.testing.TestStores;
import babble.rooms.RoomsService;
import babble.users.UsersService;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT bridge beside real users, rooms and messages services, on a real broker: the embedded one, and with
 * the production adapters the machine's Mosquitto ({@code BABBLE_MQTT_BROKER_URL}, default tcp://127.0.0.1:1883).
 */
class MqttServiceTest {
    static TestHarness harness;
    static Mqtt3BlockingClient device;
    static final Identity GATEWAY = Identity.ofService("gateway");

    @BeforeAll
    static void start() {
        var settings = TestStores.production()
                ? Map.of("BABBLE_MQTT_BROKER_URL", System.getenv().getOrDefault("BABBLE_MQTT_BROKER_URL", "tcp://127.0.0.1:1883"))
                : Map.of("BABBLE_MQTT_BROKER_PORT", "0");
        harness = TestHarness.start(settings, new UsersService(), new RoomsService(), new MessagesService(), new MqttService());
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.call("mqtt", "GET", "/health/ready", null, null)
                .text().contains("\"mqtt-broker\":\"up\""));
    }

    @AfterAll
    static void stop() {
        if (device != null) {
            device.disconnect();
        }
        harness.close();
    }

    private static Mqtt3BlockingClient device(String broker) {
        if (device == null) {
            URI uri = URI.create(broker);
            device = MqttClient.builder().useMqttVersion3().identifier("test-device-" + UUID.randomUUID())
                    .serverHost(uri.getHost()).serverPort(uri.getPort()).buildBlocking();
            device.connect();
        }
        return device;
    }

    /** A signed-up user: their token for devices, and their identity for calls. */
    record Person(String token, Identity identity) {
    }

    private static Person person(String name) {
        String username = name + UUID.randomUUID().toString().substring(0, 8);
        harness.call("users", "POST", "/api/v1/users", Map.of("username", username, "password", "correct horse"), GATEWAY);
        var session = harness.call("users", "POST", "/api/v1/sessions", Map.of("username", username, "password",
                "correct horse"), GATEWAY).as(SessionView.class);
        return new Person(session.token(), Identity.ofUser("test", session.user().id(), username, username));
    }

    private static RoomView room(Person owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "devices"), owner.identity()).as(RoomView.class);
    }

    private static MqttBridge bridge(Person as, RoomView room, boolean enabled) {
        var reply = harness.call("mqtt", "PUT", "/api/v1/rooms/" + room.id() + "/mqtt", Map.of("enabled", enabled),
                as.identity());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(MqttBridge.class);
    }

    private static MessageView say(Person as, RoomView room, String text) {
        return harness.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages", Map.of("text", text),
                as.identity()).as(MessageView.class);
    }

    private static List<MessageView> history(Person as, RoomView room) {
        return harness.call("messages", "GET", "/api/v1/rooms/" + room.id() + "/messages?limit=200", null, as.identity())
                .as(MessageList.class).messages();
    }

    private static List<MessageView> listen(Mqtt3BlockingClient client, String topic) {
        var received = new CopyOnWriteArrayList<MessageView>();
        client.toAsync().subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(Json.read(p.getPayloadAsBytes(), MessageView.class))).send().join();
        return received;
    }

    @Test
    void aBridgedRoomsMessagesReachItsTopicOnceAndInOrder() {
        var owner = person("owner");
        RoomView room = room(owner);
        say(owner, room, "before the bridge");
        MqttBridge bridge = bridge(owner, room, true);
        assertThat(bridge.topics().messages()).isEqualTo("babble/rooms/" + room.id() + "/messages");
        var received = listen(device(bridge.broker()), bridge.topics().messages());

        for (int i = 1; i <= 60; i++) {
            say(owner, room, "message " + i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 60);
        assertThat(received).extracting(MessageView::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(2, 61).boxed().toList());
        assertThat(received.getFirst()).isEqualTo(history(owner, room).get(1));
    }

    @Test
    void aDevicePostsAsTheTokensUserOnceEvenWhenItSendsTwice() {
        var owner = person("poster");
        RoomView room = room(owner);
        MqttBridge bridge = bridge(owner, room, true);
        String post = Json.text(Map.of("token", owner.token(), "text", "temperature 21.5", "id", "reading-1"));

        for (int i = 0; i < 2; i++) {
            device(bridge.broker()).publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(post.getBytes()).send();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !history(owner, room).isEmpty());
        device(bridge.broker()).publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", owner.token(), "text", "temperature 22", "id", "reading-2"))).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> history(owner, room).size() == 2);
        assertThat(history(owner, room)).extracting(MessageView::text).containsExactly("temperature 21.5", "temperature 22");
        assertThat(history(owner, room).getFirst().userId()).isEqualTo(owner.identity().userId());
    }

    @Test
    void aTokenStopsPostingOnceItsSessionIsLoggedOut() {
        var owner = person("leaving");
        RoomView room = room(owner);
        MqttBridge bridge = bridge(owner, room, true);
        publish(bridge, owner.token(), "while signed in", "a1");
        await().atMost(Duration.ofSeconds(10)).until(() -> history(owner, room).size() == 1);

        var logout = harness.call("users", "DELETE", "/api/v1/sessions/current", null, owner.identity(),
                Map.of("Authorization", "Bearer " + owner.token()));
        assertThat(logout.status()).as(logout.text()).isEqualTo(204);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true); // the revocation event reaches the bridge
        publish(bridge, owner.token(), "after logout", "a2");
        var other = person("witness");
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, other.identity());
        publish(bridge, other.token(), "a later post", "w1");

        await().atMost(Duration.ofSeconds(10)).until(() -> history(other, room).size() == 2);
        assertThat(history(other, room)).extracting(MessageView::text).containsExactly("while signed in", "a later post");
    }

    private static void publish(MqttBridge bridge, String token, String text, String id) {
        device(bridge.broker()).publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", token, "text", text, "id", id))).send();
    }

    @Test
    void anUnbridgedRoomNeitherPublishesNorTakesPostsAndANonMembersPostIsRefused() throws Exception {
        var owner = person("quiet");
        var stranger = person("stranger");
        RoomView bridged = room(owner);
        RoomView quiet = room(owner);
        MqttBridge bridge = bridge(owner, bridged, true);
        var quietTopic = listen(device(bridge.broker()), "babble/rooms/" + quiet.id() + "/messages");

        device.publishWith().topic("babble/rooms/" + quiet.id() + "/post").qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", owner.token(), "text", "not bridged", "id", "q1"))).send();
        device.publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", stranger.token(), "text", "let me in", "id", "s1"))).send();
        device.publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", "not-a-token", "text", "hi", "id", "s2"))).send();
        device.publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload("not json".getBytes()).send();
        say(owner, quiet, "stays in the room");
        device.publishWith().topic(bridge.topics().post()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(Map.of("token", owner.token(), "text", "the last one", "id", "o1"))).send();

        // Posts on one room's topic are handled in order: once the last is in, the earlier ones were refused.
        await().atMost(Duration.ofSeconds(10)).until(() -> !history(owner, bridged).isEmpty());
        assertThat(history(owner, bridged)).extracting(MessageView::text).containsExactly("the last one");
        assertThat(history(owner, quiet)).extracting(MessageView::text).containsExactly("stays in the room");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(quietTopic::isEmpty);
    }

    @Test
    void onlyTheOwnerTurnsTheBridgeOnOrOffAndOffStopsPublishing() throws Exception {
        var owner = person("switch");
        var member = person("member");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member.identity());

        assertThat(harness.call("mqtt", "PUT", "/api/v1/rooms/" + room.id() + "/mqtt", Map.of("enabled", true),
                member.identity()).status()).isEqualTo(403);
        assertThat(harness.call("mqtt", "GET", "/api/v1/rooms/" + room.id() + "/mqtt", null, member.identity()).status())
                .isEqualTo(403);
        assertThat(harness.call("mqtt", "PUT", "/api/v1/rooms/" + UUID.randomUUID() + "/mqtt", Map.of("enabled", true),
                owner.identity()).status()).isEqualTo(404);
        assertThat(harness.call("mqtt", "PUT", "/api/v1/rooms/" + room.id() + "/mqtt", Map.of(), owner.identity())
                .invalidField()).isEqualTo("enabled");
        assertThat(harness.call("mqtt", "GET", "/api/v1/rooms/" + room.id() + "/mqtt", null, owner.identity())
                .as(MqttBridge.class).enabled()).isFalse();

        MqttBridge on = bridge(owner, room, true);
        var received = listen(device(on.broker()), on.topics().messages());
        say(member, room, "while on");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(bridge(owner, room, false).enabled()).isFalse();
        say(member, room, "while off");
        MqttBridge again = bridge(owner, room, true);
        say(member, room, "on again");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received).extracting(MessageView::text).containsExactly("while on", "on again");
        assertThat(again.enabled()).isTrue();
    }

    @Test
    void aPrivateRoomIsNotBridgedForAnyoneOnTheBrokerCouldReadIt() {
        var owner = person("private-bridge");
        RoomView room = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "private", "visibility", "private"),
                owner.identity()).as(RoomView.class);

        var on = harness.call("mqtt", "PUT", "/api/v1/rooms/" + room.id() + "/mqtt", Map.of("enabled", true), owner.identity());
        var off = harness.call("mqtt", "PUT", "/api/v1/rooms/" + room.id() + "/mqtt", Map.of("enabled", false), owner.identity());

        assertThat(on.status()).isEqualTo(422);
        assertThat(on.invalidField()).isEqualTo("enabled");
        assertThat(off.status()).isEqualTo(200);
    }
}
