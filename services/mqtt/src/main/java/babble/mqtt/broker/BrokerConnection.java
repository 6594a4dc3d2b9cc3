package babble.mqtt.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's connection to the broker (HiveMQ MQTT client, MQTT 3.1.1 so any broker serves): a persistent
 * session (the broker keeps QoS 1 posts for the bridge while it is away), reconnecting by itself with backoff,
 * subscribing again on every connect. Incoming publishes are acknowledged by the handler once handled, so a
 * post the bridge had not finished when it died comes again.
 */
public final class BrokerConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);

    private final Mqtt3AsyncClient client;
    private final String url;

    public BrokerConnection(String url, String clientId, String subscription, Consumer<Mqtt3Publish> incoming) {
        this.url = url;
        URI uri = URI.create(url);
        this.client = MqttClient.builder().useMqttVersion3()
                .identifier(clientId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort() < 0 ? 1883 : uri.getPort())
                .automaticReconnect().initialDelay(250, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    log.info("connected to the MQTT broker at {}", url);
                    subscribe(subscription);
                })
                .addDisconnectedListener(context -> {
                    if (context.getSource() != com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource.USER) {
                        log.warn("MQTT broker at {} not reachable ({}); retrying", url, context.getCause().toString());
                    }
                })
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, incoming, true);
    }

    /** Starts connecting (in the background: the service is ready without its broker, and says so in health). */
    public void start() {
        client.connectWith().cleanSession(false).keepAlive(30).send().whenComplete((ack, failure) -> {
            if (failure != null) {
                log.warn("cannot reach the MQTT broker at {} yet ({}); retrying", url, failure.toString());
            }
        });
    }

    private void subscribe(String filter) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().whenComplete((ack, failure) -> {
            if (failure != null) {
                log.warn("subscribing to {} failed: {}", filter, failure.toString());
            }
        });
    }

    public boolean isConnected() {
        return client.getState() == MqttClientState.CONNECTED;
    }

    /** Publishes at QoS 1; completes when the broker acknowledged it. Calls made in order are sent in order. */
    public CompletableFuture<Mqtt3Publish> publish(String topic, byte[] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not connected, or the broker is gone: nothing to tidy up
        }
    }
}
