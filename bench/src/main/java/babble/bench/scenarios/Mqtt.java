package babble.bench.scenarios;

import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Seed 003's MQTT bridge, end to end at fixed rates: a message posted over HTTP until a device receives it on
 * the room's topic (room → topic), and a device's post on the post topic until it comes back on the messages
 * topic (topic → room → topic, both directions of the bridge). Baseline in the same run: the broker alone, a
 * publish until its subscriber receives it, at the same rates.
 */
public final class Mqtt implements AutoCloseable {
    private final Target target;
    private final UserSession owner;
    private final UUID room;
    private final String messagesTopic;
    private final String postTopic;
    private final URI broker;
    private final Mqtt3AsyncClient device;
    private final Map<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private Mqtt(Target target, UserSession owner, UUID room, JsonNode bridge) {
        this.target = target;
        this.owner = owner;
        this.room = room;
        this.messagesTopic = bridge.get("topics").get("messages").asText();
        this.postTopic = bridge.get("topics").get("post").asText();
        this.broker = URI.create(bridge.get("broker").asText());
        this.device = MqttClient.builder().useMqttVersion3().identifier("bench-device-" + run)
                .serverHost(broker.getHost()).serverPort(broker.getPort()).buildAsync();
        device.connect().join();
        for (String topic : List.of(messagesTopic, "bench/" + run + "/echo")) {
            device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
                String text = topic.equals(messagesTopic)
                        ? read(p.getPayloadAsBytes()).path("text").asText()
                        : new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
                var waiting = pending.remove(text);
                if (waiting != null) {
                    waiting.complete(true);
                }
            }).send().join();
        }
    }

    /** Bridges a new room of the first user's and connects a device to the broker the bridge names. */
    public static Mqtt start(Target target) {
        UserSession owner = target.users().getFirst();
        UUID room = owner.createRoom("mqtt bench").id();
        JsonNode bridge = owner.call("PUT", "/api/v1/rooms/" + room + "/mqtt", Map.of("enabled", true)).orThrow().json();
        return new Mqtt(target, owner, room, bridge);
    }

    public String broker() {
        return broker.toString();
    }

    /** Room → topic: POST a message; done when the device receives it on the room's topic. */
    public List<OpenLoop.Result> roomToTopic(List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            String step = "out-" + rate + "-";
            results.add(OpenLoop.measured(target.processes(), rate, each, 20_000, (i, scheduled) -> {
                String text = run + " " + step + i;
                var received = awaiting(text);
                target.load().send("POST", "/api/v1/rooms/" + room + "/messages", "{\"text\":\"" + text + "\"}", owner.token())
                        .thenAccept(status -> {
                            if (status != 201) {
                                received.complete(false);
                            }
                        });
                return received;
            }));
        }
        return results;
    }

    /** Topic → room → topic: a device posts; done when the message comes back on the room's topic. */
    public List<OpenLoop.Result> roundTrip(List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            String step = "in-" + rate + "-";
            results.add(OpenLoop.measured(target.processes(), rate, each, 20_000, (i, scheduled) -> {
                String text = run + " " + step + i;
                var received = awaiting(text);
                byte[] post = BabbleClient.json().createObjectNode().put("token", owner.token()).put("text", text)
                        .put("id", step + i).toString().getBytes(StandardCharsets.UTF_8);
                device.publishWith().topic(postTopic).qos(MqttQos.AT_LEAST_ONCE).payload(post).send();
                return received;
            }));
        }
        return results;
    }

    /** The baseline: the broker alone, a publish until the same device receives it. */
    public List<OpenLoop.Result> brokerOnly(List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            String step = "echo-" + rate + "-";
            results.add(OpenLoop.run(rate, each, 20_000, (i, scheduled) -> {
                String text = run + " " + step + i;
                var received = awaiting(text);
                device.publishWith().topic("bench/" + run + "/echo").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(text.getBytes(StandardCharsets.UTF_8)).send();
                return received;
            }));
        }
        return results;
    }

    private CompletableFuture<Boolean> awaiting(String text) {
        var received = new CompletableFuture<Boolean>().completeOnTimeout(false, 15, TimeUnit.SECONDS);
        pending.put(text, received);
        return received;
    }

    private static JsonNode read(byte[] json) {
        try {
            return BabbleClient.json().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        device.disconnect().join();
    }
}
