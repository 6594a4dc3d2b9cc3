package babble.mqtt.domain;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageCreated;
import babble.mqtt.broker.BrokerConnection;
import babble.mqtt.store.BridgeStore;
import babble.mqtt.api.Services;
import babble.platform.bus.BatchEventHandler;
import babble.platform.bus.Event;
import babble.platform.db.Database;
import babble.platform.json.Json;
import babble.platform.problem.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room messages to the broker: for each bridged room, every message after the last one published, in seq order,
 * at QoS 1, recorded once the broker acknowledged them. The bus may hand a message over again, or late (after
 * a failed delivery); the room's last published seq makes a repeat a no-op and a gap a catch-up from the
 * messages service, so the topic sees each message once and in order.
 */
public final class Outgoing implements BatchEventHandler {
    private static final Logger log = LoggerFactory.getLogger(Outgoing.class);
    private static final int CATCH_UP_MAX = 5_000;

    private final Database db;
    private final BridgeStore store;
    private final BrokerConnection broker;
    private final Services services;
    private final Topics topics;
    private final Counter published;
    private final Counter skipped;

    public Outgoing(Database db, BridgeStore store, BrokerConnection broker, Services services, Topics topics,
                    MeterRegistry meters) {
        this.db = db;
        this.store = store;
        this.broker = broker;
        this.services = services;
        this.topics = topics;
        this.published = Counter.builder("babble_mqtt_published_total").description("messages published to the broker")
                .register(meters);
        this.skipped = Counter.builder("babble_mqtt_skipped_total")
                .description("messages not published because more than the catch-up limit were missed").register(meters);
    }

    @Override
    public void handle(Event event) throws Exception {
        handleAll(List.of(event));
    }

    @Override
    public void handleAll(List<Event> events) throws Exception {
        var byRoom = new LinkedHashMap<UUID, List<MessageView>>();
        for (Event event : events) {
            if (event.type().equals(MessageCreated.TYPE)) {
                MessageView m = event.dataAs(MessageCreated.class).message();
                byRoom.computeIfAbsent(m.roomId(), r -> new ArrayList<>()).add(m);
            }
        }
        if (byRoom.isEmpty()) {
            return;
        }
        Map<UUID, Long> bridged = db.withHandle(h -> store.bridged(h, byRoom.keySet()));
        for (var entry : bridged.entrySet()) {
            publishRoom(entry.getKey(), entry.getValue(), byRoom.get(entry.getKey()));
        }
    }

    private void publishRoom(UUID roomId, long lastPublished, List<MessageView> arrived) throws Exception {
        arrived.sort(Comparator.comparingLong(MessageView::seq));
        var toSend = new ArrayList<MessageView>();
        long next = lastPublished + 1;
        if (arrived.getLast().seq() < next) {
            return; // all published already
        }
        if (arrived.getFirst().seq() > next) {
            // Some came before these and are not published yet (they failed, or are still on their way): fetch them.
            var missed = services.replay(roomId, lastPublished, CATCH_UP_MAX);
            if (missed.complete()) {
                toSend.addAll(missed.messages());
            } else {
                log.warn("room {}: more than {} messages missed; publishing from seq {}", roomId, CATCH_UP_MAX,
                        arrived.getFirst().seq());
                skipped.increment(arrived.getFirst().seq() - next);
            }
        }
        long upTo = toSend.isEmpty() ? lastPublished : toSend.getLast().seq();
        for (MessageView m : arrived) {
            if (m.seq() > upTo) {
                toSend.add(m);
                upTo = m.seq();
            }
        }
        if (!broker.isConnected()) {
            throw new Unavailable("the MQTT broker at " + broker.url() + " is not connected");
        }
        String topic = topics.messages(roomId);
        var acks = new ArrayList<CompletableFuture<?>>(toSend.size());
        for (MessageView m : toSend) {
            acks.add(broker.publish(topic, Json.bytes(m)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long last = upTo;
        db.useTransaction(tx -> store.advance(tx, roomId, last));
        published.increment(toSend.size());
    }
}
