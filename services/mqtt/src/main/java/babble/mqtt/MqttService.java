package babble.mqtt;

import babble.mqtt.api.MqttApi;
import babble.mqtt.api.Services;
import babble.mqtt.broker.BrokerConnection;
import babble.mqtt.broker.EmbeddedBroker;
import babble.mqtt.domain.Incoming;
import babble.mqtt.domain.Outgoing;
import babble.mqtt.domain.Topics;
import babble.mqtt.store.BridgeStore;
import babble.contracts.events.SessionRevoked;
import babble.platform.Chassis;
import babble.platform.Infrastructure;
import babble.platform.Service;
import babble.platform.bus.Bus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT bridge (seed 003): bridged rooms' messages to {@code babble/rooms/<id>/messages}, devices' posts from
 * {@code babble/rooms/<id>/post}. The broker is {@code BABBLE_MQTT_BROKER_URL} (Mosquitto in production); without it,
 * an embedded one. The broker is optional: without it the bridge waits (its health says so) and the rest of
 * Babble is unaffected; messages published meanwhile go out once it is back (the bus keeps the position).
 */
public final class MqttService implements Service {
    private static final Logger log = LoggerFactory.getLogger(MqttService.class);

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public void start(Chassis chassis) {
        var config = chassis.config();
        var db = chassis.database();
        var store = new BridgeStore();
        var topics = new Topics(config.string("TOPIC_PREFIX", "babble"));
        // BROKER_URL, not URL: BABBLE_MQTT_URL is where other services reach this service (the directory's setting).
        String url = config.optional("BROKER_URL").orElse(null);
        if (url == null) {
            var broker = EmbeddedBroker.start(config.string("BROKER_HOST", "127.0.0.1"), config.port("BROKER_PORT", 1883));
            chassis.onStop(broker);
            url = broker.url();
            log.warn("MQTT broker (embedded) listening on {}", url); // printed on the console: devices need it
        }
        var services = new Services(chassis.client("users"), chassis.client("rooms"), chassis.client("messages"));
        var incoming = new Incoming(db, store, services, topics, chassis.meters());
        String clientId = Infrastructure.namespace(config) + "-mqtt-bridge";
        var connection = new BrokerConnection(url, clientId, topics.allPosts(), incoming);
        chassis.health().optional("mqtt-broker", connection::isConnected);
        // Where devices connect: the broker's address as this service sees it, unless told the public one.
        String publicUrl = config.string("PUBLIC_URL", url);
        chassis.http(routes -> new MqttApi(db, store, services, topics, chassis.clock(), publicUrl).register(routes));
        chassis.consumeStateless("outgoing", "events.message.created.*", Bus.StartFrom.NEW,
                new Outgoing(db, store, connection, services, topics, chassis.meters()));
        var revocations = chassis.bus().listen("events." + SessionRevoked.TYPE + ".*",
                event -> incoming.revoked(event.dataAs(SessionRevoked.class).tokenHash()));
        chassis.onStop(revocations);
        connection.start();
        chassis.onStop(incoming);
        chassis.onStop(connection);
    }
}
