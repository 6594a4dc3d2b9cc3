package babble.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import babble.messages.MessagesService;
import babble.platform.testing.TestHarness;
import babble.rooms.RoomsService;
import babble.users.UsersService;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MQTT is optional: a bridge without its broker says so in its health but stays ready, and so does the rest. */
class BrokerDownTest {
    @Test
    void aBridgeThatCannotReachItsBrokerIsReadyAndReportsTheBrokerDown() throws InterruptedException {
        try (var harness = TestHarness.start(Map.of("BABBLE_MQTT_BROKER_URL", "tcp://127.0.0.1:1"), new UsersService(),
                new RoomsService(), new MessagesService(), new MqttService())) {
            var ready = harness.call("mqtt", "GET", "/health/ready", null, null);

            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("checks").get("mqtt-broker").asText()).isEqualTo("down (optional)");
            assertThat(harness.launcher().awaitReady(java.time.Duration.ofSeconds(5))).isTrue();
        }
    }
}
